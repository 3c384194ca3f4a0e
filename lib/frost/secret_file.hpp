#pragma once
// Passphrase-encrypted JSON files for a participant's local FROST state (key package, DKG secret,
// signing nonces). Key: Argon2id (libsodium "interactive" cost) over the passphrase and a fresh salt;
// cipher: XChaCha20-Poly1305 with the file's `kind` as associated data, so a nonce file cannot be
// passed off as a key file. Written atomically with mode 0600.
//
// Example: {"format":"cocoon-frost-secret/v1","kind":"key-package",
//           "kdf":{"name":"argon2id13","opslimit":2,"memlimit":67108864,"salt":"<32 hex>"},
//           "cipher":"xchacha20poly1305-ietf","nonce":"<48 hex>","ciphertext":"<hex>"}
#include <filesystem>
#include <string>
#include <string_view>

#include "core/json.hpp"
#include "core/result.hpp"

namespace cocoon::frost {

inline constexpr std::string_view kSecretFormat = "cocoon-frost-secret/v1";

// Refuses an empty passphrase.
Status write_secret_file(const std::filesystem::path& path, std::string_view kind, const Json& content,
                         std::string_view passphrase);
// Errors: malformed/truncated file -> invalid_input; another kind -> invalid_input; wrong passphrase or
// tampered ciphertext -> crypto; missing file -> not_found.
Result<Json> read_secret_file(const std::filesystem::path& path, std::string_view kind,
                              std::string_view passphrase);

}  // namespace cocoon::frost
