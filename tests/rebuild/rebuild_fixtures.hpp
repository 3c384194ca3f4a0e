#pragma once
// A candidate for manifests/sample-node.json and verdicts about it, for the rebuild entry tests.
#include <string>

#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "rebuild/entries.hpp"

namespace cocoon::rebuild::testing {

inline Bytes sample_recipe() {
  return read_file(std::string(COCOON_SOURCE_DIR) + "/manifests/sample-node.json").value();
}

inline Candidate sample_candidate() {
  Candidate c;
  c.recipe = sample_recipe();
  c.labels = {"sample-node", "0.1.0", crypto::sha256_hex(ByteView(c.recipe)),
              "90755cf1c8492e3b0426c1b01e34752271364fc5"};
  c.source_url = "https://fixtures.cocoon-release.invalid/sample-node.git";
  c.created = "2026-12-05T08:00:00Z";
  return c;
}

inline std::string digest_of(const std::string& text) {
  return crypto::sha256_hex(std::string_view(text));
}

inline Verdict sample_verdict(Outcome outcome) {
  Verdict v;
  v.labels = sample_candidate().labels;
  v.subject = {VerdictSubject::Kind::release, 41, digest_of("targets entry"), 3};
  v.outcome = outcome;
  v.artifacts = {{"sample-node.tar.zst", digest_of("tar"), digest_of("tar")},
                 {"sample-node", digest_of("bin"), digest_of("bin")}};
  if (outcome == Outcome::mismatch) {
    v.artifacts[1].sha256 = digest_of("other bin");
    v.first_difference = "sample-node: .text differs at offset 0x1040";
  }
  if (outcome == Outcome::build_failure) {
    v.artifacts = {};
    v.failure = "step compile exited with status 2";
  }
  v.builder = "builder-a";
  v.finished = "2026-12-05T08:03:10Z";
  return v;
}

}  // namespace cocoon::rebuild::testing
