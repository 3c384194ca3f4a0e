#pragma once
// An offline bundle: every repository file one update needs, in one file, so a node without network
// access verifies exactly as it would online (`cocoon-verify update --bundle FILE`). The bundle is
// not trusted: it only replaces the mirror; every check runs on its contents as on a mirror's.
//
// Format: {"schema":"cocoon-offline-bundle/v1",
//          "files":{"metadata/2.root.json":"<base64>","metadata/timestamp.json":"<base64>",...}}
// Example: a bundle made from root v1 for target "sample-node/sample-node.tar" holds 2.root.json …
// N.root.json, timestamp.json, the snapshot and targets it names, log/<V>.targets.bundle.json, the
// cited attestations and targets/sample-node/<sha256>.sample-node.tar. Made with a log to read rebuild
// verdicts from, it also holds kRebuildEvidencePath (verify/rebuild_verdicts.hpp), so an offline node
// can apply --require-rebuilds.
#include <map>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "verify/fetcher.hpp"
#include "verify/updater.hpp"

namespace cocoon::verify {

inline constexpr const char* kOfflineBundleSchema = "cocoon-offline-bundle/v1";
inline constexpr std::uint64_t kMaxOfflineBundleBytes = 1ull << 30;

using BundleFiles = std::map<std::string, Bytes>;

std::string format_offline_bundle(const BundleFiles& files);
// Strict: the schema, an object of relative paths (check_relative_path) to standard base64.
Result<BundleFiles> parse_offline_bundle(ByteView bytes);

// What a bundle carries besides the repository's files: the rebuild verdicts read from `log` (its
// checkpoint cosigned through `cosigner`), checked like a node would with `require_rebuilds`.
struct BundleRebuilds {
  tlog::TileFetcher* log = nullptr;
  CheckpointCosigner cosigner;
  std::uint64_t require_rebuilds = 0;
};

// Runs a full update from `root` against `fetcher` (into a temporary state) and returns the files it
// read. Refuses (with the update's error) to bundle a repository that does not verify.
Result<BundleFiles> collect_offline_bundle(Fetcher& fetcher, const Bytes& root,
                                           const std::optional<std::string>& target, UnixSeconds now,
                                           const BundleRebuilds& rebuilds = {});

}  // namespace cocoon::verify
