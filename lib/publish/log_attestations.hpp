#pragma once
// The builders' attestations of one release, collected from the transparency log instead of a
// directory (issue 16: builders that watch the log submit their attestations there). The entries are
// read through a LogClient, so every entry is checked against the leaf hashes of a checkpoint signed
// by the root's log key; the kept entries go to the same propose code path as a directory's files.
//
// Example: log of 7 entries (a candidate, attestations of sample-node 0.1.0 by builder-a and builder-b,
// one by builder-c for 0.0.9, a TUF targets, two unrelated blobs); labels sample-node 0.1.0 -> the two
// attestations of 0.1.0, with sources "log entry #1" and "log entry #2".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "attest/labels.hpp"
#include "core/result.hpp"
#include "release/policy.hpp"
#include "release/propose.hpp"
#include "tlog/log_client.hpp"

namespace cocoon::publish {

// How many entries one collection reads at most: a log grows without bound, and each entry may be
// 64 KiB. --since moves the window.
inline constexpr std::uint64_t kMaxScannedLogEntries = 20000;

struct LogAttestations {
  std::vector<release::AttestationFile> files;  // the entry bytes as logged, source "log entry #<index>"
  std::uint64_t size = 0;                       // the verified checkpoint's size
  std::uint64_t scanned = 0;                    // entries read: [since, size)
  std::uint64_t other_labels = 0;               // in-toto attestations of another release
};

// Reads entries [since, size) of the log's current checkpoint (its origin must be `origin`) and keeps
// the DSSE in-toto attestations whose statement states `labels` (attest/labels.hpp). Signatures are not
// checked here: propose counts only trusted builders, as for a directory.
// Errors: invalid_input (since beyond the log's size; more than max_entries to scan, naming the cap),
// log_inconsistent (another origin, entries that do not match the tiles), signature (checkpoint),
// network, io.
Result<LogAttestations> attestations_from_log(tlog::LogClient& client, std::string_view origin,
                                              const attest::ReleaseLabels& labels, std::uint64_t since,
                                              std::uint64_t max_entries = kMaxScannedLogEntries);

// The same for the log at `location` (a log directory, or the http(s):// base URL of `cocoon-log
// serve`), its checkpoint checked against the policy's log key and origin.
Result<LogAttestations> attestations_from_log(const std::string& location, long timeout_seconds,
                                              const release::CocoonPolicy& policy,
                                              const attest::ReleaseLabels& labels, std::uint64_t since,
                                              std::uint64_t max_entries = kMaxScannedLogEntries);

}  // namespace cocoon::publish
