#pragma once
// What a watching builder remembers between runs, in SQLite (STATE/watch.db, WAL): how far it has read
// the log (and the checkpoint that proved it), the release candidates it has seen, its jobs, and the
// signed entries it still has to submit. Every change that belongs together is one transaction, so a
// kill -9 at any instant leaves one of the two sides of it:
//   - reading the log: the jobs found in entries [a, b) and the new position b commit together, so an
//     entry is never skipped and never turned into a job twice;
//   - a job is marked `building` (attempt + 1) before its build starts; on the next start every
//     `building` job goes back to `queued` and is built again (nothing finished is lost);
//   - a finished build's outcome and its entries to submit (the outbox) commit together, and the job
//     is `done` only when the outbox is empty; the log answers a resubmitted entry with its old index,
//     so a submission repeated after a crash adds nothing.
//
// Example job row: {id 3, key "release:sample-node/0.1.0/114c…", kind release, log_index 41,
//   product sample-node, version 0.1.0, state done, outcome "mismatch", detail "sample-node.tar.zst: …"}.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/json.hpp"
#include "core/result.hpp"
#include "tlog/monitor.hpp"
#include "tlog/sqlite.hpp"

namespace cocoon::watch {

// Where the daemon stands in the log: the verified tree it has read up to (the compact range lets the
// next run recompute the root from new entries alone) and the checkpoint note, with the witnesses'
// cosignatures, that vouched for it.
struct LogPosition {
  std::string log_key;  // verifier key string; a state is never reused for another log
  tlog::Hash root{};
  tlog::CompactRange range;
  std::string checkpoint;
};

enum class JobKind { candidate, release };
const char* job_kind_name(JobKind kind);

// queued -> building -> submitting -> done; waiting: a release whose recipe is not known yet (queued again
// when a candidate with its recipe digest arrives); error: gave up after the retry cap (network, I/O).
enum class JobState { queued, building, submitting, done, waiting, error };
const char* job_state_name(JobState state);

struct Job {
  std::int64_t id = 0;
  std::string key;  // unique: "candidate:<recipe sha256>" or "release:<product>/<version>/<recipe sha256>"
  JobKind kind = JobKind::candidate;
  std::uint64_t log_index = 0;  // the candidate entry, or the targets entry that published the release
  std::string entry_sha256;
  std::uint64_t targets_version = 0;
  std::string product, version, recipe_sha256, source_commit;
  std::map<std::string, std::string> expected;  // artifact name -> sha256 (release jobs)
  JobState state = JobState::queued;
  int attempts = 0;
  std::int64_t not_before = 0;  // Unix seconds: retry no earlier
  std::string outcome;          // "attested", "reproduced", "mismatch", "build-failure", "" while open
  std::string detail;           // first difference, failed step, last error
  std::string created, updated;
};

struct StoredCandidate {
  std::uint64_t log_index = 0;
  std::string entry_sha256, product, version, recipe_sha256, source_commit, signer;
  Bytes recipe;
};

struct OutboxEntry {
  std::int64_t id = 0;
  std::int64_t job_id = 0;
  std::string kind;  // "attestation" or "verdict"
  Bytes entry;
};

class WatchState {
 public:
  // Opens (creating) DIR/watch.db. Errors: io.
  static Result<WatchState> open(const std::filesystem::path& dir);

  Status begin();
  Status commit();
  void rollback();

  Result<std::optional<LogPosition>> position();
  Status set_position(const LogPosition& position);

  // INSERT OR IGNORE by key; true when the job is new.
  Result<bool> add_job(const Job& job);
  Status add_candidate(const StoredCandidate& candidate);
  Result<std::optional<StoredCandidate>> candidate_by_recipe(const std::string& recipe_sha256);
  Result<std::optional<StoredCandidate>> candidate_at(std::uint64_t log_index);

  Result<std::vector<Job>> jobs();  // every job, oldest first
  Result<std::optional<Job>> job(std::int64_t id);
  // The oldest queued job whose not_before has passed.
  Result<std::optional<Job>> next_runnable(std::int64_t now);
  Status set_job_state(std::int64_t id, JobState state, const std::string& detail,
                       std::int64_t not_before = 0);
  // queued -> building, attempts + 1 (committed before the build starts).
  Status start_job(std::int64_t id);
  // building -> submitting with the outcome and the entries to submit, in one transaction.
  Status finish_job(std::int64_t id, const std::string& outcome, const std::string& detail,
                    const std::vector<OutboxEntry>& entries);
  // Every `building` job back to `queued`: what a crash interrupted is built again.
  Result<int> requeue_interrupted();
  // waiting release jobs with this recipe digest -> queued.
  Status wake_waiting(const std::string& recipe_sha256);
  // A verdict of ours found in the log: the job it answers needs no build (state lost or restored).
  Status mark_verified(const std::string& key, const std::string& outcome);

  Result<std::vector<OutboxEntry>> outbox();
  // Records a submission; the job becomes done when its last entry is out.
  Status mark_submitted(std::int64_t outbox_id, std::optional<std::uint64_t> log_index);

 private:
  explicit WatchState(tlog::SqliteDb db) : db_(std::move(db)) {}
  tlog::SqliteDb db_;
};

// The job table as JSON (watch-status --json): [{"id":1,"kind":"candidate",...}].
Json job_json(const Job& job);

}  // namespace cocoon::watch
