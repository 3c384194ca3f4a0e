#include "tlog/staged_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/file_io.hpp"

namespace cocoon::tlog {
namespace fs = std::filesystem;

namespace {
Error errno_error(const std::string& what, const fs::path& p) {
  return make_error(Errc::io, what + " " + p.string() + ": " + std::strerror(errno));
}
}  // namespace

StagedFiles::~StagedFiles() {
  for (auto& [tmp, final_path] : pending_) ::unlink(tmp.c_str());
}

Status StagedFiles::stage(const std::string& relative, ByteView data) {
  fs::path final_path = root_ / relative;
  std::error_code ec;
  fs::create_directories(final_path.parent_path(), ec);
  if (ec)
    return make_error(Errc::io,
                      "cannot create directory " + final_path.parent_path().string() + ": " + ec.message());
  fs::path tmp = final_path.parent_path() / hidden_sibling_name(final_path, ".staged");
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_error("cannot create", tmp);
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      Error e = errno_error("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return e;
    }
    off += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return errno_error("cannot close", tmp);
  pending_.emplace_back(tmp, final_path);
  return Ok{};
}

Status StagedFiles::commit() {
  if (pending_.empty()) return Ok{};
  int root_fd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) return errno_error("cannot open", root_);
  int rc = ::syncfs(root_fd);
  ::close(root_fd);
  if (rc != 0) return errno_error("cannot sync the file system of", root_);
  std::set<fs::path> dirs;
  for (auto& [tmp, final_path] : pending_) {
    if (::rename(tmp.c_str(), final_path.c_str()) != 0) return errno_error("cannot rename onto", final_path);
    // New directories must reach the disk too: fsync every ancestor up to the root.
    for (fs::path d = final_path.parent_path(); d != root_ && d.string().size() > root_.string().size();
         d = d.parent_path())
      dirs.insert(d);
  }
  pending_.clear();
  dirs.insert(root_);
  for (const auto& d : dirs) COCOON_TRY(fsync_dir(d));
  return Ok{};
}

}  // namespace cocoon::tlog
