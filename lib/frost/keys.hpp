#pragma once
// Key material of a FROST group, however it was generated (trusted dealer or DKG).
#include <cstdint>
#include <map>
#include <vector>

#include "frost/group.hpp"

namespace cocoon::frost {

// Threshold t of max_participants n. Invariant: 2 <= t <= n <= kMaxParticipants.
// Example: {3, 5} — any 3 of participants 1..5 can sign, 2 cannot.
struct GroupParams {
  std::uint32_t threshold = 0;
  std::uint32_t max_participants = 0;
};
Status check_params(const GroupParams& params);

// What everyone (signers, aggregator, verifiers) knows about the group. Invariant: every key of
// verifying_shares is a valid identifier of `params`; verifying_shares[i] = s_i·B for participant i's
// signing share s_i, and any `threshold` of them interpolate to group_public_key.
// Example: a 3-of-5 group has params {3,5}, one Ed25519 public key, and five verifying shares.
struct PublicKeyPackage {
  GroupParams params;
  Point group_public_key;
  std::map<Identifier, Point> verifying_shares;
};

// One participant's secret: its signing share s_i = f(i), plus what it needs to know publicly.
// Invariant: verifying_share == signing_share·B == public_package.verifying_shares.at(id).
struct KeyPackage {
  Identifier id = 0;
  Scalar signing_share;
  PublicKeyPackage public_package;
  const Point& verifying_share() const { return public_package.verifying_shares.at(id); }
};

// Checks the invariant of a key package (used after loading one from disk).
Status check_key_package(const KeyPackage& key);
// Checks that the verifying shares are consistent with the group key: every `threshold`-subset of them
// interpolates (in the exponent) to group_public_key. Only the first subset and each share's inclusion
// are tested, which is enough to catch any single inconsistent share.
Status check_public_package(const PublicKeyPackage& pkg);

}  // namespace cocoon::frost
