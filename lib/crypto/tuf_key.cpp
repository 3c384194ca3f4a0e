#include "crypto/tuf_key.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <string_view>

#include "crypto/hash.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::crypto {

namespace {

// Below 2048 bits RSA is within reach of well-funded attackers; above 16384 bits verification time
// grows without any security need (and OpenSSL refuses such moduli anyway).
constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 16384;

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

// OpenSSL keeps a per-thread error queue; a failed parse or verify must not leave entries behind for
// unrelated code to trip over.
struct ClearErrors {
  ~ClearErrors() { ERR_clear_error(); }
};

const EVP_MD* digest_for(unsigned bits) {
  switch (bits) {
    case 256:
      return EVP_sha256();
    case 384:
      return EVP_sha384();
    case 512:
      return EVP_sha512();
    default:
      return nullptr;
  }
}

PkeyPtr read_pem_public_key(const std::string& pem) {
  if (pem.size() > static_cast<std::size_t>(INT32_MAX)) return nullptr;
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return nullptr;
  return PkeyPtr(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
}

// An EC public key from the hex of its SEC1 uncompressed point; OpenSSL checks the point is on the curve.
PkeyPtr ec_key_from_hex(const std::string& hex, const char* group, std::size_t field_bytes) {
  auto point = hex_decode(hex);
  if (!point.ok() || point->size() != 1 + 2 * field_bytes || (*point)[0] != 0x04) return nullptr;
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(group), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point->data(), point->size()),
      OSSL_PARAM_construct_end()};
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) return nullptr;
  return PkeyPtr(raw);
}

bool public_check(EVP_PKEY* pkey) {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  return ctx && EVP_PKEY_public_check(ctx.get()) == 1;
}

std::optional<std::string> bn_param_hex(EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) return std::nullopt;
  BnPtr bn(raw);
  Bytes out(static_cast<std::size_t>(BN_num_bytes(bn.get())));
  BN_bn2bin(bn.get(), out.data());
  return hex_encode(out);
}

std::string group_name(EVP_PKEY* pkey) {
  char name[64] = {0};
  std::size_t len = 0;
  if (EVP_PKEY_get_group_name(pkey, name, sizeof name, &len) != 1) return {};
  return std::string(name, len);
}

struct Scheme {
  TufKeyAlgorithm algorithm = TufKeyAlgorithm::unusable;
  unsigned digest_bits = 0;
};

// The (keytype, scheme) pairs we verify; anything else is unusable.
Scheme scheme_of(const std::string& keytype, const std::string& scheme) {
  if (keytype == "ed25519" && scheme == "ed25519") return {TufKeyAlgorithm::ed25519, 0};
  if ((keytype == "ecdsa" || keytype == "ecdsa-sha2-nistp256") && scheme == "ecdsa-sha2-nistp256")
    return {TufKeyAlgorithm::ecdsa_p256_sha256, 256};
  if ((keytype == "ecdsa" || keytype == "ecdsa-sha2-nistp384") && scheme == "ecdsa-sha2-nistp384")
    return {TufKeyAlgorithm::ecdsa_p384_sha384, 384};
  if (keytype == "rsa") {
    for (unsigned bits : {256u, 384u, 512u}) {
      if (scheme == "rsassa-pss-sha" + std::to_string(bits)) return {TufKeyAlgorithm::rsa_pss, bits};
      if (scheme == "rsa-pkcs1v15-sha" + std::to_string(bits)) return {TufKeyAlgorithm::rsa_pkcs1v15, bits};
    }
  }
  return {};
}

}  // namespace

TufKey::TufKey() = default;

TufKey::TufKey(const Ed25519PublicKey& key)
    : json_(ed25519_tuf_key(key)),
      keyid_(ed25519_key_id(key)),
      algorithm_(TufKeyAlgorithm::ed25519),
      problem_(),
      identity_("ed25519:" + hex_encode(key)),
      ed25519_(key) {}

TufKey TufKey::unusable_copy(std::string why) const {
  TufKey copy;
  copy.json_ = json_;
  copy.keyid_ = keyid_;
  copy.identity_ = "unusable:" + keyid_;
  copy.problem_ = std::move(why);
  return copy;
}

