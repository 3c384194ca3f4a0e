#include "crypto/ed25519.hpp"

#include <sodium.h>

namespace cocoon::crypto {

Status init_sodium() {
  if (sodium_init() < 0) return make_error(Errc::crypto, "libsodium failed to initialise");
  return Ok{};
}

Ed25519KeyPair::~Ed25519KeyPair() {
  sodium_memzero(seed.data(), seed.size());
}

Result<Ed25519KeyPair> ed25519_generate() {
  COCOON_TRY(init_sodium());
  Ed25519Seed seed;
  randombytes_buf(seed.data(), seed.size());
  auto kp = ed25519_from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return kp;
}

Result<Ed25519KeyPair> ed25519_from_seed(ByteView seed) {
  COCOON_TRY(init_sodium());
  if (seed.size() != crypto_sign_SEEDBYTES)
    return make_error(Errc::crypto, "Ed25519 seed must be 32 bytes, got " + std::to_string(seed.size()));
  Ed25519KeyPair kp;
  std::uint8_t sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(kp.public_key.data(), sk, seed.data());
  sodium_memzero(sk, sizeof sk);
  std::copy(seed.begin(), seed.end(), kp.seed.begin());
  return kp;
}

Ed25519Signature ed25519_sign(const Ed25519KeyPair& key, ByteView message) {
  std::uint8_t pk[crypto_sign_PUBLICKEYBYTES];
  std::uint8_t sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, key.seed.data());
  Ed25519Signature sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), sk);
  sodium_memzero(sk, sizeof sk);
  return sig;
}

bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) return false;
  if (sodium_init() < 0) return false;
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), public_key.data()) ==
         0;
}

}  // namespace cocoon::crypto
