#include "verify/updater.hpp"

#include <set>
#include <system_error>

#include "attest/labels.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "crypto/hash.hpp"
#include "release/products.hpp"
#include "verify/builders.hpp"
#include "verify/log_proof.hpp"
#include "verify/rebuild_verdicts.hpp"
#include "verify/trusted_set.hpp"

namespace cocoon::verify {

namespace fs = std::filesystem;

namespace {

constexpr const char* kExtrasDir = "cocoon";
constexpr const char* kCheckpointFile = "checkpoint";
constexpr const char* kInstalledFile = "installed.json";
constexpr const char* kProductsFile = "products.json";
// Enough names for a useful "not found" message, few enough for one line.
constexpr std::size_t kMaxListedTargets = 12;
constexpr std::uint64_t kMaxStateFile = 8 << 20;
// As python-tuf: a bound on the roles one lookup may visit.
constexpr std::size_t kMaxDelegations = 32;

// Reads a state file; absent is not an error (nullopt).
Result<std::optional<Bytes>> read_optional(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<Bytes>{};
  COCOON_ASSIGN(Bytes data, read_file(path, kMaxStateFile));
  return std::optional<Bytes>{std::move(data)};
}

Status remove_if_present(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) return make_error(Errc::io, "cannot remove " + path.string() + ": " + ec.message());
  return Ok{};
}

class UpdateRun {
 public:
  UpdateRun(Fetcher& fetcher, const UpdateOptions& options) : fetcher_(fetcher), opt_(options) {}

  UpdateReport run() {
    Status s = steps();
    if (!s.ok()) report_.error = s.error();
    return std::move(report_);
  }

 private:
  Status steps() {
    COCOON_TRY(load_trusted_root());
    COCOON_TRY(update_root_chain());
    // Known from the newest root on, so a refusal further down still reports the right mode.
    const auto& policy = set_->root().model.policy;
    report_.cocoon_policy = policy.has_value();
    COCOON_TRY(update_timestamp());
    COCOON_TRY(update_snapshot());
    COCOON_TRY(update_targets());
    if (policy) {
      COCOON_TRY(check_log());
      COCOON_TRY(check_products());
      COCOON_TRY(check_builders());
      // Before the target is fetched: a refused release must not reach --download.
      COCOON_TRY(check_rebuilds());
    } else if (opt_.require_rebuilds > 0) {
      return fail("rebuilds",
                  make_error(Errc::unsupported,
                             "--require-rebuilds needs a root with a Cocoon policy (builders, log)"));
    }
    COCOON_TRY(check_target());
    COCOON_TRY(commit_extras());
    return Ok{};
  }

  // Records a check line and passes its status on.
  Status record(const std::string& name, Status status, const std::string& detail_ok) {
    report_.checks.push_back({name, status.ok(), status.ok() ? detail_ok : status.error().message});
    return status;
  }
  Status fail(const std::string& name, Error e) { return record(name, std::move(e), {}); }

  fs::path state_file(const std::string& role) const { return opt_.state / (role + ".json"); }
  fs::path extras_file(const char* name) const { return opt_.state / kExtrasDir / name; }

  Status persist(const std::string& role, ByteView bytes) {
    return write_file_atomic(state_file(role), bytes);
  }

  Status load_trusted_root() {
    std::error_code ec;
    fs::create_directories(opt_.state / kExtrasDir, ec);
    if (ec)
      return fail("trusted root",
                  make_error(Errc::io, "cannot create " + opt_.state.string() + ": " + ec.message()));
    auto stored = read_optional(state_file("root"));
    if (!stored.ok()) return fail("trusted root", stored.error());
    std::string origin = "stored " + state_file("root").string();
    Bytes root_bytes;
    bool persist_now = false;
    if (stored->has_value()) {
      root_bytes = std::move(**stored);
    } else if (opt_.initial_root) {
      root_bytes = *opt_.initial_root;
      origin = "pinned initial root";
      persist_now = true;
    } else {
      // The first run of a node (online or from an offline bundle) starts from a root the operator
      // pinned out of band; neither a mirror nor a bundle may supply it.
      return fail("trusted root",
                  make_error(Errc::not_found, "no trusted root in " + opt_.state.string() +
                                                  " and none given: on a node's first run give --root FILE, "
                                                  "the root you pinned (keys/<network>/root.json)"));
    }
    auto set = TrustedMetadataSet::create(root_bytes);
    if (!set.ok()) return fail("trusted root", set.error());
    set_.emplace(std::move(set.value()));
    initial_root_ = set_->root().model;
    if (persist_now) {
      if (auto s = persist("root", root_bytes); !s.ok()) return fail("trusted root", s.error());
    }
    return record("trusted root", Ok{},
                  "version " + std::to_string(initial_root_->common.version) + " (" + origin + ")");
  }

