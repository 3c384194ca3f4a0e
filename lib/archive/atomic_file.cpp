#include "archive/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include "archive/fs_util.hpp"
#include "core/file_io.hpp"

namespace cocoon::archive {
namespace fs = std::filesystem;

Result<AtomicFile> AtomicFile::create(const fs::path& target) {
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  fs::path temp = dir / hidden_sibling_name(target, ".tmp-" + random_suffix());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return errno_error("cannot create", temp.string());
  return AtomicFile(target, temp, UniqueFd(fd));
}

AtomicFile::AtomicFile(AtomicFile&& o) noexcept
    : target_(std::move(o.target_)),
      temp_(std::exchange(o.temp_, {})),
      fd_(std::move(o.fd_)),
      written_(o.written_),
      writeback_started_(o.writeback_started_) {}

AtomicFile::~AtomicFile() {
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

Status AtomicFile::write_all(const void* data, std::size_t size) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd_.get(), p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("cannot write", temp_.string());
    }
    p += n;
    size -= static_cast<std::size_t>(n);
    written_ += static_cast<std::uint64_t>(n);
  }
  // Start writeback of every full 8 MiB without waiting, so the fsync in commit() does not have to
  // write the whole file at the end. Only a hint: failures surface in fsync.
  constexpr std::uint64_t kWritebackStep = 8u << 20;
  if (written_ - writeback_started_ >= kWritebackStep) {
    ::sync_file_range(fd_.get(), static_cast<off_t>(writeback_started_),
                      static_cast<off_t>(written_ - writeback_started_), SYNC_FILE_RANGE_WRITE);
    writeback_started_ = written_;
  }
  return Ok{};
}

Status AtomicFile::commit(unsigned mode) {
  if (::fchmod(fd_.get(), mode) != 0) return errno_error("cannot chmod", temp_.string());
  if (::fsync(fd_.get()) != 0) return errno_error("cannot fsync", temp_.string());
  if (!fd_.close_checked()) return errno_error("cannot close", temp_.string());
  if (::rename(temp_.c_str(), target_.c_str()) != 0)
    return errno_error("cannot rename onto", target_.string());
  temp_.clear();
  fs::path dir = target_.parent_path();
  return fsync_dir(dir.empty() ? fs::path(".") : dir);
}

}  // namespace cocoon::archive
