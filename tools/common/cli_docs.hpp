#pragma once
// What every tool says about itself, derived from its CLI11 definition so that it cannot drift from the
// options the binary really accepts: `--version [--json]`, and the man page and bash completion that
// the build generates by running each tool with a hidden flag (tools/CMakeLists.txt, docs/install.md).
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cocoon::tools {

// The hidden flags the build runs each tool with, alone on the command line. Not in --help: their
// output is what gets installed (share/man/man1/<tool>.1, share/bash-completion/completions/<tool>).
inline constexpr std::string_view kHelpManFlag = "--help-man";
inline constexpr std::string_view kBashCompletionFlag = "--bash-completion";

// Adds `--version` (one line: tool, version, commit, build type, compiler) and `--json`, which only
// goes with `--version` and prints the same as one JSON object.
void add_version_flag(CLI::App& app);

// The `--version` text of `app` (named after the tool), as a line or as JSON.
std::string version_text(const CLI::App& app, bool json);

// A man(7) page: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, then every subcommand at any depth with its
// usage, description, arguments and options; EXIT STATUS and SEE ALSO. No date, so builds agree.
std::string man_page(const CLI::App& app);

// A bash completion script defining `_<tool with '-' as '_'>` and registering it for the tool: it
// completes subcommands at any depth, the options of the subcommand being typed, and file names for
// option values and positional arguments.
std::string bash_completion(const CLI::App& app);

// When argv is exactly `<tool> --help-man` or `<tool> --bash-completion`: prints the page or the script
// and returns 0. Otherwise nothing happens and the result is empty.
std::optional<int> print_generated_docs(const CLI::App& app, int argc, char** argv);

}  // namespace cocoon::tools
