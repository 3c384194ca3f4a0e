#pragma once
// Reads a log's files (checkpoint, tiles, bundles) from a local directory.
#include <filesystem>

#include "tlog/tile.hpp"

namespace cocoon::tlog {

class DirFetcher : public TileFetcher {
 public:
  explicit DirFetcher(std::filesystem::path root) : root_(std::move(root)) {}
  // `path` is relative ("checkpoint", "tile/0/000"); anything with ".." or a leading '/' is refused.
  Result<Bytes> fetch(const std::string& path) override;

 private:
  std::filesystem::path root_;
};

// Files a log serves are small; a bigger one is refused as malformed rather than read.
inline constexpr std::uint64_t kMaxLogFileSize = 64ull << 20;

}  // namespace cocoon::tlog
