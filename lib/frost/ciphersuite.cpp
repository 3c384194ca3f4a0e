#include "frost/ciphersuite.hpp"

#include <sodium.h>

namespace cocoon::frost {
namespace {

// SHA-512 over the concatenation of the given parts; the state holds message bytes (maybe secret
// nonces' seeds), so it is wiped afterwards.
Digest64 sha512_parts(std::initializer_list<ByteView> parts) {
  crypto_hash_sha512_state st;
  crypto_hash_sha512_init(&st);
  for (ByteView p : parts) crypto_hash_sha512_update(&st, p.data(), p.size());
  Digest64 out;
  crypto_hash_sha512_final(&st, out.data());
  sodium_memzero(&st, sizeof st);
  return out;
}

Scalar reduce(Digest64 d) {
  Scalar s = Scalar::from_wide(d);
  sodium_memzero(d.data(), d.size());
  return s;
}

}  // namespace

Scalar h1(ByteView m) {
  return reduce(sha512_parts({as_bytes(kContextString), as_bytes("rho"), m}));
}
Scalar h2(ByteView m) {
  return reduce(sha512_parts({m}));
}
Scalar h3(ByteView m) {
  return reduce(sha512_parts({as_bytes(kContextString), as_bytes("nonce"), m}));
}
Digest64 h4(ByteView m) {
  return sha512_parts({as_bytes(kContextString), as_bytes("msg"), m});
}
Digest64 h5(ByteView m) {
  return sha512_parts({as_bytes(kContextString), as_bytes("com"), m});
}

Scalar nonce_generate(const std::array<std::uint8_t, 32>& randomness, const Scalar& secret) {
  return reduce(sha512_parts({as_bytes(kContextString), as_bytes("nonce"), randomness, secret.bytes()}));
}

Scalar nonce_generate(const Scalar& secret) {
  std::array<std::uint8_t, 32> randomness;
  randombytes_buf(randomness.data(), randomness.size());
  Scalar n = nonce_generate(randomness, secret);
  sodium_memzero(randomness.data(), randomness.size());
  return n;
}

}  // namespace cocoon::frost
