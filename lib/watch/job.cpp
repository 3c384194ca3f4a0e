#include "watch/job.hpp"

#include <algorithm>
#include <fstream>

#include "attest/diff.hpp"
#include "attest/from_build.hpp"
#include "build/recipe.hpp"
#include "core/file_io.hpp"
#include "core/time.hpp"
#include "crypto/hash.hpp"
#include "rebuild/entries.hpp"
#include "tlog/http_client.hpp"
#include "watch/submit.hpp"

namespace cocoon::watch {

namespace fs = std::filesystem;

namespace {

// The end of `from`, at most `cap` bytes, written to `to` (what a build printed last is what explains it).
void copy_tail(const fs::path& from, const fs::path& to, std::uint64_t cap) {
  std::error_code ec;
  std::uint64_t size = fs::file_size(from, ec);
  if (ec) return;
  std::ifstream in(from, std::ios::binary);
  std::string head;
  if (size > cap) {
    in.seekg(static_cast<std::streamoff>(size - cap));
    head = "[... " + std::to_string(size - cap) + " earlier bytes dropped ...]\n";
  }
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  (void)write_file_atomic(to, head + body);
}

void keep_logs(const fs::path& out, const fs::path& dir, std::uint64_t cap) {
  std::error_code ec;
  fs::path logs = out / "logs";
  if (!fs::is_directory(logs, ec)) return;
  fs::create_directories(dir / "logs", ec);
  for (const auto& e : fs::directory_iterator(logs, ec))
    if (e.is_regular_file(ec)) copy_tail(e.path(), dir / "logs" / e.path().filename(), cap);
}

// The image hashes a rebuilt measurement.json predicts (measure/measurement.cpp writes them), at most
// kMaxVerdictImageHashes of them so that the verdict stays a small log entry. Empty when the file is
// unreadable: the digest comparison still decides the verdict.
constexpr std::size_t kMaxVerdictImageHashes = 64;
Json predicted_image_hashes(const fs::path& measurement) {
  Json out = Json::array();
  auto text = read_text_file(measurement, 64u << 20);
  if (!text.ok()) return out;
  auto doc = parse_json(*text, "measurement.json");
  if (!doc.ok() || !doc->is_object()) return out;
  auto list = doc->find("image_hashes");
  if (list == doc->end() || !list->is_array()) return out;
  for (const auto& h : *list) {
    if (out.size() == kMaxVerdictImageHashes) break;
    auto hash = h.is_object() ? h.find("image_hash") : h.end();
    if (hash == h.end() || !hash->is_string()) continue;
    const std::string& value = hash->get_ref<const std::string&>();
    if (value.size() != 64 || value.find_first_not_of("0123456789abcdef") != std::string::npos) continue;
    Json item{{"image_hash", *hash}};
    for (const char* label : {"host_profile", "role", "ovmf_layout"})
      if (auto l = h.find(label); l != h.end() && l->is_string()) item[label] = *l;
    out.push_back(std::move(item));
  }
  return out;
}

// The published file of a release target, for diff: from a repository directory or URL, at
// targets/<product>/<sha256>.<name> (release/repository.hpp). Empty when it cannot be had.
std::optional<fs::path> published_file(const BuildSettings& s, const Job& job, const std::string& name,
                                       const std::string& sha256, const fs::path& scratch) {
  if (s.repo.empty()) return std::nullopt;
  std::string rel = "targets/" + job.product + "/" + sha256 + "." + name;
  if (!is_http_url(s.repo)) {
    fs::path p = fs::path(s.repo) / rel;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p;
    return std::nullopt;
  }
  std::string base = s.repo.back() == '/' ? s.repo : s.repo + "/";
  auto http = tlog::HttpFetcher::create(base, s.timeout_seconds);
  if (!http.ok()) return std::nullopt;
  auto bytes = http->fetch(rel);
  if (!bytes.ok() || crypto::sha256_hex(*bytes) != sha256) return std::nullopt;
  fs::path p = scratch / ("published." + name);
  if (!write_file_atomic(p, ByteView(*bytes)).ok()) return std::nullopt;
  return p;
}

std::string one_line(std::string text, std::size_t cap = 400) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.size() > cap) text = text.substr(0, cap) + "...";
  return text;
}

// One line from a diff report: its first change with the facts diff found and where the bytes part.
// Example: "size 15960 -> 15880, sha256 5317.. -> 0cc0.., first difference at byte 24".
std::string diff_summary(const attest::DiffReport& report) {
  std::string out;
  if (!report.added.empty())
    out += std::to_string(report.added.size()) + " only in the rebuild (" + report.added[0] + ")";
  if (!report.removed.empty())
    out += std::string(out.empty() ? "" : "; ") + std::to_string(report.removed.size()) +
           " only in the release (" + report.removed[0] + ")";
  if (!report.changed.empty()) {
    const attest::EntryChange* c = &report.changed[0];
    std::string where = c->path;
    // An archive inside a directory: its first changed member says more than the archive's digest.
    while (!c->nested.empty() && !c->nested[0].changed.empty()) {
      c = &c->nested[0].changed[0];
      where += (where.empty() ? "" : " > ") + c->path;
    }
    std::string facts;
    for (const auto& f : c->facts) facts += (facts.empty() ? "" : ", ") + f;
    if (c->first_difference)
      facts += (facts.empty() ? "" : ", ") + std::string("first difference at byte ") +
               std::to_string(*c->first_difference);
    out += std::string(out.empty() ? "" : "; ") + (where.empty() ? "" : where + ": ") + facts;
  }
  return out.empty() ? "the diff finds no difference in the contents" : out;
}

