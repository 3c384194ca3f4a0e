#pragma once
// Following the root's transparency log the way a node checks a release, one poll at a time: the
// log's checkpoint must be signed by the policy's log key for the policy's origin and cosigned by a
// quorum of the policy's witnesses (the daemon asks the witnesses given to it, as a publisher does),
// and the new tree must extend the one read before (consistency proof from the stored size, or the same
// root at the same size). The entries since then are read from the tiles and handed to `on_entry` in
// order; their hashes, folded into the stored compact range, must give the signed root, or the step
// fails and the caller throws away what on_entry did (one transaction).
//
// Example: stored position size 9; the log shows a checkpoint of size 12, witness A cosigns (quorum 1);
// proof 9 -> 12 checks; entries 9, 10, 11 are passed to on_entry; the new position is size 12.
// The log shows size 7: Errc::rollback. The log shows size 9 with another root, or a proof that does
// not check: Errc::log_inconsistent (a fork). Both stop the daemon.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "release/policy.hpp"
#include "tlog/log_client.hpp"
#include "tlog/witness_client.hpp"
#include "watch/state.hpp"

namespace cocoon::watch {

struct FollowStep {
  LogPosition next;
  std::uint64_t old_size = 0;
  std::vector<std::string> witnesses;  // names of the witnesses whose cosignature counted
};

// Called for each new entry, in log order. An error stops the step (and is returned).
using EntrySink = std::function<Status(std::uint64_t index, ByteView entry)>;

// Errors: rollback, log_inconsistent (fork, bad proof, entries not matching the root), signature (the
// checkpoint is not the policy log's), network (the log or too many witnesses could not be reached: the
// quorum is not met), invalid_input (the policy's keys do not parse, or `previous` is of another log).
Result<FollowStep> follow_step(tlog::LogClient& client, const release::CocoonPolicy& policy,
                               const std::vector<tlog::WitnessEndpoint>& witnesses,
                               const std::optional<LogPosition>& previous, UnixSeconds now,
                               const EntrySink& on_entry);

// True for the errors that mean the log itself is not to be trusted (stop), false for those worth
// another try later (network, a witness that has not caught up).
bool is_log_fatal(const Error& error);

}  // namespace cocoon::watch
