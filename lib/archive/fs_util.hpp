#pragma once
// Directory walking and symlink-proof path opening below a root directory fd (internal).
#include <dirent.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "archive/unique_fd.hpp"
#include "core/result.hpp"

namespace cocoon::archive {

// One directory entry; `type` is readdir's d_type (DT_REG, DT_DIR, ..., or DT_UNKNOWN when the
// file system does not say, in which case the caller must fstatat).
struct DirEntry {
  std::string name;
  unsigned char type;
};

// Entries of an open directory (without "." and ".."), sorted bytewise by name. `shown` names the
// directory in messages.
Result<std::vector<DirEntry>> list_dir_entries(int dirfd, std::string_view shown);

// Opens directories below a root fd one component at a time with O_NOFOLLOW, so no symlink — planted
// in the tree or created by a racing process — can redirect the walk outside the root. Caches the
// last directory opened, since consecutive members usually share a parent.
// Example: at("a/b", false) opens root/a then a/b; a following at("a/b") reuses that fd.
class BeneathOpener {
 public:
  explicit BeneathOpener(int root_fd) : root_fd_(root_fd) {}
  // rel_dir "" is the root itself. With create, missing directories are made with mode 0755
  // (fchmod'ed, so the umask does not matter).
  Result<int> at(std::string_view rel_dir, bool create);

 private:
  int root_fd_;
  std::string cached_path_;
  UniqueFd cached_fd_;
};

// ("a/b/c") -> ("a/b", "c"); ("c") -> ("", "c").
std::pair<std::string_view, std::string_view> split_parent(std::string_view path);

std::string random_suffix();

}  // namespace cocoon::archive
