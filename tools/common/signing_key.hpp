#pragma once
// Loads a secret key for signing. The passphrase is asked for (common/passphrase.hpp: the option's
// passphrase file, its variable, COCOON_PASSPHRASE, the terminal) only when the key file is encrypted.
#include <filesystem>

#include "common/passphrase.hpp"
#include "core/result.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::tools {

// Errors name the option and the file (`--log-key log.key: ... wrong passphrase ...`, Errc::crypto), so
// that a run with several keys says which one failed.
Result<crypto::SecretKey> load_signing_key(const SecretOption& key,
                                           const PassphraseSources& sources = system_passphrase_sources());

// A key file with no option of its own to name its passphrase sources (cocoon-build --sign): the
// sources of an option called "key".
Result<crypto::SecretKey> load_signing_key(const std::filesystem::path& path);

}  // namespace cocoon::tools