Result<TufKey> TufKey::from_json(const Json& key_object) {
  if (!key_object.is_object()) return make_error(Errc::invalid_input, "key object: not a JSON object");
  auto canonical = canonical_json(key_object);
  if (!canonical.ok())
    return make_error(Errc::invalid_input,
                      "key object: cannot be canonicalised: " + canonical.error().message);
  ClearErrors clear_errors;
  TufKey key;
  key.json_ = key_object;
  key.keyid_ = sha256_hex(std::string_view(*canonical));
  key.identity_ = "unusable:" + key.keyid_;
  auto unusable = [&key](std::string why) {
    key.problem_ = std::move(why);
    return key;
  };

  auto keytype = key_object.find("keytype");
  auto scheme = key_object.find("scheme");
  auto keyval = key_object.find("keyval");
  if (keytype == key_object.end() || !keytype->is_string() || scheme == key_object.end() ||
      !scheme->is_string())
    return unusable("\"keytype\" and \"scheme\" must be strings");
  if (keyval == key_object.end() || !keyval->is_object()) return unusable("\"keyval\" must be an object");
  auto pub = keyval->find("public");
  if (pub == keyval->end() || !pub->is_string()) return unusable("\"keyval\" has no \"public\" string");
  const std::string& public_text = pub->get_ref<const std::string&>();

  Scheme s = scheme_of(keytype->get<std::string>(), scheme->get<std::string>());
  switch (s.algorithm) {
    case TufKeyAlgorithm::unusable:
      return unusable("unsupported key type and scheme");
    case TufKeyAlgorithm::ed25519: {
      auto bytes = hex_decode(public_text);
      if (!bytes.ok() || bytes->size() != key.ed25519_.size())
        return unusable("an ed25519 public key must be 64 hex digits");
      std::copy(bytes->begin(), bytes->end(), key.ed25519_.begin());
      key.identity_ = "ed25519:" + hex_encode(key.ed25519_);
      break;
    }
    case TufKeyAlgorithm::ecdsa_p256_sha256:
    case TufKeyAlgorithm::ecdsa_p384_sha384: {
      const bool p256 = s.algorithm == TufKeyAlgorithm::ecdsa_p256_sha256;
      const char* group = p256 ? "prime256v1" : "secp384r1";
      const bool pem = public_text.rfind("-----BEGIN", 0) == 0;
      PkeyPtr pkey =
          pem ? read_pem_public_key(public_text) : ec_key_from_hex(public_text, group, p256 ? 32 : 48);
      if (!pkey)
        return unusable(pem ? "the PEM public key does not parse" : "not a hex uncompressed EC point");
      if (EVP_PKEY_is_a(pkey.get(), "EC") != 1) return unusable("the public key is not an EC key");
      if (group_name(pkey.get()) != group)
        return unusable(std::string("the EC key is not on the curve the scheme names (") + group + ")");
      if (!public_check(pkey.get())) return unusable("the EC public key is not a valid point");
      auto x = bn_param_hex(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X);
      auto y = bn_param_hex(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y);
      if (!x || !y) return unusable("the EC public key has no coordinates");
      key.identity_ = std::string("ec:") + group + ":" + *x + ":" + *y;
      key.evp_ = std::shared_ptr<EVP_PKEY>(pkey.release(), PkeyFree{});
      break;
    }
    case TufKeyAlgorithm::rsa_pss:
    case TufKeyAlgorithm::rsa_pkcs1v15: {
      PkeyPtr pkey = read_pem_public_key(public_text);
      if (!pkey) return unusable("the PEM public key does not parse");
      if (EVP_PKEY_is_a(pkey.get(), "RSA") != 1) return unusable("the public key is not an RSA key");
      int bits = EVP_PKEY_get_bits(pkey.get());
      if (bits < kMinRsaBits || bits > kMaxRsaBits)
        return unusable("the RSA modulus has " + std::to_string(bits) + " bits, outside 2048..16384");
      if (!public_check(pkey.get())) return unusable("the RSA public key is not valid");
      auto n = bn_param_hex(pkey.get(), OSSL_PKEY_PARAM_RSA_N);
      auto e = bn_param_hex(pkey.get(), OSSL_PKEY_PARAM_RSA_E);
      if (!n || !e) return unusable("the RSA public key has no modulus");
      key.identity_ = "rsa:" + *n + ":" + *e;
      key.evp_ = std::shared_ptr<EVP_PKEY>(pkey.release(), PkeyFree{});
      break;
    }
  }
  key.algorithm_ = s.algorithm;
  key.digest_bits_ = s.digest_bits;
  key.problem_.clear();
  return key;
}

std::optional<Ed25519PublicKey> TufKey::ed25519() const {
  if (algorithm_ != TufKeyAlgorithm::ed25519) return std::nullopt;
  return ed25519_;
}

bool TufKey::verify(ByteView message, ByteView signature) const {
  switch (algorithm_) {
    case TufKeyAlgorithm::unusable:
      return false;
    case TufKeyAlgorithm::ed25519:
      return ed25519_verify(ed25519_, message, signature);
    default:
      break;
  }
  if (!evp_ || signature.empty()) return false;
  ClearErrors clear_errors;
  const EVP_MD* md = digest_for(digest_bits_);
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!md || !ctx) return false;
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, evp_.get()) != 1) return false;
  if (algorithm_ == TufKeyAlgorithm::rsa_pss) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) != 1)
      return false;
  } else if (algorithm_ == TufKeyAlgorithm::rsa_pkcs1v15) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) return false;
  }
  return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size()) == 1;
}

}  // namespace cocoon::crypto
