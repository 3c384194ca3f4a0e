#pragma once
// A TUF repository directory that any static web server can serve (consistent snapshots):
//   <repo>/metadata/1.root.json … N.root.json   every root version (the chain clients walk)
//   <repo>/metadata/root.json                   a copy of the newest root
//   <repo>/metadata/<V>.targets.json, <V>.snapshot.json, timestamp.json
//   <repo>/targets/<dir>/<sha256>.<name> and <sha512>.<name>   each target under every hash it lists
//   <repo>/attestations/<sha256>.json            the builder attestations the targets cite, by file hash
//   <repo>/log/<V>.targets.bundle.json          the log bundle of targets version V (when logged)
// Example: publishing targets v3 with "sample-node/sample-node.tar.zst" writes
//   targets/sample-node/9f86….sample-node.tar.zst, metadata/3.targets.json, metadata/<S+1>.snapshot.json
// and finally metadata/timestamp.json — the commit point: until it is replaced, clients see the previous
// release, so a publish that fails half-way leaves a consistent repository.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/key_file.hpp"
#include "release/metadata.hpp"
#include "release/roles.hpp"

namespace cocoon::release {

struct RepositoryPaths {
  std::filesystem::path metadata;
  std::filesystem::path targets;
  std::filesystem::path log;
  std::filesystem::path attestations;
  explicit RepositoryPaths(const std::filesystem::path& repo)
      : metadata(repo / "metadata"),
        targets(repo / "targets"),
        log(repo / "log"),
        attestations(repo / "attestations") {}
};

// What the repository currently publishes; fields are empty before the first root / first targets.
struct RepositoryState {
  std::optional<Root> root;
  std::optional<Envelope> root_envelope;
  std::optional<Targets> targets;
  std::optional<Snapshot> snapshot;
  std::optional<Timestamp> timestamp;
};

// Reads root.json (checked against its own root threshold), timestamp.json and the snapshot and targets
// versions it names (checked against the root's thresholds and the recorded hashes). Missing files
// leave fields empty; anything inconsistent is an error.
Result<RepositoryState> load_repository(const std::filesystem::path& repo);

struct PublishTimes {
  UnixSeconds now = 0;
  std::int64_t snapshot_lifetime = 7 * 86400;
  std::int64_t timestamp_lifetime = 1 * 86400;
};

// Adds a root version. The first root of a repository must meet its own threshold; every later one must
// be the next version, signed by the threshold of the current root and of itself (verify_root_update),
// and not be expired. When targets are already published, snapshot and timestamp are signed again by
// `online_key` (which the new root must authorise) so clients never hold a timestamp signed by a key
// the newest root dropped.
Status publish_root(const std::filesystem::path& repo, const Envelope& root,
                    const crypto::SecretKey* online_key, const PublishTimes& times);

// Publishes a co-signed targets draft: threshold of the current root's targets keys, not expired,
// version above the published one (Errc::rollback otherwise); every target file taken from
// artifacts_dir/<basename of its path>, checked against its length and hashes, and copied under each
// hash (targets already published unchanged, i.e. other products carried forward, are not taken
// again); then the targets, snapshot and timestamp metadata. `log_step`, when set, runs after every check
// passed and before anything is written: it logs the exact targets file text and returns the log bundle,
// stored as log/<V>.targets.bundle.json; its error aborts the publish. `attestations` are files laid
// out as attestations/<sha256 of the file>.json (content-addressed, so writing them early is harmless).
using LogStep = std::function<Result<std::string>(const Root& root, std::string_view targets_text)>;
Status publish_targets(const std::filesystem::path& repo, const Envelope& targets,
                       const std::filesystem::path& artifacts_dir, const crypto::SecretKey& online_key,
                       const PublishTimes& times, const LogStep& log_step,
                       const std::vector<Bytes>& attestations = {});

// The decisions publish_targets makes before touching anything: the root is current, the draft meets
// the targets threshold and has not expired, and its version is above the published one (rollback).
// Under a Cocoon policy also per product (products.hpp): labels consistent within each product, no
// product's version going back (rollback), no release changed under its version (label_mismatch).
Result<Targets> check_targets_publishable(const RepositoryState& state, const Envelope& targets,
                                          UnixSeconds now);

// Re-signs the timestamp (version + 1, expiring times.timestamp_lifetime from now) so the published
// release stays installable; the snapshot is re-signed too (version + 1) when `new_snapshot` is set or
// when it would expire before the new timestamp. Targets are untouched: no maintainer is needed.
// Returns the new timestamp version. Errors: not_found (nothing published yet), signature (the online
// key is not the root's timestamp/snapshot key).
struct RefreshedVersions {
  std::uint64_t timestamp = 0, snapshot = 0;
  bool snapshot_resigned = false;
};
Result<RefreshedVersions> refresh_timestamp(const std::filesystem::path& repo,
                                            const crypto::SecretKey& online_key, const PublishTimes& times,
                                            bool new_snapshot);

// Pure: timestamp version previous_timestamp + 1 naming `snapshot_file` (version snapshot_version),
// expiring times.timestamp_lifetime from times.now, signed by `online_key`.
Result<Envelope> make_timestamp(std::string_view snapshot_file, std::uint64_t snapshot_version,
                                std::uint64_t previous_timestamp, const crypto::SecretKey& online_key,
                                const PublishTimes& times);

// Pure: the snapshot and timestamp that publish `targets_file` (version targets_version) after the
// given previous versions (0 = none yet), signed by `online_key`.
struct OnlineMetadata {
  Envelope snapshot;
  std::string snapshot_text;
  Envelope timestamp;
  std::string timestamp_text;
};
Result<OnlineMetadata> make_online_metadata(std::string_view targets_file, std::uint64_t targets_version,
                                            std::uint64_t previous_snapshot, std::uint64_t previous_timestamp,
                                            const crypto::SecretKey& online_key, const PublishTimes& times);

}  // namespace cocoon::release
