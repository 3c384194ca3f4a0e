#include "crypto/key_file.hpp"

#include <sodium.h>

#include <algorithm>
#include <set>

#include "core/bytes.hpp"
#include "core/file_io.hpp"
#include "crypto/hash.hpp"

namespace cocoon::crypto {
namespace {

// Key files are tiny; anything larger is not one of ours.
constexpr std::uint64_t kMaxKeyFileBytes = 64 * 1024;
constexpr std::uint64_t kMaxKeyListBytes = 16 * 1024 * 1024;
constexpr const char* kKdfName = "argon2id13";
constexpr const char* kCipherName = "xsalsa20poly1305";

// A buffer that wipes itself; holds derived keys and decrypted seeds.
struct SecretBuffer {
  explicit SecretBuffer(size_t n) : bytes(n) {}
  ~SecretBuffer() { sodium_memzero(bytes.data(), bytes.size()); }
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;
  Bytes bytes;
};

Error invalid(const std::string& what, const std::string& msg) {
  return make_error(Errc::invalid_input, what + ": " + msg);
}

Status require_only_members(const Json& obj, std::initializer_list<const char*> allowed,
                            const std::string& what) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return it.key() == a; });
    if (!known) return invalid(what, "unknown member \"" + it.key() + "\"");
  }
  return Ok{};
}

Result<std::string> get_string(const Json& obj, const char* member, const std::string& what) {
  auto it = obj.find(member);
  if (it == obj.end()) return invalid(what, std::string("missing \"") + member + "\"");
  if (!it->is_string()) return invalid(what, std::string("\"") + member + "\" must be a string");
  return it->get<std::string>();
}

Result<std::uint64_t> get_uint(const Json& obj, const char* member, const std::string& what) {
  auto it = obj.find(member);
  if (it == obj.end()) return invalid(what, std::string("missing \"") + member + "\"");
  if (!it->is_number_unsigned())
    return invalid(what, std::string("\"") + member + "\" must be a non-negative integer");
  return it->get<std::uint64_t>();
}

// Decodes a hex member and checks its exact length in bytes.
Result<Bytes> get_hex(const Json& obj, const char* member, size_t expected_len, const std::string& what) {
  COCOON_ASSIGN(std::string text, get_string(obj, member, what));
  auto bytes = hex_decode(text);
  if (!bytes.ok()) return invalid(what, std::string("\"") + member + "\" is not hex");
  if (bytes->size() != expected_len)
    return invalid(what, std::string("\"") + member + "\" must be " + std::to_string(expected_len) +
                             " bytes, got " + std::to_string(bytes->size()));
  return std::move(bytes).value();
}

Status check_name(const std::string& name, const std::string& what) {
  if (name.empty()) return invalid(what, "key name is empty");
  if (name.size() > 200) return invalid(what, "key name is longer than 200 bytes");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return invalid(what, "key name contains a control character");
  return Ok{};
}

// The public part common to both file kinds: name, keyid, key.
Result<PublicKey> parse_public_part(const Json& doc, const std::string& what) {
  PublicKey pk;
  COCOON_ASSIGN(pk.name, get_string(doc, "name", what));
  COCOON_TRY(check_name(pk.name, what));
  COCOON_ASSIGN(std::string keyid, get_string(doc, "keyid", what));
  auto key_it = doc.find("key");
  if (key_it == doc.end()) return invalid(what, "missing \"key\"");
  auto key = parse_ed25519_tuf_key(*key_it);
  if (!key.ok()) return make_error(key.error().code, what + ": " + key.error().message);
  pk.key = *key;
  pk.keyid = ed25519_key_id(pk.key);
  if (keyid != pk.keyid)
    return invalid(what, "keyid " + keyid + " does not match the key (expected " + pk.keyid + ")");
  return pk;
}

Status check_schema(const Json& doc, const char* schema, const std::string& what) {
  if (!doc.is_object()) return invalid(what, "not a JSON object");
  COCOON_ASSIGN(std::string found, get_string(doc, "schema", what));
  if (found != schema) return invalid(what, "schema is \"" + found + "\", expected \"" + schema + "\"");
  return Ok{};
}

