#include "release/repository.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <map>

#include "core/bytes.hpp"
#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "release/draft.hpp"
#include "release/products.hpp"
#include "release/threshold.hpp"

namespace cocoon::release {

namespace {

constexpr std::uint64_t kMaxMetadataSize = 16u << 20;

bool path_exists(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::exists(p, ec);
}

Result<std::string> read_metadata(const std::filesystem::path& p) {
  return read_text_file(p, kMaxMetadataSize);
}

Result<Envelope> read_envelope(const std::filesystem::path& p, std::string& text) {
  COCOON_ASSIGN(text, read_metadata(p));
  return parse_envelope_text(text, p.filename().string());
}

Status make_dirs(const std::filesystem::path& p) {
  std::error_code ec;
  std::filesystem::create_directories(p, ec);
  if (ec) return make_error(Errc::io, "cannot create " + p.string() + ": " + ec.message());
  return Ok{};
}

// Copies src to dst through a temporary file in dst's directory, fsynced before the rename, so dst is
// either absent/old or complete.
Status copy_file_atomic(const std::filesystem::path& src, const std::filesystem::path& dst) {
  std::filesystem::path tmp = dst;
  tmp += ".tmp-publish";
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  if (!std::filesystem::copy_file(src, tmp, std::filesystem::copy_options::overwrite_existing, ec)) {
    return make_error(Errc::io, "cannot copy " + src.string() + " to " + tmp.string() + ": " + ec.message());
  }
  int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    std::filesystem::remove(tmp, ec);
    return make_error(Errc::io, "cannot fsync " + tmp.string());
  }
  ::close(fd);
  std::filesystem::rename(tmp, dst, ec);
  if (ec) return make_error(Errc::io, "cannot rename " + tmp.string() + ": " + ec.message());
  return fsync_dir(dst.parent_path());
}

Status check_online_key(const Root& root, const OnlineMetadata& online) {
  COCOON_TRY(
      check_threshold(root, kRoleSnapshot, online.snapshot, "new snapshot (is the online key in the root?)"));
  COCOON_TRY(check_threshold(root, kRoleTimestamp, online.timestamp,
                             "new timestamp (is the online key in the root?)"));
  return Ok{};
}

Status write_online(const RepositoryPaths& paths, const OnlineMetadata& online,
                    std::uint64_t snapshot_version) {
  COCOON_TRY(write_file_atomic(paths.metadata / (std::to_string(snapshot_version) + ".snapshot.json"),
                               online.snapshot_text));
  // The commit point of a publish.
  return write_file_atomic(paths.metadata / "timestamp.json", online.timestamp_text);
}

}  // namespace

Result<RepositoryState> load_repository(const std::filesystem::path& repo) {
  RepositoryPaths paths(repo);
  RepositoryState state;
  std::string text;
  if (!path_exists(paths.metadata / "root.json")) return state;
  COCOON_ASSIGN(Envelope root_env, read_envelope(paths.metadata / "root.json", text));
  COCOON_ASSIGN(Root root, verify_root_self_signed(root_env));
  state.root = root;
  state.root_envelope = root_env;
  if (!path_exists(paths.metadata / "timestamp.json")) return state;

  COCOON_ASSIGN(Envelope ts_env, read_envelope(paths.metadata / "timestamp.json", text));
  COCOON_ASSIGN(Timestamp ts, parse_timestamp(ts_env.signed_part));
  COCOON_TRY(check_threshold(root, kRoleTimestamp, ts_env, "published timestamp"));

  std::string snapshot_name = std::to_string(ts.snapshot.version) + ".snapshot.json";
  COCOON_ASSIGN(Envelope snap_env, read_envelope(paths.metadata / snapshot_name, text));
  COCOON_TRY(check_length_and_hashes(as_bytes(text), ts.snapshot.length, ts.snapshot.hashes, snapshot_name));
  COCOON_ASSIGN(Snapshot snap, parse_snapshot(snap_env.signed_part));
  COCOON_TRY(check_threshold(root, kRoleSnapshot, snap_env, "published snapshot"));

  const MetaFile& tmeta = snap.meta.at("targets.json");
  std::string targets_name = std::to_string(tmeta.version) + ".targets.json";
  COCOON_ASSIGN(Envelope targets_env, read_envelope(paths.metadata / targets_name, text));
  COCOON_TRY(check_length_and_hashes(as_bytes(text), tmeta.length, tmeta.hashes, targets_name));
  COCOON_ASSIGN(Targets targets, parse_targets(targets_env.signed_part));
  COCOON_TRY(check_threshold(root, kRoleTargets, targets_env, "published targets"));
  if (targets.common.version != tmeta.version) {
    return make_error(Errc::invalid_input,
                      targets_name + " holds version " + std::to_string(targets.common.version));
  }
  state.timestamp = ts;
  state.snapshot = snap;
  state.targets = targets;
  return state;
}

