#pragma once
// The shared tail of every tool's main(): add --version, answer the build's hidden --help-man and
// --bash-completion, parse, run the chosen command's callback, and turn a command-line error into exit
// code 2 (help and version still exit 0).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "common/cli_docs.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"

namespace cocoon::tools {

inline std::string tool_name(const char* argv0) {
  std::string_view name = argv0 ? argv0 : "cocoon";
  if (auto slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  return std::string(name);
}

// Levenshtein distance, for "did you mean": option names are short, so the quadratic cost is nothing.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// For arguments nobody took: "unknown option '--treshold' (did you mean '--threshold'?)", naming the
// closest long option of the subcommand being run. Empty when no leftover looks like an option.
inline std::string unknown_option_message(CLI::App& app) {
  CLI::App* cmd = &app;
  for (auto subs = cmd->get_subcommands(); !subs.empty(); subs = cmd->get_subcommands()) cmd = subs.back();
  for (const std::string& arg : app.remaining(true)) {
    if (!arg.starts_with("--")) continue;
    std::string name =
        arg.substr(2, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2);
    std::string best;
    std::size_t best_distance = 3;  // at most two edits away, else no suggestion
    for (const CLI::Option* o : cmd->get_options()) {
      for (const std::string& candidate : o->get_lnames()) {
        std::size_t d = edit_distance(name, candidate);
        if (d < best_distance) best_distance = d, best = candidate;
      }
    }
    std::string msg = "unknown option '--" + name + "'";
    if (!best.empty()) msg += " (did you mean '--" + best + "'?)";
    return msg;
  }
  return {};
}

// For a word where a command was expected: "unknown command 'propse' (did you mean 'propose'?)", for
// the deepest command given that has subcommands of its own. Empty when every word was taken.
inline std::string unknown_command_message(CLI::App& app) {
  CLI::App* cmd = &app;
  for (auto subs = cmd->get_subcommands(); !subs.empty(); subs = cmd->get_subcommands()) cmd = subs.back();
  auto choices = cmd->get_subcommands([](CLI::App*) { return true; });
  if (choices.empty()) return {};
  for (const std::string& arg : app.remaining(true)) {
    if (arg.starts_with("-")) continue;
    std::string best;
    std::size_t best_distance = 3;
    for (const CLI::App* c : choices) {
      std::size_t d = edit_distance(arg, c->get_name());
      if (d < best_distance) best_distance = d, best = c->get_name();
    }
    std::string msg = "unknown command '" + arg + "'";
    if (!best.empty()) msg += " (did you mean '" + best + "'?)";
    return msg;
  }
  return {};
}

inline int parse_and_run(CLI::App& app, int argc, char** argv, const int& exit_code) {
  const std::string tool = tool_name(argc > 0 ? argv[0] : nullptr);
  if (app.get_name().empty()) app.name(tool);
  add_version_flag(app);
  if (auto generated = print_generated_docs(app, argc, argv)) return *generated;
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    // `cocoon-sign propse --help` must not answer with the top-level help and exit 0.
    if (std::string msg = unknown_command_message(app); !msg.empty()) {
      std::fprintf(stderr, "%s: error: %s (see --help)\n", tool.c_str(), printable(msg).c_str());
      return kExitInvalidInput;
    }
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    // One line like every other error; the text quotes the command line, so it is escaped. A mistyped
    // word is named before what it caused: CLI11 checks required options and subcommands before it
    // complains about leftovers, so `--treshold 3` would otherwise read "--maintainer is required".
    std::string msg = unknown_command_message(app);
    if (msg.empty()) msg = unknown_option_message(app);
    if (msg.empty()) msg = e.what();
    std::fprintf(stderr, "%s: error: %s (see --help)\n", tool.c_str(), printable(msg).c_str());
    return kExitInvalidInput;
  } catch (const std::exception& e) {
    // A bug: every refusal of bad input is an error value with its own exit code.
    std::fprintf(stderr, "%s: internal error: %s\n", tool.c_str(), printable(e.what()).c_str());
    return kExitInternal;
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
  // The text names keys, files and roles read from files: each line escaped, the line breaks kept.
  std::string_view text = *outcome;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::printf("%s\n", printable(text.substr(start, end - start)).c_str());
    start = end + 1;
  }
  exit_code = kExitOk;
}

}  // namespace cocoon::tools
