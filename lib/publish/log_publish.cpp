#include "publish/log_publish.hpp"

#include <algorithm>
#include <charconv>
#include <memory>
#include <set>

#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/http_client.hpp"
#include "tlog/log_client.hpp"
#include "tlog/log_writer.hpp"
#include "tlog/note.hpp"

namespace cocoon::publish {

namespace {

bool is_url(const std::string& location) {
  return location.starts_with("http://") || location.starts_with("https://");
}

// The log reader for `log`, checking checkpoints against the policy's log key.
struct LogReader {
  std::unique_ptr<tlog::TileFetcher> fetcher;
  std::unique_ptr<tlog::LogClient> client;
};

Result<LogReader> open_reader(const LogDestination& log, const tlog::NoteVerifier& log_key) {
  LogReader r;
  if (is_url(log.location)) {
    std::string base = log.location;
    if (base.back() != '/') base += '/';
    COCOON_ASSIGN(tlog::HttpFetcher http, tlog::HttpFetcher::create(base, log.timeout_seconds));
    r.fetcher = std::make_unique<tlog::HttpFetcher>(std::move(http));
  } else {
    r.fetcher = std::make_unique<tlog::DirFetcher>(log.location);
  }
  r.client = std::make_unique<tlog::LogClient>(*r.fetcher, log_key);
  return r;
}

struct Appended {
  std::vector<std::uint64_t> indexes;
  std::string checkpoint;         // signed by the log, covering every index
  std::uint64_t size_before = 0;  // entries below this index were in the log already
};

Result<Appended> append_in_directory(const LogDestination& log, const std::vector<LoggedEntry>& entries) {
  if (!log.signer)
    return make_error(Errc::invalid_input,
                      "appending to the log directory " + log.location + " needs its key");
  COCOON_ASSIGN(tlog::LogWriter writer, tlog::LogWriter::open(log.location, *log.signer));
  std::vector<Bytes> raw;
  for (const auto& e : entries) raw.push_back(e.bytes);
  COCOON_ASSIGN(tlog::AppendResult appended, writer.append(raw));
  Appended out;
  std::uint64_t added = 0;
  for (const auto& e : appended.entries) {
    out.indexes.push_back(e.index);
    if (!e.duplicate) ++added;
  }
  out.checkpoint = appended.checkpoint;
  out.size_before = appended.size - added;  // we hold the writer's lock: nobody else appended
  return out;
}

// POST /add answers "<index>\n" followed by a signed checkpoint that covers it.
Result<Appended> append_over_http(const LogDestination& log, const std::vector<LoggedEntry>& entries,
                                  const tlog::NoteVerifier& log_key) {
  std::string base = log.location;
  if (base.back() != '/') base += '/';
  COCOON_ASSIGN(tlog::HttpFetcher http, tlog::HttpFetcher::create(base, log.timeout_seconds));
  Appended out;
  {
    tlog::LogClient before(http, log_key);
    COCOON_ASSIGN(tlog::VerifiedCheckpoint cp, before.checkpoint());
    out.size_before = cp.checkpoint.size;
  }
  std::uint64_t best_size = 0;
  for (const auto& e : entries) {
    COCOON_ASSIGN(tlog::HttpResponse resp, http.request("POST", "add", e.bytes));
    std::string body = to_string(resp.body);
    if (resp.status != 200) {
      return make_error(resp.status == 413 ? Errc::invalid_input : Errc::network,
                        "log " + base + " refused the " + e.kind + " entry: HTTP " +
                            std::to_string(resp.status) + " " + body.substr(0, body.find('\n')));
    }
    std::size_t nl = body.find('\n');
    std::uint64_t index = 0;
    auto [ptr, ec] = std::from_chars(body.data(), body.data() + (nl == std::string::npos ? 0 : nl), index);
    if (nl == std::string::npos || nl == 0 || ec != std::errc() || ptr != body.data() + nl)
      return make_error(Errc::invalid_input, "log " + base + ": /add answer does not start with an index");
    std::string note = body.substr(nl + 1);
    COCOON_ASSIGN(tlog::VerifiedCheckpoint cp, tlog::open_checkpoint(note, log_key));
    if (index >= cp.checkpoint.size)
      return make_error(Errc::log_inconsistent, "log " + base + ": entry index " + std::to_string(index) +
                                                    " is beyond the checkpoint it was answered with");
    out.indexes.push_back(index);
    if (cp.checkpoint.size >= best_size) {
      best_size = cp.checkpoint.size;
      out.checkpoint = note;
    }
  }
  return out;
}

// Strips every signature but the log's: cosignatures are collected afresh for this checkpoint.
Result<tlog::Note> log_signed_only(const std::string& checkpoint, const tlog::NoteVerifier& log_key) {
  COCOON_ASSIGN(tlog::Note note, tlog::parse_note(checkpoint));
  std::vector<tlog::NoteSignature> kept;
  for (auto& s : note.signatures)
    if (s.name == log_key.name && s.key_hash == log_key.key_hash) kept.push_back(std::move(s));
  note.signatures = std::move(kept);
  return note;
}

}  // namespace

Result<AppendedEntries> append_entries(const LogDestination& log, const tlog::NoteVerifier& log_key,
                                       std::string_view origin, const std::vector<LoggedEntry>& entries) {
  if (entries.empty()) return make_error(Errc::invalid_input, "nothing to log");
  if (log.signer && tlog::format_verifier_key(log.signer->verifier()) != tlog::format_verifier_key(log_key))
    return make_error(Errc::crypto, "the log key given is not the log key the root names (" +
                                        tlog::format_verifier_key(log_key) + ")");
  Appended appended;
  if (is_url(log.location)) {
    COCOON_ASSIGN(appended, append_over_http(log, entries, log_key));
  } else {
    COCOON_ASSIGN(appended, append_in_directory(log, entries));
  }
  AppendedEntries out;
  COCOON_ASSIGN(out.checkpoint, tlog::open_checkpoint(appended.checkpoint, log_key, origin));
  for (std::uint64_t index : appended.indexes)
    if (index >= out.checkpoint.checkpoint.size)
      return make_error(Errc::log_inconsistent, "the log answered index " + std::to_string(index) +
                                                    " with a checkpoint of size " +
                                                    std::to_string(out.checkpoint.checkpoint.size));
  out.indexes = std::move(appended.indexes);
  return out;
}

Result<LoggedRelease> log_release(const LogDestination& log, const release::CocoonPolicy& policy,
                                  const std::vector<LoggedEntry>& entries,
                                  const std::vector<tlog::WitnessEndpoint>& witnesses,
                                  const std::vector<tlog::Checkpoint>& earlier) {
  if (entries.empty()) return make_error(Errc::invalid_input, "nothing to log");
  COCOON_ASSIGN(tlog::NoteVerifier log_key, tlog::parse_verifier_key(policy.log_verifier_key));
  if (log.signer && tlog::format_verifier_key(log.signer->verifier()) != policy.log_verifier_key) {
    return make_error(Errc::crypto, "the log key given is not the log key the root names (" +
                                        policy.log_verifier_key + ")");
  }
  Appended appended;
  if (is_url(log.location)) {
    COCOON_ASSIGN(appended, append_over_http(log, entries, log_key));
  } else {
    COCOON_ASSIGN(appended, append_in_directory(log, entries));
  }
  COCOON_ASSIGN(LogReader reader, open_reader(log, log_key));
  tlog::ConsistencyProver prove = [&reader](std::uint64_t a, std::uint64_t b) {
    return reader.client->consistency_proof(a, b);
  };

  LoggedRelease out;
  std::string checkpoint = appended.checkpoint;
  // A witness that already cosigned a newer tree than ours (another release or attestation was logged
  // meanwhile) needs the newest checkpoint: start again from it, a few times at most.
  for (int attempt = 0;; ++attempt) {
    COCOON_ASSIGN(tlog::Note note, log_signed_only(checkpoint, log_key));
    out.witnesses.clear();
    bool newer_seen = false;
    for (const auto& w : witnesses) {
      auto lines = tlog::request_cosignature(w, tlog::format_note(note), prove);
      if (!lines.ok()) {
        newer_seen = newer_seen || lines.error().code == Errc::rollback;
        out.witnesses.push_back({w.url, false, lines.error().message});
        continue;
      }
      out.witnesses.push_back({w.url, true, lines->front().name});
      for (auto& s : *lines) note.signatures.push_back(std::move(s));
    }
    if (!newer_seen || attempt == 2) {
      checkpoint = tlog::format_note(note);
      break;
    }
    COCOON_ASSIGN(tlog::VerifiedCheckpoint latest, reader.client->checkpoint());
    checkpoint = tlog::format_note(latest.note);
  }

  COCOON_ASSIGN(tlog::VerifiedCheckpoint cp, tlog::open_checkpoint(checkpoint, log_key, policy.log_origin));
  out.size_before = appended.size_before;
  out.size_after = cp.checkpoint.size;
  std::set<std::uint64_t> fresh;
  for (std::uint64_t index : appended.indexes)
    if (index >= appended.size_before) fresh.insert(index);
  out.new_entries = fresh.size();
  tlog::LogBundle& bundle = out.bundle;
  bundle.origin = policy.log_origin;
  bundle.checkpoint = checkpoint;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    tlog::LogBundleEntry e;
    e.kind = entries[i].kind;
    e.sha256 = crypto::sha256_hex(entries[i].bytes);
    e.index = appended.indexes[i];
    COCOON_ASSIGN(e.inclusion_proof, reader.client->inclusion_proof(e.index, cp.checkpoint.size));
    bundle.entries.push_back(std::move(e));
  }
  for (const auto& old : earlier) {
    if (old.origin != policy.log_origin)
      return make_error(Errc::log_inconsistent, "an earlier release was logged in " + old.origin +
                                                    ", not in the root's log " + policy.log_origin);
    if (old.size > cp.checkpoint.size) {
      return make_error(Errc::rollback, "the log is at size " + std::to_string(cp.checkpoint.size) +
                                            ", smaller than the size " + std::to_string(old.size) +
                                            " an earlier release was logged at");
    }
    if (old.size == 0 || bundle.consistency.count(old.size)) continue;
    tlog::Proof proof;
    if (old.size < cp.checkpoint.size) {
      COCOON_ASSIGN(proof, reader.client->consistency_proof(old.size, cp.checkpoint.size));
    }
    auto consistent =
        tlog::check_consistency(proof, old.size, cp.checkpoint.size, old.root, cp.checkpoint.root);
    if (!consistent.ok()) {
      return make_error(Errc::log_inconsistent,
                        "the log forked: its tree of size " + std::to_string(cp.checkpoint.size) +
                            " does not extend the one an earlier release was logged at (size " +
                            std::to_string(old.size) + "): " + consistent.error().message);
    }
    if (old.size < cp.checkpoint.size) bundle.consistency.emplace(old.size, std::move(proof));
  }
  if (auto verified = verify_log_bundle(bundle, policy, entries); !verified.ok()) {
    // The witnesses that did not cosign are usually the reason: name them and what they said.
    std::string why = verified.error().message;
    for (const auto& w : out.witnesses)
      if (!w.cosigned) why += "; witness " + w.url + " did not cosign: " + w.detail;
    return make_error(verified.error().code, why);
  }
  return out;
}

