// cocoon-build verify RECIPE --expect FILE --out DIR [--sign KEY]: rebuild and compare with published
// digests (a SHA256SUMS file or another builder's attestation).
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "attest/expected.hpp"
#include "build/run.hpp"
#include "build_args.hpp"
#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"

namespace cocoon::tools::build {
namespace {

struct VerifyArgs : BuildArgs {
  std::string expect;
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
  auto build = build_with_optional_key(*recipe, a);
  if (!build) return report("cocoon-build", build.error());
  const auto& result = build->result;

  std::vector<attest::Subject> built;
  for (const auto& art : result.artifacts) built.push_back({art.name, art.sha256});
  auto outcome = attest::compare_with_expected(built, expected->subjects);

  // Our own attestation (written with the artifacts) records what we built, match or not: a published
  // dissent is useful too.
  const std::string& attestation = build->attestation;

  if (a.json) {
    std::printf("%s", pretty_json(outcome_json(outcome, *expected, attestation)).c_str());
  } else {
    for (const auto& n : outcome.matched) std::printf("MATCH     %s\n", printable(n).c_str());
    for (const auto& m : outcome.mismatched) {
      std::printf("MISMATCH  %s\n  expected %s\n  built    %s\n", printable(m.name).c_str(),
                  printable(m.expected).c_str(), printable(m.actual).c_str());
      std::printf("  hint: cocoon-build diff <published %s> %s/%s\n", printable(m.name).c_str(),
                  printable(a.out).c_str(), printable(m.name).c_str());
    }
    for (const auto& n : outcome.missing)
      std::printf("MISSING   %s (expected, not built by this recipe)\n", printable(n).c_str());
    for (const auto& n : outcome.extra)
      std::printf("note: %s was built but is not listed in %s\n", printable(n).c_str(),
                  printable(a.expect).c_str());
    if (!attestation.empty()) std::printf("attestation: %s\n", printable(attestation).c_str());
    if (expected->source_kind == "attestation")
      std::printf(
          "note: expected digests taken from an attestation claiming key(s) %s; its signature is checked by "
          "`cocoon-build compare`, not here\n",
          printable(expected->signer_keyids).c_str());
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
  add_build_options(*cmd, *args);
  cmd->add_flag("--json", args->json, "Print the verdict as JSON on stdout");
  cmd->callback([args, &exit_code] { exit_code = verify(*args); });
}

}  // namespace cocoon::tools::build
