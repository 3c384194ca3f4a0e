#include "core/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>

namespace cocoon {
namespace fs = std::filesystem;
namespace {

// Closes a POSIX file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Error errno_error(std::string_view what, const fs::path& path) {
  return make_error(Errc::io, std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

std::string random_suffix() {
  std::random_device rd;
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 12; ++i) s += kAlphabet[rd() % 36];
  return s;
}

}  // namespace

Result<Bytes> read_file(const fs::path& path, std::uint64_t max_bytes) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return make_error(Errc::not_found, "no such file: " + path.string());
    return errno_error("cannot open", path);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return errno_error("cannot stat", path);
  if (S_ISDIR(st.st_mode)) return make_error(Errc::invalid_input, path.string() + " is a directory");
  if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes)
    return make_error(Errc::invalid_input,
                      path.string() + " is larger than the limit of " + std::to_string(max_bytes) + " bytes");
  Bytes out;
  if (S_ISREG(st.st_mode)) out.reserve(static_cast<size_t>(st.st_size));
  std::uint8_t buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("cannot read", path);
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes)
      return make_error(Errc::invalid_input, path.string() + " is larger than the limit of " +
                                                 std::to_string(max_bytes) + " bytes");
    out.insert(out.end(), buf, buf + n);
  }
  return out;
}

Result<std::string> read_text_file(const fs::path& path, std::uint64_t max_bytes) {
  COCOON_ASSIGN(Bytes b, read_file(path, max_bytes));
  return std::string(b.begin(), b.end());
}

Status fsync_dir(const fs::path& dir) {
  Fd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return errno_error("cannot open directory", dir);
  if (::fsync(fd.get()) != 0) return errno_error("cannot fsync directory", dir);
  return Ok{};
}

std::string hidden_sibling_name(const fs::path& path, std::string_view suffix) {
  // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict overlap for `"." + std::string`
  // (an insert at the front of a temporary).
  std::string name = ".";
  name += path.filename().string();
  name += suffix;
  return name;
}

Status write_file_atomic(const fs::path& path, ByteView data, unsigned mode) {
  fs::path dir = path.parent_path();
  fs::path tmp = (dir.empty() ? fs::path(".") : dir) / hidden_sibling_name(path, ".tmp-" + random_suffix());
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) return errno_error("cannot create", tmp);
  auto fail = [&](std::string_view what) {
    Error e = errno_error(what, tmp);
    ::unlink(tmp.c_str());
    return e;
  };
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd.get(), data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    off += static_cast<size_t>(n);
  }
  if (::fchmod(fd.get(), mode) != 0) return fail("cannot chmod");
  if (::fsync(fd.get()) != 0) return fail("cannot fsync");
  if (::close(fd.release()) != 0) return fail("cannot close");
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("cannot rename onto " + path.string() + ":");
  return fsync_dir(dir.empty() ? fs::path(".") : dir);
}

Result<TempDir> TempDir::create(std::string_view prefix) {
  const char* base = std::getenv("TMPDIR");
  return create_in(fs::path(base && *base ? base : "/tmp"), prefix);
}

Result<TempDir> TempDir::create_in(const fs::path& parent, std::string_view prefix) {
  std::string templ = (parent / (std::string(prefix) + "XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr) return errno_error("cannot create temporary directory", templ);
  return TempDir(fs::path(templ));
}

TempDir& TempDir::operator=(TempDir&& o) noexcept {
  if (this != &o) {
    if (!path_.empty()) {
      std::error_code ec;
      fs::remove_all(path_, ec);
    }
    path_ = std::exchange(o.path_, {});
  }
  return *this;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  // Build trees may contain read-only directories; make them writable so removal succeeds.
  for (auto it = fs::recursive_directory_iterator(path_, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec))
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  }
  fs::remove_all(path_, ec);
}

}  // namespace cocoon
