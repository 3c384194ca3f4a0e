#pragma once
// An option whose name changed (docs/cli.md, "Flag names"): the old spelling stays only to say what
// replaced it, as a command-line error (exit 2), never as a silent alias — the old name may have
// meant something else in this command (`root init --online-key` was a public key; `--online-key` is a
// secret key file everywhere now).
#include <CLI/CLI.hpp>

#include <string>

namespace cocoon::tools {

// `old_name` ("--timeout-ms") is refused with "--timeout-ms was renamed: use --timeout SECONDS (...)".
// The message is thrown whole: CLI11 prefixes a validator's message with the option's name, and a
// hidden option (group "") has an empty one, which printed ": renamed: …".
inline void add_renamed_option(CLI::App* cmd, const std::string& old_name, const std::string& replacement) {
  std::string message = old_name + " was renamed: use " + replacement;
  cmd->add_option(old_name)
      ->group("")  // hidden from --help, the man page and completion
      ->check(CLI::Validator([message](std::string&) -> std::string { throw CLI::ConversionError(message); },
                             "", "renamed"));
}

}  // namespace cocoon::tools