Result<Envelope> make_timestamp(std::string_view snapshot_file, std::uint64_t snapshot_version,
                                std::uint64_t previous_timestamp, const crypto::SecretKey& online_key,
                                const PublishTimes& times) {
  Timestamp ts;
  ts.common = CommonFields{kRoleTimestamp, kSpecVersion, previous_timestamp + 1,
                           times.now + times.timestamp_lifetime};
  ts.snapshot.version = snapshot_version;
  ts.snapshot.length = snapshot_file.size();
  ts.snapshot.hashes = tuf_hashes(as_bytes(snapshot_file));
  Envelope env;
  env.signed_part = timestamp_json(ts);
  COCOON_TRY(add_signature(env, online_key));
  return env;
}

Result<OnlineMetadata> make_online_metadata(std::string_view targets_file, std::uint64_t targets_version,
                                            std::uint64_t previous_snapshot, std::uint64_t previous_timestamp,
                                            const crypto::SecretKey& online_key, const PublishTimes& times) {
  OnlineMetadata out;
  Snapshot snap;
  snap.common =
      CommonFields{kRoleSnapshot, kSpecVersion, previous_snapshot + 1, times.now + times.snapshot_lifetime};
  MetaFile targets_meta;
  targets_meta.version = targets_version;
  targets_meta.length = targets_file.size();
  targets_meta.hashes = tuf_hashes(as_bytes(targets_file));
  snap.meta["targets.json"] = targets_meta;
  out.snapshot.signed_part = snapshot_json(snap);
  COCOON_TRY(add_signature(out.snapshot, online_key));
  out.snapshot_text = envelope_text(out.snapshot);

  COCOON_ASSIGN(out.timestamp, make_timestamp(out.snapshot_text, snap.common.version, previous_timestamp,
                                              online_key, times));
  out.timestamp_text = envelope_text(out.timestamp);
  return out;
}

Status publish_root(const std::filesystem::path& repo, const Envelope& root_env,
                    const crypto::SecretKey* online_key, const PublishTimes& times) {
  RepositoryPaths paths(repo);
  COCOON_ASSIGN(RepositoryState state, load_repository(repo));
  Root root;
  if (state.root) {
    COCOON_ASSIGN(root, verify_root_update(*state.root, root_env));
  } else {
    COCOON_ASSIGN(root, verify_root_self_signed(root_env));
  }
  COCOON_TRY(check_not_expired(root.common, times.now, "root"));

  std::optional<OnlineMetadata> online;
  std::string targets_text;
  if (state.targets) {
    if (!online_key) {
      return make_error(Errc::invalid_input,
                        "publish: the repository has targets; the online key is needed to re-sign "
                        "snapshot and timestamp under the new root");
    }
    std::string targets_name = std::to_string(state.targets->common.version) + ".targets.json";
    COCOON_ASSIGN(targets_text, read_metadata(paths.metadata / targets_name));
    // Clients check the published targets against the newest root: a rotation that drops signers of
    // the current release would leave clients unable to update, so it waits for a re-signed release.
    COCOON_ASSIGN(Envelope targets_env, parse_envelope_text(targets_text, targets_name));
    auto still_signed =
        check_threshold(root, kRoleTargets, targets_env, "published " + targets_name + " under the new root");
    if (!still_signed.ok()) {
      return make_error(
          Errc::signature,
          still_signed.error().message + "; first publish a release signed by enough keys of the new root");
    }
    COCOON_ASSIGN(
        OnlineMetadata m,
        make_online_metadata(targets_text, state.targets->common.version, state.snapshot->common.version,
                             state.timestamp->common.version, *online_key, times));
    COCOON_TRY(check_online_key(root, m));
    online = std::move(m);
  }

  COCOON_TRY(make_dirs(paths.metadata));
  std::string text = envelope_text(root_env);
  COCOON_TRY(write_file_atomic(paths.metadata / (std::to_string(root.common.version) + ".root.json"), text));
  COCOON_TRY(write_file_atomic(paths.metadata / "root.json", text));
  if (online) COCOON_TRY(write_online(paths, *online, state.snapshot->common.version + 1));
  return Ok{};
}

