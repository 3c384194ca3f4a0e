#pragma once
// Cocoon's release policy, carried inside root.json as the custom member "x-cocoon-policy" of
// `signed` (docs/tuf-extensions.md explains why the root and not a separate file). TUF clients keep
// and ignore unknown members, and sign/verify over them, so the root's threshold covers the policy and
// every policy change is a root rotation with the old and new thresholds behind it.
//
// Example:
//   "x-cocoon-policy": {
//     "maintainers": {"<keyid>": "alice", "<keyid>": "bob"},
//     "builders": {"threshold": 2, "keys": [<cocoon-public-key/v1 objects>]},
//     "log": {"origin": "example.org/cocoon-releases", "verifier_key":
//     "example.org/cocoon-releases+1234abcd+AQ..."}, "witnesses": {"quorum": 1, "keys":
//     ["witness.example+89abcdef+BA..."]}}
// Invariant after parsing: 1 <= builders.threshold <= distinct builder keys, builder key ids recomputed,
// log origin equals the verifier key's name, log and witness keys have the shape of C2SP note verifier
// keys (fully parsed only where a signature is checked: lib/publish, lib/verify), witness keys distinct,
// witnesses.quorum <= number of witness keys (0 only when the policy names no witnesses).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/result.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::release {

inline constexpr const char* kPolicyMember = "x-cocoon-policy";

struct CocoonPolicy {
  std::map<std::string, std::string> maintainer_names;  // keyid -> name, for people reading status
  std::vector<crypto::PublicKey> builder_keys;
  std::uint64_t builder_threshold = 1;
  std::string log_origin;
  std::string log_verifier_key;  // C2SP note verifier key string
  std::vector<std::string> witness_keys;
  std::uint64_t witness_quorum = 0;
};

Result<CocoonPolicy> parse_policy(const Json& doc);
Json policy_json(const CocoonPolicy& policy);

}  // namespace cocoon::release