  Status update_root_chain() {
    std::uint64_t start = set_->root().model.common.version;
    for (int i = 0; i < opt_.max_root_rotations; ++i) {
      std::uint64_t next = set_->root().model.common.version + 1;
      auto data = fetcher_.fetch("metadata/" + std::to_string(next) + ".root.json", kMaxRootBytes);
      if (!data.ok() && data.error().code == Errc::not_found) break;
      if (!data.ok()) return fail("root", data.error());
      if (auto s = set_->update_root(*data); !s.ok()) return fail("root", s.error());
      if (auto s = persist("root", *data); !s.ok()) return fail("root", s.error());
    }
    const release::Root& root = set_->root().model;
    report_.root_version = root.common.version;
    std::string detail = root.common.version == start ? "version " + std::to_string(start) + " is the newest"
                                                      : "version " + std::to_string(start) + " -> " +
                                                            std::to_string(root.common.version);
    if (timestamp_or_snapshot_keys_changed(*initial_root_, root)) {
      // TUF §5.3.11: what the old online keys signed is no longer evidence of anything.
      for (const char* role : {"timestamp", "snapshot"}) {
        if (auto s = remove_if_present(state_file(role)); !s.ok()) return fail("root", s.error());
      }
      detail += "; timestamp/snapshot keys rotated, stored timestamp and snapshot dropped";
    }
    return record("root", Ok{}, detail);
  }

  Status update_timestamp() {
    auto stored = read_optional(state_file("timestamp"));
    if (!stored.ok()) return fail("timestamp", stored.error());
    // A stored timestamp only guards against rollback; if it no longer verifies it is ignored.
    if (stored->has_value()) (void)set_->update_timestamp(**stored, opt_.now);
    auto data = fetcher_.fetch("metadata/timestamp.json", kMaxTimestampBytes);
    if (!data.ok()) return fail("timestamp", data.error());
    if (auto s = set_->update_timestamp(*data, opt_.now); !s.ok()) return fail("timestamp", s.error());
    if (!set_->equal_version()) {
      if (auto s = persist("timestamp", *data); !s.ok()) return fail("timestamp", s.error());
    }
    const auto& ts = set_->timestamp()->model;
    report_.timestamp_version = ts.common.version;
    return record(
        "timestamp", Ok{},
        "version " + std::to_string(ts.common.version) + ", expires " + format_rfc3339(ts.common.expires));
  }

  Status update_snapshot() {
    const release::MetaFile& record_in_ts = set_->timestamp()->model.snapshot;
    bool have_it = false;
    auto stored = read_optional(state_file("snapshot"));
    if (!stored.ok()) return fail("snapshot", stored.error());
    if (stored->has_value()) have_it = set_->update_snapshot(**stored, opt_.now, /*from_disk=*/true).ok();
    if (!have_it) {
      std::uint64_t max = record_in_ts.length.value_or(kMaxSnapshotBytes);
      auto data = fetcher_.fetch("metadata/" + std::to_string(record_in_ts.version) + ".snapshot.json", max);
      if (!data.ok()) return fail("snapshot", data.error());
      if (auto s = set_->update_snapshot(*data, opt_.now); !s.ok()) return fail("snapshot", s.error());
      if (auto s = persist("snapshot", *data); !s.ok()) return fail("snapshot", s.error());
    }
    const auto& snap = set_->snapshot()->model;
    report_.snapshot_version = snap.common.version;
    return record("snapshot", Ok{},
                  "version " + std::to_string(snap.common.version) + ", expires " +
                      format_rfc3339(snap.common.expires) + (have_it ? " (stored copy is current)" : ""));
  }

