#pragma once
// The release explorer's data file (explorer-data.json, "cocoon-explorer/v1"): what the static site
// shows, computed from the log's entries, the repository's log bundles and the trusted root. The page
// (assets/explorer.js) re-verifies in the browser everything that ties this file to the log: the
// checkpoint signature, the witness cosignatures of each release's checkpoint, and each shown entry's
// bytes and inclusion proof recomputed from the log's tiles. What it cannot re-verify (maintainer
// signatures over the TUF targets, attestation signatures) is computed here, with the same library
// checks the CLI uses, and docs/explorer.md says so.
//
// Example (abridged):
//   {"schema":"cocoon-explorer/v1","log":{"origin":"example.org/log","verifier_key":"example.org/log+…",
//    "base":"../","size":7},"witnesses":{"quorum":1,"keys":["witness.example+…"]},
//    "builders":[{"keyid":"…","name":"builder-a","public":"<64 hex>"}],
//    "releases":[{"targets_version":2,"entry":{"index":0,"sha256":"…"},
//      "signers":[{"keyid":"…","name":"alice"}],"threshold":2,"threshold_met":true,
//      "products":[{"product":"sample","version":"0.1.0","source_commit":"…","recipe_sha256":"…",
//        "artifacts":[{"path":"sample/hello.bin","name":"hello.bin","sha256":"…","length":5,
//                      "builders":["builder-a"],"image_hashes":[]}]}],
//      "attestations":[{"index":1,"sha256":"…","builder":"builder-a","keyid":"…"}],
//      "checkpoint":{"note":"<cosigned note>","size":3,"cosignatures":[{"name":"witness.example",
//                    "valid":true,"time":1796457700,…}]}}],
//    "verdicts":[{"index":5,"sha256":"…","product":"sample","version":"0.1.0","verdict":"reproduced",
//      "builder":"builder-a","signer":{"name":"builder-a","keyid":"…"},"finished":"2026-12-05T08:03:10Z",…}],
//    "entry_counts":{"targets":1,"attestation":2,"verdict":1},
//    "growth":[{"time":1796457790,"size":3,"what":"targets version 2 witnessed"}, …]}
// Every string taken from the log or the repository is kept as it was (valid UTF-8, checked by the
// JSON parser); the page inserts strings as text only, never as markup.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/json.hpp"
#include "core/result.hpp"
#include "release/roles.hpp"
#include "tlog/checkpoint.hpp"

namespace cocoon::explorer {

inline constexpr const char* kSchema = "cocoon-explorer/v1";
// The payload types of the rebuild entries (lib/rebuild/entries.hpp), classified here by type alone.
inline constexpr const char* kCandidatePayloadType = "application/vnd.cocoon.release-candidate.v1+json";
inline constexpr const char* kVerdictPayloadType = "application/vnd.cocoon.rebuild-verdict.v1+json";

// What one log entry is, as far as the explorer shows it. `summary` holds the fields the page shows
// (its shape depends on kind); `time` is the entry's own claim of when it was made (0 when none).
// Example: a DSSE in-toto attestation signed by a root builder -> {kind "attestation", summary
// {"signer":{"name":"builder-a","keyid":…},"subjects":[{"name":"hello.bin","sha256":…}],
// "product":"sample","version":"0.1.0"}, time 1796457790}.
struct EntryInfo {
  std::string kind;  // "targets", "attestation", "verdict", "candidate", "other"
  std::string sha256;
  Json summary = Json::object();
  std::int64_t time = 0;
};

// Classifies one entry; never fails: an entry that does not parse as what it claims is "other" with
// its reason in summary.note. Signatures are checked against the root (maintainers for targets, the
// policy's builders for attestations and verdicts); an unverified signer is reported, never trusted.
EntryInfo classify_entry(ByteView entry, const release::Root& root);

struct SiteInputs {
  release::Root root;
  std::string checkpoint_note;  // the log's checkpoint, already verified against the root's log key
  tlog::Checkpoint checkpoint;
  std::vector<Bytes> entries;  // entries [0, checkpoint.size), checked against the tiles
  // The JSON text of targets version V's log bundle (repo/log/<V>.targets.bundle.json), or nothing
  // when the repository has none. The I/O layer supplies it; tests pass a map.
  std::function<std::optional<std::string>(std::uint64_t version)> bundle;
  std::string log_base;   // where the page reads the log's files (relative to the page, or a URL)
  std::string repo;       // how the page's commands name the repository
  std::string generated;  // RFC 3339 time the site was made
};

// The whole data document. Errors: invalid_input when the root carries no Cocoon policy.
Result<Json> site_data(const SiteInputs& in);

}  // namespace cocoon::explorer