Result<Targets> check_targets_publishable(const RepositoryState& state, const Envelope& targets_env,
                                          UnixSeconds now) {
  if (!state.root)
    return make_error(Errc::not_found, "publish: the repository has no root yet (publish the root first)");
  COCOON_TRY(check_not_expired(state.root->common, now, "root"));
  COCOON_ASSIGN(Targets targets, verify_targets(*state.root, targets_env, now));
  if (state.targets && targets.common.version <= state.targets->common.version) {
    return make_error(Errc::rollback, "publish: targets version " + std::to_string(targets.common.version) +
                                          " is not above the published version " +
                                          std::to_string(state.targets->common.version));
  }
  if (state.root->policy) {
    // Per product: one release each, labels consistent, no version going back, no release rewritten.
    COCOON_TRY(products_of(targets));
    if (state.targets) COCOON_TRY(product_changes(*state.targets, targets));
  }
  return targets;
}

Status publish_targets(const std::filesystem::path& repo, const Envelope& targets_env,
                       const std::filesystem::path& artifacts_dir, const crypto::SecretKey& online_key,
                       const PublishTimes& times, const LogStep& log_step,
                       const std::vector<Bytes>& attestations) {
  RepositoryPaths paths(repo);
  COCOON_ASSIGN(RepositoryState state, load_repository(repo));
  COCOON_ASSIGN(Targets targets, check_targets_publishable(state, targets_env, times.now));
  const Root& root = *state.root;

  // A target published before, unchanged (another product carried forward), is already in the
  // repository under every hash; only new targets come from artifacts_dir.
  auto already_published = [&](const std::string& path, const TargetFile& file) {
    if (!state.targets) return false;
    auto it = state.targets->targets.find(path);
    if (it == state.targets->targets.end() || it->second.length != file.length ||
        it->second.hashes != file.hashes)
      return false;
    std::filesystem::path target_path(path);
    for (const auto& [alg, hex] : file.hashes) {
      std::error_code ec;
      auto p = paths.targets / target_path.parent_path() / (hex + "." + target_path.filename().string());
      if (std::filesystem::file_size(p, ec) != file.length || ec) return false;
    }
    return true;
  };
  std::map<std::string, TargetFile> fresh;
  for (const auto& [path, file] : targets.targets)
    if (!already_published(path, file)) fresh.emplace(path, file);

  // Check every file before anything is written.
  for (const auto& [path, file] : fresh) {
    std::filesystem::path target_path(path);
    std::filesystem::path src = artifacts_dir / target_path.filename();
    if (!path_exists(src))
      return make_error(Errc::not_found, "publish: artifact file " + src.string() + " does not exist");
    COCOON_ASSIGN(crypto::FileDigests d, crypto::digest_file_sha256_sha512(src));
    if (d.size != file.length) {
      return make_error(Errc::hash_mismatch, "publish: " + src.string() + " is " + std::to_string(d.size) +
                                                 " bytes, the targets metadata says " +
                                                 std::to_string(file.length));
    }
    for (const auto& [alg, hex] : file.hashes) {
      const Bytes* actual = alg == "sha256" ? &d.sha256 : alg == "sha512" ? &d.sha512 : nullptr;
      if (!actual)
        return make_error(Errc::unsupported, "publish: target " + path + " lists unsupported hash " + alg);
      if (hex_encode(*actual) != hex) {
        return make_error(Errc::hash_mismatch,
                          "publish: " + src.string() + " does not match the " + alg + " of target " + path);
      }
    }
  }

  std::string targets_text = envelope_text(targets_env);
  std::uint64_t prev_snapshot = state.snapshot ? state.snapshot->common.version : 0;
  std::uint64_t prev_timestamp = state.timestamp ? state.timestamp->common.version : 0;
  COCOON_ASSIGN(OnlineMetadata online,
                make_online_metadata(targets_text, targets.common.version, prev_snapshot, prev_timestamp,
                                     online_key, times));
  COCOON_TRY(check_online_key(root, online));

  std::optional<std::string> log_bundle;
  if (log_step) {
    COCOON_ASSIGN(std::string bundle, log_step(root, targets_text));
    log_bundle = std::move(bundle);
  }
  if (!attestations.empty()) COCOON_TRY(make_dirs(paths.attestations));
  for (const Bytes& file : attestations) {
    COCOON_TRY(write_file_atomic(paths.attestations / (crypto::sha256_hex(file) + ".json"), file));
  }
  for (const auto& [path, file] : fresh) {
    std::filesystem::path target_path(path);
    std::filesystem::path dir = paths.targets / target_path.parent_path();
    COCOON_TRY(make_dirs(dir));
    std::filesystem::path src = artifacts_dir / target_path.filename();
    for (const auto& [alg, hex] : file.hashes) {
      std::filesystem::path dst = dir / (hex + "." + target_path.filename().string());
      COCOON_TRY(copy_file_atomic(src, dst));
      // The copy is what clients download: check it, not only the source.
      COCOON_ASSIGN(crypto::FileDigests d, crypto::digest_file_sha256_sha512(dst));
      if (d.size != file.length || hex_encode(alg == "sha256" ? d.sha256 : d.sha512) != hex) {
        return make_error(Errc::hash_mismatch,
                          "publish: " + src.string() + " changed while it was being copied");
      }
    }
  }
  if (log_bundle) {
    COCOON_TRY(make_dirs(paths.log));
    COCOON_TRY(write_file_atomic(
        paths.log / (std::to_string(targets.common.version) + ".targets.bundle.json"), *log_bundle));
  }
  COCOON_TRY(make_dirs(paths.metadata));
  COCOON_TRY(write_file_atomic(paths.metadata / (std::to_string(targets.common.version) + ".targets.json"),
                               targets_text));
  return write_online(paths, online, prev_snapshot + 1);
}

