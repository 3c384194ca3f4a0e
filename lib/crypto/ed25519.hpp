#pragma once
// Ed25519 (RFC 8032) through libsodium. Secret keys are kept as the 32-byte seed; the 64-byte
// libsodium secret key is derived when signing.
#include <array>
#include <cstdint>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::crypto {

using Ed25519PublicKey = std::array<std::uint8_t, 32>;
using Ed25519Seed = std::array<std::uint8_t, 32>;
using Ed25519Signature = std::array<std::uint8_t, 64>;

// Must be called before any other crypto function; safe to call many times and from many threads.
Status init_sodium();

struct Ed25519KeyPair {
  Ed25519Seed seed{};
  Ed25519PublicKey public_key{};
  ~Ed25519KeyPair();  // wipes the seed
};

Result<Ed25519KeyPair> ed25519_generate();
Result<Ed25519KeyPair> ed25519_from_seed(ByteView seed);
Ed25519Signature ed25519_sign(const Ed25519KeyPair& key, ByteView message);
// False for any malformed input (wrong lengths included) rather than an error: a bad signature is
// simply not a valid one.
bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature);

}  // namespace cocoon::crypto
