#pragma once
// Owning POSIX file descriptor (internal to lib/archive).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.hpp"

namespace cocoon::archive {

// Invariant: fd() is either -1 or an open descriptor closed exactly once, by this object.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  // Closes and reports the close error (matters for written files).
  bool close_checked() { return ::close(std::exchange(fd_, -1)) == 0; }

 private:
  int fd_ = -1;
};

// "what path: strerror(errno)" as an Errc::io error.
inline Error errno_error(std::string_view what, std::string_view path) {
  return make_error(Errc::io, std::string(what) + " " + std::string(path) + ": " + std::strerror(errno));
}

}  // namespace cocoon::archive
