#pragma once
// How cocoon-log commands print for scripts (docs/cli.md, "--json"): one JSON document on stdout. A
// command whose answer is a verdict (check-proof, monitor) prints it for a refusal too, with the
// class and exit code, like `cocoon-verify update --json`; every error is also the usual one line on
// stderr. JSON is dumped with invalid UTF-8 replaced, so it stays valid whatever bytes a log serves.
#include <chrono>
#include <cstdio>
#include <string>

#include "cocoon-log/commands.hpp"
#include "common/exit_codes.hpp"
#include "common/passphrase.hpp"
#include "core/json.hpp"

namespace cocoon::tools::log {

inline void print_json(const Json& doc) {
  std::printf("%s", pretty_json(doc).c_str());
}

// A verdict refused: its JSON with "verdict", "exit_code" and "reason", then the stderr line.
inline int refuse_with_json(Json doc, const char* verdict, const Error& e) {
  int code = exit_code_for(e.code);
  doc["verdict"] = verdict;
  doc["exit_code"] = code;
  doc["reason"] = {{"class", errc_name(e.code)}, {"message", e.message}};
  print_json(doc);
  std::fflush(stdout);
  return report(kTool, e);
}

// A duration given in seconds (docs/cli.md, "Durations"), as the milliseconds the servers count in.
inline std::chrono::milliseconds to_milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0 + 0.5));
}

// The key options of a command that signs: `--key FILE` and `--key-passphrase-file FILE`.
inline SecretOption signing_key_option(const char* label) {
  return SecretOption("key", label);
}

}  // namespace cocoon::tools::log
