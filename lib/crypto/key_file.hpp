#pragma once
// Ed25519 key files shared by builders and maintainers (docs/formats.md, "Keys").
//
// A public key file names a key and carries its TUF key object and key id:
//   {"schema":"cocoon-public-key/v1","name":"alice","keyid":"<64 hex>",
//    "key":{"keytype":"ed25519","scheme":"ed25519","keyval":{"public":"<64 hex>"}}}
// The key id is always recomputed from the key object; a file whose "keyid" disagrees is refused.
//
// A secret key file holds the same public part plus the 32-byte seed, normally encrypted with a key
// derived from a passphrase (Argon2id, then XSalsa20-Poly1305 secretbox):
//   {"schema":"cocoon-secret-key/v1","name":"alice","keyid":"...","key":{...},
//    "encryption":{"kdf":{"name":"argon2id13","opslimit":2,"memlimit":67108864,"salt":"<32 hex>"},
//                  "cipher":"xsalsa20poly1305","nonce":"<48 hex>","ciphertext":"<96 hex>"}}
// or, only when the owner chose so explicitly, "seed":"<64 hex>" instead of "encryption".
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/result.hpp"
#include "crypto/ed25519.hpp"

namespace cocoon::crypto {

inline constexpr const char* kPublicKeySchema = "cocoon-public-key/v1";
inline constexpr const char* kSecretKeySchema = "cocoon-secret-key/v1";

// TUF key id: hex SHA-256 of the OLPC canonical JSON of
// {"keytype":"ed25519","scheme":"ed25519","keyval":{"public":"<64 hex>"}}.
std::string ed25519_key_id(const Ed25519PublicKey& key);
// That key object.
Json ed25519_tuf_key(const Ed25519PublicKey& key);
// Reads a TUF Ed25519 key object; refuses other key types/schemes, extra members and a public key
// that is not exactly 32 bytes of hex.
Result<Ed25519PublicKey> parse_ed25519_tuf_key(const Json& key_object);

// A named public key. Invariant: keyid == ed25519_key_id(key).
// Example: {name "alice", key 3d4017c3..., keyid "<sha256 of the canonical key object>"}.
struct PublicKey {
  std::string name;
  Ed25519PublicKey key{};
  std::string keyid;
};

// Recomputes the key id and refuses a mismatch, a wrong schema, missing or unknown members.
Result<PublicKey> parse_public_key(const Json& doc);
Result<PublicKey> load_public_key(const std::filesystem::path& path);
// The public key file content.
Json public_key_json(const PublicKey& key);
// A JSON array of public-key objects (a builders or maintainers list). Duplicate keys (by key bytes)
// are refused so a list cannot make one key count twice.
Result<std::vector<PublicKey>> load_public_keys(const std::filesystem::path& path);
Result<std::vector<PublicKey>> parse_public_keys(const Json& doc);

// A named key pair; the seed is wiped when the object is destroyed.
struct SecretKey {
  std::string name;
  Ed25519KeyPair pair;
  PublicKey public_key() const;
};

Result<SecretKey> generate_secret_key(std::string name);

// Argon2id cost used when writing a key file. libsodium's "interactive" limits: about 0.1-0.3 s and
// 64 MiB on current hardware, enough to make offline guessing of a decent passphrase expensive while
// keeping signing interactive. Files with other costs are read as long as they lie within
// [kKdfMinOpslimit, kKdfMaxOpslimit] x [kKdfMinMemlimit, kKdfMaxMemlimit].
inline constexpr unsigned long long kKdfOpslimit = 2;
inline constexpr std::size_t kKdfMemlimit = 64u << 20;
inline constexpr unsigned long long kKdfMinOpslimit = 1;
inline constexpr unsigned long long kKdfMaxOpslimit = 64;
inline constexpr std::size_t kKdfMinMemlimit = 8u << 10;
inline constexpr std::size_t kKdfMaxMemlimit = std::size_t{1} << 30;

// passphrase nullopt writes the seed unencrypted (an explicit choice of the caller). The file is
// written atomically with mode 0600. An empty passphrase is refused.
Status save_secret_key(const std::filesystem::path& path, const SecretKey& key,
                       const std::optional<std::string>& passphrase);
// Errors: bad JSON / wrong schema / wrong lengths / truncated file -> Errc::invalid_input; an encrypted
// file without a passphrase, a wrong passphrase or a corrupted ciphertext, a seed that does not match the
// stored public key -> Errc::crypto. A passphrase given for an unencrypted file is ignored.
Result<SecretKey> load_secret_key(const std::filesystem::path& path,
                                  const std::optional<std::string>& passphrase);
// The public part of either kind of key file (no passphrase needed); key id recomputed and checked.
Result<PublicKey> load_key_file_public_part(const std::filesystem::path& path);
// True when the file parses as JSON and holds an "encryption" member (callers use it to decide
// whether to ask for a passphrase; load_secret_key reports any problem with the file).
bool secret_key_is_encrypted(const std::filesystem::path& path);

}  // namespace cocoon::crypto
