#pragma once
// Writes many files durably with one flush: each file goes to a temporary name, one syncfs() makes
// all of them durable, then they are renamed into place and their directories fsynced. A log batch
// writes dozens of tiles; an fsync per file would dominate the append cost.
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::tlog {

class StagedFiles {
 public:
  explicit StagedFiles(std::filesystem::path root) : root_(std::move(root)) {}
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;
  ~StagedFiles();  // removes temporaries of an uncommitted batch
  // Writes `data` to a temporary beside root/relative (creating directories).
  Status stage(const std::string& relative, ByteView data);
  // Makes every staged file durable under its final name.
  Status commit();

 private:
  std::filesystem::path root_;
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> pending_;  // temp -> final
};

}  // namespace cocoon::tlog
