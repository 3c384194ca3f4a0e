#pragma once
// Where tools get the passphrase of an encrypted secret (a key file, a FROST state directory). Every
// option naming one, `--<x>` (`--online-key`, `--log-key`, `--key`, `--state`), has its own sources,
// tried in this order (docs/cli.md, "Passphrases"):
//   1. --<x>-passphrase-file FILE   the first line of FILE (not readable by group or others)
//   2. COCOON_<X>_PASSPHRASE        <X> is the option name upper-cased, '-' as '_' (empty = unset)
//   3. COCOON_PASSPHRASE            one passphrase for every secret of the run (empty = unset)
//   4. a prompt on the controlling terminal (/dev/tty), echo off:
//        Passphrase for online key (keys/online.key):
// Never from argv, where other users read it in the process list; never printed; errors name the
// option and the file, never the passphrase. Unencrypted key files need none of this.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace cocoon::tools {

inline constexpr const char* kPassphraseEnv = "COCOON_PASSPHRASE";

// One secret on a command line: `--online-key online.key --online-key-passphrase-file pw.txt`.
struct SecretOption {
  std::string option;           // the option's long name without dashes: "online-key"
  std::string label;            // how prompts and errors call it: "online key"
  std::string path;             // the key file or state directory given
  std::string passphrase_file;  // --<option>-passphrase-file, empty when not given

  SecretOption() = default;
  SecretOption(std::string option_name, std::string what)
      : option(std::move(option_name)), label(std::move(what)) {}
};

// "online-key" -> "COCOON_ONLINE_KEY_PASSPHRASE".
std::string passphrase_env_name(std::string_view option);

// "Passphrase for online key (keys/online.key): " — the one spelling every tool prompts with. The path
// is escaped: it may hold bytes that would drive the terminal.
std::string passphrase_prompt(std::string_view label, std::string_view path);

// The environment and the terminal, replaceable so that tests can check the order of the sources.
struct PassphraseSources {
  // The value of an environment variable, nullopt when unset.
  std::function<std::optional<std::string>(const std::string& name)> getenv;
  // Asks on the terminal; `confirm` asks twice and refuses a mismatch. nullopt when there is no terminal.
  std::function<Result<std::optional<std::string>>(const std::string& prompt, bool confirm)> prompt;
};
PassphraseSources system_passphrase_sources();

// The passphrase for `secret`, from the first source that has one. `confirm` (creating a secret)
// applies to the prompt only. Errors: not_found (the passphrase file is missing), invalid_input (the
// file is readable by others, empty or longer than 4096 bytes; no source at all), io.
Result<std::string> passphrase_for(const SecretOption& secret, bool confirm = false,
                                   const PassphraseSources& sources = system_passphrase_sources());

// The first line of a passphrase file, checked as described above.
Result<std::string> read_passphrase_file(const std::string& path);

// Registers `--<secret.option>` (storing secret.path) and `--<secret.option>-passphrase-file`; returns
// the first so that the caller can mark it required.
CLI::Option* add_secret_option(CLI::App* cmd, SecretOption& secret, const std::string& description);

// For a secret that has no option of its own (cocoon-build key generate): COCOON_PASSPHRASE, else the
// terminal. `prompt` is shown as given, with ": " appended when it does not end with one.
Result<std::string> read_passphrase(std::string_view prompt, bool confirm);

// Overwrites a string that held a passphrase before it is released.
void wipe_secret(std::string& s);

}  // namespace cocoon::tools
