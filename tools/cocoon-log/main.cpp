// cocoon-log: the transparency log's operator, witness and monitor tool. Thin layer: parse
// arguments, call lib/tlog, print, map errors to exit codes (docs/exit-codes.md, docs/log.md).
#include <CLI/CLI.hpp>

#include "cocoon-log/commands.hpp"
#include "common/cli_main.hpp"
#include "common/exit_codes.hpp"
#include "crypto/ed25519.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cocoon-log: append-only transparency log (C2SP tiles, checkpoints, witnesses)", "cocoon-log"};
  app.require_subcommand(1);
  if (auto st = cocoon::crypto::init_sodium(); !st.ok())
    return cocoon::tools::report("cocoon-log", st.error());
  int exit_code = 0;
  using namespace cocoon::tools::log;
  add_init_command(app, exit_code);
  add_add_command(app, exit_code);
  add_prove_command(app, exit_code);
  add_check_proof_command(app, exit_code);
  add_serve_command(app, exit_code);
  add_witness_command(app, exit_code);
  add_monitor_command(app, exit_code);
  add_explore_command(app, exit_code);
  return cocoon::tools::parse_and_run(app, argc, argv, exit_code);
}
