#pragma once
// The labels of a release: which product, which version, built from which recipe bytes and which
// source commit. Builders state them in every attestation (SLSA buildDefinition.externalParameters,
// written by from_build.cpp); maintainers repeat them in each target's custom.cocoon. Artifact digests
// alone do not tie the two: a copy of a recipe with only "version" changed builds the same bytes, so
// a release could claim a version no builder ever built. Comparing labels closes that gap.
//
// Example: externalParameters {"recipe": {"name": "sample-node", "version": "0.1.0",
//   "digest": {"sha256": "114c…"}}, "source": {"url": "…", "commit": "9075…"}}
//   -> {product "sample-node", version "0.1.0", recipe_sha256 "114c…", source_commit "9075…"}.
#include <string>

#include "attest/statement.hpp"
#include "core/result.hpp"

namespace cocoon::attest {

struct ReleaseLabels {
  std::string product;
  std::string version;
  std::string recipe_sha256;
  std::string source_commit;
  bool operator==(const ReleaseLabels&) const = default;
};

// The labels a statement attests. Errc::invalid_input when the predicate lacks any of them or one is
// not a string.
Result<ReleaseLabels> attested_labels(const Statement& statement);

// "sample-node 0.1.0 (recipe 114c…, commit 9075…)": digests shortened to 12 digits, for messages.
std::string describe_labels(const ReleaseLabels& labels);

// The first label that differs, as "version 9.9.9 where the builders attested 0.1.0"; empty when
// equal. `claimed` is what the release says, `attested` what a builder signed.
std::string label_difference(const ReleaseLabels& claimed, const ReleaseLabels& attested);

}  // namespace cocoon::attest
