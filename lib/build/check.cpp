#include "build/check.hpp"

#include <algorithm>
#include <map>
#include <thread>

#include "archive/archive.hpp"
#include "build/process.hpp"

namespace cocoon::build {
namespace fs = std::filesystem;

const std::vector<std::string>& all_variations() {
  static const std::vector<std::string> kAll = {
      "build_path", "time", "timezone", "locales", "umask", "home", "num_cpus", "environment", "domain_host"};
  return kAll;
}

Result<std::string> first_differing_member(const fs::path& a, const fs::path& b) {
  COCOON_ASSIGN(auto ma, archive::list_archive(a));
  COCOON_ASSIGN(auto mb, archive::list_archive(b));
  std::map<std::string, const archive::Member*> by_path;
  for (const auto& m : mb) by_path[m.path] = &m;
  std::vector<std::string> candidates;
  for (const auto& m : ma) {
    auto it = by_path.find(m.path);
    if (it == by_path.end() || it->second->type != m.type || it->second->mode != m.mode ||
        it->second->size != m.size || it->second->sha256 != m.sha256 ||
        it->second->link_target != m.link_target)
      candidates.push_back(m.path);
    if (it != by_path.end()) by_path.erase(it);
  }
  for (const auto& [path, m] : by_path) candidates.push_back(path);
  if (candidates.empty()) return std::string();
  return *std::min_element(candidates.begin(), candidates.end());
}

Result<CheckReport> check_recipe(const Recipe& recipe, const RunOptions& base,
                                 const std::vector<std::string>& variations) {
  for (const auto& v : variations)
    if (std::find(all_variations().begin(), all_variations().end(), v) == all_variations().end())
      return make_error(Errc::invalid_input, "unknown variation \"" + v + "\"");
  auto wanted = [&](std::string_view v) {
    return std::find(variations.begin(), variations.end(), v) != variations.end();
  };

  CheckReport report;
  Variation var;
  auto apply = [&](const char* name, std::string detail) {
    report.applied.push_back({name, std::move(detail)});
  };
  auto skip = [&](const char* name, std::string why) { report.skipped.push_back({name, std::move(why)}); };
  if (wanted("build_path")) {
    var.path_component = "variation/a-longer/build-path";
    apply("build_path", "work tree three directories deeper");
  }
  if (wanted("time")) {
    const char* path = std::getenv("PATH");
    if (find_program("faketime", path ? path : "/usr/bin:/bin")) {
      var.faketime = "+397d";
      apply("time", "clock shifted by +397 days with faketime");
    } else {
      skip("time", "faketime is not installed");
    }
  }
  if (wanted("timezone")) {
    var.tz = "XYZ-14";
    apply("timezone", "TZ=XYZ-14 instead of UTC");
  }
  if (wanted("locales")) {
    var.locale = "C";
    apply("locales", "LC_ALL=C instead of C.UTF-8");
  }
  if (wanted("umask")) {
    var.umask = 002;
    apply("umask", "umask 002 instead of 022");
  }
  if (wanted("home")) {
    var.home_component = "another-home";
    apply("home", "HOME at a different path");
  }
  if (wanted("num_cpus")) {
    unsigned n = std::max(1u, std::thread::hardware_concurrency());
    var.jobs = n > 1 ? 1 : 2;
    apply("num_cpus", "parallel level " + std::to_string(var.jobs) + " instead of the build tool's default");
  }
  if (wanted("environment")) {
    var.extra_env.push_back({"COCOON_CHECK_VARIATION", "b"});
    var.extra_env.push_back({"LANGUAGE", "fr"});
    apply("environment", "extra variables COCOON_CHECK_VARIATION and LANGUAGE");
  }
  if (wanted("domain_host")) {
    if (can_set_hostname()) {
      var.hostname = "cocoon-check-variation";
      apply("domain_host", "steps see host name cocoon-check-variation");
    } else {
      skip("domain_host", "needs CAP_SYS_ADMIN to give the build its own host name");
    }
  }

  RunOptions a = base;
  a.out_dir = base.out_dir / "a";
  a.variation = Variation{};
  COCOON_ASSIGN(BuildResult ra, run_recipe(recipe, a));
  RunOptions b = base;
  b.out_dir = base.out_dir / "b";
  b.variation = var;
  COCOON_ASSIGN(BuildResult rb, run_recipe(recipe, b));

  for (size_t i = 0; i < ra.artifacts.size(); ++i) {
    ArtifactComparison c{ra.artifacts[i].name, ra.artifacts[i].sha256, rb.artifacts[i].sha256, {}};
    if (c.sha256_a != c.sha256_b && recipe.artifacts[i].kind == RecipeArtifact::Kind::dir) {
      auto first = first_differing_member(ra.artifacts[i].path, rb.artifacts[i].path);
      c.first_difference = first ? *first : "(members not compared: " + first.error().message + ")";
    }
    report.artifacts.push_back(std::move(c));
  }
  return report;
}

}  // namespace cocoon::build
