// cocoon-build run RECIPE --out DIR
#include <cstdio>
#include <optional>

#include "build/run.hpp"
#include "build_args.hpp"
#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"

namespace cocoon::tools::build {
namespace {

using RunArgs = BuildArgs;

Json summary_json(const cocoon::build::BuildResult& r) {
  Json j = cocoon::build::buildinfo_json(r);
  j["out"] = r.out_dir.string();
  j["started"] = format_rfc3339(r.started);
  j["finished"] = format_rfc3339(r.finished);
  return j;
}

int run(const RunArgs& a) {
  auto recipe = cocoon::build::load_recipe(a.recipe);
  if (!recipe) return report("cocoon-build", recipe.error());
  auto built = build_with_optional_key(*recipe, a);
  if (!built) return report("cocoon-build", built.error());
  auto& result = built->result;
  if (a.json) {
    std::printf("%s", pretty_json(summary_json(result)).c_str());
  } else {
    for (const auto& art : result.artifacts)
      std::printf("%s  %s\n", printable(art.sha256).c_str(), printable(art.name).c_str());
  }
  return kExitOk;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Rebuild a recipe's pinned commit into deterministic artifacts");
  cmd->add_option("recipe", args->recipe, "Recipe file (manifests/*.json)")->required();
  cmd->add_option("--out", args->out, "Output directory for artifacts, SHA256SUMS and buildinfo.json")
      ->required();
  add_build_options(*cmd, *args);
  cmd->add_flag("--json", args->json, "Print a machine-readable summary on stdout");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace cocoon::tools::build
