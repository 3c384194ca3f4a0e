#pragma once
// `cocoon-build check`: reprotest built in. Build the recipe twice — once as `run` would, once with
// every selected variation applied — and compare the artifacts.
#include <filesystem>
#include <string>
#include <vector>

#include "build/recipe.hpp"
#include "build/run.hpp"
#include "core/result.hpp"

namespace cocoon::build {

// Names follow reprotest's where they mean the same thing.
const std::vector<std::string>&
all_variations();  // build_path time timezone locales umask home num_cpus environment domain_host

struct VariationNote {
  std::string name;
  std::string detail;  // what the second build did differently, or why the variation was skipped
};

struct ArtifactComparison {
  std::string name;
  std::string sha256_a, sha256_b;
  // For archives that differ: the first member (in path order) that differs, e.g. "bin/sample-node".
  std::string first_difference;
};

struct CheckReport {
  std::vector<VariationNote> applied, skipped;
  std::vector<ArtifactComparison> artifacts;
  bool reproducible() const {
    for (const auto& a : artifacts)
      if (a.sha256_a != a.sha256_b) return false;
    return true;
  }
};

// `base.out_dir` receives a/ and b/, the outputs of both builds. Refuses an unknown variation name.
Result<CheckReport> check_recipe(const Recipe& recipe, const RunOptions& base,
                                 const std::vector<std::string>& variations);

// The first member that differs between two deterministic archives ("" when the member lists agree
// but the bytes do not, e.g. a compression difference).
Result<std::string> first_differing_member(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace cocoon::build
