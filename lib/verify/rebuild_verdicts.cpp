#include "verify/rebuild_verdicts.hpp"

#include <algorithm>
#include <set>

#include "core/json.hpp"
#include "crypto/hash.hpp"
#include "rebuild/entries.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/hash.hpp"
#include "tlog/log_bundle.hpp"
#include "tlog/log_client.hpp"
#include "tlog/note.hpp"
#include "tlog/proof_json.hpp"

namespace cocoon::verify {

namespace {

// Entries are read from the log in bundles of this many (one C2SP entry bundle).
constexpr std::uint64_t kReadChunk = 256;
// Enough "not counted" reasons to see what happened, few enough for one check line.
constexpr std::size_t kMaxListedReasons = 8;

Error bad(const std::string& msg) {
  return make_error(Errc::invalid_input, "rebuild verdicts: " + msg);
}

Result<tlog::Proof> parse_hashes(const Json& list, const std::string& what) {
  auto proof = tlog::proof_from_json(list, what);
  if (!proof.ok()) return bad(proof.error().message);
  return proof;
}

Status only_members(const Json& doc, std::initializer_list<const char*> allowed, const std::string& what) {
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& key = it.key();
    if (std::none_of(allowed.begin(), allowed.end(), [&key](const char* a) { return key == a; }))
      return bad(what + ": unknown member \"" + key + "\"");
  }
  for (const char* a : allowed) {
    if (!doc.contains(a)) return bad(what + ": \"" + a + "\" is missing");
  }
  return Ok{};
}

Result<std::uint64_t> get_index(const Json& doc, const char* name, const std::string& what) {
  if (!doc[name].is_number_unsigned()) return bad(what + ": \"" + name + "\" must be a non-negative integer");
  return doc[name].get<std::uint64_t>();
}

// The artifacts of a verdict as name -> (produced, expected).
using ArtifactDigests = std::map<std::string, std::pair<std::string, std::string>>;

// Why a "reproduced" verdict's artifacts are not exactly the product's targets; empty when they are.
std::string artifact_difference(const std::vector<rebuild::ArtifactResult>& artifacts,
                                const ReleaseToRebuild& release) {
  ArtifactDigests listed;
  for (const auto& a : artifacts) {
    if (!listed.emplace(a.name, std::make_pair(a.sha256, a.expected_sha256)).second)
      return "artifact " + a.name + " is listed twice";
  }
  const std::string prefix = release.labels.product + "/";
  for (const auto& [path, sha] : release.files) {
    std::string name = path.starts_with(prefix) ? path.substr(prefix.size()) : path;
    auto it = listed.find(name);
    if (it == listed.end()) return "target " + path + " is not among its artifacts";
    if (it->second.first != sha || it->second.second != sha)
      return "artifact " + name + " has sha256 " + it->second.first.substr(0, 12) + "…, the target " +
             sha.substr(0, 12) + "…";
    listed.erase(it);
  }
  if (!listed.empty()) return "artifact " + listed.begin()->first + " is not a target of the release";
  return {};
}

}  // namespace

std::string format_rebuild_evidence(const RebuildEvidence& evidence) {
  Json verdicts = Json::array();
  for (const auto& v : evidence.verdicts) {
    verdicts.push_back({{"index", v.index},
                        {"entry", base64_encode(v.entry)},
                        {"inclusion", tlog::proof_to_json(v.inclusion)}});
  }
  Json doc = {{"schema", kRebuildEvidenceSchema},
              {"checkpoint", evidence.checkpoint},
              {"release_index", evidence.release_index},
              {"release_inclusion", tlog::proof_to_json(evidence.release_inclusion)},
              {"consistency", tlog::consistency_proofs_json(evidence.consistency)},
              {"scanned_to", evidence.scanned_to},
              {"verdicts", verdicts}};
  return pretty_json(doc);
}

