// cocoon-build run RECIPE --out DIR
#include <cstdio>
#include <optional>

#include "attest/from_build.hpp"
#include "build/run.hpp"
#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "common/signing_key.hpp"
#include "progress.hpp"

namespace cocoon::tools::build {
namespace {

struct RunArgs {
  std::string recipe, out, cache, source, work_root;
  std::string sign, signer_name;  // --sign KEY: write OUT/attestation.dsse.json
  bool json = false, quiet = false, keep = false;
};

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
  // The passphrase is asked before the build, not after it.
  std::optional<crypto::SecretKey> key;
  if (!a.sign.empty()) {
    auto loaded = load_signing_key(a.sign);
    if (!loaded) return report("cocoon-build", loaded.error());
    key = std::move(loaded).value();
  }
  cocoon::build::RunOptions opts;
  opts.out_dir = a.out;
  opts.cache_dir = a.cache;
  opts.work_root = a.work_root;
  opts.keep_work = a.keep;
  if (!a.source.empty()) opts.source_override = a.source;
  ProgressPrinter progress(recipe->name, a.quiet);
  opts.on_progress = [&](const cocoon::build::ProgressEvent& e) { progress(e); };
  auto result = cocoon::build::run_recipe(*recipe, opts);
  if (!result) return report("cocoon-build", result.error());
  if (key) {
    auto attestation = attest::write_build_attestation(*result, *key, a.signer_name);
    if (!attestation) return report("cocoon-build", attestation.error());
  }
  if (a.json) {
    std::printf("%s", pretty_json(summary_json(*result)).c_str());
  } else {
    for (const auto& art : result->artifacts) std::printf("%s  %s\n", art.sha256.c_str(), art.name.c_str());
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
  cmd->add_option("--cache", args->cache,
                  "Git cache directory (default: $XDG_CACHE_HOME/cocoon-release/git)");
  cmd->add_option("--source", args->source,
                  "Fetch from this path or URL instead of source.url (same commit)");
  cmd->add_option("--work-root", args->work_root,
                  "Where to create the temporary work tree (default: $TMPDIR)");
  cmd->add_flag("--keep-work", args->keep, "Keep the work tree after the build");
  cmd->add_option("--sign", args->sign, "Secret key file: also write OUT/attestation.dsse.json");
  cmd->add_option("--name", args->signer_name,
                  "Builder display name in the attestation (default: the key's name)");
  cmd->add_flag("--json", args->json, "Print a machine-readable summary on stdout");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress lines");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace cocoon::tools::build
