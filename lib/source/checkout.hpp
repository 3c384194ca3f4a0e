#pragma once
// Getting the exact source of a pinned commit: fetch into a bare cache repository with libgit2, then
// write the commit's tree into a fresh directory ourselves (no checkout filters, no config-dependent
// line endings: the bytes are the blobs' bytes, modes are 0644/0755).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace cocoon::source {

struct SourceTree {
  std::string commit;                   // 40 hex
  std::string tree;                     // 40 hex tree id of the commit
  std::int64_t committer_time = 0;      // seconds since the epoch: SOURCE_DATE_EPOCH
  std::vector<std::string> submodules;  // paths of gitlink entries, left as empty directories
};

// Cache directory used when none is given: $XDG_CACHE_HOME/cocoon-release/git or
// ~/.cache/cocoon-release/git.
std::filesystem::path default_cache_dir();

// Makes sure `commit` is in the cache repository for `url` (fetching all branches and tags when it is
// not), then writes its tree into `dest`, which must not exist yet or be empty. Errors: Errc::not_found
// when the commit is not in the repository, Errc::network/io when fetching or writing fails.
Result<SourceTree> fetch_and_checkout(const std::string& url, const std::string& commit,
                                      const std::filesystem::path& cache_dir,
                                      const std::filesystem::path& dest);

}  // namespace cocoon::source
