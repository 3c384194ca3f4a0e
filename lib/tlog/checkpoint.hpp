#pragma once
// C2SP tlog-checkpoint: the signed statement of a log's size and root hash, and C2SP
// tlog-cosignature (cosignature/v1) witness signatures over it.
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "tlog/hash.hpp"
#include "tlog/note.hpp"

namespace cocoon::tlog {

// Invariant: origin is a non-empty line, extensions are non-empty lines.
// Example body: "example.org/cocoon-test-log\n300\nrrsCfVw90Ihx7lJXemH8gxItDRQ1J5GUNjm9TBLTaUM=\n".
struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;
};

std::string format_checkpoint_body(const Checkpoint& c);
// Refuses a missing line, a size with leading zeros or non-digits, a root that is not 32 bytes.
Result<Checkpoint> parse_checkpoint_body(std::string_view body);

// The signed checkpoint note, signed by `signer` (whose name should be the origin).
std::string sign_checkpoint(const Checkpoint& c, const NoteSigner& signer);

// A checkpoint whose signature by the log key has been checked, with the note it came from.
struct VerifiedCheckpoint {
  Checkpoint checkpoint;
  Note note;
};
// Checks the note signature with the log's verifier key and that the origin is the expected one
// (the verifier's name when expected_origin is empty). Errors: signature (missing / forged),
// invalid_input (malformed note or body, wrong origin).
Result<VerifiedCheckpoint> open_checkpoint(std::string_view signed_note, const NoteVerifier& log_key,
                                           std::string_view expected_origin = {});

// cosignature/v1: the message a witness signs, "cosignature/v1\ntime <t>\n" + checkpoint body.
std::string cosignature_message(std::string_view checkpoint_body, std::uint64_t timestamp);
// The witness's signature line (alg 0x04 key hash; signature = 8-byte big-endian time || Ed25519 sig).
NoteSignature cosign_checkpoint(std::string_view checkpoint_body, std::uint64_t timestamp,
                                const NoteSigner& witness);
// Finds and checks the witness's cosignature on a note; returns its timestamp. Errors: not_found when
// the note carries no line for that key; signature when it is there and does not verify.
Result<std::uint64_t> verify_cosignature(const Note& note, const NoteVerifier& witness);

}  // namespace cocoon::tlog
