// extract_archive: writes a validated archive into a fresh directory without following any symlink.
#include <fcntl.h>
#include <stdio.h>  // renameat2
#include <sys/stat.h>

#include "archive/archive.hpp"
#include "archive/fs_util.hpp"
#include "core/file_io.hpp"

namespace cocoon::archive {
namespace fs = std::filesystem;
namespace {

struct timespec_pair {
  struct timespec t[2];
  explicit timespec_pair(std::int64_t mtime) {
    t[0].tv_sec = t[1].tv_sec = static_cast<time_t>(mtime);
    t[0].tv_nsec = t[1].tv_nsec = 0;
  }
};

class Extractor : public MemberVisitor {
 public:
  Extractor(int root_fd, fs::path shown_root) : shown_root_(std::move(shown_root)), dirs_(root_fd) {}

  Result<bool> on_member(const Member& m) override {
    switch (m.type) {
      case MemberType::directory: {
        std::string rel = m.path.substr(0, m.path.size() - 1);
        COCOON_TRY(dirs_.at(rel, true));
        dir_times_.emplace_back(rel, m.mtime);
        return false;
      }
      case MemberType::symlink:
        // Created after everything else, once the complete member set has been checked.
        links_.push_back(m);
        return false;
      case MemberType::file: {
        auto [parent, name] = split_parent(m.path);
        COCOON_ASSIGN(int parent_fd, dirs_.at(parent, true));
        int fd = ::openat(parent_fd, std::string(name).c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
        if (fd < 0) return errno_error("cannot create", (shown_root_ / m.path).string());
        file_ = UniqueFd(fd);
        return true;
      }
    }
    return make_error(Errc::internal, "unknown member type");
  }

  Status on_data(const Member& m, ByteView chunk) override {
    while (!chunk.empty()) {
      ssize_t n = ::write(file_.get(), chunk.data(), chunk.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_error("cannot write", (shown_root_ / m.path).string());
      }
      chunk = chunk.subspan(static_cast<std::size_t>(n));
    }
    return Ok{};
  }

  Status on_member_end(const Member& m) override {
    if (m.type != MemberType::file) return Ok{};
    std::string shown = (shown_root_ / m.path).string();
    if (::fchmod(file_.get(), (m.mode & 0111) ? 0755 : 0644) != 0) return errno_error("cannot chmod", shown);
    timespec_pair times(m.mtime);
    if (::futimens(file_.get(), times.t) != 0) return errno_error("cannot set mtime of", shown);
    if (!file_.close_checked()) return errno_error("cannot close", shown);
    return Ok{};
  }

  // After the whole archive validated: symlinks, then directory mtimes (creating entries changes them).
  Status complete() {
    for (const Member& link : links_) {
      auto [parent, name] = split_parent(link.path);
      COCOON_ASSIGN(int parent_fd, dirs_.at(parent, true));
      std::string shown = (shown_root_ / link.path).string();
      if (::symlinkat(link.link_target.c_str(), parent_fd, std::string(name).c_str()) != 0)
        return errno_error("cannot create symlink", shown);
      timespec_pair times(link.mtime);
      if (::utimensat(parent_fd, std::string(name).c_str(), times.t, AT_SYMLINK_NOFOLLOW) != 0)
        return errno_error("cannot set mtime of", shown);
    }
    for (const auto& [rel, mtime] : dir_times_) {
      COCOON_ASSIGN(int fd, dirs_.at(rel, false));
      timespec_pair times(mtime);
      if (::futimens(fd, times.t) != 0)
        return errno_error("cannot set mtime of", (shown_root_ / rel).string());
    }
    return Ok{};
  }

 private:
  fs::path shown_root_;
  BeneathOpener dirs_;
  UniqueFd file_;
  std::vector<Member> links_;
  std::vector<std::pair<std::string, std::int64_t>> dir_times_;
};

// Removes the staging directory unless released.
class StagingDir {
 public:
  explicit StagingDir(fs::path p) : path_(std::move(p)) {}
  ~StagingDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;
  const fs::path& path() const { return path_; }
  void release() { path_.clear(); }

 private:
  fs::path path_;
};

}  // namespace

Status extract_archive(const fs::path& archive, const fs::path& dest, const ReadLimits& limits) {
  struct stat st;
  if (::lstat(dest.c_str(), &st) == 0)
    return make_error(Errc::invalid_input, "extraction destination already exists: " + dest.string());
  fs::path parent = dest.parent_path();
  if (parent.empty()) parent = ".";
  std::string templ = (parent / hidden_sibling_name(dest, ".extract-XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr)
    return errno_error("cannot create staging directory in", parent.string());
  StagingDir staging{fs::path(templ)};
  int raw = ::open(templ.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (raw < 0) return errno_error("cannot open", templ);
  UniqueFd root(raw);
  if (::fchmod(root.get(), 0755) != 0) return errno_error("cannot chmod", templ);

  {
    Extractor extractor(root.get(), dest);
    COCOON_TRY(visit_archive(archive, extractor, limits));
    COCOON_TRY(extractor.complete());
  }
  if (::syncfs(root.get()) != 0) return errno_error("cannot sync", templ);
  if (::renameat2(AT_FDCWD, templ.c_str(), AT_FDCWD, dest.c_str(), RENAME_NOREPLACE) != 0)
    return errno_error("cannot rename extracted tree onto", dest.string());
  staging.release();
  return fsync_dir(parent);
}

}  // namespace cocoon::archive
