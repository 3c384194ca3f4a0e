// Recipes (manifests/*.json, given to cocoon-build). A recipe that parses has a 40-hex commit, artifact
// paths that stay inside the work tree, and step and artifact names that are plain file names (no '/',
// no control bytes), so nothing in it can forge a line of SHA256SUMS or name another directory.
#include "build/recipe.hpp"
#include "fuzz_common.hpp"

namespace {

bool plain_name(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f || c == '/') return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto recipe = cocoon::build::parse_recipe(cocoon::fuzz::text(data, size));
  if (!recipe) return 0;
  FUZZ_CHECK(recipe->source_commit.size() == 40);
  FUZZ_CHECK(recipe->digest.size() == 64);
  for (const auto& a : recipe->artifacts) {
    FUZZ_CHECK(plain_name(a.name));
    FUZZ_CHECK(!a.path.empty() && a.path[0] != '/');
    FUZZ_CHECK(a.path != ".." && a.path.rfind("../", 0) != 0 && a.path.find("/../") == std::string::npos);
  }
  for (const auto& s : recipe->steps) {
    FUZZ_CHECK(plain_name(s.name));
    FUZZ_CHECK(!s.argv.empty());
  }
  return 0;
}
