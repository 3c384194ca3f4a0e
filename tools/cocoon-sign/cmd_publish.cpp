// `cocoon-sign publish DRAFT --repo DIR`: a co-signed root or targets draft becomes part of the TUF
// repository (lib/release/repository.hpp); snapshot and timestamp are signed with the online key.
// For a root with a Cocoon policy, a targets draft is published only as a node operator would accept
// it: every target backed by the builder threshold (the cited attestations are laid out beside the
// metadata), the targets and those attestations logged, the checkpoint cosigned by the witness quorum.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "commands.hpp"
#include "common/cli_main.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "crypto/hash.hpp"
#include "publish/log_attestations.hpp"
#include "publish/log_publish.hpp"
#include "release/draft.hpp"
#include "release/products.hpp"
#include "release/propose.hpp"
#include "release/repository.hpp"
#include "release/threshold.hpp"
#include "release_common.hpp"
#include "verify/builders.hpp"

namespace cocoon::tools::sign {

namespace {

struct PublishArgs {
  std::string draft, repo, artifacts, log, attestations, attestations_log;
  std::uint64_t since = 0;
  SecretOption online_key{"online-key", "online key"};
  SecretOption log_key{"log-key", "log key"};
  std::vector<std::string> witnesses;
  std::int64_t snapshot_days = 7, timestamp_days = 1;
  long timeout = 30;
  bool json = false;
};

// What publish did, printed as text or, with --json, as one JSON object (docs/cli.md).
struct PublishReport {
  std::string role, repo;
  Json version;
  std::vector<std::string> product_changes;
  std::vector<std::pair<std::string, std::size_t>> targets;  // path, trusted builders that agree
  std::optional<publish::LoggedRelease> logged;
  std::size_t logged_entries = 0;
};

// Every string that came from a file, the draft or a witness's answer is escaped where it is put into
// a line, so none can break the report into forged lines (finish_command keeps the line breaks).
std::string report_text(const PublishReport& r) {
  std::string text = "published " + printable(r.role) + " version " + printable(r.version.dump()) + " in " +
                     printable(r.repo);
  for (const auto& c : r.product_changes) text += "\n  product " + printable(c);
  for (const auto& [path, n] : r.targets)
    text += "\n  " + printable(path) + ": " + std::to_string(n) + " trusted builder(s) agree";
  if (r.logged) {
    const auto& l = *r.logged;
    std::size_t known = r.logged_entries - l.new_entries;
    text += "\n  logged " + std::to_string(r.logged_entries) + " entries in " + printable(l.bundle.origin) +
            ": " + std::to_string(l.new_entries) + " new" +
            (known ? ", " + std::to_string(known) + " already in the log" : std::string()) +
            "; the log grew by " + std::to_string(l.size_after - l.size_before) + " (size " +
            std::to_string(l.size_before) + " -> " + std::to_string(l.size_after) + ")";
    for (const auto& w : l.witnesses)
      text += "\n  witness " + printable(w.url) + ": " + (w.cosigned ? "cosigned as " : "did not cosign: ") +
              printable(w.detail);
  }
  return text;
}

Json report_json(const PublishReport& r) {
  Json out = {{"published", r.role}, {"version", r.version}, {"repo", r.repo}};
  if (r.role != release::kRoleTargets) return out;
  out["product_changes"] = r.product_changes;
  Json targets = Json::array();
  for (const auto& [path, n] : r.targets) targets.push_back({{"path", path}, {"builders_agreeing", n}});
  out["targets"] = targets;
  if (r.logged) {
    const auto& l = *r.logged;
    Json witnesses = Json::array();
    for (const auto& w : l.witnesses)
      witnesses.push_back({{"url", w.url}, {"cosigned", w.cosigned}, {"detail", w.detail}});
    out["log"] = {{"origin", l.bundle.origin},    {"entries", r.logged_entries},
                  {"new_entries", l.new_entries}, {"size_before", l.size_before},
                  {"size_after", l.size_after},   {"grew_by", l.size_after - l.size_before},
                  {"witnesses", witnesses}};
  } else {
    out["log"] = nullptr;
  }
  return out;
}

// The attestation files the draft's targets cite, picked by file hash from `dir`, after checking that
// each target is backed by the builder threshold — the very check cocoon-verify makes. Files the
// repository already publishes (the attestations of products carried forward) are read from there
// and not returned: they are neither written nor logged again.
// With --attestations-log, an attestation found in neither place is looked up among the log's
// attestations of the target's labels (what `propose --attestations-log` counted), once per release.
Result<std::vector<release::AttestationFile>> cited_files(const release::CocoonPolicy& policy,
                                                          const release::Targets& targets,
                                                          const PublishArgs& a, PublishReport& report) {
  const std::string& dir = a.attestations;
  const std::string& repo = a.repo;
  if (dir.empty() && a.attestations_log.empty())
    return make_error(
        Errc::invalid_input,
        "the root has a builder policy: give --attestations DIR or --attestations-log DIR_OR_URL");
  std::vector<release::AttestationFile> files;
  if (!dir.empty()) {
    COCOON_ASSIGN(files, release::read_attestation_dir(dir));
  }
  std::map<std::string, const release::AttestationFile*> by_hash;
  for (const auto& f : files) by_hash[crypto::sha256_hex(f.bytes)] = &f;
  // Collections from the log, kept alive for by_hash's pointers; one per release (labels).
  std::list<publish::LogAttestations> from_log;
  std::vector<attest::ReleaseLabels> collected_labels;
  auto collect_from_log = [&](const std::string& path, const release::TargetFile& info) -> Status {
    if (a.attestations_log.empty()) return Ok{};
    COCOON_ASSIGN(attest::ReleaseLabels labels, release::target_labels(path, info));
    if (std::find(collected_labels.begin(), collected_labels.end(), labels) != collected_labels.end())
      return Ok{};
    collected_labels.push_back(labels);
    COCOON_ASSIGN(publish::LogAttestations got,
                  publish::attestations_from_log(a.attestations_log, a.timeout, policy, labels, a.since));
    from_log.push_back(std::move(got));
    for (const auto& f : from_log.back().files) by_hash.emplace(crypto::sha256_hex(f.bytes), &f);
    return Ok{};
  };
  std::vector<release::AttestationFile> chosen;
  std::map<std::string, bool> taken;
  for (const auto& [path, info] : targets.targets) {
    COCOON_ASSIGN(std::vector<std::string> cited, verify::cited_attestations(path, info));
    std::vector<verify::CitedAttestation> found;
    for (const auto& digest : cited) {
      auto it = by_hash.find(digest);
      if (it == by_hash.end() &&
          !std::filesystem::exists(release::RepositoryPaths(repo).attestations / (digest + ".json"))) {
        COCOON_TRY(collect_from_log(path, info));
        it = by_hash.find(digest);
      }
      if (it == by_hash.end()) {
        auto published = read_file(release::RepositoryPaths(repo).attestations / (digest + ".json"),
                                   verify::kMaxAttestationBytes);
        if (published.ok()) {
          found.push_back({digest, std::move(*published)});
          continue;
        }
        std::string where = dir.empty() ? std::string() : dir + ", ";
        if (!a.attestations_log.empty()) where += "the log's attestations of this release, ";
        return make_error(Errc::not_found, "target " + path + " cites attestation " + digest +
                                               ", which is neither in " + where + "nor published in " + repo);
      }
      found.push_back({digest, it->second->bytes});
      if (!taken[digest]) chosen.push_back(*it->second);
      taken[digest] = true;
    }
    COCOON_ASSIGN(verify::BuilderVerdict v, verify::check_builder_agreement(policy, path, info, found));
    report.targets.emplace_back(path, v.builders.size());
  }
  return chosen;
}

Result<PublishReport> publish(const PublishArgs& a) {
  COCOON_ASSIGN(release::Envelope env, load_envelope_file(a.draft));
  COCOON_ASSIGN(std::string type, release::envelope_type(env));
  release::PublishTimes times;
  times.now = now_unix();
  times.snapshot_lifetime = a.snapshot_days * kDay;
  times.timestamp_lifetime = a.timestamp_days * kDay;
  std::optional<crypto::SecretKey> online;
  if (!a.online_key.path.empty()) {
    COCOON_ASSIGN(crypto::SecretKey k, load_signing_key(a.online_key));
    online = std::move(k);
  }
  if (type == release::kRoleRoot) {
    COCOON_TRY(release::publish_root(a.repo, env, online ? &*online : nullptr, times));
    PublishReport root_report;
    root_report.role = type;
    root_report.repo = a.repo;
    root_report.version = env.signed_part["version"];
    return root_report;
  }
  if (type != release::kRoleTargets)
    return make_error(Errc::invalid_input,
                      a.draft + " is " + type + " metadata, not a root or targets draft");
  if (!online) return make_error(Errc::invalid_input, "publishing targets needs --online-key");
  if (a.artifacts.empty()) return make_error(Errc::invalid_input, "publishing targets needs --artifacts DIR");

  COCOON_ASSIGN(release::RepositoryState state, release::load_repository(a.repo));
  // Signatures, expiry and version first: they are the reasons maintainers most need to hear.
  COCOON_ASSIGN(release::Targets targets, release::check_targets_publishable(state, env, times.now));
  const auto& policy = state.root->policy;
  if (!policy && (!a.log.empty() || !a.witnesses.empty()))
    return make_error(Errc::invalid_input,
                      "the root names no log (no x-cocoon-policy): drop --log/--witness");
  if (policy && a.log.empty())
    return make_error(Errc::invalid_input,
                      "the root names log " + policy->log_origin + ": give --log DIR_OR_URL");

  PublishReport report;
  report.role = type;
  report.repo = a.repo;
  report.version = env.signed_part["version"];
  std::vector<release::AttestationFile> attestations;
  std::vector<Bytes> attestation_bytes;
  release::LogStep log_step;
  if (policy) {
    if (state.targets) {
      COCOON_ASSIGN(auto changes, release::product_changes(*state.targets, targets));
      for (const auto& c : changes) report.product_changes.push_back(release::describe_change(c));
    }
    COCOON_ASSIGN(attestations, cited_files(*policy, targets, a, report));
    for (const auto& f : attestations) attestation_bytes.push_back(f.bytes);
    publish::LogDestination dest;
    dest.location = a.log;
    dest.timeout_seconds = a.timeout;
    if (!a.log.starts_with("http://") && !a.log.starts_with("https://")) {
      if (a.log_key.path.empty())
        return make_error(Errc::invalid_input, "--log DIR needs --log-key (the log's secret key file)");
      COCOON_ASSIGN(crypto::SecretKey log_key, load_signing_key(a.log_key));
      COCOON_ASSIGN(dest.signer, tlog::make_signer(policy->log_origin, log_key.pair));
    }
    std::vector<tlog::WitnessEndpoint> witnesses;
    for (const auto& url : a.witnesses) witnesses.push_back({url, a.timeout});
    COCOON_ASSIGN(std::vector<tlog::Checkpoint> earlier, publish::published_checkpoints(a.repo));
    log_step = [&, dest, witnesses, earlier](const release::Root&,
                                             std::string_view targets_text) -> Result<std::string> {
      std::vector<publish::LoggedEntry> entries{{"targets", to_bytes(targets_text)}};
      for (const auto& f : attestations) entries.push_back({"attestation", f.bytes});
      COCOON_ASSIGN(publish::LoggedRelease logged,
                    publish::log_release(dest, *policy, entries, witnesses, earlier));
      report.logged_entries = entries.size();
      report.logged = logged;
      return pretty_json(tlog::log_bundle_json(logged.bundle));
    };
  }
  auto published =
      release::publish_targets(a.repo, env, a.artifacts, *online, times, log_step, attestation_bytes);
  if (!published.ok()) return published.error();
  return report;
}

}  // namespace

void add_publish_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<PublishArgs>();
  CLI::App* cmd =
      app.add_subcommand("publish", "add a co-signed root or targets draft to the TUF repository");
  cmd->add_option("draft", args->draft, "the co-signed draft")->required();
  cmd->add_option("--repo", args->repo, "the repository directory (served as is by any static web server)")
      ->required();
  add_secret_option(cmd, args->online_key, "the online snapshot/timestamp secret key file");
  cmd->add_option("--artifacts", args->artifacts, "directory holding the artifact files (targets drafts)");
  cmd->add_option(
      "--log", args->log,
      "the transparency log: its directory (we append as its writer) or the URL of cocoon-log serve");
  add_secret_option(cmd, args->log_key, "the log's secret key file (with --log DIR)");
  cmd->add_option("--witness", args->witnesses, "a witness URL (C2SP tlog-witness; repeatable)");
  cmd->add_option("--attestations", args->attestations,
                  "directory of builder attestations (*.json); the ones the targets cite are published");
  cmd->add_option(
      "--attestations-log", args->attestations_log,
      "look up cited attestations in the root's log (directory or URL), as propose collected them");
  cmd->add_option("--since", args->since, "with --attestations-log: the first log index to read");
  cmd->add_option("--timeout", args->timeout, "seconds allowed for each log or witness request")
      ->check(CLI::Range(1, 600));
  cmd->add_option("--snapshot-days", args->snapshot_days, "days until the snapshot expires")
      ->check(CLI::Range(1, 365));
  cmd->add_option("--timestamp-days", args->timestamp_days, "days until the timestamp expires")
      ->check(CLI::Range(1, 365));
  cmd->add_flag("--json", args->json, "print what was published as one JSON object (docs/cli.md)");
  cmd->callback([args, &exit_code] {
    auto report = publish(*args);
    if (report.ok() && args->json) {
      std::printf("%s", pretty_json(report_json(*report)).c_str());
      exit_code = kExitOk;
      return;
    }
    finish_command("cocoon-sign", report.ok() ? Result<std::string>(report_text(*report)) : report.error(),
                   exit_code);
  });
}

}  // namespace cocoon::tools::sign
