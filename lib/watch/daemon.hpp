#pragma once
// `cocoon-build watch`: the builder's daemon. Each round it follows the log (watch/follow.hpp), turns
// new entries into jobs (watch/discover.hpp), starts queued jobs up to `jobs` at a time (each one
// build::run_recipe on its own thread, watch/job.hpp), records what finished and submits what it
// signed (watch/submit.hpp). Everything it must not forget is in WatchState first.
//
// Failures and what they do:
//   the log lies (rollback, fork, a checkpoint not signed by the root's log key) -> run_watch returns
//     that error (the tool exits with its code: 6 rollback, 7 log, 4 signature) after the running
//     builds are finished and recorded;
//   the log, a witness or a destination cannot be reached -> try again after an exponential backoff
//     (interval * 2^n, at most max_backoff); after max_log_failures failed polls in a row (0: never)
//     run_watch returns Errc::network;
//   a job's build could not run for a reason not its own (network, disk) -> queued again after a
//     backoff, given up (state `error`) after max_job_attempts.
// `stop()` returning true (SIGTERM, SIGINT in the tool) ends the loop: running builds are finished
// and recorded, the outbox is tried once more, and run_watch returns Ok.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "crypto/key_file.hpp"
#include "release/roles.hpp"
#include "tlog/witness_client.hpp"
#include "watch/job.hpp"
#include "watch/submit.hpp"

namespace cocoon::watch {

struct WatchConfig {
  release::Root root;  // the pinned root: its policy names the log, witnesses and builders
  std::string log;     // the log's base URL or directory
  std::vector<tlog::WitnessEndpoint> witnesses;
  Destination attestations;  // where attestations go
  Destination verdicts;      // where verdicts go (the log when it is a URL)
  BuildSettings build;
  std::filesystem::path recipes_dir;  // recipes by sha256 for releases without a candidate
  double interval_seconds = 60;
  double max_backoff_seconds = 900;
  unsigned max_log_failures = 0;
  unsigned jobs = 1;
  int max_job_attempts = 5;
  std::size_t keep_outputs = 8;
  bool once = false;  // stop when the log is read, every job finished and the outbox is empty
  long timeout_seconds = 30;
};

struct WatchHooks {
  // Sleeps up to `seconds`; true when the daemon is asked to stop.
  std::function<bool(double seconds)> wait;
  // One progress line (thread-safe calls are serialised by the daemon).
  std::function<void(const std::string& line)> report;
};

Status run_watch(const WatchConfig& config, const crypto::SecretKey& key, const WatchHooks& hooks);

}  // namespace cocoon::watch
