// Key files (cocoon-public-key/v1, builders and maintainers lists, cocoon-secret-key/v1). Public keys
// that parse have the key id of their key and survive public_key_json -> parse. Secret key files are read
// without a passphrase: an unencrypted one must hold the seed of its stored public key, an encrypted one
// is refused before any key derivation, and no error message ever quotes a seed-sized hex run from the
// input.
#include <cctype>

#include "core/json.hpp"
#include "crypto/key_file.hpp"
#include "fuzz_common.hpp"

namespace {

// True when the message holds 64 consecutive hex digits (a seed or anything seed-like).
bool quotes_hex_run(const std::string& message) {
  std::size_t run = 0;
  for (char c : message) {
    run = std::isxdigit(static_cast<unsigned char>(c)) ? run + 1 : 0;
    if (run >= 64) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace c = cocoon::crypto;
  auto secret = c::load_secret_key(cocoon::fuzz::scratch_file(cocoon::fuzz::bytes(data, size)), std::nullopt);
  if (secret) {
    FUZZ_CHECK(secret->public_key().keyid == c::ed25519_key_id(secret->pair.public_key));
  } else {
    FUZZ_CHECK(!quotes_hex_run(secret.error().message));
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
