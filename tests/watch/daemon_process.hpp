#pragma once
// Test helper: a daemon (cocoon-build watch) as a child process with its own umask and environment,
// its stdout and stderr appended to a file. The destructor kills what is still running.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cocoon::test {

class DaemonProcess {
 public:
  DaemonProcess(const std::vector<std::string>& argv,
                const std::vector<std::pair<std::string, std::string>>& env, mode_t umask_value,
                const std::string& output_file) {
    pid_ = ::fork();
    if (pid_ == 0) {
      int fd = ::open(output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      ::umask(umask_value);
      for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~DaemonProcess() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      int st = 0;
      ::waitpid(pid_, &st, 0);
    }
  }
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  bool running() const { return pid_ > 0 && !status_; }
  pid_t pid() const { return pid_; }

  // The exit code (128 + signal when killed) once the process has ended, without waiting.
  std::optional<int> poll() {
    if (status_ || pid_ <= 0) return status_;
    int st = 0;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return status_;
  }
  int signal_and_wait(int sig) {
    if (status_) return *status_;
    ::kill(pid_, sig);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return *status_;
  }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

}  // namespace cocoon::test
