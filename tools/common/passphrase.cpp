#include "common/passphrase.hpp"

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/escape.hpp"

namespace cocoon::tools {
namespace {

constexpr std::size_t kMaxPassphraseFile = 4096;

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

// Owns a file descriptor.
struct Fd {
  int fd;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

// nullopt when there is no terminal to ask on.
Result<std::optional<std::string>> terminal_prompt(const std::string& prompt, bool confirm) {
  TerminalNoEcho tty;
  if (!tty.usable()) return std::optional<std::string>();
  std::string first;
  tty.write_text(prompt);
  if (!tty.read_line(first)) return make_error(Errc::invalid_input, "no passphrase entered");
  if (confirm) {
    std::string second;
    tty.write_text("Repeat to confirm: ");
    bool got = tty.read_line(second);
    bool same = got && second == first;
    wipe_secret(second);
    if (!same) {
      wipe_secret(first);
      return make_error(Errc::invalid_input, "the passphrases do not match");
    }
  }
  return std::optional<std::string>(std::move(first));
}

std::optional<std::string> set_and_not_empty(const PassphraseSources& sources, const std::string& name) {
  auto v = sources.getenv(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

}  // namespace

void wipe_secret(std::string& s) {
  // volatile stores so the compiler cannot drop the wipe of a string about to die.
  volatile char* p = s.data();
  for (size_t i = 0; i < s.size(); ++i) p[i] = 0;
  s.clear();
}

std::string passphrase_env_name(std::string_view option) {
  std::string name = "COCOON_";
  for (char c : option) {
    if (c == '-') {
      name += '_';
    } else if (c >= 'a' && c <= 'z') {
      name += static_cast<char>(c - 'a' + 'A');
    } else {
      name += c;
    }
  }
  return name + "_PASSPHRASE";
}

std::string passphrase_prompt(std::string_view label, std::string_view path) {
  return "Passphrase for " + std::string(label) + " (" + printable(path) + "): ";
}

PassphraseSources system_passphrase_sources() {
  PassphraseSources s;
  s.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  s.prompt = terminal_prompt;
  return s;
}

Result<std::string> read_passphrase_file(const std::string& path) {
  // Opened once and checked through the descriptor, so the file checked is the file read. A pipe
  // (`--online-key-passphrase-file <(pass show online)`) is fine: nobody else can open it.
  Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (f.fd < 0) {
    int err = errno;
    if (err == ENOENT) return make_error(Errc::not_found, "passphrase file " + path + " does not exist");
    return make_error(Errc::io, "cannot open passphrase file " + path + ": " + std::strerror(err));
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0)
    return make_error(Errc::io, "cannot stat passphrase file " + path + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    return make_error(Errc::invalid_input, "passphrase file " + path + " is a directory");
  if (S_ISREG(st.st_mode) && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    return make_error(Errc::invalid_input,
                      "passphrase file " + path + " is accessible by group or others: chmod 600 it first");
  std::string text;
  char buf[512];
  for (;;) {
    ssize_t n = ::read(f.fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      wipe_secret(text);
      return make_error(Errc::io, "cannot read passphrase file " + path + ": " + std::strerror(err));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    std::memset(buf, 0, sizeof buf);
    if (text.size() > kMaxPassphraseFile) {
      wipe_secret(text);
      return make_error(Errc::invalid_input, "passphrase file " + path + " is longer than " +
                                                 std::to_string(kMaxPassphraseFile) + " bytes");
    }
  }
  std::size_t end = text.find('\n');
  if (end == std::string::npos) end = text.size();
  if (end > 0 && text[end - 1] == '\r') --end;
  std::string line = text.substr(0, end);
  wipe_secret(text);
  if (line.empty())
    return make_error(Errc::invalid_input, "passphrase file " + path + " has an empty first line");
  return line;
}

Result<std::string> passphrase_for(const SecretOption& secret, bool confirm,
                                   const PassphraseSources& sources) {
  const std::string flag = "--" + secret.option + "-passphrase-file";
  if (!secret.passphrase_file.empty()) {
    auto p = read_passphrase_file(secret.passphrase_file);
    if (!p.ok()) return make_error(p.error().code, flag + ": " + p.error().message);
    return p;
  }
  const std::string own_env = passphrase_env_name(secret.option);
  if (auto v = set_and_not_empty(sources, own_env)) return *v;
  if (auto v = set_and_not_empty(sources, kPassphraseEnv)) return *v;
  COCOON_ASSIGN(std::optional<std::string> typed,
                sources.prompt(passphrase_prompt(secret.label, secret.path), confirm));
  if (typed) return std::move(*typed);
  return make_error(Errc::invalid_input, "the " + secret.label + " " + secret.path +
                                             " needs a passphrase and there is no terminal to ask on: give " +
                                             flag + ", or set " + own_env + " or " + kPassphraseEnv);
}

CLI::Option* add_secret_option(CLI::App* cmd, SecretOption& secret, const std::string& description) {
  CLI::Option* key = cmd->add_option("--" + secret.option, secret.path, description);
  cmd->add_option("--" + secret.option + "-passphrase-file", secret.passphrase_file,
                  "file whose first line is the passphrase of --" + secret.option + " (mode 0600; see also " +
                      passphrase_env_name(secret.option) + ", " + kPassphraseEnv + ")");
  return key;
}

Result<std::string> read_passphrase(std::string_view prompt, bool confirm) {
  if (const char* env = std::getenv(kPassphraseEnv)) return std::string(env);
  std::string text(prompt);
  if (!text.ends_with(": ")) text += ": ";
  COCOON_ASSIGN(std::optional<std::string> typed, terminal_prompt(text, confirm));
  if (typed) return std::move(*typed);
  return make_error(Errc::invalid_input,
                    std::string("a passphrase is needed: set ") + kPassphraseEnv + " or run on a terminal");
}

}  // namespace cocoon::tools
