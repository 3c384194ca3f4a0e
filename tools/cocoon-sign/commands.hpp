#pragma once
// Each cocoon-sign subcommand lives in its own cmd_<name>.cpp and registers itself on the app (or on
// its parent subcommand). A command's callback stores its process exit code in `exit_code`.
#include <CLI/CLI.hpp>

namespace cocoon::tools::sign {

// `cocoon-sign frost ...` (cmd_frost.cpp registers the group and its subcommands below).
void add_frost_command(CLI::App& app, int& exit_code);

void add_frost_dkg_start_command(CLI::App& dkg, int& exit_code);
void add_frost_dkg_shares_command(CLI::App& dkg, int& exit_code);
void add_frost_dkg_finish_command(CLI::App& dkg, int& exit_code);
void add_frost_keygen_command(CLI::App& frost, int& exit_code);
void add_frost_commit_command(CLI::App& frost, int& exit_code);
void add_frost_sign_command(CLI::App& frost, int& exit_code);
void add_frost_aggregate_command(CLI::App& frost, int& exit_code);

// Release commands (cmd_root.cpp, cmd_propose.cpp, cmd_sign.cpp, cmd_status.cpp, cmd_merge.cpp,
// cmd_publish.cpp, cmd_timestamp.cpp).
void add_root_command(CLI::App& app, int& exit_code);
void add_propose_command(CLI::App& app, int& exit_code);
void add_sign_command(CLI::App& app, int& exit_code);
void add_status_command(CLI::App& app, int& exit_code);
void add_merge_command(CLI::App& app, int& exit_code);
void add_publish_command(CLI::App& app, int& exit_code);
void add_timestamp_command(CLI::App& app, int& exit_code);
// Release candidates in the log (cmd_candidate.cpp, issue 16).
void add_candidate_command(CLI::App& app, int& exit_code);

}  // namespace cocoon::tools::sign
