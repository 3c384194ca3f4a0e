#pragma once
// k-of-n builder agreement over signed attestations (docs/formats.md, "Attestations").
//
// An artifact digest is reproduced when at least K distinct trusted builder keys signed statements
// whose subject lists that name with that digest. Example with K=2 and trusted keys A, B, C:
//   A: app.tar.zst=11..  B: app.tar.zst=11..  C: app.tar.zst=22..
//   -> app.tar.zst reproduced (11.. backed by A, B), dissent by C; fails only in strict mode.
// A decision is a pure function of the envelopes, the trusted keys and the options.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "attest/dsse.hpp"
#include "attest/statement.hpp"
#include "core/json.hpp"
#include "core/result.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::attest {

struct AttestationInput {
  std::string source;  // where it came from (file name), for reports
  DsseEnvelope envelope;
};

struct CompareOptions {
  std::size_t threshold = 1;  // K >= 1
  bool strict = false;        // any dissent fails
};

struct Builder {
  std::string keyid;
  std::string name;  // from the trusted key list
};

struct DigestBacking {
  std::string sha256;
  std::vector<Builder> builders;  // distinct, sorted by keyid
};

struct ArtifactVerdict {
  std::string name;
  std::vector<DigestBacking> digests;  // most-backed first, then by digest
  std::string agreed_sha256;           // empty unless reproduced
  bool reproduced = false;             // one digest has >= K builders and no other digest does
  bool dissent = false;                // trusted builders disagree on the digest
};

// Something reported and left out of the count.
struct Notice {
  std::string source;
  std::string message;
};

struct CompareReport {
  std::size_t threshold = 0;
  bool strict = false;
  std::vector<ArtifactVerdict> artifacts;  // sorted by name
  std::vector<Builder> builders;           // distinct trusted builders that counted
  std::vector<Notice> ignored;             // untrusted/bad signatures, unparsable statements
  std::vector<Notice> warnings;            // duplicates, contradicting builders, builder id mismatch
  std::vector<std::string> failures;       // one line per reason the comparison fails
  bool pass = false;
};

// Errc::invalid_input for K < 1, an empty input list or an empty trusted list; every other problem
// is reported in the CompareReport.
Result<CompareReport> compare_attestations(const std::vector<AttestationInput>& inputs,
                                           const std::vector<crypto::PublicKey>& trusted,
                                           const CompareOptions& options);

Json compare_report_json(const CompareReport& report);

// Loads envelopes from files and directories (every *.json file directly inside a directory, sorted).
// A file that is not an envelope is an error; the caller decides what to do with it.
Result<std::vector<AttestationInput>> load_attestations(const std::vector<std::filesystem::path>& paths);

}  // namespace cocoon::attest
