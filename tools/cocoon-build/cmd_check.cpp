// cocoon-build check RECIPE: build twice under variations and compare.
#include <cstdio>
#include <sstream>

#include "build/check.hpp"
#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "progress.hpp"

namespace cocoon::tools::build {
namespace {

struct CheckArgs {
  std::string recipe, out, cache, source, work_root, variations;
  bool json = false, quiet = false;
};

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

int check(const CheckArgs& a) {
  auto recipe = cocoon::build::load_recipe(a.recipe);
  if (!recipe) return report("cocoon-build", recipe.error());
  std::vector<std::string> vars =
      a.variations.empty() ? cocoon::build::all_variations() : split_commas(a.variations);
  std::optional<TempDir> tmp;
  cocoon::build::RunOptions opts;
  if (a.out.empty()) {
    auto t = TempDir::create("cocoon-check-");
    if (!t) return report("cocoon-build", t.error());
    tmp.emplace(std::move(t).value());
    opts.out_dir = tmp->path();
  } else {
    opts.out_dir = a.out;
  }
  opts.cache_dir = a.cache;
  opts.work_root = a.work_root;
  if (!a.source.empty()) opts.source_override = a.source;
  ProgressPrinter progress(recipe->name, a.quiet);
  opts.on_progress = [&](const cocoon::build::ProgressEvent& e) { progress(e); };
  auto rep = cocoon::build::check_recipe(*recipe, opts, vars);
  if (!rep) return report("cocoon-build", rep.error());

  if (a.json) {
    Json j;
    j["reproducible"] = rep->reproducible();
    for (const auto& v : rep->applied)
      j["variations"]["applied"].push_back({{"name", v.name}, {"detail", v.detail}});
    for (const auto& v : rep->skipped)
      j["variations"]["skipped"].push_back({{"name", v.name}, {"reason", v.detail}});
    for (const auto& c : rep->artifacts)
      j["artifacts"].push_back({{"name", c.name},
                                {"sha256_a", c.sha256_a},
                                {"sha256_b", c.sha256_b},
                                {"equal", c.sha256_a == c.sha256_b},
                                {"first_difference", c.first_difference}});
    std::printf("%s", pretty_json(j).c_str());
  } else {
    for (const auto& v : rep->applied)
      std::printf("variation %-12s %s\n", printable(v.name).c_str(), printable(v.detail).c_str());
    for (const auto& v : rep->skipped)
      std::printf("variation %-12s SKIPPED: %s\n", printable(v.name).c_str(), printable(v.detail).c_str());
    for (const auto& c : rep->artifacts) {
      if (c.sha256_a == c.sha256_b) {
        std::printf("REPRODUCIBLE %s %s\n", printable(c.name).c_str(), printable(c.sha256_a).c_str());
      } else {
        std::printf("DIFFERS      %s %s != %s%s\n", printable(c.name).c_str(), printable(c.sha256_a).c_str(),
                    printable(c.sha256_b).c_str(),
                    c.first_difference.empty()
                        ? ""
                        : printable((" (first differing member: " + c.first_difference + ")")).c_str());
      }
    }
  }
  return rep->reproducible() ? kExitOk : kExitNegative;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand("check", "Build twice under varied conditions and compare the artifacts");
  cmd->add_option("recipe", args->recipe, "Recipe file")->required();
  cmd->add_option("--out", args->out,
                  "Keep both builds' outputs here (a/ and b/); default: a temporary directory");
  cmd->add_option("--cache", args->cache, "Git cache directory");
  cmd->add_option("--source", args->source, "Fetch from this path or URL instead of source.url");
  cmd->add_option("--work-root", args->work_root, "Where to create the temporary work trees");
  cmd->add_option(
      "--variations", args->variations,
      "Comma-separated: build_path,time,timezone,locales,umask,home,num_cpus,environment,domain_host "
      "(default: all)");
  cmd->add_flag("--json", args->json, "Machine-readable report on stdout");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress lines");
  cmd->callback([args, &exit_code] { exit_code = check(*args); });
}

}  // namespace cocoon::tools::build
