#include "build/process.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>

#include "core/file_io.hpp"

namespace cocoon::build {
namespace fs = std::filesystem;

std::optional<fs::path> find_program(const std::string& name, const std::string& path_var) {
  if (name.find('/') != std::string::npos) return fs::path(name);
  size_t start = 0;
  while (start <= path_var.size()) {
    size_t end = path_var.find(':', start);
    if (end == std::string::npos) end = path_var.size();
    // Constructed, not assigned ".": GCC 12 at -O3 reports a false -Wrestrict overlap for the assignment.
    const std::string dir = end == start ? std::string(".") : path_var.substr(start, end - start);
    fs::path candidate = fs::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate)) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

namespace {

// Everything the child needs is prepared before fork(), so the child only makes async-signal-safe
// calls (the parent may have other threads).
struct PreparedExec {
  std::string program;
  std::vector<std::string> args, envs;
  std::vector<char*> argv, envp;
};

Result<PreparedExec> prepare(const ProcessSpec& spec) {
  if (spec.argv.empty()) return make_error(Errc::invalid_input, "empty command");
  auto path_it = spec.env.find("PATH");
  auto prog = find_program(spec.argv[0], path_it == spec.env.end() ? "" : path_it->second);
  if (!prog) return make_error(Errc::not_found, "program \"" + spec.argv[0] + "\" is not on PATH");
  PreparedExec p;
  p.program = prog->string();
  p.args = spec.argv;
  for (const auto& [k, v] : spec.env) p.envs.push_back(k + "=" + v);
  for (auto& a : p.args) p.argv.push_back(a.data());
  p.argv.push_back(nullptr);
  for (auto& e : p.envs) p.envp.push_back(e.data());
  p.envp.push_back(nullptr);
  return p;
}

Result<ProcessOutcome> spawn_and_wait(const ProcessSpec& spec, int out_fd) {
  COCOON_ASSIGN(PreparedExec p, prepare(spec));
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull < 0) return make_error(Errc::io, std::string("cannot open /dev/null: ") + std::strerror(errno));
  const char* host = spec.hostname ? spec.hostname->c_str() : nullptr;
  size_t host_len = spec.hostname ? spec.hostname->size() : 0;
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(devnull);
    return make_error(Errc::io, std::string("cannot fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // A step starts with no signal blocked, whatever the calling thread blocked (the watch daemon
    // blocks SIGTERM and SIGINT to read them from a signalfd).
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(devnull, 0);
    ::dup2(out_fd, 1);
    ::dup2(out_fd, 2);
    ::umask(static_cast<mode_t>(spec.umask));
    if (host && (::unshare(CLONE_NEWUTS) != 0 || ::sethostname(host, host_len) != 0)) ::_exit(126);
    if (::chdir(spec.cwd.c_str()) != 0) ::_exit(126);
    ::execve(p.program.c_str(), p.argv.data(), p.envp.data());
    ::_exit(127);
  }
  ::close(devnull);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return make_error(Errc::io, std::string("waitpid failed: ") + std::strerror(errno));
  }
  ProcessOutcome out;
  if (WIFEXITED(status)) {
    out.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    out.signaled = true;
    out.exit_code = 128 + WTERMSIG(status);
  }
  return out;
}

}  // namespace

Result<ProcessOutcome> run_process(const ProcessSpec& spec) {
  int fd = spec.log.empty() ? ::open("/dev/null", O_WRONLY | O_CLOEXEC)
                            : ::open(spec.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    return make_error(Errc::io, "cannot open log " + spec.log.string() + ": " + std::strerror(errno));
  auto r = spawn_and_wait(spec, fd);
  ::close(fd);
  return r;
}

Result<std::string> capture_output(const ProcessSpec& spec, std::size_t max_bytes) {
  COCOON_ASSIGN(TempDir tmp, TempDir::create("cocoon-capture-"));
  ProcessSpec s = spec;
  s.log = tmp.path() / "out";
  COCOON_ASSIGN(ProcessOutcome outcome, run_process(s));
  (void)outcome;
  auto data = read_file(s.log, 1ull << 30);
  if (!data) return std::move(data).error();
  std::string text(data->begin(), data->end());
  if (text.size() > max_bytes) text.resize(max_bytes);
  return text;
}

std::vector<std::string> tail_lines(const fs::path& file, std::size_t lines) {
  std::ifstream in(file);
  std::deque<std::string> q;
  std::string line;
  while (std::getline(in, line)) {
    q.push_back(line);
    if (q.size() > lines) q.pop_front();
  }
  return {q.begin(), q.end()};
}

bool can_set_hostname() {
  pid_t pid = ::fork();
  if (pid < 0) return false;
  if (pid == 0) ::_exit(::unshare(CLONE_NEWUTS) == 0 && ::sethostname("cocoon-probe", 12) == 0 ? 0 : 1);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace cocoon::build
