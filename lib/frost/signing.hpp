#pragma once
// FROST's two signing rounds and aggregation (RFC 9591 §5).
#include <array>
#include <map>
#include <vector>

#include "frost/ciphersuite.hpp"
#include "frost/keys.hpp"

namespace cocoon::frost {

using Signature = std::array<std::uint8_t, 64>;

// A signer's public round-one output. Example: participant 1's (D_1, E_1) in the RFC vectors are
// cd745f9f... and a2eab603....
struct SigningCommitment {
  Identifier id = 0;
  Point hiding;
  Point binding;
};

// A signer's secret round-one state: the nonces behind its commitment. Single use: sign() must be
// called at most once per SigningNonces, and the caller destroys them right after (the Scalars wipe).
// Invariant: commitment.hiding == hiding·B and commitment.binding == binding·B.
struct SigningNonces {
  Scalar hiding;
  Scalar binding;
  SigningCommitment commitment;
};

// Round one with fresh randomness.
Result<SigningNonces> commit(Identifier id, const Scalar& signing_share);
// Round one with given nonce randomness (RFC vectors, reproducible tests).
Result<SigningNonces> commit_with_randomness(Identifier id, const Scalar& signing_share,
                                             const std::array<std::uint8_t, 32>& hiding_randomness,
                                             const std::array<std::uint8_t, 32>& binding_randomness);

// What the coordinator sends to the signers in round two: the chosen signers' commitments and the
// message. Invariant after check_signing_package: commitments sorted by identifier, identifiers valid
// and distinct members of the group, at least `threshold` of them.
struct SigningPackage {
  std::vector<SigningCommitment> commitments;
  Bytes message;
};

// Sorts the commitments and checks the invariant above against the group.
Status check_signing_package(SigningPackage& package, const PublicKeyPackage& group);

// The per-signing-session values every party recomputes from the package.
struct SigningContext {
  std::map<Identifier, Scalar> binding_factors;
  Point group_commitment;  // R
  Scalar challenge;        // c
};

// encode(PK) || H4(msg) || H5(encoded commitment list) || encode(id) (RFC 9591 §4.4): exposed for the
// vectors.
Bytes binding_factor_input(const Point& group_public_key, const SigningPackage& package, Identifier id);
Result<SigningContext> signing_context(const SigningPackage& package, const Point& group_public_key);

// Round two: z_i = d_i + e_i·ρ_i + λ_i·s_i·c. Refuses a package that does not contain this signer's
// commitment exactly as in `nonces`.
Result<Scalar> sign(const SigningPackage& package, const SigningNonces& nonces, const KeyPackage& key);

// z_i·B == D_i + ρ_i·E_i + (λ_i·c)·PK_i; a failure names the signer (Errc::signature).
Status verify_signature_share(Identifier id, const Scalar& share, const SigningPackage& package,
                              const SigningContext& context, const PublicKeyPackage& group);

// Verifies every share (naming the first invalid one), sums them and returns R || z, which is then
// checked as a plain Ed25519 signature with libsodium.
Result<Signature> aggregate(const SigningPackage& package, const std::map<Identifier, Scalar>& shares,
                            const PublicKeyPackage& group);

}  // namespace cocoon::frost
