#include "common/signing_key.hpp"

#include <algorithm>

#include "common/passphrase.hpp"

namespace cocoon::tools {

Result<crypto::SecretKey> load_signing_key(const std::filesystem::path& path) {
  if (!crypto::secret_key_is_encrypted(path)) return crypto::load_secret_key(path, std::nullopt);
  COCOON_ASSIGN(std::string passphrase, read_passphrase("Passphrase for " + path.string(), false));
  auto key = crypto::load_secret_key(path, passphrase);
  std::fill(passphrase.begin(), passphrase.end(), '\0');
  return key;
}

}  // namespace cocoon::tools
