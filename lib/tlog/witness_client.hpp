#pragma once
// The log side of C2SP tlog-witness: ask a witness to cosign a checkpoint, proving consistency with the
// size the witness last cosigned. The client does not need to remember that size: a first request with
// "old 0" is answered 409 with the witness's size, and the request is repeated with the proof (a few times at
// most when other clients move the witness meanwhile).
//
// Example: the witness last cosigned size 5; we hold a checkpoint of size 9. Request "old 0" -> 409
// "5"; request "old 5" + prove(5, 9) -> 200 "— witness.example <base64>\n", returned as one
// NoteSignature. Had the witness cosigned size 12 already, the answer is Errc::rollback: this checkpoint
// is older than what the witness has seen, and the caller should retry with the log's newest one.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "tlog/note.hpp"
#include "tlog/proof.hpp"

namespace cocoon::tlog {

// Supplies the consistency proof between two tree sizes of the log the checkpoint belongs to.
using ConsistencyProver = std::function<Result<Proof>(std::uint64_t old_size, std::uint64_t new_size)>;

struct WitnessEndpoint {
  std::string url;  // base URL; the request goes to <url>/add-checkpoint
  long timeout_seconds = 30;
};

// The cosignature lines the witness returned (at least one). Errors: network (transport, 5xx),
// rollback (the witness has cosigned a larger tree than `checkpoint_note`), log_inconsistent (the
// witness refused the proof or the checkpoint), not_found (the witness does not know the log),
// signature (the witness says the log's signature does not verify), invalid_input (a malformed answer).
Result<std::vector<NoteSignature>> request_cosignature(const WitnessEndpoint& witness,
                                                       const std::string& checkpoint_note,
                                                       const ConsistencyProver& prove);

}  // namespace cocoon::tlog