  Status update_targets() {
    auto meta = set_->snapshot()->model.meta.find("targets.json");
    if (meta == set_->snapshot()->model.meta.end()) {
      return fail("targets", make_error(Errc::invalid_input, "the snapshot does not list targets.json"));
    }
    bool have_it = false;
    auto stored = read_optional(state_file("targets"));
    if (!stored.ok()) return fail("targets", stored.error());
    // The stored copy is used only if it is exactly what the snapshot names (hashes, version).
    if (stored->has_value()) have_it = set_->update_targets(**stored, opt_.now).ok();
    if (!have_it) {
      std::uint64_t max = meta->second.length.value_or(kMaxTargetsBytes);
      auto data = fetcher_.fetch("metadata/" + std::to_string(meta->second.version) + ".targets.json", max);
      if (!data.ok()) return fail("targets", data.error());
      if (auto s = set_->update_targets(*data, opt_.now); !s.ok()) return fail("targets", s.error());
      if (auto s = persist("targets", *data); !s.ok()) return fail("targets", s.error());
    }
    const auto& targets = set_->targets()->model;
    report_.targets_version = targets.common.version;
    return record("targets", Ok{},
                  "version " + std::to_string(targets.common.version) + ", " +
                      std::to_string(targets.targets.size()) + " target(s), expires " +
                      format_rfc3339(targets.common.expires));
  }

  Status check_log() {
    const release::CocoonPolicy& policy = *set_->root().model.policy;
    std::uint64_t version = set_->targets()->model.common.version;
    auto data = fetcher_.fetch(log_proof_path(version), kMaxLogProofBytes);
    if (!data.ok()) {
      if (data.error().code == Errc::not_found) {
        return fail("log inclusion",
                    make_error(Errc::log_inconsistent, "targets version " + std::to_string(version) +
                                                           " is not in the log: no log proof at " +
                                                           fetcher_.locate(log_proof_path(version))));
      }
      return fail("log inclusion", data.error());
    }
    auto proof = parse_log_proof(*data);
    if (!proof.ok()) return fail("log inclusion", make_error(Errc::log_inconsistent, proof.error().message));
    auto last = read_optional(extras_file(kCheckpointFile));
    if (!last.ok()) return fail("log consistency", last.error());
    std::optional<std::string> last_note;
    if (last->has_value()) last_note = to_string(**last);
    LogCheckStage stage = LogCheckStage::inclusion;
    auto verdict = check_log_proof(policy, set_->targets()->bytes, *proof, last_note, opt_.now, &stage);
    if (!verdict.ok()) return fail(log_check_stage_name(stage), verdict.error());
    const tlog::Checkpoint& cp = verdict->checkpoint;
    (void)record("log inclusion", Ok{},
                 "targets version " + std::to_string(version) + " is entry " + std::to_string(proof->index) +
                     " of " + cp.origin + " at size " + std::to_string(cp.size));
    std::string names;
    for (const auto& w : verdict->witnesses) names += (names.empty() ? "" : ", ") + w;
    std::string ignored;
    for (const auto& i : verdict->ignored_witnesses) ignored += "; not counted: " + i;
    (void)record("witnesses", Ok{},
                 std::to_string(verdict->witnesses.size()) + " cosigned (quorum " +
                     std::to_string(policy.witness_quorum) + ")" + (names.empty() ? "" : ": " + names) +
                     ignored);
    (void)record("log consistency", Ok{},
                 verdict->consistent_from
                     ? "extends the checkpoint accepted at size " + std::to_string(*verdict->consistent_from)
                     : "first checkpoint this node accepts");
    accepted_checkpoint_ = verdict->checkpoint_note;
    release_index_ = proof->index;
    release_size_ = cp.size;
    return Ok{};
  }

