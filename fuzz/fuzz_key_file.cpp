// Key files (cocoon-public-key/v1, builders and maintainers lists, cocoon-secret-key/v1). Public keys
// that parse have the key id of their key and survive public_key_json -> parse. Secret key files are read
// without a passphrase: an unencrypted one must hold the seed of its stored public key, an encrypted one
// is refused before any key derivation, and no error message ever quotes the seed or its ciphertext.
#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/json.hpp"
#include "crypto/key_file.hpp"
#include "fuzz_common.hpp"

namespace {

// `message` with every occurrence of `value` replaced by a separator: what is public may be quoted, and
// a separator (not an erasure) keeps its neighbours from joining into a new match.
std::string blank_out(std::string message, const std::string& value) {
  if (value.empty()) return message;
  for (auto at = message.find(value); at != std::string::npos; at = message.find(value, at + 1))
    message.replace(at, value.size(), "\x01");
  return message;
}

// True when the message quotes 16 or more consecutive characters of the file's secret members ("seed",
// and the encrypted seed's "ciphertext"). What is public may be quoted and is blanked out first: the
// file's path, its key id, name and public key, and the key id computed from that public key. Long runs
// found each of these copied into "seed" by libFuzzer's comparison tracing (docs/security.md, "Findings").
bool quotes_secret(std::string message, std::string_view text, const std::string& path) {
  auto doc = cocoon::parse_json(text);
  if (!doc || !doc->is_object()) return false;
  std::vector<std::string> secrets, public_values{path};
  if (auto seed = doc->find("seed"); seed != doc->end() && seed->is_string()) secrets.push_back(*seed);
  if (auto enc = doc->find("encryption"); enc != doc->end() && enc->is_object())
    if (auto ct = enc->find("ciphertext"); ct != enc->end() && ct->is_string()) secrets.push_back(*ct);
  for (const char* member : {"keyid", "name"})
    if (auto v = doc->find(member); v != doc->end() && v->is_string()) public_values.push_back(*v);
  const cocoon::Json public_hex = doc->value("key", cocoon::Json::object())
                                      .value("keyval", cocoon::Json::object())
                                      .value("public", cocoon::Json());
  if (public_hex.is_string()) {
    public_values.push_back(public_hex.get<std::string>());
    auto bytes = cocoon::hex_decode(public_hex.get<std::string>());
    if (bytes && bytes->size() == 32) {
      cocoon::crypto::Ed25519PublicKey key{};
      std::copy(bytes->begin(), bytes->end(), key.begin());
      public_values.push_back(cocoon::crypto::ed25519_key_id(key));
    }
  }
  for (const std::string& value : public_values) message = blank_out(std::move(message), value);
  constexpr std::size_t kRun = 16;
  for (const std::string& secret : secrets)
    for (std::size_t i = 0; i + kRun <= secret.size(); ++i)
      if (message.find(std::string_view(secret).substr(i, kRun)) != std::string::npos) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace c = cocoon::crypto;
  const std::filesystem::path& file = cocoon::fuzz::scratch_file(cocoon::fuzz::bytes(data, size));
  auto secret = c::load_secret_key(file, std::nullopt);
  if (secret) {
    FUZZ_CHECK(secret->public_key().keyid == c::ed25519_key_id(secret->pair.public_key));
  } else {
    FUZZ_CHECK(!quotes_secret(secret.error().message, cocoon::fuzz::text(data, size), file.string()));
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
