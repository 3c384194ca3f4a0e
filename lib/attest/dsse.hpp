#pragma once
// DSSE v1 envelopes (github.com/secure-systems-lab/dsse) signed with Ed25519.
//
// The signature covers the pre-authentication encoding of the payload type and the payload bytes,
//   PAE("application/vnd.in-toto+json", "{}") = "DSSEv1 28 application/vnd.in-toto+json 2 {}"
// never the JSON of the envelope, so a verifier checks exactly the decoded payload bytes and then
// parses those same bytes (never a re-serialisation).
// Example envelope: {"payloadType":"application/vnd.in-toto+json","payload":"e30=",
//                    "signatures":[{"keyid":"<64 hex>","sig":"<base64 of 64 bytes>"}]}
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/json.hpp"
#include "core/result.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::attest {

inline constexpr const char* kInTotoPayloadType = "application/vnd.in-toto+json";

struct DsseSignature {
  std::string keyid;  // a hint naming the signer; only the verifying public key counts
  Bytes sig;
};

struct DsseEnvelope {
  std::string payload_type;
  Bytes payload;  // exactly the signed bytes
  std::vector<DsseSignature> signatures;
};

// "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal.
Bytes dsse_pae(std::string_view payload_type, ByteView payload);

// Adds a signature by `key` over PAE(envelope.payload_type, envelope.payload).
void dsse_sign(DsseEnvelope& envelope, const crypto::SecretKey& key);

Json dsse_envelope_json(const DsseEnvelope& envelope);
// Strict: payloadType and payload strings, payload in standard padded base64, at least one signature,
// each with a base64 64-byte "sig" and an optional string "keyid".
Result<DsseEnvelope> parse_dsse_envelope(const Json& doc);
Result<DsseEnvelope> load_dsse_envelope(const std::filesystem::path& path);
// Writes the envelope's JSON atomically (mode 0644).
Status save_dsse_envelope(const std::filesystem::path& path, const DsseEnvelope& envelope);

// What checking one signature entry against a set of trusted keys found.
struct SignatureCheck {
  enum class Outcome { valid, untrusted_key, bad_signature };
  Outcome outcome = Outcome::untrusted_key;
  std::string keyid;                       // as claimed in the envelope
  const crypto::PublicKey* key = nullptr;  // the trusted key that verified (valid only)
};

// Checks every signature entry. The claimed keyid selects the trusted key; an entry without a keyid is
// tried against every trusted key. A trusted key that verifies several entries is reported once as valid.
std::vector<SignatureCheck> dsse_check_signatures(const DsseEnvelope& envelope,
                                                  const std::vector<crypto::PublicKey>& trusted);

}  // namespace cocoon::attest