  // Independent rebuilds logged after the release (verify/rebuild_verdicts.hpp). The node keeps storing
  // the release's checkpoint, not the newer one read here: later releases carry consistency proofs from
  // earlier release checkpoints only.
  Status check_rebuilds() {
    if (opt_.require_rebuilds == 0 && !opt_.rebuild_log) return Ok{};
    const std::string name = "rebuilds";
    const release::CocoonPolicy& policy = *set_->root().model.policy;
    std::optional<std::string> product = pinned_product_;
    if (!product && target_path_) product = release::product_of(*target_path_);
    if (!product || product->empty() || !accepted_products_ || !accepted_products_->count(*product)) {
      return fail(name,
                  make_error(Errc::invalid_input,
                             "--require-rebuilds needs --product or a --target of a product in the release"));
    }
    const release::ProductRelease& mine = accepted_products_->at(*product);
    ReleaseToRebuild rel;
    rel.log_index = release_index_;
    rel.entry_sha256 = crypto::sha256_hex(set_->targets()->bytes);
    rel.targets_version = report_.targets_version;
    rel.labels = mine.labels;
    rel.files = mine.files;

    std::vector<std::string> witness_problems;
    Result<RebuildEvidence> evidence = make_error(Errc::internal, "no rebuild evidence read");
    if (opt_.rebuild_log) {
      evidence = read_rebuild_evidence(*opt_.rebuild_log, policy, release_index_, release_size_,
                                       opt_.rebuild_cosigner, &witness_problems);
    } else {
      auto data = fetcher_.fetch(kRebuildEvidencePath, kMaxRebuildEvidenceBytes);
      if (!data.ok() && data.error().code == Errc::not_found) {
        return fail(name, make_error(Errc::not_found,
                                     "no rebuild verdicts to check: give --rebuild-log (or a "
                                     "bundle made with --rebuild-log)"));
      }
      evidence = data.ok() ? parse_rebuild_evidence(*data) : Result<RebuildEvidence>(data.error());
    }
    if (!evidence.ok()) return fail(name, evidence.error());
    LogCheckStage stage = LogCheckStage::inclusion;
    auto tally = count_rebuild_verdicts(policy, rel, set_->targets()->bytes, *accepted_checkpoint_, *evidence,
                                        opt_.now, &stage);
    if (!tally.ok()) {
      std::string problems;
      for (const auto& p : witness_problems) problems += "; witness " + p;
      Error e = tally.error();
      e.message = "the log read for rebuild verdicts: " + e.message + problems;
      return fail(name, e);
    }
    for (const auto& w : tally->warnings) {
      report_.checks.push_back({name, true, w, true});
      report_.warnings.push_back(w);
    }
    const tlog::Checkpoint& cp = tally->log.checkpoint;
    std::string who;
    for (const auto& b : tally->reproduced_by) who += (who.empty() ? "" : ", ") + b;
    std::string seen = std::to_string(tally->reproduced_by.size()) + " builder(s) reproduced " + *product +
                       " " + rel.labels.version + " (required " + std::to_string(opt_.require_rebuilds) +
                       ")" + (who.empty() ? "" : ": " + who) + "; entries " +
                       std::to_string(release_index_ + 1) + " … " + std::to_string(evidence->scanned_to - 1) +
                       " of " + cp.origin + " at size " + std::to_string(cp.size) + ", " +
                       std::to_string(tally->log.witnesses.size()) + " witness(es)";
    std::string others;
    for (const auto& n : tally->not_counted) others += (others.empty() ? "" : "; ") + n;
    if (!others.empty()) seen += "; not counted: " + others;
    if (tally->reproduced_by.size() < opt_.require_rebuilds) {
      std::string why = std::to_string(tally->reproduced_by.size()) + " of the required " +
                        std::to_string(opt_.require_rebuilds) +
                        " builder(s) of the root logged \"reproduced\" for " + *product + " " +
                        rel.labels.version + " after its entry " + std::to_string(release_index_);
      if (tally->capped)
        why += " (only the first " + std::to_string(kMaxRebuildScan) +
               " entries after the release are read, kMaxRebuildScan; the log holds " +
               std::to_string(cp.size) + ")";
      if (!others.empty()) why += "; not counted: " + others;
      return fail(name, make_error(Errc::builder_agreement, why));
    }
    report_.rebuild_evidence = format_rebuild_evidence(*evidence);
    return record(name, Ok{}, seen);
  }

