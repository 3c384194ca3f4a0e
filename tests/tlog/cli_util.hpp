#pragma once
// Running cocoon-log from tests.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace cocoon::tlog::testing {

inline const std::string kCocoonLog = COCOON_BINARY_DIR "/tools/cocoon-log/cocoon-log";

struct Run {
  int code = -1;
  std::string out;  // stdout and stderr together
};

// Runs `args` through the shell (the tests pass only paths they created) and captures the output.
inline Run run_tool(const std::string& args, const std::string& env = "") {
  std::string cmd = env + (env.empty() ? "" : " ") + kCocoonLog + " " + args + " 2>&1";
  Run r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace cocoon::tlog::testing