std::string short_hex(const std::string& h) {
  return h.size() > 16 ? h.substr(0, 16) : h;
}

Result<Bytes> sign_failure(const Job& job, const std::string& failure, const crypto::SecretKey& key,
                           const BuildSettings& s) {
  rebuild::Verdict v;
  v.labels = {job.product, job.version, job.recipe_sha256, job.source_commit};
  v.subject.kind = job.kind == JobKind::release ? rebuild::VerdictSubject::Kind::release
                                                : rebuild::VerdictSubject::Kind::candidate;
  v.subject.log_index = job.log_index;
  v.subject.entry_sha256 = job.entry_sha256;
  v.subject.targets_version = job.kind == JobKind::release ? job.targets_version : 0;
  v.outcome = rebuild::Outcome::build_failure;
  for (const auto& [name, expected] : job.expected) v.artifacts.push_back({name, "", expected});
  v.failure = one_line(failure);
  v.builder = s.builder_name.empty() ? key.name : s.builder_name;
  v.finished = format_rfc3339(now_unix());
  return rebuild::sign_verdict(v, key);
}

}  // namespace

const char* job_result_name(JobResult::Kind kind) {
  switch (kind) {
    case JobResult::Kind::attested:
      return "attested";
    case JobResult::Kind::reproduced:
      return "reproduced";
    case JobResult::Kind::mismatch:
      return "mismatch";
    case JobResult::Kind::build_failure:
      return "build-failure";
    case JobResult::Kind::retry:
      return "retry";
  }
  return "retry";
}

fs::path job_dir(const fs::path& state_dir, std::int64_t id) {
  return state_dir / "jobs" / std::to_string(id);
}

