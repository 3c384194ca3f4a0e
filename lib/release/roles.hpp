#pragma once
// Models of the four top-level TUF roles. parse_* validate a `signed` object; *_json write one. The
// models keep no raw JSON: verification always uses the Envelope's `signed` as read (metadata.hpp), and
// parse_* refuse nothing merely for being unknown, so foreign members survive a round trip through the
// envelope but not through the model.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/result.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/tuf_key.hpp"
#include "release/frost_record.hpp"
#include "release/metadata.hpp"
#include "release/policy.hpp"

namespace cocoon::release {

// A role's key ids and threshold. Invariant after parsing: threshold >= 1, keyids distinct, each keyid
// present in Root::keys. Example: {"keyids":["4e77..","9a1f.."],"threshold":2}.
struct RoleKeys {
  std::vector<std::string> keyids;
  std::uint64_t threshold = 1;
};

// Invariant after parse_root: every key id is the SHA-256 of its canonical key object as given, unknown
// members included (recomputed, a mismatch refused); all four top-level roles present; consistent_snapshot
// is true. Keys may be of any type crypto::TufKey reads; one it cannot use stays in `keys` and simply
// verifies nothing. A Cocoon root (one with "x-cocoon-policy") holds only Ed25519 keys: that is Cocoon's
// policy for maintainers and online keys, checked by parse_root with its own message.
// Two key ids may still name the same key material: the threshold check counts such a key once.
// Example: keys {"4e77..": ed25519 3d40..}, roles {"root": {["4e77.."], 1}, ...}, policy from
// "x-cocoon-policy".
struct Root {
  CommonFields common{kRoleRoot, kSpecVersion, 1, 0};
  bool consistent_snapshot = true;
  std::map<std::string, crypto::TufKey> keys;
  std::map<std::string, RoleKeys> roles;
  std::optional<CocoonPolicy> policy;
  std::optional<FrostGroupRecord> frost;  // "x-cocoon-frost"; its key is one of the targets role's keys

  // The role's entry; roles are guaranteed present after parsing.
  const RoleKeys& role(const std::string& name) const { return roles.at(name); }
};

Result<Root> parse_root(const Json& signed_part);
// Writes each key object as it was read, so key ids survive the round trip.
Json root_json(const Root& root);
// The root's usable Ed25519 keys by key id (what Cocoon's FROST and maintainer code works with).
std::map<std::string, crypto::Ed25519PublicKey> ed25519_keys(const Root& root);

// One target. Invariant: path is a relative ASCII path without "." or ".." components; hashes non-empty,
// names lower-case ("sha256", "sha512"), values lower-case hex of that algorithm's length.
// Example: "sample-node/sample-node.tar.zst" -> {length 1234, {"sha256": "9f86..", "sha512": "ee26.."},
// custom {"cocoon": {...}}}.
struct TargetFile {
  std::uint64_t length = 0;
  std::map<std::string, std::string> hashes;
  std::optional<Json> custom;
};

// Delegations are refused (Errc::unsupported): Cocoon uses the top-level targets role only.
struct Targets {
  CommonFields common{kRoleTargets, kSpecVersion, 1, 0};
  std::map<std::string, TargetFile> targets;
  std::optional<Json> release;  // the "x-cocoon-release" member (docs/tuf-extensions.md)
};

Result<Targets> parse_targets(const Json& signed_part);
Json targets_json(const Targets& targets);
// Target paths we accept and publish: ASCII letters, digits, "._-+" and '/' between non-empty
// components, none of which is "." or "..". (Non-ASCII paths sort differently in JavaScript and Python.)
bool valid_target_path(std::string_view path);

// A versioned file listed in snapshot ("targets.json") or timestamp ("snapshot.json"). Length and
// hashes are optional in TUF; we always write them for snapshot.json inside the timestamp.
struct MetaFile {
  std::uint64_t version = 1;
  std::optional<std::uint64_t> length;
  std::map<std::string, std::string> hashes;
};

struct Snapshot {
  CommonFields common{kRoleSnapshot, kSpecVersion, 1, 0};
  std::map<std::string, MetaFile> meta;  // must hold "targets.json"
};

struct Timestamp {
  CommonFields common{kRoleTimestamp, kSpecVersion, 1, 0};
  MetaFile snapshot;  // meta["snapshot.json"]
};

Result<Snapshot> parse_snapshot(const Json& signed_part);
Json snapshot_json(const Snapshot& snapshot);
Result<Timestamp> parse_timestamp(const Json& signed_part);
Json timestamp_json(const Timestamp& timestamp);

// The hashes of `bytes` in TUF's form, {"sha256": hex, "sha512": hex}.
std::map<std::string, std::string> tuf_hashes(ByteView bytes);
// Checks length and every listed hash we know; a hash name we do not know is an error (we would not be
// checking what the metadata claims). Errc::hash_mismatch on a difference.
Status check_length_and_hashes(ByteView bytes, std::optional<std::uint64_t> length,
                               const std::map<std::string, std::string>& hashes, std::string_view what);

}  // namespace cocoon::release
