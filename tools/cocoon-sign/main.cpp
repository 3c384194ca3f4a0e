// cocoon-sign: what a maintainer runs. Thin layer: parse arguments, call lib/, print, map errors to
// exit codes (docs/exit-codes.md). Commands register themselves from their own cmd_*.cpp.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "common/cli_main.hpp"
#include "common/exit_codes.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cocoon-sign: co-sign Cocoon releases (TUF metadata, FROST threshold signatures)",
               "cocoon-sign"};
  app.require_subcommand(1);
  int exit_code = 0;
  cocoon::tools::sign::add_frost_command(app, exit_code);
  cocoon::tools::sign::add_root_command(app, exit_code);
  cocoon::tools::sign::add_candidate_command(app, exit_code);
  cocoon::tools::sign::add_propose_command(app, exit_code);
  cocoon::tools::sign::add_sign_command(app, exit_code);
  cocoon::tools::sign::add_status_command(app, exit_code);
  cocoon::tools::sign::add_merge_command(app, exit_code);
  cocoon::tools::sign::add_publish_command(app, exit_code);
  cocoon::tools::sign::add_timestamp_command(app, exit_code);
  return cocoon::tools::parse_and_run(app, argc, argv, exit_code);
}
