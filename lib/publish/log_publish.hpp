#pragma once
// Putting a release into the transparency log the root names, the way `cocoon-sign publish` does it:
// append the entries (as the log's own writer, or through a log server's POST /add), have witnesses
// cosign a checkpoint that covers them, and gather the proofs a node needs into a LogBundle.
//
// Example: log at size 40, earlier releases were logged at checkpoint sizes 12 and 31, two witnesses
// given, quorum 2. Appending targets + 3 attestations gives a checkpoint of size 44; witness A held 31
// and gets the proof 31 -> 44, witness B held 0 and gets none; the bundle carries the checkpoint with
// both cosignature lines, 4 inclusion proofs at size 44 and consistency proofs 12 -> 44 and 31 -> 44.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "publish/log_bundle.hpp"
#include "release/policy.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/note.hpp"
#include "tlog/witness_client.hpp"

namespace cocoon::publish {

struct LogDestination {
  std::string location;                    // a log directory, or an http(s):// base URL of `cocoon-log serve`
  std::optional<tlog::NoteSigner> signer;  // required for a directory: we are its writer
  long timeout_seconds = 30;
};

// What each witness answered, for the publisher's report.
struct WitnessOutcome {
  std::string url;
  bool cosigned = false;
  std::string detail;  // the witness key name, or why it did not cosign
};

struct LoggedRelease {
  tlog::LogBundle bundle;
  std::vector<WitnessOutcome> witnesses;
  // How the log really grew: its size before the append and at the bundle's checkpoint, and how many
  // entries were new (an attestation an earlier release logged is found, not appended again). Other
  // writers of a served log may have added entries in between: size_after - size_before counts them.
  std::uint64_t size_before = 0;
  std::uint64_t size_after = 0;
  std::size_t new_entries = 0;
};

// Appends `entries`, asks every witness to cosign (a witness that is down or refuses is reported, not
// fatal, as long as the policy's quorum is still met), and proves each entry and the consistency from
// every `earlier` checkpoint to the final one — each proof is checked against the earlier root, so a
// log that forked since an earlier release is refused here, before any node sees it. The result is
// checked with verify_log_bundle before it is returned. Errors: log_inconsistent (quorum not met, a
// proof does not verify, a fork, the log's checkpoint not signed by the policy's key), network, io,
// invalid_input.
Result<LoggedRelease> log_release(const LogDestination& log, const release::CocoonPolicy& policy,
                                  const std::vector<LoggedEntry>& entries,
                                  const std::vector<tlog::WitnessEndpoint>& witnesses,
                                  const std::vector<tlog::Checkpoint>& earlier);

// What append_entries did: the index of each entry (in order; an entry already in the log keeps its
// first index) and a checkpoint covering them all, signed by the log key.
struct AppendedEntries {
  std::vector<std::uint64_t> indexes;
  tlog::VerifiedCheckpoint checkpoint;
};

// Appends entries that need no witnesses and no bundle (a release candidate, a rebuild verdict), the
// way log_release does: as the directory's writer (log.signer required, and it must be `log_key`) or
// through POST /add of a log server. The checkpoint is checked against `log_key` and `origin`.
// Errors: crypto (the signer is not log_key), log_inconsistent (an index beyond the checkpoint),
// signature (checkpoint), network, io, invalid_input (the server refused the entry).
Result<AppendedEntries> append_entries(const LogDestination& log, const tlog::NoteVerifier& log_key,
                                       std::string_view origin, const std::vector<LoggedEntry>& entries);

// The checkpoints of the releases already published in `repo` (its log/*.targets.bundle.json), sorted
// by size, one per size. A bundle that cannot be read is an error: nodes that accepted it would be
// left without a consistency proof.
Result<std::vector<tlog::Checkpoint>> published_checkpoints(const std::filesystem::path& repo);

}  // namespace cocoon::publish
