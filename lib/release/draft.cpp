#include "release/draft.hpp"

#include <algorithm>

#include "core/bytes.hpp"
#include "crypto/ed25519.hpp"

namespace cocoon::release {

Status add_signature(Envelope& envelope, const crypto::SecretKey& key) {
  COCOON_ASSIGN(std::string message, signed_bytes(envelope));
  auto sig = crypto::ed25519_sign(key.pair, as_bytes(message));
  std::string keyid = crypto::ed25519_key_id(key.pair.public_key);
  std::erase_if(envelope.signatures, [&](const SignatureEntry& e) { return e.keyid == keyid; });
  envelope.signatures.push_back({keyid, hex_encode(sig)});
  return Ok{};
}

Result<Envelope> merge_envelopes(const std::vector<Envelope>& copies) {
  if (copies.empty()) return make_error(Errc::invalid_input, "merge: no drafts given");
  COCOON_ASSIGN(std::string first, signed_bytes(copies.front()));
  Envelope merged;
  merged.signed_part = copies.front().signed_part;
  for (std::size_t i = 0; i < copies.size(); ++i) {
    COCOON_ASSIGN(std::string bytes, signed_bytes(copies[i]));
    if (bytes != first) {
      return make_error(Errc::mismatch,
                        "merge: draft " + std::to_string(i + 1) +
                            " signs different metadata than draft 1 (not copies of one draft)");
    }
    for (const auto& s : copies[i].signatures) {
      bool present =
          std::any_of(merged.signatures.begin(), merged.signatures.end(),
                      [&](const SignatureEntry& e) { return e.keyid == s.keyid && e.sig == s.sig; });
      if (!present) merged.signatures.push_back(s);
    }
  }
  return merged;
}

Result<std::string> envelope_type(const Envelope& envelope) {
  auto it = envelope.signed_part.find("_type");
  if (it == envelope.signed_part.end() || !it->is_string()) {
    return make_error(Errc::invalid_input, "metadata has no \"_type\" string");
  }
  return it->get<std::string>();
}

}  // namespace cocoon::release
