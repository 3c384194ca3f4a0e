// cocoon-build compare: do enough trusted builders agree on every artifact's digest?
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "attest/compare.hpp"
#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::tools::build {
namespace {

namespace fs = std::filesystem;

struct CompareCliOptions {
  std::vector<fs::path> inputs;
  fs::path builders;
  std::size_t threshold = 0;
  bool strict = false;
  bool json = false;
};

std::string builder_names(const attest::DigestBacking& d) {
  std::string out;
  for (const auto& b : d.builders)
    out += (out.empty() ? "" : ",") + (b.name.empty() ? b.keyid.substr(0, 16) : b.name);
  return out;
}

// The trusted builders that back the most-backed digest of every artifact: the number a reader wants
// from "how many builders agree".
std::size_t agreeing_on_all(const attest::CompareReport& r) {
  if (r.artifacts.empty()) return 0;
  std::set<std::string> common;
  bool first = true;
  for (const auto& a : r.artifacts) {
    std::set<std::string> backers;
    if (!a.digests.empty())
      for (const auto& b : a.digests[0].builders) backers.insert(b.keyid);
    if (first) {
      common = std::move(backers);
      first = false;
    } else {
      std::set<std::string> both;
      std::set_intersection(common.begin(), common.end(), backers.begin(), backers.end(),
                            std::inserter(both, both.end()));
      common = std::move(both);
    }
  }
  return common.size();
}

// Aligned columns with a header; colours only on a terminal.
void print_table(const attest::CompareReport& r, bool tty) {
  const char* bold = tty ? "\033[1m" : "";
  const char* red = tty ? "\033[1;31m" : "";
  const char* green = tty ? "\033[32m" : "";
  const char* reset = tty ? "\033[0m" : "";
  size_t name_w = 8;
  for (const auto& a : r.artifacts) name_w = std::max(name_w, a.name.size());
  std::printf("%s%-*s  %-16s  %-7s  %-10s  %s%s\n", bold, static_cast<int>(name_w), "ARTIFACT", "SHA256",
              "BACKERS", "STATUS", "BUILDERS", reset);
  for (const auto& a : r.artifacts) {
    for (size_t i = 0; i < a.digests.size(); ++i) {
      const auto& d = a.digests[i];
      std::string status;
      const char* colour = "";
      if (i == 0) {
        status = a.reproduced ? "reproduced" : "SHORT";
        colour = a.reproduced ? green : red;
      } else {
        status = "DISSENT";
        colour = red;
      }
      std::string backers = std::to_string(d.builders.size()) + "/" + std::to_string(r.threshold);
      std::printf("%-*s  %-16s  %-7s  %s%-10s%s  %s\n", static_cast<int>(name_w),
                  i == 0 ? printable(a.name).c_str() : "", printable(d.sha256.substr(0, 16)).c_str(),
                  printable(backers).c_str(), colour, printable(status).c_str(), reset,
                  printable(builder_names(d)).c_str());
    }
    if (a.digests.empty())
      std::printf("%-*s  %-16s  %-7s  %s%-10s%s\n", static_cast<int>(name_w), printable(a.name).c_str(), "-",
                  "0", red, "SHORT", reset);
  }
}

void print_notices(const attest::CompareReport& r, std::size_t trusted) {
  for (const auto& n : r.ignored)
    std::printf("ignored: %s: %s\n", printable(n.source).c_str(), printable(n.message).c_str());
  for (const auto& n : r.warnings)
    std::printf("warning: %s: %s\n", printable(n.source).c_str(), printable(n.message).c_str());
  for (const auto& a : r.artifacts)
    if (a.dissent) {
      for (size_t i = 1; i < a.digests.size(); ++i)
        std::printf("DISSENT: %s: %s signed %s (agreed digest %s)\n", printable(a.name).c_str(),
                    printable(builder_names(a.digests[i])).c_str(), printable(a.digests[i].sha256).c_str(),
                    printable(a.digests[0].sha256).c_str());
    }
  for (const auto& f : r.failures) std::printf("FAIL: %s\n", printable(f).c_str());
  std::printf(
      "%s: %zu of %zu trusted builder(s) agree on all %zu artifact(s), threshold %zu%s (%zu attested)\n",
      r.pass ? "PASS" : "FAIL", agreeing_on_all(r), trusted, r.artifacts.size(), r.threshold,
      r.strict ? ", strict" : "", r.builders.size());
}

int run_compare(const CompareCliOptions& o) {
  auto trusted = crypto::load_public_keys(o.builders);
  if (!trusted.ok()) return report("cocoon-build", trusted.error());
  auto inputs = attest::load_attestations(o.inputs);
  if (!inputs.ok()) return report("cocoon-build", inputs.error());
  auto result =
      attest::compare_attestations(*inputs, *trusted, attest::CompareOptions{o.threshold, o.strict});
  if (!result.ok()) return report("cocoon-build", result.error());
  if (o.json) {
    Json j = attest::compare_report_json(*result);
    j["trusted_builders"] = trusted->size();
    j["agreeing_builders"] = agreeing_on_all(*result);
    std::fputs(pretty_json(j).c_str(), stdout);
  } else {
    print_table(*result, ::isatty(STDOUT_FILENO) == 1);
    print_notices(*result, trusted->size());
  }
  return result->pass ? kExitOk : kExitNegative;
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<CompareCliOptions>();
  auto* cmd = app.add_subcommand(
      "compare", "Check that at least K trusted builders attested the same digest for every artifact");
  cmd->add_option("ATTESTATION", o->inputs, "DSSE attestation files, or directories of *.json attestations")
      ->required()
      ->check(CLI::ExistingPath);
  cmd->add_option("--builders", o->builders, "JSON array of trusted builder public keys")->required();
  cmd->add_option("--threshold,-k", o->threshold, "Distinct trusted builders needed per artifact")
      ->required()
      ->check(CLI::Range(1, 1000));  // PositiveNumber printed a 300-digit upper bound
  cmd->add_flag("--strict", o->strict, "Fail when any trusted builder dissents");
  cmd->add_flag("--json", o->json, "Print the report as JSON");
  cmd->callback([o, &exit_code] { exit_code = run_compare(*o); });
}

}  // namespace cocoon::tools::build