Result<RebuildEvidence> parse_rebuild_evidence(ByteView bytes) {
  if (bytes.size() > kMaxRebuildEvidenceBytes)
    return bad("larger than " + std::to_string(kMaxRebuildEvidenceBytes) + " bytes");
  COCOON_ASSIGN(Json doc,
                parse_json(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                           "rebuild verdicts"));
  if (!doc.is_object()) return bad("not a JSON object");
  COCOON_TRY(only_members(
      doc,
      {"schema", "checkpoint", "release_index", "release_inclusion", "consistency", "scanned_to", "verdicts"},
      "evidence"));
  if (doc["schema"] != kRebuildEvidenceSchema)
    return bad(std::string("schema is not ") + kRebuildEvidenceSchema);
  RebuildEvidence e;
  if (!doc["checkpoint"].is_string()) return bad("\"checkpoint\" must be a string");
  e.checkpoint = doc["checkpoint"].get<std::string>();
  COCOON_ASSIGN(e.release_index, get_index(doc, "release_index", "evidence"));
  COCOON_ASSIGN(e.release_inclusion, parse_hashes(doc["release_inclusion"], "\"release_inclusion\""));
  auto consistency = tlog::parse_consistency_proofs(doc, "rebuild verdicts");
  if (!consistency.ok()) return consistency.error();
  e.consistency = std::move(*consistency);
  COCOON_ASSIGN(e.scanned_to, get_index(doc, "scanned_to", "evidence"));
  const Json& list = doc["verdicts"];
  if (!list.is_array()) return bad("\"verdicts\" must be an array");
  if (list.size() > kMaxRebuildScan) return bad("more than " + std::to_string(kMaxRebuildScan) + " verdicts");
  for (const auto& item : list) {
    const std::string what = "verdict " + std::to_string(e.verdicts.size());
    if (!item.is_object()) return bad(what + " is not an object");
    COCOON_TRY(only_members(item, {"index", "entry", "inclusion"}, what));
    LoggedVerdict v;
    COCOON_ASSIGN(v.index, get_index(item, "index", what));
    if (!item["entry"].is_string()) return bad(what + ": \"entry\" must be a base64 string");
    auto entry = base64_decode(item["entry"].get<std::string>());
    if (!entry.ok()) return bad(what + ": \"entry\": " + entry.error().message);
    v.entry = std::move(*entry);
    COCOON_ASSIGN(v.inclusion, parse_hashes(item["inclusion"], what + ": \"inclusion\""));
    e.verdicts.push_back(std::move(v));
  }
  return e;
}

Result<RebuildEvidence> read_rebuild_evidence(tlog::TileFetcher& log, const release::CocoonPolicy& policy,
                                              std::uint64_t release_index, std::uint64_t release_size,
                                              const CheckpointCosigner& cosign,
                                              std::vector<std::string>* witness_problems) {
  auto log_key = tlog::parse_verifier_key(policy.log_verifier_key);
  if (!log_key.ok()) return make_error(Errc::invalid_input, "policy log key: " + log_key.error().message);
  tlog::LogClient client(log, *log_key);
  COCOON_ASSIGN(tlog::VerifiedCheckpoint current, client.checkpoint());
  const std::uint64_t size = current.checkpoint.size;
  if (size < release_size) {
    return make_error(Errc::rollback, "the log's checkpoint has size " + std::to_string(size) +
                                          ", smaller than the release's checkpoint size " +
                                          std::to_string(release_size));
  }
  // Witnesses cosign the log's current checkpoint on the node's request, as they would on the log's:
  // each checks that it extends what it cosigned before, so a log showing this node a private fork
  // gets no quorum.
  if (cosign) {
    ConsistencyProof prove = [&client](std::uint64_t old_size, std::uint64_t new_size) {
      return client.consistency_proof(old_size, new_size);
    };
    std::vector<std::string> problems;
    for (auto& sig : cosign(tlog::format_note(current.note), prove, problems))
      current.note.signatures.push_back(std::move(sig));
    if (witness_problems) witness_problems->insert(witness_problems->end(), problems.begin(), problems.end());
  }
  RebuildEvidence e;
  e.checkpoint = tlog::format_note(current.note);
  e.release_index = release_index;
  COCOON_ASSIGN(e.release_inclusion, client.inclusion_proof(release_index, size));
  if (release_size < size && release_size > 0) {
    COCOON_ASSIGN(tlog::Proof p, client.consistency_proof(release_size, size));
    e.consistency[release_size] = std::move(p);
  }
  const std::uint64_t begin = release_index + 1;
  const std::uint64_t end = std::min(size, begin + kMaxRebuildScan);
  e.scanned_to = std::max(begin, end);
  for (std::uint64_t at = begin; at < end; at += kReadChunk) {
    COCOON_ASSIGN(std::vector<Bytes> entries, client.entries(at, std::min(end, at + kReadChunk), size));
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (rebuild::entry_type(entries[i]) != rebuild::EntryType::verdict) continue;
      LoggedVerdict v;
      v.index = at + i;
      COCOON_ASSIGN(v.inclusion, client.inclusion_proof(v.index, size));
      v.entry = std::move(entries[i]);
      e.verdicts.push_back(std::move(v));
    }
  }
  return e;
}

