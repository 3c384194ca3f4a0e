#pragma once
// Each cocoon-log subcommand lives in its own cmd_<name>.cpp and registers itself on the app.
// A command's callback stores its process exit code in `exit_code`.
#include <CLI/CLI.hpp>

namespace cocoon::tools::log {

inline constexpr const char* kTool = "cocoon-log";

void add_init_command(CLI::App& app, int& exit_code);
void add_add_command(CLI::App& app, int& exit_code);
void add_prove_command(CLI::App& app, int& exit_code);
void add_check_proof_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);
void add_witness_command(CLI::App& app, int& exit_code);
void add_monitor_command(CLI::App& app, int& exit_code);
void add_explore_command(CLI::App& app, int& exit_code);

}  // namespace cocoon::tools::log
