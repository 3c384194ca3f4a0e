#pragma once
// Running one program the way a build step must run: exact argv (no shell), exact environment, a
// given working directory and umask, stdin from /dev/null, stdout+stderr appended to a log file.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace cocoon::build {

using Environment = std::map<std::string, std::string>;

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in env["PATH"] unless it contains '/'
  Environment env;
  std::filesystem::path cwd;
  unsigned umask = 022;
  std::filesystem::path log;  // appended to; empty = discard output
  // When set, the child gets its own UTS namespace with this host name (needs CAP_SYS_ADMIN; see
  // can_set_hostname()).
  std::optional<std::string> hostname;
};

struct ProcessOutcome {
  int exit_code = 0;  // 128 + signal number when killed by a signal
  bool signaled = false;
};

// Errc::not_found when argv[0] is not found on PATH; Errc::io when the process cannot be started.
Result<ProcessOutcome> run_process(const ProcessSpec& spec);

// Runs a program and returns its stdout+stderr (capped at max_bytes).
Result<std::string> capture_output(const ProcessSpec& spec, std::size_t max_bytes = 1 << 16);

// Resolves a program name against a PATH string the way execvp would.
std::optional<std::filesystem::path> find_program(const std::string& name, const std::string& path_var);

// The last `lines` lines of a text file (for failure reports).
std::vector<std::string> tail_lines(const std::filesystem::path& file, std::size_t lines);

// Whether this process may give a child its own host name (root in the initial user namespace).
bool can_set_hostname();

}  // namespace cocoon::build
