#pragma once
// The TUF client's decisions (TUF 1.0 §5.3-5.6), separated from fetching as in python-tuf's ngclient:
// this class only takes bytes, the trusted state and `now`, and says yes or no. The updater
// (updater.hpp) fetches and persists; every attack on the metadata is therefore testable here, without
// a network or a disk.
//
// Invariant: every role held has passed the checks of its update_* call against the roles held before
// it (root -> timestamp -> snapshot -> targets) and the newest root; a role is never held after a
// failed signature, hash or version check. Expiry is the one exception, as in python-tuf: an expired
// timestamp or snapshot is still held (it protects against rollback of the next one) but the call
// reports Errc::expired and the next role cannot be loaded on top of it.
//
// Example: trusted root v1 (root threshold 2); update_root(2.root.json signed by 2 old keys and 2 new
// keys) -> root v2; update_timestamp(ts v7, now) with root v2 expired -> Errc::expired; with a fresh
// root -> timestamp v7 held; update_snapshot(bytes whose sha256 differs from ts v7's record) ->
// Errc::hash_mismatch, snapshot not held.
#include <map>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "release/metadata.hpp"
#include "release/roles.hpp"
#include "verify/delegations.hpp"

namespace cocoon::verify {

// A role as verified: its model and the exact bytes received (what gets persisted).
template <typename Model>
struct VerifiedRole {
  Model model;
  Bytes bytes;
};

// Largest metadata files we read when their length is not yet known (python-tuf's defaults): a bigger
// answer is endless data, refused at this length.
inline constexpr std::uint64_t kMaxRootBytes = 512000;
inline constexpr std::uint64_t kMaxTimestampBytes = 16384;
inline constexpr std::uint64_t kMaxSnapshotBytes = 2000000;
inline constexpr std::uint64_t kMaxTargetsBytes = 5000000;

class TrustedMetadataSet {
 public:
  // The pinned or stored root: it must meet its own root threshold. Its expiry is not checked here
  // (a newer root may follow); update_timestamp checks the final root.
  static Result<TrustedMetadataSet> create(ByteView root_bytes);

  // One step of the root chain: version exactly trusted+1, threshold of the trusted root's root keys
  // and of its own. Errors: invalid_input (malformed, wrong type, version skipped), rollback (version
  // not above), signature. Dropping timestamp/snapshot after a key rotation is the caller's business
  // (timestamp_or_snapshot_keys_changed), since those come from disk after the root loop.
  Status update_root(ByteView bytes);

  // Errors: expired (the final root, or the new timestamp: then it is held, see above), signature,
  // rollback (version below the trusted one, or snapshot version below the trusted timestamp's),
  // invalid_input. An equal version is accepted and replaces nothing (equal_version() tells).
  Status update_timestamp(ByteView bytes, UnixSeconds now);

  // `from_disk` skips the hash check against the timestamp (the stored snapshot was checked when it
  // was fetched; the timestamp may have moved on since). Errors: expired (timestamp or new snapshot),
  // hash_mismatch (length or hashes differ from the timestamp's record), signature, rollback (version
  // differs from the timestamp's record, a targets file version went down or disappeared).
  Status update_snapshot(ByteView bytes, UnixSeconds now, bool from_disk = false);

  // Errors: expired, hash_mismatch (snapshot's record), signature, rollback (version differs from the
  // snapshot's record: mix-and-match of releases), invalid_input.
  Status update_targets(ByteView bytes, UnixSeconds now);

  // A delegated targets role (plain-TUF mode): `delegator` ("targets" or a delegated role already
  // loaded) must delegate `role`; the snapshot must list "<role>.json". Same checks as update_targets,
  // with the delegation's keys and threshold.
  Status update_delegated_targets(ByteView bytes, const std::string& role, const std::string& delegator,
                                  UnixSeconds now);

  const VerifiedRole<release::Root>& root() const { return root_; }
  const std::optional<VerifiedRole<release::Timestamp>>& timestamp() const { return timestamp_; }
  const std::optional<VerifiedRole<release::Snapshot>>& snapshot() const { return snapshot_; }
  const std::optional<VerifiedRole<release::Targets>>& targets() const { return targets_; }
  // A delegated role loaded by update_delegated_targets, or nullptr.
  const VerifiedRole<release::Targets>* delegated(const std::string& role) const;
  // The delegations of "targets" or of a loaded delegated role, or nullptr when it delegates nothing.
  const Delegations* delegations_of(const std::string& role) const;
  // True when the last update_timestamp received the version already held.
  bool equal_version() const { return timestamp_equal_; }

 private:
  explicit TrustedMetadataSet(VerifiedRole<release::Root> root) : root_(std::move(root)) {}
  Status check_final_timestamp(UnixSeconds now) const;
  Status check_final_snapshot(UnixSeconds now) const;

  VerifiedRole<release::Root> root_;
  std::optional<VerifiedRole<release::Timestamp>> timestamp_;
  std::optional<VerifiedRole<release::Snapshot>> snapshot_;
  std::optional<VerifiedRole<release::Targets>> targets_;
  std::map<std::string, VerifiedRole<release::Targets>> delegated_;
  std::map<std::string, Delegations> delegations_;  // by delegating role name
  bool timestamp_equal_ = false;
};

// True when `after` authorises other keys or another threshold for timestamp or snapshot than
// `before`: the stored timestamp and snapshot must then be dropped (TUF §5.3.11), which is also what
// recovers a client from a fast-forward attack after the online key is rotated.
bool timestamp_or_snapshot_keys_changed(const release::Root& before, const release::Root& after);

// A target file's bytes against its targets entry: length first, then every listed hash.
// Errc::hash_mismatch names the target.
Status check_target_file(const std::string& path, const release::TargetFile& info, ByteView bytes);

}  // namespace cocoon::verify
