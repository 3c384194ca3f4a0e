#pragma once
// One rebuild, the way `cocoon-build run` does it (build::run_recipe: the same fetch, cache and
// normalised environment), and what the builder signs about it:
//   - a candidate: the attestation of what was built (the maintainers compare it with other builders');
//     a failed build is a `build-failure` verdict on the candidate instead;
//   - a published release: the attestation and a rebuild verdict comparing every artifact the release
//     lists with what was built: `reproduced` when all are equal, `mismatch` with the first difference
//     (attest::diff_paths against the published file when --repo can serve it, else the two digests),
//     `build-failure` with the step that failed. A build that fails is never a mismatch.
// A failure that is not the build's (the network, a full disk) is `retry`: the daemon tries again later.
//
// Files kept per job under STATE/jobs/<id>/ (each capped, see JobFiles): the failed steps' logs
// (logs/<step>.log, the end kept), diff.txt (the report behind a mismatch) and, for the newest jobs,
// out/ (the artifacts and attestation).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "build/run.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"
#include "crypto/key_file.hpp"
#include "watch/state.hpp"

namespace cocoon::watch {

struct BuildSettings {
  std::filesystem::path state_dir;
  std::filesystem::path cache_dir;  // empty: source::default_cache_dir()
  std::filesystem::path work_root;  // empty: $TMPDIR
  build::Variation variation;       // normally the defaults: the environment is normalised anyway
  std::string repo;                 // TUF repository (directory or URL) to fetch published files from
  // A recipe's source URL -> where to fetch it instead (a mirror or local clone; the commit is the same).
  std::map<std::string, std::string> sources;
  std::string builder_name;                  // the attestation's display name
  std::uint64_t max_log_bytes = 256 << 10;   // per kept step log (its end is kept)
  std::uint64_t max_diff_bytes = 256 << 10;  // diff.txt
  long timeout_seconds = 30;
};

struct JobResult {
  enum class Kind { attested, reproduced, mismatch, build_failure, retry } kind = Kind::retry;
  std::string detail;                // first difference, failed step, or the error to retry after
  std::vector<OutboxEntry> entries;  // to submit: attestation and/or verdict
};
const char* job_result_name(JobResult::Kind kind);

// Runs `job` with `recipe_bytes` (the candidate's embedded recipe or a --recipes file whose sha256 is
// the job's recipe digest). `key` signs; `on_progress` receives run_recipe's events. Thread-safe as
// long as each call has its own job directory (jobs/<id>).
JobResult run_job(const Job& job, ByteView recipe_bytes, const crypto::SecretKey& key,
                  const BuildSettings& settings,
                  const std::function<void(const build::ProgressEvent&)>& on_progress);

// STATE/jobs/<id>.
std::filesystem::path job_dir(const std::filesystem::path& state_dir, std::int64_t id);

// Removes out/ of all but the `keep` newest job directories (artifacts are large; logs and diffs stay).
void prune_outputs(const std::filesystem::path& state_dir, std::size_t keep);

}  // namespace cocoon::watch
