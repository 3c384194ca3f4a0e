#pragma once
// The proof that a release's targets metadata is in the transparency log, as the repository serves it
// beside the metadata ("log/<V>.targets.bundle.json", lib/release/repository.hpp), and the check a node
// makes of it.
//
// The log entry of a release is the exact bytes of its published "<V>.targets.json". The proof file:
//   {"schema":"cocoon-log-proof/v1","index":7,
//    "checkpoint":"<origin>\n12\n<root b64>\n\n— <log key> …\n— <witness> …\n",
//    "inclusion":["<b64 hash>", …],
//    "consistency":[{"old_size":9,"proof":["<b64 hash>", …]}, …]}
// "consistency" holds proofs from the checkpoint sizes of earlier releases to this checkpoint, so a node
// that accepted any earlier release can check it is shown the same log, with no request to the log.
//
// Example: node last accepted size 9 root R9; proof has checkpoint size 12 root R12 signed by the log
// key and cosigned by 2 of the 3 policy witnesses (quorum 2), an inclusion proof of the targets bytes at
// index 11, and consistency 9 -> 12: accepted, the node now stores the size-12 checkpoint.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/json.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "release/policy.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/proof.hpp"

namespace cocoon::verify {

inline constexpr const char* kLogProofSchema = "cocoon-log-proof/v1";
inline constexpr std::uint64_t kMaxLogProofBytes = 1 << 20;

struct LogProof {
  std::uint64_t index = 0;
  std::string checkpoint;  // signed note with the witnesses' cosignature lines
  tlog::Proof inclusion;
  std::map<std::uint64_t, tlog::Proof> consistency;  // old size -> proof old -> checkpoint size
};

Result<LogProof> parse_log_proof(ByteView bytes);
std::string format_log_proof(const LogProof& proof);

// Where the repository serves the proof of targets version `version`.
std::string log_proof_path(std::uint64_t version);

// The producer side (for publishers and tests): proofs read from `tree`, which holds at least the
// checkpoint's size; `earlier_sizes` are the checkpoint sizes of earlier releases.
Result<LogProof> make_log_proof(tlog::HashReader& tree, const std::string& cosigned_checkpoint,
                                std::uint64_t index, const std::vector<std::uint64_t>& earlier_sizes);

// What the check established.
struct LogVerdict {
  tlog::Checkpoint checkpoint;
  std::string checkpoint_note;                   // to store as the node's last accepted checkpoint
  std::vector<std::string> witnesses;            // names of the witnesses whose cosignature verified
  std::vector<std::string> ignored_witnesses;    // "<name>: <why>" for cosignatures not counted
  std::optional<std::uint64_t> consistent_from;  // the size of the previously accepted checkpoint
};

// Which part of the check refused, so callers can name it without reading the message.
enum class LogCheckStage { checkpoint, witnesses, inclusion, consistency };
const char* log_check_stage_name(LogCheckStage stage);  // "log inclusion", "witnesses", ...

// A cosignature dated further than this into the future of the node's clock is not counted: a witness
// with a broken clock (or a forged line) must not look like a witness that saw the tree.
inline constexpr UnixSeconds kMaxCosignatureClockSkew = 10 * 60;

// Checks, in order: the checkpoint is signed by the policy's log key for its origin; at least the
// policy's quorum of distinct witness keys cosigned it, each cosignature dated no later than
// now + kMaxCosignatureClockSkew; the inclusion proof places `targets_bytes` at `index`; the tree is an
// extension of `last_accepted` (same root at the same size, or a valid consistency proof from its
// size). Errors: log_inconsistent (any of those), rollback (the checkpoint is smaller than the one this
// node accepted before), invalid_input (the policy's keys do not parse). On error `*failed` (when
// given) says which stage refused.
Result<LogVerdict> check_log_proof(const release::CocoonPolicy& policy, ByteView targets_bytes,
                                   const LogProof& proof,
                                   const std::optional<std::string>& last_accepted_note, UnixSeconds now,
                                   LogCheckStage* failed = nullptr);

}  // namespace cocoon::verify
