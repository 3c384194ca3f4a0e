#include "common/signing_key.hpp"

namespace cocoon::tools {
namespace {

// `option` prefixes the key file's errors (the passphrase sources' errors name their option already).
Result<crypto::SecretKey> load_key(const SecretOption& key, const PassphraseSources& sources,
                                   const std::string& option) {
  std::optional<std::string> passphrase;
  if (crypto::secret_key_is_encrypted(key.path)) {
    COCOON_ASSIGN(std::string p, passphrase_for(key, false, sources));
    passphrase = std::move(p);
  }
  auto loaded = crypto::load_secret_key(key.path, passphrase);
  if (passphrase) wipe_secret(*passphrase);
  // The library's message names the file; the option says which of the run's keys it is.
  if (!loaded.ok() && !option.empty())
    return make_error(loaded.error().code, option + ": " + loaded.error().message);
  return loaded;
}

}  // namespace

Result<crypto::SecretKey> load_signing_key(const SecretOption& key, const PassphraseSources& sources) {
  return load_key(key, sources, "--" + key.option);
}

Result<crypto::SecretKey> load_signing_key(const std::filesystem::path& path) {
  SecretOption key("key", "key");
  key.path = path.string();
  return load_key(key, system_passphrase_sources(), "");
}

}  // namespace cocoon::tools
