#pragma once
// What one run of a recipe produced: the artifacts with their digests and the facts about the build
// (buildinfo.json). This is what an attestation is made from.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "build/recipe.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace cocoon::build {

struct ArtifactResult {
  std::string name;            // as in the recipe
  std::filesystem::path path;  // OUT/<name>
  std::uint64_t size = 0;
  std::string sha256;  // hex
};

struct ToolVersion {
  std::string name;     // "c++", "cmake", "ninja", ...
  std::string version;  // first line of `<tool> --version`
};

struct BuildResult {
  Recipe recipe;
  std::string source_url;  // the URL actually fetched (may be --source)
  std::string source_commit;
  std::string source_tree;  // git tree id of the commit
  std::int64_t source_date_epoch = 0;
  std::vector<ArtifactResult> artifacts;  // recipe order
  std::vector<ToolVersion> toolchain;
  Json environment;  // the environment the steps ran with (names -> values), paths normalised
  UnixSeconds started = 0;
  UnixSeconds finished = 0;
  std::filesystem::path out_dir;
};

// buildinfo.json content for a result (schema cocoon-buildinfo/v1).
Json buildinfo_json(const BuildResult& r);

}  // namespace cocoon::build
