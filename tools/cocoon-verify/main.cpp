// cocoon-verify: what a node operator runs. Thin layer: parse arguments, call lib/, print, map errors to
// exit codes (docs/exit-codes.md).
#include <CLI/CLI.hpp>

#include "cocoon-verify/commands.hpp"
#include "common/cli_main.hpp"
#include "common/exit_codes.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cocoon-verify: check TDX quotes, event logs and updates against a release", "cocoon-verify"};
  app.require_subcommand(1);
  int exit_code = 0;
  using namespace cocoon::tools::verify;
  add_quote_command(app, exit_code);
  add_eventlog_command(app, exit_code);
  add_update_command(app, exit_code);
  add_bundle_command(app, exit_code);
  return cocoon::tools::parse_and_run(app, argc, argv, exit_code);
}
