#pragma once
// Building root metadata: v1 from a ceremony's inputs, v(N+1) from vN plus changes. Cocoon roots give
// the root and targets roles the same maintainer keys (with their own thresholds) and the snapshot and
// timestamp roles the online key(s), threshold 1.
// Example: maintainers alice, bob, carol, root threshold 2, targets threshold 2, online key "online",
// policy {builders b1,b2 threshold 2, log ..., witnesses ...} -> root v1, unsigned.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/key_file.hpp"
#include "release/policy.hpp"
#include "release/roles.hpp"

namespace cocoon::release {

struct RootParams {
  std::vector<crypto::PublicKey> maintainers;
  std::uint64_t root_threshold = 1;
  std::uint64_t targets_threshold = 1;
  std::vector<crypto::PublicKey> online_keys;  // snapshot and timestamp
  CocoonPolicy policy;                         // maintainer_names is filled from `maintainers`
  // When set, the group key alone (threshold 1) is the targets role's key; targets_threshold must be 1.
  std::optional<FrostGroupRecord> frost_group;
  std::uint64_t version = 1;
  UnixSeconds expires = 0;
};

// Refuses (Errc::invalid_input) thresholds below 1 or above the number of distinct keys, a key listed
// twice, no online key, a policy that parse_policy would refuse, and a FROST group key that is also a
// maintainer or online key.
Result<Root> make_root(const RootParams& params);

// The parameters `root` was made from (maintainers named from the policy, "keyid-<8 hex>" otherwise;
// a FROST root's targets role is its group key).
Result<RootParams> root_params(const Root& root);

}  // namespace cocoon::release
