#include "archive/fs_util.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <random>

namespace cocoon::archive {
namespace {

struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};

}  // namespace

Result<std::vector<DirEntry>> list_dir_entries(int dirfd, std::string_view shown) {
  // fdopendir takes ownership of its fd, so give it a duplicate.
  int dup_fd = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
  if (dup_fd < 0) return errno_error("cannot duplicate descriptor of", shown);
  std::unique_ptr<DIR, DirCloser> dir(::fdopendir(dup_fd));
  if (!dir) {
    ::close(dup_fd);
    return errno_error("cannot list directory", shown);
  }
  std::vector<DirEntry> entries;
  for (;;) {
    errno = 0;
    struct dirent* e = ::readdir(dir.get());
    if (e == nullptr) {
      if (errno != 0) return errno_error("cannot list directory", shown);
      break;
    }
    std::string_view name(e->d_name);
    if (name == "." || name == "..") continue;
    entries.push_back({std::string(name), e->d_type});
  }
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return entries;
}

Result<int> BeneathOpener::at(std::string_view rel_dir, bool create) {
  if (rel_dir.empty()) return root_fd_;
  if (cached_fd_.valid() && cached_path_ == rel_dir) return cached_fd_.get();
  UniqueFd current;
  std::size_t start = 0;
  int base = root_fd_;
  // A subdirectory of the cached directory (the usual next member) continues from it.
  if (cached_fd_.valid() && rel_dir.size() > cached_path_.size() && rel_dir.starts_with(cached_path_) &&
      rel_dir[cached_path_.size()] == '/') {
    base = cached_fd_.get();
    start = cached_path_.size() + 1;
  }
  while (start < rel_dir.size()) {
    std::size_t slash = rel_dir.find('/', start);
    if (slash == std::string_view::npos) slash = rel_dir.size();
    std::string comp(rel_dir.substr(start, slash - start));
    int parent = current.valid() ? current.get() : base;
    constexpr int kFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    int fd = ::openat(parent, comp.c_str(), kFlags);
    if (fd < 0 && errno == ENOENT && create) {
      if (::mkdirat(parent, comp.c_str(), 0700) != 0 && errno != EEXIST)
        return errno_error("cannot create directory", rel_dir.substr(0, slash));
      fd = ::openat(parent, comp.c_str(), kFlags);
      if (fd >= 0 && ::fchmod(fd, 0755) != 0) {
        ::close(fd);
        return errno_error("cannot chmod directory", rel_dir.substr(0, slash));
      }
    }
    if (fd < 0) {
      if (errno == ELOOP || errno == ENOTDIR)
        return make_error(Errc::invalid_input, "refusing to follow a non-directory or symlink at " +
                                                   std::string(rel_dir.substr(0, slash)));
      return errno_error("cannot open directory", rel_dir.substr(0, slash));
    }
    current = UniqueFd(fd);
    start = slash + 1;
  }
  cached_path_ = std::string(rel_dir);
  cached_fd_ = std::move(current);
  return cached_fd_.get();
}

std::pair<std::string_view, std::string_view> split_parent(std::string_view path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {std::string_view{}, path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

std::string random_suffix() {
  std::random_device rd;
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 12; ++i) s += kAlphabet[rd() % 36];
  return s;
}

}  // namespace cocoon::archive