Result<RefreshedVersions> refresh_timestamp(const std::filesystem::path& repo,
                                            const crypto::SecretKey& online_key, const PublishTimes& times,
                                            bool new_snapshot) {
  RepositoryPaths paths(repo);
  COCOON_ASSIGN(RepositoryState state, load_repository(repo));
  if (!state.root || !state.timestamp)
    return make_error(Errc::not_found, "timestamp: " + repo.string() + " has no published release yet");
  COCOON_TRY(check_not_expired(state.root->common, times.now, "root"));
  RefreshedVersions out;
  UnixSeconds ts_expires = times.now + times.timestamp_lifetime;
  bool resign_snapshot = new_snapshot || state.snapshot->common.expires < ts_expires;
  if (resign_snapshot) {
    std::uint64_t tv = state.targets->common.version;
    COCOON_ASSIGN(std::string targets_text,
                  read_metadata(paths.metadata / (std::to_string(tv) + ".targets.json")));
    COCOON_ASSIGN(OnlineMetadata m, make_online_metadata(targets_text, tv, state.snapshot->common.version,
                                                         state.timestamp->common.version, online_key, times));
    COCOON_TRY(check_online_key(*state.root, m));
    COCOON_TRY(write_online(paths, m, state.snapshot->common.version + 1));
    out.snapshot = state.snapshot->common.version + 1;
    out.timestamp = state.timestamp->common.version + 1;
    out.snapshot_resigned = true;
    return out;
  }
  std::uint64_t sv = state.snapshot->common.version;
  COCOON_ASSIGN(std::string snapshot_text,
                read_metadata(paths.metadata / (std::to_string(sv) + ".snapshot.json")));
  COCOON_ASSIGN(Envelope env,
                make_timestamp(snapshot_text, sv, state.timestamp->common.version, online_key, times));
  COCOON_TRY(
      check_threshold(*state.root, kRoleTimestamp, env, "new timestamp (is the online key in the root?)"));
  COCOON_TRY(write_file_atomic(paths.metadata / "timestamp.json", envelope_text(env)));
  out.snapshot = sv;
  out.timestamp = state.timestamp->common.version + 1;
  return out;
}

}  // namespace cocoon::release