  // Products (release/products.hpp): each product's labels agree across its targets, and no product
  // went back or was rewritten since the last update this node accepted (cocoon/products.json, kept
  // like the checkpoint: replaced only after a whole update passed, so a refused targets version that
  // TUF already stored cannot become the baseline).
  Status check_products() {
    auto now = release::products_of(set_->targets()->model);
    if (!now.ok()) return fail("products", now.error());
    auto stored = read_optional(extras_file(kProductsFile));
    if (!stored.ok()) return fail("products", stored.error());
    std::string detail;
    if (stored->has_value()) {
      auto doc = parse_json(to_string(**stored), extras_file(kProductsFile).string());
      auto before = doc.ok() ? release::parse_products(*doc) : Result<release::Products>(doc.error());
      if (!before.ok()) return fail("products", before.error());
      auto changes = release::product_changes(*before, *now);
      if (!changes.ok()) return fail("products", changes.error());
      for (const auto& c : *changes) detail += (detail.empty() ? "" : ", ") + release::describe_change(c);
      if (pinned_product_ && before->count(*pinned_product_) && !now->count(*pinned_product_)) {
        return fail(
            "product " + *pinned_product_,
            make_error(Errc::not_found, "product " + *pinned_product_ + " was removed in targets version " +
                                            std::to_string(report_.targets_version)));
      }
    } else {
      for (const auto& [name, p] : *now)
        detail += (detail.empty() ? "" : ", ") + name + " " + p.labels.version;
      detail = "first seen: " + detail;
    }
    (void)record("products", Ok{}, detail);
    accepted_products_ = *now;
    if (!pinned_product_) return Ok{};
    auto mine = now->find(*pinned_product_);
    if (mine == now->end()) {
      std::string names;
      for (const auto& [name, p] : *now) names += (names.empty() ? "" : ", ") + name;
      return fail("product " + *pinned_product_,
                  make_error(Errc::not_found, "product " + *pinned_product_ + " is not in targets version " +
                                                  std::to_string(report_.targets_version) +
                                                  " (products: " + names + ")"));
    }
    report_.product_version = mine->second.labels.version;
    return record("product " + *pinned_product_, Ok{},
                  attest::describe_labels(mine->second.labels) + ", " +
                      std::to_string(mine->second.files.size()) + " target(s)");
  }

  Status check_builders() {
    const release::CocoonPolicy& policy = *set_->root().model.policy;
    for (const auto& [path, info] : set_->targets()->model.targets) {
      std::string name = "builders " + path;
      auto cited = cited_attestations(path, info);
      if (!cited.ok()) return fail(name, cited.error());
      std::vector<CitedAttestation> files;
      for (const auto& digest : *cited) {
        auto data = fetcher_.fetch(attestation_path(digest), kMaxAttestationBytes);
        if (!data.ok() && data.error().code == Errc::not_found) {
          // A cited attestation the mirror does not serve backs nothing.
          continue;
        }
        if (!data.ok()) return fail(name, data.error());
        files.push_back({digest, std::move(*data)});
      }
      auto verdict = check_builder_agreement(policy, path, info, files);
      if (!verdict.ok()) return fail(name, verdict.error());
      std::string who;
      for (const auto& b : verdict->builders) who += (who.empty() ? "" : ", ") + b;
      (void)record(name, Ok{},
                   std::to_string(verdict->builders.size()) + " trusted builder(s) agree (threshold " +
                       std::to_string(policy.builder_threshold) + "): " + who);
    }
    return Ok{};
  }

