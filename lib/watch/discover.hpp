#pragma once
// What a log entry means to a watching builder. Pure: the entry's bytes and the trusted root in, a
// finding out; no I/O, no clock.
//   - a release candidate signed by a key of the root's targets role -> a candidate to rebuild;
//   - TUF targets metadata meeting the root's targets threshold -> one release per product it lists
//     (a product carried forward unchanged is the same release again: the job key dedups it);
//   - a rebuild verdict signed by this builder's own key -> that release needs no rebuild (a restored
//     or lost state does not make the builder repeat itself in the log);
//   - anything else (attestations, other builders' verdicts, unrelated entries) -> nothing.
// A candidate or targets entry that fails its signature check is `ignored` with the reason, so the
// daemon can say why it did not build what looks like a release.
//
// Example: a targets v3 entry at index 41 listing sample-node/sample-node.tar.zst (sha256 9f86…, labels
// sample-node 0.1.0, recipe 114c…) -> releases [{key "release:sample-node/0.1.0/114c…", log_index 41,
// targets_version 3, expected {"sample-node.tar.zst": "9f86…"}}].
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "crypto/key_file.hpp"
#include "rebuild/entries.hpp"
#include "release/roles.hpp"
#include "watch/state.hpp"

namespace cocoon::watch {

struct Trust {
  release::Root root;                          // the pinned root (its targets role, its policy)
  std::vector<crypto::PublicKey> maintainers;  // the targets role's keys, named from the policy
  crypto::PublicKey builder;                   // this daemon's own key
};

// The targets role's Ed25519 keys of `root`, named as the policy names maintainers.
std::vector<crypto::PublicKey> targets_role_keys(const release::Root& root);

struct Finding {
  std::optional<StoredCandidate> candidate;
  std::vector<Job> releases;
  std::optional<std::string> own_verdict_key;  // the job key our logged verdict answers
  std::string own_verdict_outcome;
  std::string ignored;  // why a candidate- or targets-looking entry was not used
};

Finding examine_entry(std::uint64_t index, ByteView entry, const Trust& trust);

// The job key of a release and of a candidate.
std::string release_job_key(const std::string& product, const std::string& version,
                            const std::string& recipe_sha256);
// A candidate announced twice with the same recipe bytes is one job.
std::string candidate_job_key(const std::string& recipe_sha256);

}  // namespace cocoon::watch
