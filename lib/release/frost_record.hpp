#pragma once
// The "x-cocoon-frost" member of a root's `signed` part (docs/tuf-extensions.md): the targets role's
// key is a FROST group key — an ordinary Ed25519 key to every TUF client, threshold 1 — and this member
// tells Cocoon's tools that behind it stand t of n participants, who they are and their verifying
// shares. TUF clients keep the member unread and sign/verify over it, so the root's threshold covers it.
//
// Example:
//   "x-cocoon-frost": {
//     "<group keyid>": {
//       "ciphersuite": "FROST(Ed25519, SHA-512)", "threshold": 3, "max_participants": 5,
//       "participants": [{"id": 1, "name": "alice", "verifying_share": "<64 hex>"}, ...]}}
// Invariant after parsing: exactly one group; its key id names an Ed25519 key of the root's "keys";
// 2 <= threshold <= max_participants; participant ids distinct, in 1..max_participants, sorted; names
// distinct and non-empty; at least `threshold` participants; every verifying share a valid group
// element, and the shares interpolate (in the exponent) to the group key.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/result.hpp"
#include "crypto/ed25519.hpp"
#include "frost/keys.hpp"

namespace cocoon::release {

inline constexpr const char* kFrostMember = "x-cocoon-frost";

struct FrostParticipant {
  std::uint32_t id = 0;
  std::string name;
  crypto::Ed25519PublicKey verifying_share{};
};

struct FrostGroupRecord {
  std::string keyid;  // TUF key id of group_key
  crypto::Ed25519PublicKey group_key{};
  std::uint32_t threshold = 0;
  std::uint32_t max_participants = 0;
  std::vector<FrostParticipant> participants;  // sorted by id

  // "3 of 5".
  std::string t_of_n() const;
  // The participant's name, or "participant <id>" for an id not in the record.
  std::string name_of(std::uint32_t id) const;
};

// Reads the member against the root's keys. Errc::invalid_input for a malformed member, a key id not in
// `keys` or verifying shares inconsistent with the group key; Errc::unsupported for more than one group.
Result<FrostGroupRecord> parse_frost_record(const Json& member,
                                            const std::map<std::string, crypto::Ed25519PublicKey>& keys);
Json frost_record_json(const FrostGroupRecord& record);

// The record for a group (a verified frost::PublicKeyPackage); `names` maps participant ids to names,
// "participant-<id>" where absent. Errc::invalid_input for a name given to an id outside the group, or
// names that are empty or repeated.
Result<FrostGroupRecord> frost_record_from_group(const frost::PublicKeyPackage& group,
                                                 const std::map<std::uint32_t, std::string>& names);

// The group's public package (to verify signature shares against the root alone).
Result<frost::PublicKeyPackage> frost_public_package(const FrostGroupRecord& record);

}  // namespace cocoon::release
