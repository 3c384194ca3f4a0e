#pragma once
// What `cocoon-build verify` compares a rebuild against: the digests another party published, either a
// SHA256SUMS file or another builder's attestation.
//
// Example: expected {a.tar.zst=11.., b=22..}, built {a.tar.zst=11.., b=33.., c=44..}
//   -> matched {a.tar.zst}, mismatched {b: expected 22.. built 33..}, extra {c}; verdict MISMATCH.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "attest/statement.hpp"
#include "core/result.hpp"

namespace cocoon::attest {

struct ExpectedDigests {
  std::string source_kind;    // "SHA256SUMS" or "attestation"
  std::string signer_keyids;  // attestation only: the key ids its signatures claim (not verified here)
  std::vector<Subject> subjects;
};

// sha256sum's format: "<64 hex>  name" or "<64 hex> *name" per line; blank lines allowed; anything else,
// upper-case hex or a name listed twice is refused with the line number.
Result<std::vector<Subject>> parse_sha256sums(std::string_view text);
// A DSSE envelope (subjects of its statement) or a SHA256SUMS file.
Result<ExpectedDigests> load_expected_digests(const std::filesystem::path& path);

struct DigestMismatch {
  std::string name;
  std::string expected;
  std::string actual;
};

struct VerifyOutcome {
  std::vector<std::string> matched;
  std::vector<DigestMismatch> mismatched;
  std::vector<std::string> missing;  // expected but not built
  std::vector<std::string> extra;    // built but not expected (reported, not a failure)
  bool match() const { return mismatched.empty() && missing.empty() && !matched.empty(); }
};

VerifyOutcome compare_with_expected(const std::vector<Subject>& built, const std::vector<Subject>& expected);

}  // namespace cocoon::attest