JobResult run_job(const Job& job, ByteView recipe_bytes, const crypto::SecretKey& key, const BuildSettings& s,
                  const std::function<void(const build::ProgressEvent&)>& on_progress) {
  JobResult r;
  auto retry = [&](const std::string& why) {
    r.kind = JobResult::Kind::retry;
    r.detail = one_line(why);
    r.entries.clear();
    return r;
  };
  const fs::path dir = job_dir(s.state_dir, job.id);
  const fs::path work = dir / "work";
  std::error_code ec;
  // What an interrupted attempt left (a half-written output, a staging directory) goes first.
  fs::remove_all(work, ec);
  fs::remove_all(dir / "logs", ec);
  fs::remove(dir / "diff.txt", ec);
  fs::create_directories(work, ec);
  if (ec) return retry("cannot create " + work.string() + ": " + ec.message());

  auto failure = [&](const std::string& why) {
    auto signed_verdict = sign_failure(job, why, key, s);
    if (!signed_verdict.ok()) return retry(signed_verdict.error().message);
    r.kind = JobResult::Kind::build_failure;
    r.detail = one_line(why);
    r.entries = {{0, job.id, "verdict", std::move(*signed_verdict)}};
    return r;
  };

  auto recipe = build::parse_recipe(to_string(recipe_bytes));
  if (!recipe.ok()) return failure("the recipe does not parse: " + recipe.error().message);
  if (crypto::sha256_hex(recipe_bytes) != job.recipe_sha256)
    return failure("the recipe's sha256 is not the release's recipe digest " + job.recipe_sha256);
  // The recipe is the pinned one; the labels the release claims must be the recipe's own.
  if (recipe->name != job.product || recipe->version != job.version ||
      recipe->source_commit != job.source_commit)
    return failure("the recipe names " + recipe->name + " " + recipe->version + " at " +
                   recipe->source_commit + ", not " + job.product + " " + job.version + " at " +
                   job.source_commit);

  build::RunOptions opts;
  opts.out_dir = work / ("out-" + std::to_string(job.attempts));
  opts.cache_dir = s.cache_dir;
  opts.work_root = s.work_root;
  if (auto mirror = s.sources.find(recipe->source_url); mirror != s.sources.end())
    opts.source_override = mirror->second;
  opts.variation = s.variation;
  opts.on_progress = on_progress;
  opts.before_commit = [&](const build::BuildResult& staged) -> Status {
    auto written = attest::write_build_attestation(staged, key, s.builder_name);
    if (!written) return written.error();
    return Ok{};
  };
  auto built = build::run_recipe(*recipe, opts);
  if (!built.ok()) {
    keep_logs(opts.out_dir, dir, s.max_log_bytes);
    const Error& e = built.error();
    fs::remove_all(work, ec);
    // A step that failed, a program or commit that is not there, an artifact the recipe names that the
    // build did not make: the build's fault, a verdict. The network or the disk: not the build's.
    if (e.code == Errc::build_failed || e.code == Errc::not_found || e.code == Errc::invalid_input)
      return failure(e.message);
    return retry(e.message);
  }

  auto attestation = read_file(opts.out_dir / attest::kAttestationFileName, 1 << 20);
  if (!attestation.ok()) return retry(attestation.error().message);
  r.entries.push_back({0, job.id, "attestation", std::move(*attestation)});

  std::map<std::string, std::string> produced;
  for (const auto& a : built->artifacts) produced[a.name] = a.sha256;

  // Keep this build's output (artifacts and attestation) as the job's out/, then judge it there.
  const fs::path out = dir / "out";
  fs::remove_all(out, ec);
  fs::rename(opts.out_dir, out, ec);
  if (ec) return retry("cannot keep the output in " + out.string() + ": " + ec.message());

  if (job.kind == JobKind::candidate) {
    r.kind = JobResult::Kind::attested;
    r.detail = std::to_string(produced.size()) + " artifact(s) attested";
  } else {
    rebuild::Verdict v;
    v.labels = {job.product, job.version, job.recipe_sha256, job.source_commit};
    v.subject.kind = rebuild::VerdictSubject::Kind::release;
    v.subject.log_index = job.log_index;
    v.subject.entry_sha256 = job.entry_sha256;
    v.subject.targets_version = job.targets_version;
    std::string first_bad;
    for (const auto& [name, expected] : job.expected) {
      auto it = produced.find(name);
      std::string got = it == produced.end() ? "" : it->second;
      v.artifacts.push_back({name, got, expected});
      if (got != expected && first_bad.empty()) first_bad = name;
    }
    if (first_bad.empty()) {
      v.outcome = rebuild::Outcome::reproduced;
      r.kind = JobResult::Kind::reproduced;
      r.detail = std::to_string(job.expected.size()) + " artifact(s) equal to the release";
    } else {
      v.outcome = rebuild::Outcome::mismatch;
      r.kind = JobResult::Kind::mismatch;
      const std::string& expected = job.expected.at(first_bad);
      auto it = produced.find(first_bad);
      std::string summary;
      if (it == produced.end()) {
        summary = first_bad + ": the release lists it, this recipe did not build it";
      } else {
        summary = first_bad + ": sha256 " + short_hex(expected) + "... published, " + short_hex(it->second) +
                  "... rebuilt";
        if (auto published = published_file(s, job, first_bad, expected, work)) {
          auto report = attest::diff_paths(*published, out / first_bad);
          if (report.ok()) {
            std::string text;
            for (const auto& l : attest::format_diff_report(*report)) text += l + "\n";
            if (text.size() > s.max_diff_bytes) text = text.substr(0, s.max_diff_bytes) + "[... cut ...]\n";
            (void)write_file_atomic(dir / "diff.txt", text);
            summary = first_bad + ": " + diff_summary(*report);
          }
        }
      }
      v.first_difference = one_line(summary);
      r.detail = v.first_difference;
    }
    // The recipe's predicted TDX measurements are one more artifact (build/run.cpp writes
    // measurement.json). The release's image hashes were copied by propose from the agreed
    // measurement.json, whose digest the targets record: equal digests mean equal image hashes.
    // A release without a measurement.json target has nothing to compare with: no measurement member.
    auto e = job.expected.find("measurement.json");
    if (auto m = produced.find("measurement.json"); m != produced.end() && e != job.expected.end()) {
      v.measurement = Json{{"predicted",
                            {{"artifact", "measurement.json"},
                             {"sha256", m->second},
                             {"image_hashes", predicted_image_hashes(out / "measurement.json")}}},
                           {"matches_release", e->second == m->second}};
    }
    v.builder = s.builder_name.empty() ? key.name : s.builder_name;
    v.finished = format_rfc3339(now_unix());
    auto signed_verdict = rebuild::sign_verdict(v, key);
    if (!signed_verdict.ok()) return retry(signed_verdict.error().message);
    r.entries.push_back({0, job.id, "verdict", std::move(*signed_verdict)});
  }

  fs::remove_all(work, ec);
  return r;
}

void prune_outputs(const fs::path& state_dir, std::size_t keep) {
  std::error_code ec;
  std::vector<std::int64_t> ids;
  for (const auto& e : fs::directory_iterator(state_dir / "jobs", ec)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos || name.size() > 18)
      continue;
    if (fs::is_directory(e.path() / "out", ec)) ids.push_back(std::stoll(name));
  }
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 0; i + keep < ids.size(); ++i) fs::remove_all(job_dir(state_dir, ids[i]) / "out", ec);
}

}  // namespace cocoon::watch