Result<std::vector<tlog::Checkpoint>> published_checkpoints(const std::filesystem::path& repo) {
  std::vector<tlog::Checkpoint> out;
  std::filesystem::path dir = repo / "log";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!name.ends_with(".targets.bundle.json")) continue;
    COCOON_ASSIGN(std::string text, read_text_file(entry.path(), 16u << 20));
    COCOON_ASSIGN(Json doc, parse_json(text, entry.path().string()));
    auto bundle = tlog::parse_log_bundle(doc);
    if (!bundle.ok())
      return make_error(bundle.error().code, entry.path().string() + ": " + bundle.error().message);
    COCOON_ASSIGN(tlog::Note note, tlog::parse_note(bundle->checkpoint));
    COCOON_ASSIGN(tlog::Checkpoint cp, tlog::parse_checkpoint_body(note.text));
    out.push_back(cp);
  }
  if (ec) return make_error(Errc::io, "cannot list " + dir.string() + ": " + ec.message());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.size < b.size; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].size == out[i - 1].size && out[i].root != out[i - 1].root)
      return make_error(Errc::log_inconsistent, "two published releases show different log trees of size " +
                                                    std::to_string(out[i].size));
  }
  out.erase(
      std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.size == b.size; }),
      out.end());
  return out;
}

}  // namespace cocoon::publish