  Status check_target() {
    if (!target_path_) return Ok{};
    const std::string& path = *target_path_;
    std::string name = "target " + path;
    const auto& targets = set_->targets()->model;
    auto found = find_target(path);
    if (!found.ok()) return fail(name, found.error());
    if (!found->has_value()) {
      std::string listed;
      std::size_t n = 0;
      for (const auto& [p, info] : targets.targets) {
        if (pinned_product_ && release::product_of(p) != *pinned_product_) continue;
        if (n++ < kMaxListedTargets) listed += (listed.empty() ? "" : ", ") + p;
      }
      if (n > kMaxListedTargets) listed += ", … (" + std::to_string(n) + " in all)";
      return fail(name,
                  make_error(Errc::not_found, "target " + path + " is not in targets version " +
                                                  std::to_string(targets.common.version) +
                                                  " nor in any role delegated for it" +
                                                  (listed.empty() ? "" : " (targets: " + listed + ")")));
    }
    const auto& [role, info] = **found;
    if (role != release::kRoleTargets && set_->root().model.policy) {
      // The log and the builders' citations cover the top-level targets metadata only.
      return fail(name,
                  make_error(Errc::unsupported, "target " + path + " comes from delegated role " + role +
                                                    "; a Cocoon policy root uses top-level targets only"));
    }
    std::optional<Bytes> cached;
    if (opt_.download) cached = already_downloaded(path, info, *opt_.download);
    if (!cached) {
      std::string where =
          set_->root().model.consistent_snapshot ? target_file_path(path, info.hashes) : "targets/" + path;
      // Never read more than the declared length: a longer answer is endless data.
      auto data = fetcher_.fetch(where, info.length);
      if (!data.ok()) return fail(name, data.error());
      if (auto s = check_target_file(path, info, *data); !s.ok()) return fail(name, s.error());
      if (opt_.download) {
        if (auto s = write_file_atomic(*opt_.download, *data); !s.ok()) return fail(name, s.error());
      }
      downloaded_ = std::move(*data);
    } else {
      downloaded_ = std::move(*cached);
    }
    std::string outcome;
    if (cached) {
      outcome = ", already at " + opt_.download->string() + " (not fetched again)";
    } else if (opt_.download) {
      outcome = ", written to " + opt_.download->string();
    }
    return record(name, Ok{},
                  std::to_string(info.length) + " bytes, " + std::to_string(info.hashes.size()) +
                      " hash(es) match" + (role == release::kRoleTargets ? "" : " (listed by " + role + ")") +
                      outcome);
  }

  // The download destination already holds exactly this target (its length and every listed hash match,
  // the same check a fresh download must pass): it need not be fetched again. Anything else there
  // (absent, unreadable, another length, other bytes) is replaced by a fresh, verified download.
  static std::optional<Bytes> already_downloaded(const std::string& path, const release::TargetFile& info,
                                                 const fs::path& dest) {
    std::error_code ec;
    if (!fs::is_regular_file(dest, ec)) return std::nullopt;
    auto size = fs::file_size(dest, ec);
    if (ec || size != info.length) return std::nullopt;
    auto bytes = read_file(dest, info.length);
    if (!bytes.ok() || !check_target_file(path, info, *bytes).ok()) return std::nullopt;
    return std::move(*bytes);
  }

  // TUF §5.6.7: pre-order depth-first search of the delegation tree, at most kMaxDelegations roles;
  // a matching terminating delegation ends the search. Returns the role that lists the path.
  Result<std::optional<std::pair<std::string, release::TargetFile>>> find_target(const std::string& path) {
    using Found = std::optional<std::pair<std::string, release::TargetFile>>;
    struct Visit {
      std::string role, delegator;
    };
    std::vector<Visit> stack{{release::kRoleTargets, release::kRoleRoot}};
    std::set<std::string> visited;
    while (!stack.empty() && visited.size() < kMaxDelegations) {
      Visit v = stack.back();
      stack.pop_back();
      if (visited.count(v.role)) continue;
      const release::Targets* t = &set_->targets()->model;
      if (v.role != release::kRoleTargets) {
        COCOON_TRY(load_delegated(v.role, v.delegator));
        t = &set_->delegated(v.role)->model;
      }
      if (auto it = t->targets.find(path); it != t->targets.end()) return Found{{v.role, it->second}};
      visited.insert(v.role);
      const Delegations* d = set_->delegations_of(v.role);
      if (!d) continue;
      std::vector<Visit> children;
      for (const auto& r : d->roles) {
        if (!role_covers(r, path)) continue;
        children.push_back({r.name, v.role});
        if (r.terminating) {
          stack.clear();
          break;
        }
      }
      stack.insert(stack.end(), children.rbegin(), children.rend());
    }
    return Found{};
  }