Result<RebuildTally> count_rebuild_verdicts(const release::CocoonPolicy& policy,
                                            const ReleaseToRebuild& release, ByteView targets_bytes,
                                            const std::string& release_checkpoint,
                                            const RebuildEvidence& evidence, UnixSeconds now,
                                            LogCheckStage* failed) {
  auto at = [failed](LogCheckStage stage, Error e) {
    if (failed) *failed = stage;
    return e;
  };
  if (evidence.release_index != release.log_index) {
    return at(
        LogCheckStage::inclusion,
        make_error(Errc::log_inconsistent,
                   "the rebuild verdicts are read after entry " + std::to_string(evidence.release_index) +
                       ", the release is entry " + std::to_string(release.log_index)));
  }
  // The same check as the release's own log proof, with the release's checkpoint as the one accepted
  // before: the log key, the witness quorum, the release's targets entry still at its index, and an
  // extension of the release's checkpoint (which the node checked extends its stored one).
  LogProof proof{evidence.release_index, evidence.checkpoint, evidence.release_inclusion,
                 evidence.consistency};
  COCOON_ASSIGN(LogVerdict verdict,
                check_log_proof(policy, targets_bytes, proof, release_checkpoint, now, failed));
  const tlog::Checkpoint& cp = verdict.checkpoint;
  if (evidence.scanned_to > cp.size || evidence.scanned_to <= evidence.release_index) {
    return at(LogCheckStage::inclusion,
              make_error(Errc::log_inconsistent, "the rebuild verdicts claim entries up to " +
                                                     std::to_string(evidence.scanned_to) +
                                                     " of a log of size " + std::to_string(cp.size)));
  }
  RebuildTally tally;
  tally.scanned = evidence.scanned_to - evidence.release_index - 1;
  tally.capped = evidence.scanned_to < cp.size;

  std::set<crypto::Ed25519PublicKey> counted_keys;
  std::size_t unlisted = 0;
  auto not_counted = [&](std::uint64_t index, const std::string& why) {
    if (tally.not_counted.size() < kMaxListedReasons)
      tally.not_counted.push_back("entry " + std::to_string(index) + ": " + why);
    else
      ++unlisted;
  };
  std::uint64_t previous = evidence.release_index;
  for (const auto& logged : evidence.verdicts) {
    if (logged.index <= previous || logged.index >= evidence.scanned_to) {
      return at(LogCheckStage::inclusion,
                make_error(Errc::log_inconsistent,
                           "rebuild verdict at index " + std::to_string(logged.index) +
                               " is out of order or outside the entries read after the release (" +
                               std::to_string(evidence.release_index + 1) + " … " +
                               std::to_string(evidence.scanned_to - 1) + ")"));
    }
    previous = logged.index;
    auto included = tlog::check_inclusion(logged.inclusion, cp.size, logged.index,
                                          tlog::leaf_hash(logged.entry), cp.root);
    if (!included.ok()) {
      return at(
          LogCheckStage::inclusion,
          make_error(Errc::log_inconsistent, "rebuild verdict at index " + std::to_string(logged.index) +
                                                 " is not in the log of size " + std::to_string(cp.size) +
                                                 ": " + included.error().message));
    }
    auto opened = rebuild::open_verdict(logged.entry, policy.builder_keys);
    if (!opened.ok()) {
      not_counted(logged.index, opened.error().code == Errc::signature
                                    ? "not signed by a builder the root lists"
                                    : opened.error().message);
      continue;
    }
    const rebuild::Verdict& v = opened->value;
    const std::string who = opened->signer.name;
    if (v.subject.kind != rebuild::VerdictSubject::Kind::release ||
        v.subject.log_index != release.log_index || v.subject.entry_sha256 != release.entry_sha256 ||
        v.subject.targets_version != release.targets_version) {
      not_counted(logged.index, who + ": for another release or candidate");
      continue;
    }
    if (v.labels != release.labels) {
      not_counted(logged.index, who + ": " + attest::label_difference(release.labels, v.labels));
      continue;
    }
    if (v.outcome == rebuild::Outcome::mismatch) {
      tally.warnings.push_back("builder " + who + " logged a mismatch for " + release.labels.product + " " +
                               release.labels.version + " (entry " + std::to_string(logged.index) + "): " +
                               (v.first_difference.empty() ? "no difference given" : v.first_difference));
      continue;
    }
    if (v.outcome == rebuild::Outcome::build_failure) {
      not_counted(logged.index, who + ": build failure" + (v.failure.empty() ? "" : " (" + v.failure + ")"));
      continue;
    }
    if (std::string diff = artifact_difference(v.artifacts, release); !diff.empty()) {
      not_counted(logged.index, who + ": " + diff);
      continue;
    }
    // Distinct keys, not distinct entries or names: one builder logging its verdict twice (or under
    // two names) is still one independent rebuild.
    if (!counted_keys.insert(opened->signer.key).second) {
      not_counted(logged.index, who + ": this builder key is already counted");
      continue;
    }
    tally.reproduced_by.push_back(who);
  }
  if (unlisted > 0) tally.not_counted.push_back("… " + std::to_string(unlisted) + " more");
  tally.log = std::move(verdict);
  return tally;
}

}  // namespace cocoon::verify
