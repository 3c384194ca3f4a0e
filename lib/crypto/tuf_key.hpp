#pragma once
// A public key as TUF metadata lists it, of any type plain TUF repositories use, and signature
// verification with it (OpenSSL EVP for ECDSA and RSA, libsodium for Ed25519).
//
// Supported "keytype" / "scheme" pairs (the TUF specification's, as securesystemslib reads them):
//   ed25519 / ed25519                       keyval.public: 64 hex digits (the 32-byte key)
//   ecdsa or ecdsa-sha2-nistp256 / ecdsa-sha2-nistp256
//   ecdsa or ecdsa-sha2-nistp384 / ecdsa-sha2-nistp384
//                                           keyval.public: PEM SubjectPublicKeyInfo (what securesystemslib
//                                           writes) or hex of the SEC1 point (older repositories);
//                                           signature: DER ECDSA-Sig-Value over SHA-256/384 of the message
//   rsa / rsassa-pss-sha256|384|512         keyval.public: PEM; PSS with MGF1 over the same hash and any salt
//                                           length (securesystemslib verifies with PSS.AUTO; python-tuf signs
//                                           with salt length = digest length, other signers use the maximum)
//   rsa / rsa-pkcs1v15-sha256|384|512       keyval.public: PEM
// Signatures are hex in the metadata; verify() takes the decoded bytes.
//
// A key object that is a JSON object but names an unknown type or scheme, or whose public key does not
// parse or does not match its scheme (a P-384 key declared as nistp256, an RSA key declared as ECDSA)
// still loads, as an "unusable" key: no signature by it verifies, so it can never help meet a
// threshold, and a repository that lists it alongside good keys still works (python-tuf and tuf-js
// likewise treat such signatures as invalid rather than failing the whole file).
//
// Identity: two TufKeys are equal when they hold the same key material (the Ed25519 bytes, the curve
// and point, or the RSA modulus and exponent), whatever their key ids, schemes, PEM/hex form or extra
// members. Threshold counting compares keys with this, so one key listed under two key ids counts once.
// Unusable keys are each distinct (they never verify anything).
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/json.hpp"
#include "core/result.hpp"
#include "crypto/ed25519.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY; kept out of this header

namespace cocoon::crypto {

enum class TufKeyAlgorithm {
  unusable,
  ed25519,
  ecdsa_p256_sha256,
  ecdsa_p384_sha384,
  rsa_pss,
  rsa_pkcs1v15,
};

class TufKey {
 public:
  // An unusable key (needed by std::map::operator[]); verifies nothing.
  TufKey();
  // The standard Ed25519 key object for `key` (what Cocoon writes). Implicit so code that builds
  // Cocoon roots from Ed25519 keys reads naturally.
  TufKey(const Ed25519PublicKey& key);  // NOLINT(google-explicit-constructor)

  // Reads a key object as found in metadata. Errors (Errc::invalid_input) only when `key_object` is not
  // a JSON object or cannot be canonicalised (so no key id can be computed); any other problem yields an
  // unusable key whose problem() says why. Unknown members are kept and covered by key_id().
  static Result<TufKey> from_json(const Json& key_object);

  // SHA-256 (hex) of the OLPC canonical JSON of the key object as given, unknown members included.
  const std::string& key_id() const { return keyid_; }
  // The key object as given (written back unchanged, so the key id survives a round trip).
  const Json& json() const { return json_; }
  TufKeyAlgorithm algorithm() const { return algorithm_; }
  bool usable() const { return algorithm_ != TufKeyAlgorithm::unusable; }
  // Why the key is unusable (empty when usable). Fixed text: never quotes the key object.
  const std::string& problem() const { return problem_; }
  // The key bytes when this is a usable Ed25519 key.
  std::optional<Ed25519PublicKey> ed25519() const;

  // True only for a valid signature by this key over `message` under the key's scheme. Never throws,
  // never fails for malformed input: a malformed signature is simply not a valid one.
  bool verify(ByteView message, ByteView signature) const;

  // This key object made unusable for `why` (fixed text): what a verifier keeps of a key listed under
  // a key id that is not the key's, so that the rest of the file still works but the key signs nothing.
  TufKey unusable_copy(std::string why) const;

  // The key material identity described above; ordering is by it.
  const std::string& identity() const { return identity_; }
  friend bool operator==(const TufKey& a, const TufKey& b) { return a.identity_ == b.identity_; }
  friend bool operator!=(const TufKey& a, const TufKey& b) { return !(a == b); }
  friend bool operator<(const TufKey& a, const TufKey& b) { return a.identity_ < b.identity_; }

 private:
  Json json_ = Json::object();
  std::string keyid_;
  TufKeyAlgorithm algorithm_ = TufKeyAlgorithm::unusable;
  std::string problem_ = "no key";
  std::string identity_;
  Ed25519PublicKey ed25519_{};
  unsigned digest_bits_ = 0;  // SHA-2 output size of the scheme (ECDSA and RSA)
  // Never modified once built and only read when verifying, so copies share it.
  std::shared_ptr<evp_pkey_st> evp_;
};

}  // namespace cocoon::crypto
