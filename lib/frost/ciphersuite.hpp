#pragma once
// The hash functions of FROST(Ed25519, SHA-512) (RFC 9591 §6.5) and nonce generation (§4.1).
#include <array>
#include <cstdint>

#include "core/bytes.hpp"
#include "frost/group.hpp"

namespace cocoon::frost {

inline constexpr std::string_view kContextString = "FROST-ED25519-SHA512-v1";

// The ciphersuite's domain separation. RFC 9591 is the only one used outside tests. kDraft11 exists
// because shared/vectors/frost-ed25519-sha512.json holds the vectors of draft-irtf-cfrg-frost-11
// (contextString "...-v11", and a binding-factor prefix without the group public key), which that file
// must keep passing byte for byte.
// Example: kRfc9591.context == "FROST-ED25519-SHA512-v1", and its binding-factor input starts with PK.
struct Ciphersuite {
  std::string_view context;
  bool binding_prefix_has_group_key;
};
inline constexpr Ciphersuite kRfc9591{kContextString, true};
inline constexpr Ciphersuite kDraft11{"FROST-ED25519-SHA512-v11", false};

using Digest64 = std::array<std::uint8_t, 64>;

// H1(m) = SHA-512(contextString || "rho" || m) mod L: binding factors.
Scalar h1(ByteView m, const Ciphersuite& suite = kRfc9591);
// H2(m) = SHA-512(m) mod L: the challenge, exactly Ed25519's, so FROST signatures are plain Ed25519.
Scalar h2(ByteView m);
// H3(m) = SHA-512(contextString || "nonce" || m) mod L: nonces.
Scalar h3(ByteView m, const Ciphersuite& suite = kRfc9591);
// H4(m) = SHA-512(contextString || "msg" || m): the message hash in the binding-factor input.
Digest64 h4(ByteView m, const Ciphersuite& suite = kRfc9591);
// H5(m) = SHA-512(contextString || "com" || m): the commitment-list hash in the binding-factor input.
Digest64 h5(ByteView m, const Ciphersuite& suite = kRfc9591);

// nonce_generate(secret) = H3(random_bytes(32) || encode(secret)). The 32 random bytes are a parameter
// so the RFC vectors can be replayed; callers outside tests pass fresh randombytes_buf output.
Scalar nonce_generate(const std::array<std::uint8_t, 32>& randomness, const Scalar& secret,
                      const Ciphersuite& suite = kRfc9591);
// The same with fresh randomness from libsodium.
Scalar nonce_generate(const Scalar& secret);

}  // namespace cocoon::frost
