// Key files (cocoon-public-key/v1, builders and maintainers lists, cocoon-secret-key/v1). Public keys
// that parse have the key id of their key and survive public_key_json -> parse. Secret key files are read
// without a passphrase: an unencrypted one must hold the seed of its stored public key, an encrypted one
// is refused before any key derivation, and no error message ever quotes the seed or its ciphertext.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "crypto/key_file.hpp"
#include "fuzz_common.hpp"

namespace {

// True when the message quotes 16 or more consecutive characters of the file's secret members ("seed",
// and the encrypted seed's "ciphertext"). Key ids and public keys may be quoted: they are public.
bool quotes_secret(const std::string& message, std::string_view text) {
  auto doc = cocoon::parse_json(text);
  if (!doc || !doc->is_object()) return false;
  std::vector<std::string> secrets;
  if (auto seed = doc->find("seed"); seed != doc->end() && seed->is_string()) secrets.push_back(*seed);
  if (auto enc = doc->find("encryption"); enc != doc->end() && enc->is_object())
    if (auto ct = enc->find("ciphertext"); ct != enc->end() && ct->is_string()) secrets.push_back(*ct);
  constexpr std::size_t kRun = 16;
  for (const std::string& secret : secrets)
    for (std::size_t i = 0; i + kRun <= secret.size(); ++i)
      if (message.find(std::string_view(secret).substr(i, kRun)) != std::string::npos) return true;
  return false;
}

// `message` with every occurrence of `path` removed.
std::string without(std::string message, const std::string& path) {
  for (auto at = message.find(path); !path.empty() && at != std::string::npos; at = message.find(path, at))
    message.erase(at, path.size());
  return message;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace c = cocoon::crypto;
  const std::filesystem::path& file = cocoon::fuzz::scratch_file(cocoon::fuzz::bytes(data, size));
  auto secret = c::load_secret_key(file, std::nullopt);
  if (secret) {
    FUZZ_CHECK(secret->public_key().keyid == c::ed25519_key_id(secret->pair.public_key));
  } else {
    // The message names the file by its path, which is not content: libFuzzer once learned the scratch
    // file's name from a comparison and wrote it into "seed" (docs/security.md, "Findings").
    FUZZ_CHECK(
        !quotes_secret(without(secret.error().message, file.string()), cocoon::fuzz::text(data, size)));
  }
  auto doc = cocoon::parse_json(cocoon::fuzz::text(data, size));
  if (!doc) return 0;
  if (auto key = c::parse_public_key(*doc)) {
    FUZZ_CHECK(key->keyid == c::ed25519_key_id(key->key));
    auto again = c::parse_public_key(c::public_key_json(*key));
    FUZZ_CHECK(again && again->keyid == key->keyid && again->name == key->name && again->key == key->key);
  }
  if (auto keys = c::parse_public_keys(*doc))
    for (const auto& k : *keys) FUZZ_CHECK(k.keyid == c::ed25519_key_id(k.key));
  if (auto tuf = c::parse_ed25519_tuf_key(*doc)) FUZZ_CHECK(c::ed25519_tuf_key(*tuf) == *doc);
  return 0;
}
