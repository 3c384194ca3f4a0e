#pragma once
// Requiring independent rebuilds before installing (`cocoon-verify update --require-rebuilds K`, issue
// 16): after the usual checks, a node counts the builders listed in the root that logged a signed
// rebuild verdict "reproduced" for exactly this release (lib/rebuild/entries.hpp) after the release's
// targets entry, and refuses the update with fewer than K distinct builder keys. It protects against
// maintainers who sign and publish what no independent builder reproduced after publication; it costs
// availability (a node waits for the rebuilds), so it is off by default (docs/node-operators.md).
//
// What the node reads from the log is the "evidence": the log's checkpoint with the witnesses'
// cosignatures, the proofs that it extends the release's checkpoint and still holds the release's
// targets entry, and every verdict entry logged after the release (up to kMaxRebuildScan entries),
// each with its inclusion proof. Online it is read from the log (read_rebuild_evidence); an offline
// bundle carries it as kRebuildEvidencePath (format_rebuild_evidence). Both are checked the same way
// (count_rebuild_verdicts), so a bundle is no more trusted than a log server.
//
// Evidence file:
//   {"schema":"cocoon-rebuild-verdicts/v1","checkpoint":"<origin>\n44\n<root>\n\n— <log> …\n— <witness> …\n",
//    "release_index":41,"release_inclusion":["<b64 hash>",…],
//    "consistency":[{"old_size":42,"proof":[…]}],          // release checkpoint size -> 44
//    "scanned_to":44,                                      // entries 42 … 43 were read
//    "verdicts":[{"index":43,"entry":"<b64 entry bytes>","inclusion":[…]}]}
//
// Example: release = targets v3 logged as entry 41 (checkpoint size 42); the log is now at size 44 with
// verdicts at 42 (builder-a, reproduced) and 43 (builder-b, reproduced): 2 builders; K = 3 refuses
// with Errc::builder_agreement, K = 2 accepts.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "attest/labels.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "release/policy.hpp"
#include "tlog/note.hpp"
#include "tlog/proof.hpp"
#include "tlog/tile.hpp"
#include "verify/log_proof.hpp"

namespace cocoon::verify {

inline constexpr const char* kRebuildEvidenceSchema = "cocoon-rebuild-verdicts/v1";
// Where an offline bundle carries the evidence (beside the repository's files).
inline constexpr const char* kRebuildEvidencePath = "cocoon/rebuild-verdicts.json";
// The most entries a node reads after the release's entry: a busy log cannot make a node read
// without end. Verdicts logged later than that are not seen (the refusal names the cap).
inline constexpr std::uint64_t kMaxRebuildScan = 4096;
// An evidence file's size cap: verdicts are a few KiB each, so this holds thousands of them; an offline
// bundle whose evidence would not fit is refused when it is written.
inline constexpr std::uint64_t kMaxRebuildEvidenceBytes = 64ull << 20;

struct LoggedVerdict {
  std::uint64_t index = 0;
  Bytes entry;  // the exact logged bytes (a DSSE envelope)
  tlog::Proof inclusion;
};

struct RebuildEvidence {
  std::string checkpoint;  // signed by the log, with the witnesses' cosignature lines
  std::uint64_t release_index = 0;
  tlog::Proof release_inclusion;                     // the release's targets entry in this tree
  std::map<std::uint64_t, tlog::Proof> consistency;  // the release checkpoint's size -> this tree
  std::uint64_t scanned_to = 0;                      // entries release_index+1 … scanned_to-1 were read
  std::vector<LoggedVerdict> verdicts;               // ascending indices, verdict entries only
};

std::string format_rebuild_evidence(const RebuildEvidence& evidence);
// Strict shape (members, types, base64, proof lengths, at most kMaxRebuildScan verdicts); the proofs
// and signatures are checked by count_rebuild_verdicts. Errc::invalid_input.
Result<RebuildEvidence> parse_rebuild_evidence(ByteView bytes);

// Gets witnesses' cosignatures for the log checkpoint a node read: the log serves its checkpoint signed
// by the log key only, and the quorum must see it too. The tools ask witnesses over HTTP (C2SP
// tlog-witness, as a log would; each checks the checkpoint extends what it cosigned before) so that
// lib/verify carries no witness client (docs/architecture.md, rule 3). `prove` gives consistency proofs
// between two sizes of that log. Returns the cosignature lines obtained; `problems` lists the witnesses
// that refused or could not be reached ("<url>: <why>"), the quorum is checked afterwards.
using ConsistencyProof = std::function<Result<tlog::Proof>(std::uint64_t old_size, std::uint64_t new_size)>;
using CheckpointCosigner = std::function<std::vector<tlog::NoteSignature>(
    const std::string& signed_note, const ConsistencyProof& prove, std::vector<std::string>& problems)>;

// Reads the evidence from a log: its checkpoint (signed by the policy's log key) with the cosignatures
// `cosign` gets (none without it), proofs from the log's tiles, and the verdict entries among the
// kMaxRebuildScan entries after `release_index`. Errors: network / not_found (the log), signature (its
// checkpoint), rollback (the log is smaller than the release's checkpoint `release_size`).
Result<RebuildEvidence> read_rebuild_evidence(tlog::TileFetcher& log, const release::CocoonPolicy& policy,
                                              std::uint64_t release_index, std::uint64_t release_size,
                                              const CheckpointCosigner& cosign,
                                              std::vector<std::string>* witness_problems);

// The release a node is about to install, as its verified metadata says.
struct ReleaseToRebuild {
  std::uint64_t log_index = 0;  // of the targets entry (the release's log proof)
  std::string entry_sha256;     // sha256 of the logged targets bytes
  std::uint64_t targets_version = 0;
  attest::ReleaseLabels labels;              // of the product this node runs
  std::map<std::string, std::string> files;  // target path -> sha256, the product's targets
};

struct RebuildTally {
  LogVerdict log;                          // the evidence's checkpoint and who cosigned it
  std::vector<std::string> reproduced_by;  // one name per distinct builder key, in log order
  std::vector<std::string> warnings;       // mismatch verdicts of listed builders for this release
  std::vector<std::string> not_counted;    // "entry N: why" for the other verdict entries
  std::uint64_t scanned = 0;               // entries read after the release's entry
  bool capped = false;                     // the log holds entries beyond what was read
};

// Checks the evidence (the checkpoint: log key, witness quorum, the release's targets entry at its
// index, an extension of `release_checkpoint`, which the node accepted with the release; each verdict
// entry's inclusion) and counts the verdicts that: are signed by a builder key of the policy; name this
// release (subject kind release, its index, entry sha256 and targets version); carry the product's
// labels; say "reproduced"; and list exactly the product's targets with their sha256 (produced and
// expected). A builder key counts once however many verdicts it logged. Errors (with `*failed`):
// log_inconsistent, rollback, invalid_input (the policy's keys) -- never for a verdict that does not
// count, which goes to not_counted or, for a mismatch, to warnings.
Result<RebuildTally> count_rebuild_verdicts(const release::CocoonPolicy& policy,
                                            const ReleaseToRebuild& release, ByteView targets_bytes,
                                            const std::string& release_checkpoint,
                                            const RebuildEvidence& evidence, UnixSeconds now,
                                            LogCheckStage* failed = nullptr);

}  // namespace cocoon::verify
