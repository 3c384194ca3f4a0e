#pragma once
// Shamir secret sharing with Feldman VSS commitments, and trusted-dealer key generation
// (RFC 9591 Appendix C). Used for the RFC test vectors and for tests; production groups use the DKG.
#include <span>
#include <vector>

#include "frost/keys.hpp"

namespace cocoon::frost {

// The public commitment to a polynomial: [a_0·B, a_1·B, ..., a_{t-1}·B].
// Example: for f(x) = s + a_1·x (t = 2) it is [s·B, a_1·B]; f(i)·B == C_0 + i·C_1.
struct VssCommitment {
  std::vector<Point> coefficients;
};

// f(i)·B computed from the commitment alone: Σ_k i^k·C_k.
Result<Point> vss_evaluate(const VssCommitment& commitment, Identifier id);
// Refuses a share that is not f(id) for the committed polynomial.
Status vss_verify_share(Identifier id, const Scalar& share, const VssCommitment& commitment);

// A secret polynomial f(x) = a_0 + a_1·x + ... + a_{t-1}·x^{t-1}; a_0 is the shared secret.
// Invariant: no coefficient is zero (so every commitment point is a valid element).
struct SecretPolynomial {
  std::vector<Scalar> coefficients;
  static SecretPolynomial random(std::uint32_t threshold);
  Scalar evaluate(Identifier x) const;
  Result<VssCommitment> commit() const;
};

struct DealerOutput {
  std::vector<KeyPackage> key_packages;  // one per participant, identifiers 1..n in order
  PublicKeyPackage public_package;
  VssCommitment commitment;
};

// Shares `secret` with a polynomial whose higher coefficients are `coefficients` (t−1 of them; the RFC
// vectors give them explicitly). Refuses bad parameters and zero values.
Result<DealerOutput> trusted_dealer_keygen(const Scalar& secret, std::span<const Scalar> coefficients,
                                           const GroupParams& params);
// The same with a fresh random secret and polynomial.
Result<DealerOutput> trusted_dealer_keygen(const GroupParams& params);

// Verifying shares and group key of a group whose polynomial is the sum of `commitments` (one per
// dealer; a single entry for the trusted dealer).
Result<PublicKeyPackage> public_package_from_commitments(std::span<const VssCommitment> commitments,
                                                         const GroupParams& params);

}  // namespace cocoon::frost
