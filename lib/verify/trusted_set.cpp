#include "verify/trusted_set.hpp"

#include <set>

#include "release/threshold.hpp"

namespace cocoon::verify {

namespace {

using release::Envelope;

Result<Envelope> parse_role_bytes(ByteView bytes, const std::string& what) {
  return release::parse_envelope_text(to_string(bytes), what);
}

std::string versioned(const std::string& role, std::uint64_t version) {
  return role + " version " + std::to_string(version);
}

}  // namespace

Result<TrustedMetadataSet> TrustedMetadataSet::create(ByteView root_bytes) {
  COCOON_ASSIGN(Envelope env, parse_role_bytes(root_bytes, "trusted root"));
  COCOON_ASSIGN(release::Root root, release::verify_root_self_signed(env));
  return TrustedMetadataSet(
      VerifiedRole<release::Root>{std::move(root), Bytes(root_bytes.begin(), root_bytes.end())});
}

Status TrustedMetadataSet::update_root(ByteView bytes) {
  if (timestamp_) return make_error(Errc::internal, "root updated after the timestamp was loaded");
  COCOON_ASSIGN(Envelope env, parse_role_bytes(bytes, "root"));
  COCOON_ASSIGN(release::Root next, release::verify_root_update(root_.model, env));
  root_ = VerifiedRole<release::Root>{std::move(next), Bytes(bytes.begin(), bytes.end())};
  return Ok{};
}

Status TrustedMetadataSet::update_timestamp(ByteView bytes, UnixSeconds now) {
  if (snapshot_) return make_error(Errc::internal, "timestamp updated after the snapshot was loaded");
  // The final root: intermediate roots may have expired, the one we end the chain with may not.
  COCOON_TRY(release::check_not_expired(root_.model.common, now, "root"));
  COCOON_ASSIGN(Envelope env, parse_role_bytes(bytes, "timestamp"));
  COCOON_ASSIGN(release::Timestamp ts, release::parse_timestamp(env.signed_part));
  COCOON_TRY(release::check_threshold(root_.model, release::kRoleTimestamp, env,
                                      versioned("timestamp", ts.common.version)));
  timestamp_equal_ = false;
  if (timestamp_) {
    const release::Timestamp& old = timestamp_->model;
    COCOON_TRY(release::check_no_rollback(old.common.version, ts.common.version, "timestamp"));
    if (ts.common.version == old.common.version) {
      // Nothing new: keep the held copy (its bytes are what was persisted), still check freshness.
      timestamp_equal_ = true;
      return check_final_timestamp(now);
    }
    if (ts.snapshot.version < old.snapshot.version) {
      return make_error(Errc::rollback, "timestamp version " + std::to_string(ts.common.version) +
                                            " lists snapshot version " + std::to_string(ts.snapshot.version) +
                                            ", older than the trusted snapshot version " +
                                            std::to_string(old.snapshot.version));
    }
  }
  // Held even if expired: its versions still guard against a rollback of the next timestamp.
  timestamp_ = VerifiedRole<release::Timestamp>{std::move(ts), Bytes(bytes.begin(), bytes.end())};
  return check_final_timestamp(now);
}

Status TrustedMetadataSet::check_final_timestamp(UnixSeconds now) const {
  return release::check_not_expired(timestamp_->model.common, now, "timestamp");
}

Status TrustedMetadataSet::update_snapshot(ByteView bytes, UnixSeconds now, bool from_disk) {
  if (!timestamp_) return make_error(Errc::internal, "snapshot updated before the timestamp");
  if (targets_) return make_error(Errc::internal, "snapshot updated after the targets were loaded");
  COCOON_TRY(check_final_timestamp(now));
  const release::MetaFile& record = timestamp_->model.snapshot;
  if (!from_disk) {
    COCOON_TRY(release::check_length_and_hashes(bytes, record.length, record.hashes, "snapshot"));
  }
  COCOON_ASSIGN(Envelope env, parse_role_bytes(bytes, "snapshot"));
  COCOON_ASSIGN(release::Snapshot snap, release::parse_snapshot(env.signed_part));
  COCOON_TRY(release::check_threshold(root_.model, release::kRoleSnapshot, env,
                                      versioned("snapshot", snap.common.version)));
  if (snapshot_) {
    // No targets metadata file may go back in version or vanish (TUF §5.5.5).
    for (const auto& [name, old_meta] : snapshot_->model.meta) {
      auto it = snap.meta.find(name);
      if (it == snap.meta.end()) {
        return make_error(Errc::rollback, "snapshot version " + std::to_string(snap.common.version) +
                                              " drops " + name + ", listed by the trusted snapshot");
      }
      if (it->second.version < old_meta.version) {
        return make_error(Errc::rollback,
                          "snapshot version " + std::to_string(snap.common.version) + " lists " + name +
                              " version " + std::to_string(it->second.version) +
                              ", older than the trusted version " + std::to_string(old_meta.version));
      }
    }
  }
  snapshot_ = VerifiedRole<release::Snapshot>{std::move(snap), Bytes(bytes.begin(), bytes.end())};
  return check_final_snapshot(now);
}

Status TrustedMetadataSet::check_final_snapshot(UnixSeconds now) const {
  const release::Snapshot& snap = snapshot_->model;
  COCOON_TRY(release::check_not_expired(snap.common, now, "snapshot"));
  std::uint64_t expected = timestamp_->model.snapshot.version;
  if (snap.common.version != expected) {
    return make_error(Errc::rollback, "snapshot version " + std::to_string(snap.common.version) +
                                          " is not the version " + std::to_string(expected) +
                                          " the timestamp names");
  }
  return Ok{};
}

Status TrustedMetadataSet::update_targets(ByteView bytes, UnixSeconds now) {
  if (!snapshot_) return make_error(Errc::internal, "targets updated before the snapshot");
  COCOON_TRY(check_final_snapshot(now));
  auto record = snapshot_->model.meta.find("targets.json");
  if (record == snapshot_->model.meta.end()) {
    return make_error(Errc::invalid_input, "the snapshot does not list targets.json");
  }
  COCOON_TRY(
      release::check_length_and_hashes(bytes, record->second.length, record->second.hashes, "targets"));
  COCOON_ASSIGN(Envelope env, parse_role_bytes(bytes, "targets"));
  COCOON_ASSIGN(release::Targets targets, parse_targets_allowing_delegations(env.signed_part));
  COCOON_TRY(release::check_threshold(root_.model, release::kRoleTargets, env,
                                      versioned("targets", targets.common.version)));
  COCOON_ASSIGN(std::optional<Delegations> delegations, parse_delegations(env.signed_part));
  if (targets.common.version != record->second.version) {
    return make_error(Errc::rollback, "targets version " + std::to_string(targets.common.version) +
                                          " is not the version " + std::to_string(record->second.version) +
                                          " the snapshot names (mix-and-match)");
  }
  COCOON_TRY(release::check_not_expired(targets.common, now, "targets"));
  targets_ = VerifiedRole<release::Targets>{std::move(targets), Bytes(bytes.begin(), bytes.end())};
  if (delegations) delegations_[release::kRoleTargets] = std::move(*delegations);
  return Ok{};
}

Status TrustedMetadataSet::update_delegated_targets(ByteView bytes, const std::string& role,
                                                    const std::string& delegator, UnixSeconds now) {
  if (!snapshot_) return make_error(Errc::internal, "delegated targets updated before the snapshot");
  COCOON_TRY(check_final_snapshot(now));
  const Delegations* parent = delegations_of(delegator);
  const DelegatedRole* delegation = nullptr;
  if (parent) {
    for (const auto& r : parent->roles) {
      if (r.name == role) delegation = &r;
    }
  }
  if (!delegation) return make_error(Errc::invalid_input, delegator + " does not delegate to " + role);
  auto record = snapshot_->model.meta.find(role + ".json");
  if (record == snapshot_->model.meta.end()) {
    return make_error(Errc::invalid_input, "the snapshot does not list " + role + ".json");
  }
  COCOON_TRY(release::check_length_and_hashes(bytes, record->second.length, record->second.hashes, role));
  COCOON_ASSIGN(Envelope env, parse_role_bytes(bytes, role));
  COCOON_ASSIGN(release::CommonFields common, release::parse_common(env.signed_part, release::kRoleTargets));
  COCOON_ASSIGN(release::Targets targets, parse_targets_allowing_delegations(env.signed_part));
  COCOON_TRY(release::check_threshold(delegation_key_set(*parent, *delegation), role, env,
                                      versioned(role, common.version)));
  COCOON_ASSIGN(std::optional<Delegations> delegations, parse_delegations(env.signed_part));
  if (targets.common.version != record->second.version) {
    return make_error(Errc::rollback, role + " version " + std::to_string(targets.common.version) +
                                          " is not the version " + std::to_string(record->second.version) +
                                          " the snapshot names (mix-and-match)");
  }
  COCOON_TRY(release::check_not_expired(targets.common, now, role));
  delegated_[role] = VerifiedRole<release::Targets>{std::move(targets), Bytes(bytes.begin(), bytes.end())};
  if (delegations) delegations_[role] = std::move(*delegations);
  return Ok{};
}

const VerifiedRole<release::Targets>* TrustedMetadataSet::delegated(const std::string& role) const {
  auto it = delegated_.find(role);
  return it == delegated_.end() ? nullptr : &it->second;
}

const Delegations* TrustedMetadataSet::delegations_of(const std::string& role) const {
  auto it = delegations_.find(role);
  return it == delegations_.end() ? nullptr : &it->second;
}

bool timestamp_or_snapshot_keys_changed(const release::Root& before, const release::Root& after) {
  for (const char* role : {release::kRoleTimestamp, release::kRoleSnapshot}) {
    const release::RoleKeys& a = before.role(role);
    const release::RoleKeys& b = after.role(role);
    if (a.threshold != b.threshold) return true;
    std::set<crypto::TufKey> keys_a, keys_b;  // by key material, whatever the key ids
    for (const auto& id : a.keyids) keys_a.insert(before.keys.at(id));
    for (const auto& id : b.keyids) keys_b.insert(after.keys.at(id));
    if (keys_a != keys_b) return true;
  }
  return false;
}

Status check_target_file(const std::string& path, const release::TargetFile& info, ByteView bytes) {
  if (info.hashes.empty()) return make_error(Errc::invalid_input, "target " + path + " lists no hashes");
  return release::check_length_and_hashes(bytes, info.length, info.hashes, "target " + path);
}

}  // namespace cocoon::verify
