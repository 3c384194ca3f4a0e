#pragma once
// A recipe (manifests/*.json, schema cocoon-recipe/v1) says how to rebuild one product from a pinned
// git commit. docs/recipes.md documents every field. Example:
//   {"schema":"cocoon-recipe/v1","name":"sample-node","version":"0.1.0",
//    "source":{"url":"https://example.org/sample-node.git","commit":"<40 hex>"},
//    "env":{"CXXFLAGS":"-O2 -g"},
//    "steps":[{"name":"configure","run":["cmake","-S",".","-B","build","-G","Ninja"]}],
//    "artifacts":[{"name":"sample-node.tar.zst","dir":"out"},{"name":"sample-node","file":"build/sample-node"}]}
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/result.hpp"

namespace cocoon::build {

struct RecipeStep {
  std::string name;
  std::vector<std::string> argv;  // executed without a shell
};

struct RecipeArtifact {
  enum class Kind { file, dir };
  std::string name;  // file name in the output directory, e.g. "sample-node.tar.zst"
  Kind kind = Kind::file;
  std::string path;  // relative to the work tree; never absolute, never leaves it
};

struct Recipe {
  std::string name;
  std::string version;
  std::string source_url;
  std::string source_commit;  // 40 lower-case hex digits
  std::map<std::string, std::string> env;
  std::vector<RecipeStep> steps;
  std::vector<RecipeArtifact> artifacts;
  // The recipe's optional "measure" section (TDX measurement inputs, see lib/measure), kept as JSON
  // so the build module does not depend on the measure module's model.
  std::optional<Json> measure;
  std::string digest;  // hex SHA-256 of the recipe file's bytes as read
};

// Validates strictly: unknown keys, missing fields, a commit that is not 40 hex digits, an artifact
// path that is absolute or climbs out of the tree, duplicate step or artifact names are all refused
// with Errc::invalid_input and a message naming the field.
Result<Recipe> parse_recipe(std::string_view text);
Result<Recipe> load_recipe(const std::filesystem::path& path);

}  // namespace cocoon::build
