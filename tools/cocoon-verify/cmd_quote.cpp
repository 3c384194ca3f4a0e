// cocoon-verify quote QUOTE --measurement FILE: each register of a TDX quote against the release's
// predicted candidates. Exit 0 all checked registers match, 1 mismatch or DEBUG TD, 2 bad input.
#include <cstdio>

#include "cocoon-verify/commands.hpp"
#include "cocoon-verify/measurement_file.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"

namespace cocoon::tools::verify {
namespace {

struct QuoteArgs {
  std::string quote, measurement, host_profile;
  bool json = false;
};

void print_text(const measure::QuoteReport& r) {
  std::printf(
      "note: the quote's signature and collateral are NOT checked here; verify them with Intel DCAP\n");
  if (r.debug_td)
    std::printf(
        "REFUSED: the TD runs in DEBUG mode (TDATTRIBUTES bit 0): its memory is readable by the host\n");
  for (const auto& c : r.checks) {
    const char* verdict = measure::verdict_name(c.verdict);
    if (c.verdict == measure::Verdict::match) {
      std::string labels;
      for (const auto& l : c.matched) labels += (labels.empty() ? "" : "; ") + l;
      std::printf("%-14s %-10s %s\n", printable(c.name).c_str(), verdict, printable(labels).c_str());
    } else if (c.verdict == measure::Verdict::unverified) {
      std::printf("%-14s %-10s %s (actual %s)\n", printable(c.name).c_str(), verdict,
                  printable(c.note).c_str(), printable(c.actual).c_str());
    } else {
      std::printf("%-14s %-10s %s\n", printable(c.name).c_str(), verdict, printable(c.note).c_str());
      if (!c.actual.empty()) std::printf("%-14s   actual   %s\n", "", printable(c.actual).c_str());
      for (const auto& [label, value] : c.expected)
        std::printf("%-14s   expected %s (%s)\n", "", printable(value).c_str(), printable(label).c_str());
    }
  }
  std::printf("image hash %s: %s\n", printable(r.image_hash).c_str(),
              r.image_hash_listed ? "listed in the release" : "NOT listed in the release");
  std::printf("result: %s\n", r.debug_td ? "REFUSED" : r.ok() ? "MATCH" : "MISMATCH");
}

int quote_command(const QuoteArgs& a) {
  auto bytes = read_file(a.quote, measure::kMaxQuoteSize + 1);
  if (!bytes) return report("cocoon-verify", bytes.error());
  auto quote = measure::parse_quote(*bytes);
  if (!quote) return report("cocoon-verify", quote.error());
  auto m = load_measurement_file(a.measurement);
  if (!m) return report("cocoon-verify", m.error());
  std::optional<std::string> profile;
  if (!a.host_profile.empty()) profile = a.host_profile;
  auto rep = measure::verify_quote(*quote, *m, profile);
  if (!rep) {
    Error e = rep.error();
    if (e.code == Errc::not_found) e.code = Errc::invalid_input;  // a wrong --host-profile is bad input
    return report("cocoon-verify", e);
  }
  if (a.json)
    std::printf("%s", pretty_json(measure::quote_report_to_json(*rep)).c_str());
  else
    print_text(*rep);
  return rep->ok() ? kExitOk : kExitNegative;
}

}  // namespace

void add_quote_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<QuoteArgs>();
  auto* cmd = app.add_subcommand("quote", "Compare a TDX quote's registers with a release's measurements");
  cmd->add_option("quote", args->quote, "Quote file (TDX quote v4 or v5, binary)")->required();
  cmd->add_option("--measurement", args->measurement, "cocoon-measurement/v1 file of the release")
      ->required();
  cmd->add_option("--host-profile", args->host_profile,
                  "Check RTMR0 against this recorded host profile only");
  cmd->add_flag("--json", args->json, "Machine-readable output");
  cmd->callback([args, &exit_code] { exit_code = quote_command(*args); });
}

}  // namespace cocoon::tools::verify
