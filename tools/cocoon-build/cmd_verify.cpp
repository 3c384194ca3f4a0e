// cocoon-build verify RECIPE --expect FILE --out DIR [--sign KEY]: rebuild and compare with published
// digests (a SHA256SUMS file or another builder's attestation).
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "attest/expected.hpp"
#include "attest/from_build.hpp"
#include "build/run.hpp"
#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "common/signing_key.hpp"
#include "progress.hpp"

namespace cocoon::tools::build {
namespace {

struct VerifyArgs {
  std::string recipe, expect, out, cache, source, work_root, sign, name;
  bool json = false, quiet = false, keep = false;
};

Json outcome_json(const attest::VerifyOutcome& v, const attest::ExpectedDigests& e,
                  const std::string& attestation) {
  Json mismatched = Json::array();
  for (const auto& m : v.mismatched)
    mismatched.push_back(Json{{"name", m.name}, {"expected", m.expected}, {"actual", m.actual}});
  Json j{{"verdict", v.match() ? "MATCH" : "MISMATCH"},
         {"expected_from", e.source_kind},
         {"matched", v.matched},
         {"mismatched", mismatched},
         {"missing", v.missing},
         {"extra", v.extra}};
  if (!attestation.empty()) j["attestation"] = attestation;
  return j;
}

int verify(const VerifyArgs& a) {
  auto recipe = cocoon::build::load_recipe(a.recipe);
  if (!recipe) return report("cocoon-build", recipe.error());
  auto expected = attest::load_expected_digests(a.expect);
  if (!expected) return report("cocoon-build", expected.error());
  // Ask for the passphrase before the build, not after minutes of compiling.
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

  std::vector<attest::Subject> built;
  for (const auto& art : result->artifacts) built.push_back({art.name, art.sha256});
  auto outcome = attest::compare_with_expected(built, expected->subjects);

  // Our own attestation records what we built, match or not: a published dissent is useful too.
  std::string attestation;
  if (key) {
    auto path = attest::write_build_attestation(*result, *key, a.name);
    if (!path) return report("cocoon-build", path.error());
    attestation = path->string();
  }

  if (a.json) {
    std::printf("%s", pretty_json(outcome_json(outcome, *expected, attestation)).c_str());
  } else {
    for (const auto& n : outcome.matched) std::printf("MATCH     %s\n", n.c_str());
    for (const auto& m : outcome.mismatched) {
      std::printf("MISMATCH  %s\n  expected %s\n  built    %s\n", m.name.c_str(), m.expected.c_str(),
                  m.actual.c_str());
      std::printf("  hint: cocoon-build diff <published %s> %s/%s\n", m.name.c_str(), a.out.c_str(),
                  m.name.c_str());
    }
    for (const auto& n : outcome.missing)
      std::printf("MISSING   %s (expected, not built by this recipe)\n", n.c_str());
    for (const auto& n : outcome.extra)
      std::printf("note: %s was built but is not listed in %s\n", n.c_str(), a.expect.c_str());
    if (!attestation.empty()) std::printf("attestation: %s\n", attestation.c_str());
    if (expected->source_kind == "attestation")
      std::printf(
          "note: expected digests taken from an attestation claiming key(s) %s; its signature is checked by "
          "`cocoon-build compare`, not here\n",
          expected->signer_keyids.c_str());
    std::printf("%s\n", outcome.match() ? "MATCH" : "MISMATCH");
  }
  return outcome.match() ? kExitOk : kExitNegative;
}

}  // namespace

void add_verify_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd =
      app.add_subcommand("verify", "Rebuild a recipe and compare the artifacts with published digests");
  cmd->add_option("recipe", args->recipe, "Recipe file (manifests/*.json)")->required();
  cmd->add_option("--expect", args->expect, "SHA256SUMS file or another builder's attestation")->required();
  cmd->add_option("--out", args->out, "Output directory for the rebuilt artifacts")->required();
  cmd->add_option("--sign", args->sign, "Secret key file: also write OUT/attestation.dsse.json");
  cmd->add_option("--name", args->name, "Builder display name in the attestation (default: the key's name)");
  cmd->add_option("--cache", args->cache,
                  "Git cache directory (default: $XDG_CACHE_HOME/cocoon-release/git)");
  cmd->add_option("--source", args->source,
                  "Fetch from this path or URL instead of source.url (same commit)");
  cmd->add_option("--work-root", args->work_root,
                  "Where to create the temporary work tree (default: $TMPDIR)");
  cmd->add_flag("--keep-work", args->keep, "Keep the work tree after the build");
  cmd->add_flag("--json", args->json, "Print the verdict as JSON on stdout");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress lines");
  cmd->callback([args, &exit_code] { exit_code = verify(*args); });
}

}  // namespace cocoon::tools::build
