#pragma once
// Loads a secret key for signing, asking for the passphrase (COCOON_PASSPHRASE or the terminal) only
// when the key file is encrypted.
#include <filesystem>

#include "core/result.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::tools {

Result<crypto::SecretKey> load_signing_key(const std::filesystem::path& path);

}  // namespace cocoon::tools
