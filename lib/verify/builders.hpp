#pragma once
// Builder agreement at install time: a target is installed only if at least the policy's builder
// threshold of distinct trusted builder keys attested the very digest the targets metadata lists.
// The maintainers' signatures say "we release this"; the attestations say "independent builders got
// these bytes from the source", so one stolen maintainer quorum cannot ship bytes no builder rebuilt.
//
// The targets entry cites its attestations by the SHA-256 of each attestation file
// (custom.cocoon.attestations, lib/release/propose.hpp); the repository serves each one at
// "attestations/<sha256>.json".
// Example: policy builders {b1, b2, b3} threshold 2; target "sample-node/sample-node.tar.zst" sha256 9f86..
// cites files F1 (b1: sample-node.tar.zst=9f86..) and F2 (b3: sample-node.tar.zst=1111..) -> one builder
// backs 9f86..: Errc::builder_agreement.
#include <string>
#include <utility>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "release/policy.hpp"
#include "release/roles.hpp"

namespace cocoon::verify {

inline constexpr std::uint64_t kMaxAttestationBytes = 1 << 20;

std::string attestation_path(const std::string& sha256_hex);

// The SHA-256 digests the entry cites. Errc::builder_agreement when it cites none (nothing backs
// it), invalid_input when custom.cocoon.attestations is malformed.
Result<std::vector<std::string>> cited_attestations(const std::string& target_path,
                                                    const release::TargetFile& info);

struct CitedAttestation {
  std::string sha256;  // as cited
  Bytes bytes;         // the file as fetched
};

struct BuilderVerdict {
  std::vector<std::string> builders;  // names (or key ids) of the distinct trusted builders that agree
  std::vector<std::string> notices;   // attestations that did not count, and why
};

// Only attestations stating the target's labels count (its product directory and custom.cocoon
// version, recipe_sha256 and source_commit; attest/labels.hpp).
// Errors: hash_mismatch (a fetched file is not the one cited), builder_agreement (fewer than the
// threshold of trusted builders attested the target's sha256 under its file name), label_mismatch
// (not enough agreement, and a cited attestation describes another version, recipe or commit),
// invalid_input (the target carries no labels).
Result<BuilderVerdict> check_builder_agreement(const release::CocoonPolicy& policy,
                                               const std::string& target_path,
                                               const release::TargetFile& info,
                                               const std::vector<CitedAttestation>& attestations);

}  // namespace cocoon::verify
