#include "tlog/log_bundle.hpp"

#include "tlog/hash.hpp"
#include "tlog/proof_json.hpp"

namespace cocoon::tlog {

namespace {

constexpr const char* kWhat = "log bundle";
// A proof is at most 64 hashes for any tree size below 2^64.

Error bad(const std::string& message) {
  return make_error(Errc::invalid_input, std::string(kWhat) + ": " + message);
}

Result<std::string> string_member(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return bad(std::string("missing \"") + key + "\"");
  if (!it->is_string()) return bad(std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}

Result<std::uint64_t> index_member(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return bad(std::string("missing \"") + key + "\"");
  if (!it->is_number_unsigned()) return bad(std::string("\"") + key + "\" must be a non-negative integer");
  return it->get<std::uint64_t>();
}

}  // namespace

Json consistency_proofs_json(const std::map<std::uint64_t, Proof>& proofs) {
  Json out = Json::array();
  for (const auto& [old_size, proof] : proofs) {
    out.push_back(Json{{"old_size", old_size}, {"proof", proof_to_json(proof)}});
  }
  return out;
}

Result<std::map<std::uint64_t, Proof>> parse_consistency_proofs(const Json& doc, std::string_view what) {
  auto fail = [what](const std::string& why) {
    return make_error(Errc::invalid_input, std::string(what) + ": " + why);
  };
  std::map<std::uint64_t, Proof> out;
  auto member = doc.find("consistency");
  if (member == doc.end()) return out;
  if (!member->is_array()) return fail("\"consistency\" must be an array");
  for (const Json& item : *member) {
    if (!item.is_object() || item.size() != 2 || !item.contains("old_size") ||
        !item["old_size"].is_number_unsigned() || !item.contains("proof") || !item["proof"].is_array())
      return fail("each \"consistency\" item is {\"old_size\": N, \"proof\": [...]}");
    auto proof = proof_from_json(item["proof"], "a consistency proof");
    if (!proof.ok()) return fail(proof.error().message);
    std::uint64_t old_size = item["old_size"].get<std::uint64_t>();
    if (!out.emplace(old_size, std::move(*proof)).second)
      return fail("two consistency proofs from size " + std::to_string(old_size));
  }
  return out;
}

Json log_bundle_json(const LogBundle& bundle) {
  Json entries = Json::array();
  for (const auto& e : bundle.entries) {
    entries.push_back(Json{{"kind", e.kind},
                           {"sha256", e.sha256},
                           {"index", e.index},
                           {"inclusion_proof", proof_to_json(e.inclusion_proof)}});
  }
  return Json{{"origin", bundle.origin},
              {"checkpoint", bundle.checkpoint},
              {"entries", entries},
              {"consistency", consistency_proofs_json(bundle.consistency)}};
}

Result<LogBundle> parse_log_bundle(const Json& doc) {
  if (!doc.is_object()) return bad("must be an object");
  LogBundle b;
  COCOON_ASSIGN(b.origin, string_member(doc, "origin"));
  COCOON_ASSIGN(b.checkpoint, string_member(doc, "checkpoint"));
  auto entries = doc.find("entries");
  if (entries == doc.end() || !entries->is_array()) return bad("\"entries\" must be an array");
  for (const Json& e : *entries) {
    if (!e.is_object()) return bad("entries must be objects");
    LogBundleEntry entry;
    COCOON_ASSIGN(entry.kind, string_member(e, "kind"));
    COCOON_ASSIGN(entry.sha256, string_member(e, "sha256"));
    COCOON_ASSIGN(entry.index, index_member(e, "index"));
    auto proof = e.find("inclusion_proof");
    if (proof == e.end()) return bad("\"inclusion_proof\" must be an array");
    auto hashes = proof_from_json(*proof, "an inclusion proof");
    if (!hashes.ok()) return bad(hashes.error().message);
    entry.inclusion_proof = std::move(*hashes);
    b.entries.push_back(std::move(entry));
  }
  COCOON_ASSIGN(b.consistency, parse_consistency_proofs(doc, kWhat));
  return b;
}

}  // namespace cocoon::tlog