  Status load_delegated(const std::string& role, const std::string& delegator) {
    if (set_->delegated(role)) return Ok{};
    // Role names are any strings; their files use the percent-encoded name (delegations.hpp).
    const std::string file_name = role_file_name(role);
    COCOON_ASSIGN(std::optional<Bytes> stored, read_optional(state_file(file_name)));
    if (stored && set_->update_delegated_targets(*stored, role, delegator, opt_.now).ok()) return Ok{};
    const auto& meta = set_->snapshot()->model.meta;
    auto record = meta.find(role + ".json");
    if (record == meta.end())
      return make_error(Errc::invalid_input, "the snapshot does not list " + role + ".json");
    std::uint64_t max = record->second.length.value_or(kMaxTargetsBytes);
    std::string path = "metadata/" + std::to_string(record->second.version) + "." + file_name + ".json";
    COCOON_ASSIGN(Bytes data, fetcher_.fetch(path, max));
    COCOON_TRY(set_->update_delegated_targets(data, role, delegator, opt_.now));
    return persist(file_name, data);
  }

  // The all-or-nothing part: only now that every check passed.
  Status commit_extras() {
    if (accepted_checkpoint_) {
      if (auto s = write_file_atomic(extras_file(kCheckpointFile), *accepted_checkpoint_); !s.ok()) {
        return fail("state", s.error());
      }
    }
    if (accepted_products_) {
      auto s = write_file_atomic(extras_file(kProductsFile),
                                 pretty_json(release::products_json(*accepted_products_)));
      if (!s.ok()) return fail("state", s.error());
    }
    if (target_path_ && downloaded_) {
      Json installed = {{"target", *target_path_},
                        {"sha256", crypto::sha256_hex(*downloaded_)},
                        {"length", downloaded_->size()},
                        {"targets_version", report_.targets_version}};
      if (pinned_product_) {
        installed["product"] = *pinned_product_;
        installed["version"] = report_.product_version;
      }
      if (auto s = write_file_atomic(extras_file(kInstalledFile), pretty_json(installed)); !s.ok()) {
        return fail("state", s.error());
      }
    }
    return Ok{};
  }

  Fetcher& fetcher_;
  const UpdateOptions& opt_;
  UpdateReport report_;
  std::optional<TrustedMetadataSet> set_;
  std::optional<release::Root> initial_root_;
  std::optional<std::string> accepted_checkpoint_;
  std::uint64_t release_index_ = 0, release_size_ = 0;  // the release's targets entry, its checkpoint size
  std::optional<release::Products> accepted_products_;
  // --product and --target as given; a bare artifact name is looked up inside the pinned product.
  std::optional<std::string> pinned_product_ = opt_.product;
  std::optional<std::string> target_path_ =
      opt_.target && opt_.product && opt_.target->find('/') == std::string::npos
          ? std::optional<std::string>(*opt_.product + "/" + *opt_.target)
          : opt_.target;
  std::optional<Bytes> downloaded_;
};

}  // namespace

std::string target_file_path(const std::string& target_path,
                             const std::map<std::string, std::string>& hashes) {
  auto chosen = hashes.find("sha256");
  if (chosen == hashes.end()) chosen = hashes.begin();
  std::string prefix = chosen == hashes.end() ? "" : chosen->second + ".";
  auto slash = target_path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : target_path.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? target_path : target_path.substr(slash + 1);
  return "targets/" + dir + prefix + base;
}

UpdateReport run_update(Fetcher& fetcher, const UpdateOptions& options) {
  return UpdateRun(fetcher, options).run();
}

}  // namespace cocoon::verify
