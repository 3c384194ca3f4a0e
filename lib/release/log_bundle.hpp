#pragma once
// The log bundle of a published targets version: evidence that the signed targets file (and the
// attestations it cites) are entries of the transparency log the root's policy names, stored at
// <repo>/log/<V>.targets.bundle.json. A verifier checks it with verify_log_bundle, a pure function.
//
// Example: {"origin":"example.org/cocoon-releases",
//           "checkpoint":"example.org/cocoon-releases\n5\n<base64 root>\n\n— example.org/… <sig>\n",
//           "entries":[{"kind":"targets","sha256":"<hex of the entry bytes>","index":4,
//                       "inclusion_proof":["<base64 hash>", …]}, …],
//           "consistency":[{"old_size":3,"proof":["<base64 hash>", …]}, …]}
// Witness cosignatures, when collected, are extra signature lines of the checkpoint note.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/json.hpp"
#include "core/result.hpp"
#include "release/policy.hpp"
#include "tlog/note.hpp"
#include "tlog/proof.hpp"

namespace cocoon::release {

struct LogBundleEntry {
  std::string kind;    // "targets" or "attestation"
  std::string sha256;  // of the entry bytes
  std::uint64_t index = 0;
  tlog::Proof inclusion_proof;
};

struct LogBundle {
  std::string origin;
  std::string checkpoint;  // the signed checkpoint note, cosignatures included
  std::vector<LogBundleEntry> entries;
  // Old tree size -> consistency proof from it to the checkpoint's size: one per earlier release, so
  // a node that accepted any of them checks this one extends it without asking the log.
  std::map<std::uint64_t, tlog::Proof> consistency;
};

Json log_bundle_json(const LogBundle& bundle);

// The "consistency" member, the same in the bundle and in cocoon-log-proof/v1 files (lib/verify):
// [{"old_size": N, "proof": ["<base64 hash>", …]}, …], at most 64 hashes a proof, one proof per size.
Json consistency_proofs_json(const std::map<std::uint64_t, tlog::Proof>& proofs);
// An absent member is no proofs. Errc::invalid_input, prefixed with `what`, for anything malformed.
Result<std::map<std::uint64_t, tlog::Proof>> parse_consistency_proofs(const Json& doc, std::string_view what);
Result<LogBundle> parse_log_bundle(const Json& doc);

struct LoggedEntry {
  std::string kind;
  Bytes bytes;
};

// Checks that every entry is in the log of `policy` (checkpoint signed by the log key with the policy's
// origin, inclusion proof to its root) and that the checkpoint carries cosignatures from at least the
// policy's witness quorum of distinct policy witnesses. `entries` are the bytes the bundle claims, in
// order. Errors: log_inconsistent (bad proof, too few witnesses, entry mismatch), signature (checkpoint
// not signed by the log key), invalid_input (malformed).
Status verify_log_bundle(const LogBundle& bundle, const CocoonPolicy& policy,
                         const std::vector<LoggedEntry>& entries);

// I/O: appends the entries to the log directory `log_dir` (created with `cocoon-log init`) as its one
// writer, signing the checkpoint with `signer`, and returns the bundle proving them.
Result<LogBundle> append_to_log(const std::filesystem::path& log_dir, const tlog::NoteSigner& signer,
                                const std::vector<LoggedEntry>& entries);

}  // namespace cocoon::release
