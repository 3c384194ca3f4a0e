#pragma once
// Test helper: a long-running tool (a log server, a witness) as a child process. Its stdout is read
// line by line until the line announcing where it listens; the destructor stops it with SIGTERM.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace cocoon::test {

class ServiceProcess {
 public:
  // Runs argv[0] with argv; returns once a stdout line starts with "listening on " (url() is the rest),
  // or the child ended (url() empty; lines() holds what it printed).
  explicit ServiceProcess(const std::vector<std::string>& argv) {
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c;
    while (pid_ > 0 && ::read(out[0], &c, 1) == 1) {
      if (c != '\n') {
        line += c;
        continue;
      }
      lines_.push_back(line);
      if (line.starts_with("listening on ")) {
        url_ = line.substr(13);
        break;
      }
      line.clear();
    }
    ::close(out[0]);
  }
  ~ServiceProcess() { stop(); }
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // SIGTERM and wait; returns the exit status (or -1 when already stopped).
  int stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }
  const std::string& url() const { return url_; }
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
  std::vector<std::string> lines_;
};

}  // namespace cocoon::test
