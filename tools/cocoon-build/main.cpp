// cocoon-build: what an independent builder runs. Thin layer: parse arguments, call lib/, print,
// map errors to exit codes (docs/exit-codes.md).
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "common/cli_main.hpp"
#include "common/exit_codes.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cocoon-build: rebuild Cocoon releases reproducibly and attest to the result", "cocoon-build"};
  app.require_subcommand(1);
  int exit_code = 0;
  cocoon::tools::build::add_run_command(app, exit_code);
  cocoon::tools::build::add_check_command(app, exit_code);
  cocoon::tools::build::add_key_command(app, exit_code);
  cocoon::tools::build::add_compare_command(app, exit_code);
  cocoon::tools::build::add_diff_command(app, exit_code);
  cocoon::tools::build::add_verify_command(app, exit_code);
  cocoon::tools::build::add_measure_command(app, exit_code);
  cocoon::tools::build::add_watch_command(app, exit_code);
  return cocoon::tools::parse_and_run(app, argc, argv, exit_code);
}
