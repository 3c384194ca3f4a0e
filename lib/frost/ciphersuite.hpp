#pragma once
// The hash functions of FROST(Ed25519, SHA-512) (RFC 9591 §6.5) and nonce generation (§4.1).
#include <array>
#include <cstdint>

#include "core/bytes.hpp"
#include "frost/group.hpp"

namespace cocoon::frost {

inline constexpr std::string_view kContextString = "FROST-ED25519-SHA512-v1";

using Digest64 = std::array<std::uint8_t, 64>;

// H1(m) = SHA-512(contextString || "rho" || m) mod L: binding factors.
Scalar h1(ByteView m);
// H2(m) = SHA-512(m) mod L: the challenge, exactly Ed25519's, so FROST signatures are plain Ed25519.
Scalar h2(ByteView m);
// H3(m) = SHA-512(contextString || "nonce" || m) mod L: nonces.
Scalar h3(ByteView m);
// H4(m) = SHA-512(contextString || "msg" || m): the message hash in the binding-factor input.
Digest64 h4(ByteView m);
// H5(m) = SHA-512(contextString || "com" || m): the commitment-list hash in the binding-factor input.
Digest64 h5(ByteView m);

// nonce_generate(secret) = H3(random_bytes(32) || encode(secret)). The 32 random bytes are a parameter
// so the RFC vectors can be replayed; callers outside tests pass fresh randombytes_buf output.
Scalar nonce_generate(const std::array<std::uint8_t, 32>& randomness, const Scalar& secret);
// The same with fresh randomness from libsodium.
Scalar nonce_generate(const Scalar& secret);

}  // namespace cocoon::frost
