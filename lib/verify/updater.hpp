#pragma once
// The node operator's update: fetch what the trusted metadata set asks for, persist what it accepted,
// and add Cocoon's checks on top of TUF (log inclusion, witness quorum, log consistency, builder
// agreement) when the trusted root carries a Cocoon policy. Without a policy it is a plain TUF client.
//
// Trusted state directory (--state):
//   <state>/root.json, timestamp.json, snapshot.json, targets.json   the exact bytes of each verified
//       role, each written atomically as soon as it is verified (TUF §5.3.8, 5.4.5, 5.5.7, 5.6.6);
//   <state>/<role file name>.json   each delegated targets role visited, its name percent-encoded
//       (role_file_name, delegations.hpp); only TUF metadata is stored as *.json here, so TUF tools can
//       read this directory
//   <state>/cocoon/checkpoint        the last log checkpoint this node accepted (signed note)
//   <state>/cocoon/installed.json    the last target installed: path, sha256, targets version (and
//       product, version with --product)
//   <state>/cocoon/products.json     each product's release at the last accepted update (labels and
//       target sha256s: per-product rollback protection, release/products.hpp)
// The cocoon/ files change only after the whole update passed.
//
// Example: state holds root v1, timestamp v3; the repository has 2.root.json and timestamp v4 ->
// checks "root" (1 -> 2), "timestamp" (v4), "snapshot", "targets", "log inclusion", "witnesses",
// "log consistency", "builders <target>", "target <name>" each ok -> accepted; root.json,
// timestamp.json, snapshot.json, targets.json, cocoon/checkpoint replaced.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "tlog/tile.hpp"
#include "verify/fetcher.hpp"
#include "verify/rebuild_verdicts.hpp"

namespace cocoon::verify {

struct UpdateOptions {
  std::filesystem::path state;
  std::optional<Bytes> initial_root;  // used when the state holds no root.json yet
  // The product this node runs (Cocoon roots): its latest release is reported, and its removal from
  // targets refused. A bare `target` name ("sample-node.tar.zst") is looked up inside it.
  std::optional<std::string> product;
  std::optional<std::string> target;              // a target path to download and check
  std::optional<std::filesystem::path> download;  // where to write it (requires target)
  UnixSeconds now = 0;
  int max_root_rotations = 256;
  // Independent rebuilds (verify/rebuild_verdicts.hpp), off unless require_rebuilds > 0 or rebuild_log
  // is set: at least this many builder keys of the root must have logged "reproduced" for the pinned
  // product's release after its targets entry (Errc::builder_agreement otherwise). Needs product or
  // target (which product) and a Cocoon root.
  std::uint64_t require_rebuilds = 0;
  // Where the verdicts are read: a log (its checkpoint cosigned on request through rebuild_cosigner).
  // Without it they come from the repository source as kRebuildEvidencePath (an offline bundle).
  tlog::TileFetcher* rebuild_log = nullptr;
  CheckpointCosigner rebuild_cosigner;
};

// One line of the verdict: what was checked and what it found.
struct CheckLine {
  std::string name;
  bool ok = false;
  std::string detail;
  bool warning = false;  // ok, but the operator should look (a builder logged a mismatch)
};

struct UpdateReport {
  std::vector<CheckLine> checks;
  std::optional<Error> error;  // set exactly when the update is refused
  bool cocoon_policy = false;  // false: plain TUF client
  std::uint64_t root_version = 0, timestamp_version = 0, snapshot_version = 0, targets_version = 0;
  std::string product_version;        // the pinned product's release version, once checked
  std::vector<std::string> warnings;  // also in checks, as warning lines
  // The rebuild evidence the check accepted (format_rebuild_evidence), for an offline bundle.
  std::optional<std::string> rebuild_evidence;
  bool accepted() const { return !error.has_value(); }
};

// Never fails as a call: a refusal is the report's error, with the check that refused last in
// `checks` (ok = false).
UpdateReport run_update(Fetcher& fetcher, const UpdateOptions& options);

// Where a consistent-snapshot repository serves a target: "targets/<dir>/<hash>.<name>" using the
// sha256 when listed (else the first hash).
std::string target_file_path(const std::string& target_path,
                             const std::map<std::string, std::string>& hashes);

}  // namespace cocoon::verify
