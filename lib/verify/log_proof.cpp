#include "verify/log_proof.hpp"

#include <set>

#include "tlog/hash.hpp"
#include "tlog/log_bundle.hpp"
#include "tlog/note.hpp"
#include "tlog/proof_json.hpp"

namespace cocoon::verify {

namespace {

Error bad(const std::string& msg) {
  return make_error(Errc::invalid_input, "log proof: " + msg);
}

Result<tlog::Proof> parse_hash_list(const Json& list, const std::string& what) {
  auto proof = tlog::proof_from_json(list, what);
  if (!proof.ok()) return bad(proof.error().message);
  return proof;
}

Error log_error(const std::string& msg) {
  return make_error(Errc::log_inconsistent, msg);
}

}  // namespace

std::string log_proof_path(std::uint64_t version) {
  return "log/" + std::to_string(version) + ".targets.bundle.json";
}

namespace {

// The form `cocoon-sign publish` writes (tlog/log_bundle.hpp): the entry of kind "targets"
// gives index and inclusion proof; "consistency", when present, has the shape of ours.
Result<LogProof> from_release_bundle(const Json& doc) {
  auto bundle = tlog::parse_log_bundle(doc);
  if (!bundle.ok()) return bad(bundle.error().message);
  LogProof proof;
  int found = 0;
  for (const auto& e : bundle->entries) {
    if (e.kind != "targets") continue;
    ++found;
    proof.index = e.index;
    proof.inclusion = e.inclusion_proof;
  }
  if (found != 1)
    return bad("expected exactly one entry of kind \"targets\", found " + std::to_string(found));
  proof.checkpoint = bundle->checkpoint;
  proof.consistency = std::move(bundle->consistency);
  return proof;
}

}  // namespace

Result<LogProof> parse_log_proof(ByteView bytes) {
  COCOON_ASSIGN(Json doc, parse_json(to_string(bytes), "log proof"));
  if (!doc.is_object()) return bad("not a JSON object");
  if (!doc.contains("schema") && doc.contains("entries")) return from_release_bundle(doc);
  for (const auto& [key, value] : doc.items()) {
    if (key != "schema" && key != "index" && key != "checkpoint" && key != "inclusion" &&
        key != "consistency") {
      return bad("unknown member \"" + key + "\"");
    }
  }
  if (!doc.contains("schema") || doc["schema"] != kLogProofSchema)
    return bad(std::string("schema is not ") + kLogProofSchema);
  LogProof proof;
  if (!doc.contains("index") || !doc["index"].is_number_unsigned())
    return bad("\"index\" must be a non-negative integer");
  proof.index = doc["index"].get<std::uint64_t>();
  if (!doc.contains("checkpoint") || !doc["checkpoint"].is_string())
    return bad("\"checkpoint\" must be a string");
  proof.checkpoint = doc["checkpoint"].get<std::string>();
  if (!doc.contains("inclusion")) return bad("\"inclusion\" is missing");
  COCOON_ASSIGN(proof.inclusion, parse_hash_list(doc["inclusion"], "\"inclusion\""));
  COCOON_ASSIGN(proof.consistency, tlog::parse_consistency_proofs(doc, "log proof"));
  return proof;
}

std::string format_log_proof(const LogProof& proof) {
  Json doc = {{"schema", kLogProofSchema},
              {"index", proof.index},
              {"checkpoint", proof.checkpoint},
              {"inclusion", tlog::proof_to_json(proof.inclusion)},
              {"consistency", tlog::consistency_proofs_json(proof.consistency)}};
  return pretty_json(doc);
}

Result<LogProof> make_log_proof(tlog::HashReader& tree, const std::string& cosigned_checkpoint,
                                std::uint64_t index, const std::vector<std::uint64_t>& earlier_sizes) {
  COCOON_ASSIGN(tlog::Note note, tlog::parse_note(cosigned_checkpoint));
  COCOON_ASSIGN(tlog::Checkpoint cp, tlog::parse_checkpoint_body(note.text));
  if (index >= cp.size)
    return bad("entry " + std::to_string(index) + " is not in a tree of size " + std::to_string(cp.size));
  LogProof proof;
  proof.index = index;
  proof.checkpoint = cosigned_checkpoint;
  COCOON_ASSIGN(proof.inclusion, tlog::prove_inclusion(tree, cp.size, index));
  for (std::uint64_t old_size : earlier_sizes) {
    if (old_size == 0 || old_size >= cp.size) continue;  // nothing to prove
    COCOON_ASSIGN(tlog::Proof p, tlog::prove_consistency(tree, old_size, cp.size));
    proof.consistency[old_size] = std::move(p);
  }
  return proof;
}

const char* log_check_stage_name(LogCheckStage stage) {
  switch (stage) {
    case LogCheckStage::checkpoint:
    case LogCheckStage::inclusion:
      return "log inclusion";
    case LogCheckStage::witnesses:
      return "witnesses";
    case LogCheckStage::consistency:
      return "log consistency";
  }
  return "log";
}

Result<LogVerdict> check_log_proof(const release::CocoonPolicy& policy, ByteView targets_bytes,
                                   const LogProof& proof,
                                   const std::optional<std::string>& last_accepted_note, UnixSeconds now,
                                   LogCheckStage* failed) {
  auto at = [failed](LogCheckStage stage, Error e) {
    if (failed) *failed = stage;
    return e;
  };
  auto log_key = tlog::parse_verifier_key(policy.log_verifier_key);
  if (!log_key.ok())
    return at(LogCheckStage::checkpoint,
              make_error(Errc::invalid_input, "policy log key: " + log_key.error().message));
  auto opened = tlog::open_checkpoint(proof.checkpoint, *log_key, policy.log_origin);
  if (!opened.ok())
    return at(LogCheckStage::checkpoint, log_error("log checkpoint refused: " + opened.error().message));
  LogVerdict verdict;
  verdict.checkpoint = opened->checkpoint;
  verdict.checkpoint_note = proof.checkpoint;
  const tlog::Checkpoint& cp = verdict.checkpoint;

  // Witnesses: distinct keys, each counted once however many lines or names it appears under.
  std::set<crypto::Ed25519PublicKey> counted;
  for (const auto& text : policy.witness_keys) {
    auto witness = tlog::parse_verifier_key(text);
    if (!witness.ok())
      return at(LogCheckStage::witnesses,
                make_error(Errc::invalid_input, "policy witness key: " + witness.error().message));
    auto when = tlog::verify_cosignature(opened->note, *witness);
    if (!when.ok()) continue;
    if (static_cast<UnixSeconds>(*when) > now + kMaxCosignatureClockSkew) {
      verdict.ignored_witnesses.push_back(witness->name + ": cosignature dated " +
                                          format_rfc3339(static_cast<UnixSeconds>(*when)) +
                                          ", in the future");
      continue;
    }
    if (counted.insert(witness->key).second) verdict.witnesses.push_back(witness->name);
  }
  if (counted.size() < policy.witness_quorum) {
    std::string ignored;
    for (const auto& i : verdict.ignored_witnesses) ignored += "; not counted: " + i;
    return at(LogCheckStage::witnesses,
              log_error("log checkpoint at size " + std::to_string(cp.size) + " is cosigned by " +
                        std::to_string(counted.size()) + " trusted witness(es), the quorum is " +
                        std::to_string(policy.witness_quorum) + ignored));
  }

  tlog::Hash leaf = tlog::leaf_hash(targets_bytes);
  auto included = tlog::check_inclusion(proof.inclusion, cp.size, proof.index, leaf, cp.root);
  if (!included.ok()) {
    return at(LogCheckStage::inclusion,
              log_error("the targets metadata is not in the log at index " + std::to_string(proof.index) +
                        " of size " + std::to_string(cp.size) + ": " + included.error().message));
  }

  if (last_accepted_note) {
    auto last = tlog::open_checkpoint(*last_accepted_note, *log_key, policy.log_origin);
    if (!last.ok()) {
      return at(LogCheckStage::consistency,
                log_error("the stored checkpoint does not verify under the policy's log key: " +
                          last.error().message));
    }
    const tlog::Checkpoint& old = last->checkpoint;
    if (cp.size < old.size) {
      return at(LogCheckStage::consistency,
                make_error(Errc::rollback, "log checkpoint size " + std::to_string(cp.size) +
                                               " is smaller than the size " + std::to_string(old.size) +
                                               " this node accepted before"));
    }
    if (cp.size == old.size) {
      if (cp.root != old.root) {
        return at(LogCheckStage::consistency,
                  log_error("split view: the log shows a different tree of size " + std::to_string(cp.size) +
                            " than it showed this node before"));
      }
    } else {
      auto it = proof.consistency.find(old.size);
      if (it == proof.consistency.end()) {
        return at(LogCheckStage::consistency,
                  log_error("no consistency proof from the accepted size " + std::to_string(old.size) +
                            " to " + std::to_string(cp.size)));
      }
      auto consistent = tlog::check_consistency(it->second, old.size, cp.size, old.root, cp.root);
      if (!consistent.ok()) {
        return at(LogCheckStage::consistency,
                  log_error("split view: the log of size " + std::to_string(cp.size) +
                            " is not an extension of the one this node accepted at size " +
                            std::to_string(old.size) + ": " + consistent.error().message));
      }
    }
    verdict.consistent_from = old.size;
  }
  return verdict;
}

}  // namespace cocoon::verify
