#include "tlog/proof_json.hpp"

namespace cocoon::tlog {

namespace {
// No audit path or consistency proof of a tree below 2^64 leaves is longer.
constexpr std::size_t kMaxProofHashes = 64;
}  // namespace

Result<Proof> proof_from_json(const Json& list, const std::string& what) {
  if (!list.is_array()) return make_error(Errc::invalid_input, what + " must be an array of base64 hashes");
  if (list.size() > kMaxProofHashes)
    return make_error(Errc::invalid_input, what + " has more than 64 hashes");
  Proof proof;
  proof.reserve(list.size());
  for (const auto& h : list) {
    if (!h.is_string()) return make_error(Errc::invalid_input, what + " must be an array of base64 hashes");
    auto hash = hash_from_base64(h.get<std::string>());
    if (!hash.ok()) return make_error(Errc::invalid_input, what + ": " + hash.error().message);
    proof.push_back(*hash);
  }
  return proof;
}

Json proof_to_json(const Proof& proof) {
  Json out = Json::array();
  for (const auto& h : proof) out.push_back(hash_base64(h));
  return out;
}

}  // namespace cocoon::tlog