Status derive_key(SecretBuffer& out, const std::string& passphrase, ByteView salt,
                  unsigned long long opslimit, size_t memlimit) {
  if (crypto_pwhash(out.bytes.data(), out.bytes.size(), passphrase.data(), passphrase.size(), salt.data(),
                    opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return make_error(Errc::crypto, "Argon2id key derivation failed (out of memory?)");
  return Ok{};
}

}  // namespace

std::string ed25519_key_id(const Ed25519PublicKey& key) {
  // The key object only holds ASCII strings, so canonical_json cannot fail on it.
  auto canonical = canonical_json(ed25519_tuf_key(key));
  return sha256_hex(std::string_view(canonical.value()));
}

Json ed25519_tuf_key(const Ed25519PublicKey& key) {
  return Json{{"keytype", "ed25519"}, {"scheme", "ed25519"}, {"keyval", Json{{"public", hex_encode(key)}}}};
}

Result<Ed25519PublicKey> parse_ed25519_tuf_key(const Json& key_object) {
  const std::string what = "key object";
  if (!key_object.is_object()) return invalid(what, "not a JSON object");
  COCOON_TRY(require_only_members(key_object, {"keytype", "scheme", "keyval"}, what));
  COCOON_ASSIGN(std::string keytype, get_string(key_object, "keytype", what));
  COCOON_ASSIGN(std::string scheme, get_string(key_object, "scheme", what));
  if (keytype != "ed25519")
    return make_error(Errc::unsupported, what + ": keytype \"" + keytype + "\" is not ed25519");
  if (scheme != "ed25519")
    return make_error(Errc::unsupported, what + ": scheme \"" + scheme + "\" is not ed25519");
  auto keyval = key_object.find("keyval");
  if (keyval == key_object.end() || !keyval->is_object()) return invalid(what, "missing \"keyval\" object");
  COCOON_TRY(require_only_members(*keyval, {"public"}, what + " keyval"));
  COCOON_ASSIGN(std::string pub_hex, get_string(*keyval, "public", what));
  // Lower case only, so one key has one key object and therefore one key id.
  if (std::any_of(pub_hex.begin(), pub_hex.end(), [](char c) { return c >= 'A' && c <= 'F'; }))
    return invalid(what, "public key hex must be lower case");
  COCOON_ASSIGN(Bytes pub, get_hex(*keyval, "public", 32, what));
  Ed25519PublicKey key;
  std::copy(pub.begin(), pub.end(), key.begin());
  return key;
}

Result<PublicKey> parse_public_key(const Json& doc) {
  const std::string what = "public key";
  COCOON_TRY(check_schema(doc, kPublicKeySchema, what));
  COCOON_TRY(require_only_members(doc, {"schema", "name", "keyid", "key"}, what));
  return parse_public_part(doc, what);
}

Result<PublicKey> load_public_key(const std::filesystem::path& path) {
  COCOON_ASSIGN(std::string text, read_text_file(path, kMaxKeyFileBytes));
  COCOON_ASSIGN(Json doc, parse_json(text, path.string()));
  auto key = parse_public_key(doc);
  if (!key.ok()) return make_error(key.error().code, path.string() + ": " + key.error().message);
  return key;
}

Json public_key_json(const PublicKey& key) {
  return Json{{"schema", kPublicKeySchema},
              {"name", key.name},
              {"keyid", key.keyid},
              {"key", ed25519_tuf_key(key.key)}};
}

Result<std::vector<PublicKey>> parse_public_keys(const Json& doc) {
  if (!doc.is_array()) return invalid("public key list", "not a JSON array");
  std::vector<PublicKey> keys;
  std::set<std::string> seen;
  for (size_t i = 0; i < doc.size(); ++i) {
    auto key = parse_public_key(doc[i]);
    if (!key.ok())
      return make_error(key.error().code,
                        "public key list entry " + std::to_string(i) + ": " + key.error().message);
    if (!seen.insert(key->keyid).second)
      return invalid("public key list", "key " + key->keyid + " is listed twice");
    keys.push_back(std::move(key).value());
  }
  return keys;
}

Result<std::vector<PublicKey>> load_public_keys(const std::filesystem::path& path) {
  COCOON_ASSIGN(std::string text, read_text_file(path, kMaxKeyListBytes));
  COCOON_ASSIGN(Json doc, parse_json(text, path.string()));
  auto keys = parse_public_keys(doc);
  if (!keys.ok()) return make_error(keys.error().code, path.string() + ": " + keys.error().message);
  return keys;
}

PublicKey SecretKey::public_key() const {
  return PublicKey{name, pair.public_key, ed25519_key_id(pair.public_key)};
}

Result<SecretKey> generate_secret_key(std::string name) {
  COCOON_TRY(check_name(name, "new key"));
  COCOON_ASSIGN(auto pair, ed25519_generate());
  return SecretKey{std::move(name), pair};
}

Status save_secret_key(const std::filesystem::path& path, const SecretKey& key,
                       const std::optional<std::string>& passphrase) {
  COCOON_TRY(init_sodium());
  COCOON_TRY(check_name(key.name, "secret key"));
  PublicKey pub = key.public_key();
  Json doc = public_key_json(pub);
  doc["schema"] = kSecretKeySchema;
  if (!passphrase) {
    doc["seed"] = hex_encode(key.pair.seed);
  } else {
    if (passphrase->empty()) return make_error(Errc::invalid_input, "refusing an empty passphrase");
    Bytes salt(crypto_pwhash_SALTBYTES);
    Bytes nonce(crypto_secretbox_NONCEBYTES);
    randombytes_buf(salt.data(), salt.size());
    randombytes_buf(nonce.data(), nonce.size());
    SecretBuffer box_key(crypto_secretbox_KEYBYTES);
    COCOON_TRY(derive_key(box_key, *passphrase, salt, kKdfOpslimit, kKdfMemlimit));
    Bytes ciphertext(crypto_secretbox_MACBYTES + key.pair.seed.size());
    crypto_secretbox_easy(ciphertext.data(), key.pair.seed.data(), key.pair.seed.size(), nonce.data(),
                          box_key.bytes.data());
    doc["encryption"] = Json{{"kdf", Json{{"name", kKdfName},
                                          {"opslimit", kKdfOpslimit},
                                          {"memlimit", static_cast<std::uint64_t>(kKdfMemlimit)},
                                          {"salt", hex_encode(salt)}}},
                             {"cipher", kCipherName},
                             {"nonce", hex_encode(nonce)},
                             {"ciphertext", hex_encode(ciphertext)}};
  }
  std::string text = pretty_json(doc);
  Status written = write_file_atomic(path, std::string_view(text), 0600);
  sodium_memzero(text.data(), text.size());
  return written;
}

Result<SecretKey> load_secret_key(const std::filesystem::path& path,
                                  const std::optional<std::string>& passphrase) {
  COCOON_TRY(init_sodium());
  const std::string what = path.string();
  COCOON_ASSIGN(std::string text, read_text_file(path, kMaxKeyFileBytes));
  // The file holds a seed: its errors name byte offsets, never its content.
  auto parsed = parse_secret_json(text, what);
  sodium_memzero(text.data(), text.size());
  if (!parsed.ok())
    return make_error(Errc::invalid_input, parsed.error().message + " (truncated or not a key file?)");
  const Json& doc = *parsed;
  COCOON_TRY(check_schema(doc, kSecretKeySchema, what));
  COCOON_TRY(require_only_members(doc, {"schema", "name", "keyid", "key", "seed", "encryption"}, what));
  COCOON_ASSIGN(PublicKey pub, parse_public_part(doc, what));
  bool has_seed = doc.contains("seed");
  bool has_encryption = doc.contains("encryption");
  if (has_seed == has_encryption)
    return invalid(what, "must hold exactly one of \"seed\" and \"encryption\"");

  SecretBuffer seed(crypto_sign_SEEDBYTES);
  if (has_seed) {
    COCOON_ASSIGN(Bytes plain, get_hex(doc, "seed", crypto_sign_SEEDBYTES, what));
    std::copy(plain.begin(), plain.end(), seed.bytes.begin());
    sodium_memzero(plain.data(), plain.size());
  } else {
    const Json& enc = doc["encryption"];
    const std::string ewhat = what + " encryption";
    if (!enc.is_object()) return invalid(ewhat, "not a JSON object");
    COCOON_TRY(require_only_members(enc, {"kdf", "cipher", "nonce", "ciphertext"}, ewhat));
    COCOON_ASSIGN(std::string cipher, get_string(enc, "cipher", ewhat));
    if (cipher != kCipherName)
      return make_error(Errc::unsupported, ewhat + ": cipher \"" + cipher + "\" is not supported");
    auto kdf_it = enc.find("kdf");
    if (kdf_it == enc.end() || !kdf_it->is_object()) return invalid(ewhat, "missing \"kdf\" object");
    const Json& kdf = *kdf_it;
    const std::string kwhat = what + " kdf";
    COCOON_TRY(require_only_members(kdf, {"name", "opslimit", "memlimit", "salt"}, kwhat));
    COCOON_ASSIGN(std::string kdf_name, get_string(kdf, "name", kwhat));
    if (kdf_name != kKdfName)
      return make_error(Errc::unsupported, kwhat + ": \"" + kdf_name + "\" is not supported");
    COCOON_ASSIGN(std::uint64_t opslimit, get_uint(kdf, "opslimit", kwhat));
    COCOON_ASSIGN(std::uint64_t memlimit, get_uint(kdf, "memlimit", kwhat));
    // Bounds keep a hostile file from making us burn unbounded memory or time.
    if (opslimit < kKdfMinOpslimit || opslimit > kKdfMaxOpslimit)
      return invalid(kwhat, "opslimit " + std::to_string(opslimit) + " is outside [" +
                                std::to_string(kKdfMinOpslimit) + ", " + std::to_string(kKdfMaxOpslimit) +
                                "]");
    if (memlimit < kKdfMinMemlimit || memlimit > kKdfMaxMemlimit)
      return invalid(kwhat, "memlimit " + std::to_string(memlimit) + " is outside [" +
                                std::to_string(kKdfMinMemlimit) + ", " + std::to_string(kKdfMaxMemlimit) +
                                "]");
    COCOON_ASSIGN(Bytes salt, get_hex(kdf, "salt", crypto_pwhash_SALTBYTES, kwhat));
    COCOON_ASSIGN(Bytes nonce, get_hex(enc, "nonce", crypto_secretbox_NONCEBYTES, ewhat));
    COCOON_ASSIGN(Bytes ciphertext,
                  get_hex(enc, "ciphertext", crypto_secretbox_MACBYTES + crypto_sign_SEEDBYTES, ewhat));
    if (!passphrase) return make_error(Errc::crypto, what + " is encrypted: a passphrase is needed");
    SecretBuffer box_key(crypto_secretbox_KEYBYTES);
    COCOON_TRY(derive_key(box_key, *passphrase, salt, opslimit, static_cast<size_t>(memlimit)));
    if (crypto_secretbox_open_easy(seed.bytes.data(), ciphertext.data(), ciphertext.size(), nonce.data(),
                                   box_key.bytes.data()) != 0)
      return make_error(Errc::crypto, what + ": wrong passphrase, or the encrypted key is corrupted");
  }
  COCOON_ASSIGN(auto pair, ed25519_from_seed(seed.bytes));
  if (pair.public_key != pub.key)
    return make_error(Errc::crypto, what + ": the secret key does not match the public key " + pub.keyid);
  return SecretKey{pub.name, pair};
}

Result<PublicKey> load_key_file_public_part(const std::filesystem::path& path) {
  const std::string what = path.string();
  COCOON_ASSIGN(std::string text, read_text_file(path, kMaxKeyFileBytes));
  auto doc = parse_secret_json(text, what);
  sodium_memzero(text.data(), text.size());
  if (!doc.ok()) return std::move(doc).error();
  if (!doc->is_object()) return invalid(what, "not a JSON object");
  COCOON_ASSIGN(std::string schema, get_string(*doc, "schema", what));
  if (schema == kPublicKeySchema) return load_public_key(path);
  if (schema != kSecretKeySchema) return invalid(what, "schema \"" + schema + "\" is not a key file");
  return parse_public_part(*doc, what);
}

bool secret_key_is_encrypted(const std::filesystem::path& path) {
  auto text = read_text_file(path, kMaxKeyFileBytes);
  if (!text.ok()) return false;
  auto doc = parse_secret_json(*text, path.string());
  sodium_memzero(text->data(), text->size());
  return doc.ok() && doc->is_object() && doc->contains("encryption");
}

}  // namespace cocoon::crypto
