#include "common/passphrase.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace cocoon::tools {
namespace {

// Owns the terminal descriptor and restores its settings however the prompt ends.
class TerminalNoEcho {
 public:
  TerminalNoEcho() : fd_(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) {
    if (fd_ < 0 || ::tcgetattr(fd_, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    restore_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
  }
  ~TerminalNoEcho() {
    if (restore_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
    if (fd_ >= 0) ::close(fd_);
  }
  TerminalNoEcho(const TerminalNoEcho&) = delete;
  TerminalNoEcho& operator=(const TerminalNoEcho&) = delete;

  bool usable() const { return restore_; }

  void write_text(std::string_view text) const {
    while (!text.empty()) {
      ssize_t n = ::write(fd_, text.data(), text.size());
      if (n <= 0) return;
      text.remove_prefix(static_cast<size_t>(n));
    }
  }

  // One line without its newline; false on end of input before any newline.
  bool read_line(std::string& out) const {
    out.clear();
    char c;
    for (;;) {
      ssize_t n = ::read(fd_, &c, 1);
      if (n <= 0) return false;
      if (c == '\n') return true;
      out.push_back(c);
    }
  }

 private:
  int fd_;
  termios saved_{};
  bool restore_ = false;
};

void wipe(std::string& s) {
  // volatile stores so the compiler cannot drop the wipe of a string about to die.
  volatile char* p = s.data();
  for (size_t i = 0; i < s.size(); ++i) p[i] = 0;
  s.clear();
}

}  // namespace

Result<std::string> read_passphrase(std::string_view prompt, bool confirm) {
  if (const char* env = std::getenv(kPassphraseEnv)) return std::string(env);
  TerminalNoEcho tty;
  if (!tty.usable())
    return make_error(Errc::invalid_input,
                      std::string("a passphrase is needed: set ") + kPassphraseEnv + " or run on a terminal");
  std::string first;
  tty.write_text(std::string(prompt) + ": ");
  if (!tty.read_line(first)) return make_error(Errc::invalid_input, "no passphrase entered");
  if (confirm) {
    std::string second;
    tty.write_text("Repeat to confirm: ");
    bool got = tty.read_line(second);
    bool same = got && second == first;
    wipe(second);
    if (!same) {
      wipe(first);
      return make_error(Errc::invalid_input, "the passphrases do not match");
    }
  }
  return first;
}

}  // namespace cocoon::tools
