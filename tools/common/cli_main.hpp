#pragma once
// The shared tail of every tool's main(): parse, run the chosen command's callback, and turn a
// command-line error into exit code 2 (help and version still exit 0).
#include <CLI/CLI.hpp>

#include "common/exit_codes.hpp"

namespace cocoon::tools {

inline int parse_and_run(CLI::App& app, int argc, char** argv, const int& exit_code) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitInvalidInput;
  }
  return exit_code;
}

}  // namespace cocoon::tools
