#pragma once
// Test helper: where ci/setup installed tuf-js 6.0.2 (with @tufjs/models and @tufjs/canonical-json),
// and how to run node scripts against it. Same rule as ci/setup: $COCOON_TUFJS_DIR, else
// $XDG_CACHE_HOME/cocoon-release/tuf-js-6.0.2, else ~/.cache/cocoon-release/tuf-js-6.0.2.
// Example: node_command("/src/x.js basic /tmp/out") ->
//   "NODE_PATH='/root/.cache/cocoon-release/tuf-js-6.0.2/node_modules' node /src/x.js basic /tmp/out".
#include <cstdlib>
#include <string>

#include "shell.hpp"

namespace cocoon::test {

inline std::string tufjs_modules() {
  std::string dir;
  if (const char* d = std::getenv("COCOON_TUFJS_DIR"); d && *d) {
    dir = d;
  } else if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) {
    dir = std::string(x) + "/cocoon-release/tuf-js-6.0.2";
  } else {
    const char* home = std::getenv("HOME");
    dir = std::string(home ? home : "/root") + "/.cache/cocoon-release/tuf-js-6.0.2";
  }
  return dir + "/node_modules";
}

inline bool node_installed() {
  return run_shell("command -v node").exit_code == 0;
}

// True when the pinned tuf-js 6.0.2 is where tufjs_modules() says.
inline bool tufjs_installed() {
  std::string package = shell_quote(tufjs_modules() + "/tuf-js/package.json");
  return run_shell("test -f " + package + " && grep -q '\"version\": \"6.0.2\"' " + package).exit_code == 0;
}

// `args` is already shell-quoted where needed.
inline std::string node_command(const std::string& args) {
  return "NODE_PATH=" + shell_quote(tufjs_modules()) + " node " + args;
}

}  // namespace cocoon::test
