#pragma once
// The targets draft of a release: only artifacts enough trusted builders reproduced, each with length,
// sha256, sha512 and Cocoon's custom fields (docs/tuf-extensions.md). propose_targets is pure; the
// loader below reads the files it needs.
//
// Example: recipe sample-node 0.1.0 listing sample-node.tar.zst; builders b1, b2 (threshold 2) both
// attest sha256 9f86..; the file on disk has that digest -> targets v(previous+1) with
//   "sample-node/sample-node.tar.zst": {"length": 1234, "hashes": {"sha256": "9f86..", "sha512": "..."},
//     "custom": {"cocoon": {"version": "0.1.0", "source_commit": "bd2c..", "recipe_sha256": "..",
//                           "attestations": ["<sha256 of each backing attestation file>"]}}}
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "release/metadata.hpp"
#include "release/roles.hpp"

namespace cocoon::release {

struct RecipeInfo {
  std::string name;
  std::string source_commit;
  std::string sha256;                  // of the recipe file's bytes
  std::vector<std::string> artifacts;  // artifact names the recipe produces
};

struct AttestationFile {
  std::string source;  // file name, for messages
  Bytes bytes;         // the DSSE envelope file as read
};

struct ArtifactDigest {
  std::string name;
  std::uint64_t length = 0;
  std::string sha256, sha512;
};

struct ProposeInput {
  std::string release_version;  // dotted decimal, e.g. "2025.12.25" or "0.1.0"
  RecipeInfo recipe;
  std::vector<AttestationFile> attestations;
  std::vector<ArtifactDigest> artifacts;  // the files that will be published
  std::optional<Targets> previous;        // the last published targets, if any
  // The content of the recipe's measurement.json artifact (lib/measure), when the recipe measures a
  // TDX image: its image hashes are copied into the release's custom metadata, so a node or a TON
  // allow-list can be checked against the co-signed release.
  std::optional<Bytes> measurement;
  UnixSeconds expires = 0;
};

// The draft lists the recipe's product at the given version and carries every other product of
// `previous` forward unchanged (products.hpp). Only attestations stating this release's labels count
// (product = recipe name, version, recipe sha256, source commit; attest/labels.hpp).
// Errors: builder_agreement (an artifact fewer than the builder threshold reproduced, or the file on
// disk is not the agreed one), label_mismatch (builders attested the artifact, but for another version,
// recipe or commit), rollback (the version is not greater than this product's published one),
// invalid_input (no policy in the root, bad version text, unreadable attestation, unknown artifact).
Result<Envelope> propose_targets(const Root& root, const ProposeInput& input);

// Dotted decimal versions compared component by component ("0.10" > "0.9", "1.0" == "1.0.0").
// Errc::invalid_input for anything but digits and single dots.
Result<int> compare_release_versions(std::string_view a, std::string_view b);

// I/O: every *.json file directly in `dir`, sorted by name.
Result<std::vector<AttestationFile>> read_attestation_dir(const std::filesystem::path& dir);
// I/O: length, sha256 and sha512 of `dir`/<name> for each name.
Result<std::vector<ArtifactDigest>> digest_artifacts(const std::filesystem::path& dir,
                                                     const std::vector<std::string>& names);

}  // namespace cocoon::release
