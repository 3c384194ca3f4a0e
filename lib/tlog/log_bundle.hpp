#pragma once
// The log bundle format: evidence that some entries (a release's signed targets file and the
// attestations it cites) are in a transparency log, as `cocoon-sign publish` stores it at
// <repo>/log/<V>.targets.bundle.json and as a node reads it. Only the format lives here (pure, no
// policy): lib/publish writes and self-checks bundles, lib/verify reads them, and neither depends on
// the other. Not to be confused with the tlog-tiles entry bundles of tile.hpp.
//
// Example: {"origin":"example.org/cocoon-releases",
//           "checkpoint":"example.org/cocoon-releases\n5\n<base64 root>\n\n— example.org/… <sig>\n",
//           "entries":[{"kind":"targets","sha256":"<hex of the entry bytes>","index":4,
//                       "inclusion_proof":["<base64 hash>", …]}, …],
//           "consistency":[{"old_size":3,"proof":["<base64 hash>", …]}, …]}
// Witness cosignatures, when collected, are extra signature lines of the checkpoint note.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "core/result.hpp"
#include "tlog/proof.hpp"

namespace cocoon::tlog {

struct LogBundleEntry {
  std::string kind;    // "targets" or "attestation"
  std::string sha256;  // of the entry bytes
  std::uint64_t index = 0;
  Proof inclusion_proof;
};

struct LogBundle {
  std::string origin;
  std::string checkpoint;  // the signed checkpoint note, cosignatures included
  std::vector<LogBundleEntry> entries;
  // Old tree size -> consistency proof from it to the checkpoint's size: one per earlier release, so
  // a node that accepted any of them checks this one extends it without asking the log.
  std::map<std::uint64_t, Proof> consistency;
};

Json log_bundle_json(const LogBundle& bundle);

// The "consistency" member, the same in the bundle and in cocoon-log-proof/v1 files (lib/verify):
// [{"old_size": N, "proof": ["<base64 hash>", …]}, …], at most 64 hashes a proof, one proof per size.
Json consistency_proofs_json(const std::map<std::uint64_t, Proof>& proofs);
// An absent member is no proofs. Errc::invalid_input, prefixed with `what`, for anything malformed.
Result<std::map<std::uint64_t, Proof>> parse_consistency_proofs(const Json& doc, std::string_view what);
// Checks shape only (members, types, hashes decode, at most 64 hashes a proof); signatures and proofs
// are checked by the reader that knows the policy. Errc::invalid_input for anything malformed.
Result<LogBundle> parse_log_bundle(const Json& doc);

}  // namespace cocoon::tlog
