#pragma once
// What the release commands of cocoon-sign (root, propose, sign, status, merge, publish) share: reading
// and writing metadata files, loading a maintainer's or the online secret key.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "common/passphrase.hpp"
#include "core/file_io.hpp"
#include "crypto/key_file.hpp"
#include "release/metadata.hpp"

namespace cocoon::tools::sign {

inline Result<release::Envelope> load_envelope_file(const std::filesystem::path& path) {
  COCOON_ASSIGN(std::string text, read_text_file(path, 16u << 20));
  return release::parse_envelope_text(text, path.string());
}

inline Status save_envelope_file(const std::filesystem::path& path, const release::Envelope& envelope) {
  return write_file_atomic(path, release::envelope_text(envelope));
}

// A secret key file; the passphrase comes from COCOON_PASSPHRASE or a prompt when the file is encrypted.
inline Result<crypto::SecretKey> load_signing_key(const std::filesystem::path& path) {
  std::optional<std::string> passphrase;
  if (crypto::secret_key_is_encrypted(path)) {
    COCOON_ASSIGN(std::string p, read_passphrase("passphrase for " + path.string() + ": ", false));
    passphrase = std::move(p);
  }
  return crypto::load_secret_key(path, passphrase);
}

inline constexpr std::int64_t kDay = 86400;

}  // namespace cocoon::tools::sign
