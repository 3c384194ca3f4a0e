#pragma once
// A file written under a temporary name next to its target and renamed over it on commit (internal).
// Streaming counterpart of core's write_file_atomic, for outputs too large to hold in memory.
#include <cstdint>
#include <filesystem>

#include "archive/unique_fd.hpp"
#include "core/result.hpp"

namespace cocoon::archive {

// Invariant: until commit() succeeds the target is untouched, and a destroyed uncommitted object
// leaves no temporary file behind. Example: create("out/a.tar.zst") writes "out/.a.tar.zst.tmp-x1y2..."
// and commit(0644) renames it to "out/a.tar.zst".
class AtomicFile {
 public:
  static Result<AtomicFile> create(const std::filesystem::path& target);
  AtomicFile(AtomicFile&& o) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  ~AtomicFile();

  int fd() const { return fd_.get(); }
  Status write_all(const void* data, std::size_t size);
  // chmod, fsync, rename onto the target, fsync the directory.
  Status commit(unsigned mode);

 private:
  AtomicFile(std::filesystem::path target, std::filesystem::path temp, UniqueFd fd)
      : target_(std::move(target)), temp_(std::move(temp)), fd_(std::move(fd)) {}
  std::filesystem::path target_;
  std::filesystem::path temp_;  // empty once committed or moved from
  UniqueFd fd_;
  std::uint64_t written_ = 0;
  std::uint64_t writeback_started_ = 0;  // bytes already handed to sync_file_range
};

}  // namespace cocoon::archive
