#pragma once
// The two log entries that make rebuilding continuous (issue 16): a maintainer announces a release
// candidate in the log before proposing it, and a builder logs a signed rebuild verdict for each
// candidate or published release it rebuilt. Both are DSSE envelopes (attest/dsse.hpp, Ed25519) whose
// payload is canonical JSON, so the log, monitors and the explorer can tell them apart by payloadType
// alone, and a verifier checks exactly the signed payload bytes.
//
// Candidate payload (payloadType kCandidatePayloadType), signed by a key of the root's targets role:
//   {"_type":"cocoon.release-candidate/v1","product":"sample-node","version":"0.1.0",
//    "recipe_sha256":"114c…","source":{"url":"https://…","commit":"9075…"},
//    "recipe":"<standard base64 of the recipe file's bytes>","created":"2026-12-05T08:00:00Z"}
//   Invariant: sha256(recipe bytes) == recipe_sha256, and the recipe's own name/version/source equal
//   product/version/source (checked by parse_candidate_payload).
//
// Verdict payload (payloadType kVerdictPayloadType), signed by a builder key of the root's policy:
//   {"_type":"cocoon.rebuild-verdict/v1","product":"sample-node","version":"0.1.0",
//    "recipe_sha256":"114c…","source_commit":"9075…",
//    "subject":{"kind":"release","log_index":41,"entry_sha256":"<sha256 of the logged targets entry>",
//               "targets_version":3}        // or {"kind":"candidate","log_index":40,"entry_sha256":…}
//    "verdict":"reproduced"|"mismatch"|"build-failure",
//    "artifacts":[{"name":"libnodecore.tar.zst","sha256":"…","expected_sha256":"…"}],
//    "first_difference":"…",                 // mismatch only: diff's first difference, one line
//    "failure":"…",                          // build-failure only: the failed step and exit code
//    "measurement":{…},                      // optional: predicted TDX values and "matches_release"
//    "builder":"builder-a","finished":"2026-12-05T08:03:10Z"}
//   A verdict says "reproduced" only when every artifact's sha256 equals its expected_sha256.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "attest/labels.hpp"
#include "core/bytes.hpp"
#include "core/json.hpp"
#include "core/result.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::rebuild {

inline constexpr const char* kCandidatePayloadType = "application/vnd.cocoon.release-candidate.v1+json";
inline constexpr const char* kVerdictPayloadType = "application/vnd.cocoon.rebuild-verdict.v1+json";

struct Candidate {
  attest::ReleaseLabels labels;  // product, version, recipe_sha256, source_commit
  std::string source_url;
  Bytes recipe;         // the recipe file's bytes
  std::string created;  // RFC 3339 UTC, seconds
};

enum class Outcome { reproduced, mismatch, build_failure };
std::string outcome_name(Outcome outcome);  // "reproduced", "mismatch", "build-failure"

struct ArtifactResult {
  std::string name;
  std::string sha256;           // what this builder produced ("" when the build failed before it)
  std::string expected_sha256;  // what the candidate's attestations or the release's targets say
};

struct VerdictSubject {
  enum class Kind { candidate, release } kind = Kind::release;
  std::uint64_t log_index = 0;        // the candidate entry, or the release's targets entry
  std::string entry_sha256;           // sha256 of that logged entry's bytes
  std::uint64_t targets_version = 0;  // release only
};

struct Verdict {
  attest::ReleaseLabels labels;
  VerdictSubject subject;
  Outcome outcome = Outcome::build_failure;
  std::vector<ArtifactResult> artifacts;
  std::string first_difference;     // mismatch
  std::string failure;              // build_failure
  std::optional<Json> measurement;  // {"predicted": {...}, "matches_release": bool}
  std::string builder;
  std::string finished;  // RFC 3339 UTC, seconds
};

// Canonical JSON payload bytes, and their strict parsers (unknown members, wrong types, bad hex,
// control characters in names, an inconsistent outcome: Errc::invalid_input naming the member).
Bytes candidate_payload(const Candidate& candidate);
Result<Candidate> parse_candidate_payload(ByteView payload);
Bytes verdict_payload(const Verdict& verdict);
Result<Verdict> parse_verdict_payload(ByteView payload);

// The log entry: a compact DSSE envelope JSON signed by `key`. Fails (invalid_input) when the entry
// would exceed the log's 65535-byte entry limit.
Result<Bytes> sign_candidate(const Candidate& candidate, const crypto::SecretKey& key);
Result<Bytes> sign_verdict(const Verdict& verdict, const crypto::SecretKey& key);

// What kind of entry a logged byte string is, from its payloadType only (no signature check).
enum class EntryType { candidate, verdict, other };
EntryType entry_type(ByteView entry);

template <typename T>
struct Signed {
  T value;
  crypto::PublicKey signer;  // the trusted key whose signature verified
};

// Parses the envelope and payload and checks that one of `trusted` signed it.
// Errors: invalid_input (not this entry type, malformed), Errc::signature (no trusted signature).
Result<Signed<Candidate>> open_candidate(ByteView entry, const std::vector<crypto::PublicKey>& trusted);
Result<Signed<Verdict>> open_verdict(ByteView entry, const std::vector<crypto::PublicKey>& trusted);

}  // namespace cocoon::rebuild
