#pragma once
// Reading and writing whole files. Writers never leave a half-written file behind: they write a
// temporary file in the same directory, fsync it, rename it over the target and fsync the directory.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon {

// Refuses files larger than max_bytes (so a huge input is an error, not an allocation failure).
Result<Bytes> read_file(const std::filesystem::path& path, std::uint64_t max_bytes = 1ull << 30);
Result<std::string> read_text_file(const std::filesystem::path& path, std::uint64_t max_bytes = 1ull << 30);

// Atomically replaces `path` with `data`; `mode` is applied to the new file before the rename.
Status write_file_atomic(const std::filesystem::path& path, ByteView data, unsigned mode = 0644);
inline Status write_file_atomic(const std::filesystem::path& path, std::string_view data,
                                unsigned mode = 0644) {
  return write_file_atomic(path, as_bytes(data), mode);
}

// fsyncs a directory so a rename inside it is durable.
Status fsync_dir(const std::filesystem::path& dir);

// The hidden name of a temporary file beside `path`: "." + file name + suffix.
// Example: ("out/app.tar", ".partial") -> ".app.tar.partial".
std::string hidden_sibling_name(const std::filesystem::path& path, std::string_view suffix);

// A directory removed (recursively) when the object goes out of scope.
class TempDir {
 public:
  // Created under $TMPDIR (or /tmp) with the given prefix.
  static Result<TempDir> create(std::string_view prefix = "cocoon-");
  // Created inside `parent` (which must exist).
  static Result<TempDir> create_in(const std::filesystem::path& parent, std::string_view prefix = "cocoon-");
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempDir& operator=(TempDir&& o) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  // Keeps the directory on disk after destruction.
  std::filesystem::path release() { return std::exchange(path_, {}); }

 private:
  explicit TempDir(std::filesystem::path p) : path_(std::move(p)) {}
  std::filesystem::path path_;
};

}  // namespace cocoon
