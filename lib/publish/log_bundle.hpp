#pragma once
// The publisher's side of a log bundle (the format is tlog/log_bundle.hpp): appending a release's
// entries to a log directory, and the check that a bundle proves them under the root's policy, which
// `publish` makes before anything is written to the repository.
#include <filesystem>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "release/policy.hpp"
#include "tlog/log_bundle.hpp"
#include "tlog/note.hpp"

namespace cocoon::publish {

// One log entry of a release: the exact bytes logged, and what they are ("targets", "attestation").
struct LoggedEntry {
  std::string kind;
  Bytes bytes;
};

// Checks that every entry is in the log of `policy` (checkpoint signed by the log key with the policy's
// origin, inclusion proof to its root) and that the checkpoint carries cosignatures from at least the
// policy's witness quorum of distinct policy witnesses. `entries` are the bytes the bundle claims, in
// order. Pure. Errors: log_inconsistent (bad proof, too few witnesses, entry mismatch), signature
// (checkpoint not signed by the log key), invalid_input (malformed).
Status verify_log_bundle(const tlog::LogBundle& bundle, const release::CocoonPolicy& policy,
                         const std::vector<LoggedEntry>& entries);

// I/O: appends the entries to the log directory `log_dir` (created with `cocoon-log init`) as its one
// writer, signing the checkpoint with `signer`, and returns the bundle proving them.
Result<tlog::LogBundle> append_to_log(const std::filesystem::path& log_dir, const tlog::NoteSigner& signer,
                                      const std::vector<LoggedEntry>& entries);

}  // namespace cocoon::publish
