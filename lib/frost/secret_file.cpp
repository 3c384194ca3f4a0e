#include "frost/secret_file.hpp"

#include <sodium.h>

#include "core/file_io.hpp"
#include "frost/formats.hpp"

namespace cocoon::frost {
namespace {

namespace jf = json_field;

constexpr unsigned long long kOpslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMemlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
constexpr unsigned long long kMaxOpslimit = 64;
constexpr std::size_t kMaxMemlimit = std::size_t{1} << 30;

// A derived key, wiped on scope exit.
struct DerivedKey {
  std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_KEYBYTES> bytes{};
  ~DerivedKey() { sodium_memzero(bytes.data(), bytes.size()); }
};

Status derive(DerivedKey& key, std::string_view passphrase, ByteView salt, unsigned long long ops,
              std::size_t mem) {
  if (crypto_pwhash(key.bytes.data(), key.bytes.size(), passphrase.data(), passphrase.size(), salt.data(),
                    ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return make_error(Errc::crypto, "Argon2id key derivation failed (out of memory?)");
  return Ok{};
}

std::string additional_data(std::string_view kind) {
  // Built with append: GCC 12 -O2 reports a false -Warray-bounds on `string + ":" + string` here.
  std::string ad(kSecretFormat);
  ad.append(":").append(kind);
  return ad;
}

}  // namespace

Status write_secret_file(const std::filesystem::path& path, std::string_view kind, const Json& content,
                         std::string_view passphrase) {
  if (passphrase.empty()) return make_error(Errc::invalid_input, "an empty passphrase is not allowed");
  if (sodium_init() < 0) return make_error(Errc::crypto, "libsodium failed to initialise");
  std::array<std::uint8_t, crypto_pwhash_SALTBYTES> salt;
  randombytes_buf(salt.data(), salt.size());
  std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce;
  randombytes_buf(nonce.data(), nonce.size());
  DerivedKey key;
  COCOON_TRY(derive(key, passphrase, salt, kOpslimit, kMemlimit));
  std::string plain = content.dump();
  const std::string ad = additional_data(kind);
  Bytes cipher(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long cipher_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      cipher.data(), &cipher_len, reinterpret_cast<const std::uint8_t*>(plain.data()), plain.size(),
      reinterpret_cast<const std::uint8_t*>(ad.data()), ad.size(), nullptr, nonce.data(), key.bytes.data());
  sodium_memzero(plain.data(), plain.size());
  Json doc{{"format", kSecretFormat},
           {"kind", kind},
           {"kdf", Json{{"name", "argon2id13"},
                        {"opslimit", kOpslimit},
                        {"memlimit", kMemlimit},
                        {"salt", hex_encode(salt)}}},
           {"cipher", "xchacha20poly1305-ietf"},
           {"nonce", hex_encode(nonce)},
           {"ciphertext", hex_encode(cipher)}};
  return write_file_atomic(path, pretty_json(doc), 0600);
}

Result<Json> read_secret_file(const std::filesystem::path& path, std::string_view kind,
                              std::string_view passphrase) {
  if (passphrase.empty()) return make_error(Errc::invalid_input, "an empty passphrase is not allowed");
  if (sodium_init() < 0) return make_error(Errc::crypto, "libsodium failed to initialise");
  const std::string what = path.filename().string();
  COCOON_ASSIGN(std::string text, read_text_file(path, 1 << 20));
  COCOON_ASSIGN(Json doc, parse_json(text, what));
  COCOON_TRY(jf::exact_members(doc, {"format", "kind", "kdf", "cipher", "nonce", "ciphertext"}, what));
  COCOON_TRY(jf::format(doc, kSecretFormat, what));
  COCOON_ASSIGN(std::string file_kind, jf::string(doc, "kind", what));
  if (file_kind != kind)
    return make_error(Errc::invalid_input,
                      what + ": holds a \"" + file_kind + "\", expected a \"" + std::string(kind) + "\"");
  COCOON_ASSIGN(std::string cipher_name, jf::string(doc, "cipher", what));
  if (cipher_name != "xchacha20poly1305-ietf")
    return make_error(Errc::unsupported, what + ": cipher \"" + cipher_name + "\" is not supported");
  const Json& kdf = doc.at("kdf");
  const std::string kdf_what = what + ": kdf";
  COCOON_TRY(jf::exact_members(kdf, {"name", "opslimit", "memlimit", "salt"}, kdf_what));
  COCOON_ASSIGN(std::string kdf_name, jf::string(kdf, "name", kdf_what));
  if (kdf_name != "argon2id13")
    return make_error(Errc::unsupported, kdf_what + ": \"" + kdf_name + "\" is not supported");
  COCOON_ASSIGN(std::uint32_t ops, jf::u32(kdf, "opslimit", kdf_what));
  COCOON_ASSIGN(std::uint32_t mem, jf::u32(kdf, "memlimit", kdf_what));
  if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > kMaxOpslimit || mem < crypto_pwhash_MEMLIMIT_MIN ||
      mem > kMaxMemlimit)
    return make_error(Errc::invalid_input, kdf_what + ": cost parameters out of the accepted range");
  COCOON_ASSIGN(Bytes salt, jf::hex(kdf, "salt", crypto_pwhash_SALTBYTES, kdf_what));
  COCOON_ASSIGN(Bytes nonce, jf::hex(doc, "nonce", crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, what));
  COCOON_ASSIGN(Bytes cipher, jf::hex(doc, "ciphertext", 0, what));
  if (cipher.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return make_error(Errc::invalid_input, what + ": ciphertext is truncated");
  DerivedKey key;
  COCOON_TRY(derive(key, passphrase, salt, ops, mem));
  std::string plain(cipher.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long plain_len = 0;
  const std::string ad = additional_data(kind);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<std::uint8_t*>(plain.data()), &plain_len, nullptr, cipher.data(), cipher.size(),
          reinterpret_cast<const std::uint8_t*>(ad.data()), ad.size(), nonce.data(), key.bytes.data()) != 0)
    return make_error(Errc::crypto, what + ": wrong passphrase or corrupted file");
  auto content = parse_secret_json(plain, what);
  sodium_memzero(plain.data(), plain.size());
  return content;
}

}  // namespace cocoon::frost
