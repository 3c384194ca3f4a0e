#include "release/log_bundle.hpp"

#include <set>

#include "crypto/hash.hpp"
#include "release/metadata.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/log_client.hpp"
#include "tlog/log_writer.hpp"

namespace cocoon::release {

namespace {

constexpr const char* kWhat = "log bundle";

Error bad(const std::string& message) {
  return make_error(Errc::invalid_input, std::string(kWhat) + ": " + message);
}

}  // namespace

Json consistency_proofs_json(const std::map<std::uint64_t, tlog::Proof>& proofs) {
  Json out = Json::array();
  for (const auto& [old_size, proof] : proofs) {
    Json hashes = Json::array();
    for (const auto& h : proof) hashes.push_back(tlog::hash_base64(h));
    out.push_back(Json{{"old_size", old_size}, {"proof", hashes}});
  }
  return out;
}

Result<std::map<std::uint64_t, tlog::Proof>> parse_consistency_proofs(const Json& doc,
                                                                      std::string_view what) {
  auto fail = [what](const std::string& why) {
    return make_error(Errc::invalid_input, std::string(what) + ": " + why);
  };
  std::map<std::uint64_t, tlog::Proof> out;
  auto member = doc.find("consistency");
  if (member == doc.end()) return out;
  if (!member->is_array()) return fail("\"consistency\" must be an array");
  for (const Json& item : *member) {
    if (!item.is_object() || item.size() != 2 || !item.contains("old_size") ||
        !item["old_size"].is_number_unsigned() || !item.contains("proof") || !item["proof"].is_array())
      return fail("each \"consistency\" item is {\"old_size\": N, \"proof\": [...]}");
    // A proof is at most 64 hashes for any tree size below 2^64.
    if (item["proof"].size() > 64) return fail("a consistency proof has more than 64 hashes");
    tlog::Proof proof;
    for (const Json& h : item["proof"]) {
      if (!h.is_string()) return fail("consistency proof hashes must be base64 strings");
      auto hash = tlog::hash_from_base64(h.get<std::string>());
      if (!hash.ok()) return fail("consistency proof hash: " + hash.error().message);
      proof.push_back(*hash);
    }
    std::uint64_t old_size = item["old_size"].get<std::uint64_t>();
    if (!out.emplace(old_size, std::move(proof)).second)
      return fail("two consistency proofs from size " + std::to_string(old_size));
  }
  return out;
}

Json log_bundle_json(const LogBundle& bundle) {
  Json entries = Json::array();
  for (const auto& e : bundle.entries) {
    Json proof = Json::array();
    for (const auto& h : e.inclusion_proof) proof.push_back(tlog::hash_base64(h));
    entries.push_back(
        Json{{"kind", e.kind}, {"sha256", e.sha256}, {"index", e.index}, {"inclusion_proof", proof}});
  }
  return Json{{"origin", bundle.origin},
              {"checkpoint", bundle.checkpoint},
              {"entries", entries},
              {"consistency", consistency_proofs_json(bundle.consistency)}};
}

Result<LogBundle> parse_log_bundle(const Json& doc) {
  if (!doc.is_object()) return bad("must be an object");
  LogBundle b;
  COCOON_ASSIGN(b.origin, get_string(doc, "origin", kWhat));
  COCOON_ASSIGN(b.checkpoint, get_string(doc, "checkpoint", kWhat));
  auto entries = doc.find("entries");
  if (entries == doc.end() || !entries->is_array()) return bad("\"entries\" must be an array");
  for (const Json& e : *entries) {
    if (!e.is_object()) return bad("entries must be objects");
    LogBundleEntry entry;
    COCOON_ASSIGN(entry.kind, get_string(e, "kind", kWhat));
    COCOON_ASSIGN(entry.sha256, get_string(e, "sha256", kWhat));
    COCOON_ASSIGN(entry.index, get_uint(e, "index", kWhat));
    auto proof = e.find("inclusion_proof");
    if (proof == e.end() || !proof->is_array()) return bad("\"inclusion_proof\" must be an array");
    for (const Json& h : *proof) {
      if (!h.is_string()) return bad("proof hashes must be base64 strings");
      auto hash = tlog::hash_from_base64(h.get<std::string>());
      if (!hash.ok()) return bad("proof hash: " + hash.error().message);
      entry.inclusion_proof.push_back(*hash);
    }
    b.entries.push_back(std::move(entry));
  }
  COCOON_ASSIGN(b.consistency, parse_consistency_proofs(doc, kWhat));
  return b;
}

Status verify_log_bundle(const LogBundle& bundle, const CocoonPolicy& policy,
                         const std::vector<LoggedEntry>& entries) {
  if (bundle.origin != policy.log_origin) {
    return make_error(Errc::log_inconsistent, std::string(kWhat) + ": log origin \"" + bundle.origin +
                                                  "\" is not the root's log \"" + policy.log_origin + "\"");
  }
  COCOON_ASSIGN(tlog::NoteVerifier log_key, tlog::parse_verifier_key(policy.log_verifier_key));
  COCOON_ASSIGN(tlog::VerifiedCheckpoint cp,
                tlog::open_checkpoint(bundle.checkpoint, log_key, policy.log_origin));
  if (entries.size() != bundle.entries.size()) {
    return make_error(Errc::log_inconsistent, std::string(kWhat) + ": holds " +
                                                  std::to_string(bundle.entries.size()) + " entries, " +
                                                  std::to_string(entries.size()) + " expected");
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const LogBundleEntry& e = bundle.entries[i];
    if (e.kind != entries[i].kind || e.sha256 != crypto::sha256_hex(entries[i].bytes)) {
      return make_error(Errc::log_inconsistent, std::string(kWhat) + ": entry " + std::to_string(i) + " (" +
                                                    e.kind + ") is not the expected " + entries[i].kind);
    }
    if (e.index >= cp.checkpoint.size) {
      return make_error(
          Errc::log_inconsistent,
          std::string(kWhat) + ": entry index " + std::to_string(e.index) + " is beyond the checkpoint size");
    }
    auto included = tlog::check_inclusion(e.inclusion_proof, cp.checkpoint.size, e.index,
                                          tlog::leaf_hash(entries[i].bytes), cp.checkpoint.root);
    if (!included.ok()) {
      return make_error(Errc::log_inconsistent,
                        std::string(kWhat) + ": " + e.kind + " entry " + std::to_string(e.index) +
                            " is not in the logged tree: " + included.error().message);
    }
  }
  std::set<std::string> cosigners;
  for (const auto& w : policy.witness_keys) {
    COCOON_ASSIGN(tlog::NoteVerifier witness, tlog::parse_verifier_key(w));
    if (tlog::verify_cosignature(cp.note, witness).ok())
      cosigners.insert(std::string(witness.key.begin(), witness.key.end()));
  }
  if (cosigners.size() < policy.witness_quorum) {
    return make_error(Errc::log_inconsistent, std::string(kWhat) + ": " + std::to_string(cosigners.size()) +
                                                  " witness cosignature(s), the root requires " +
                                                  std::to_string(policy.witness_quorum));
  }
  return Ok{};
}

Result<LogBundle> append_to_log(const std::filesystem::path& log_dir, const tlog::NoteSigner& signer,
                                const std::vector<LoggedEntry>& entries) {
  COCOON_ASSIGN(tlog::LogWriter writer, tlog::LogWriter::open(log_dir, signer));
  std::vector<Bytes> raw;
  for (const auto& e : entries) raw.push_back(e.bytes);
  COCOON_ASSIGN(tlog::AppendResult appended, writer.append(raw));
  tlog::DirFetcher fetcher(log_dir);
  tlog::LogClient client(fetcher, signer.verifier());
  LogBundle bundle;
  bundle.origin = signer.name;
  bundle.checkpoint = appended.checkpoint;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    LogBundleEntry e;
    e.kind = entries[i].kind;
    e.sha256 = crypto::sha256_hex(entries[i].bytes);
    e.index = appended.entries[i].index;
    COCOON_ASSIGN(e.inclusion_proof, client.inclusion_proof(e.index, appended.size));
    bundle.entries.push_back(std::move(e));
  }
  return bundle;
}

}  // namespace cocoon::release
