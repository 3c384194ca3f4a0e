#pragma once
// Each cocoon-build subcommand lives in its own cmd_<name>.cpp and registers itself on the app.
// A command's callback stores its process exit code in `exit_code`.
#include <CLI/CLI.hpp>

namespace cocoon::tools::build {

void add_run_command(CLI::App& app, int& exit_code);
void add_check_command(CLI::App& app, int& exit_code);
void add_key_command(CLI::App& app, int& exit_code);
void add_compare_command(CLI::App& app, int& exit_code);
void add_diff_command(CLI::App& app, int& exit_code);
void add_verify_command(CLI::App& app, int& exit_code);
void add_measure_command(CLI::App& app, int& exit_code);
void add_watch_command(CLI::App& app, int& exit_code);  // also watch-status

}  // namespace cocoon::tools::build
