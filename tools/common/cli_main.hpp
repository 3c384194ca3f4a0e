#pragma once
// The shared tail of every tool's main(): parse, run the chosen command's callback, and turn a
// command-line error into exit code 2 (help and version still exit 0).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

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

// The end of a command whose work returns the text to print: the text on stdout and exit 0, or the
// one-line error on stderr and its class's exit code.
inline void finish_command(const char* tool, const Result<std::string>& outcome, int& exit_code) {
  if (!outcome.ok()) {
    exit_code = report(tool, outcome.error());
    return;
  }
  std::printf("%s\n", outcome->c_str());
  exit_code = kExitOk;
}

}  // namespace cocoon::tools
