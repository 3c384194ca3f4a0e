#pragma once
// Each cocoon-verify subcommand lives in its own cmd_<name>.cpp and registers itself on the app.
// A command's callback stores its process exit code in `exit_code`.
#include <CLI/CLI.hpp>

namespace cocoon::tools::verify {

void add_quote_command(CLI::App& app, int& exit_code);
void add_eventlog_command(CLI::App& app, int& exit_code);
void add_update_command(CLI::App& app, int& exit_code);
void add_bundle_command(CLI::App& app, int& exit_code);

}  // namespace cocoon::tools::verify
