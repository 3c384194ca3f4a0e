#pragma once
// Deterministic tar + zstd archives (docs/archive.md describes the exact bytes), a validating
// streaming reader, a safe extractor, and the `ar` (static library) normaliser.
//
// Example: packing a tree holding `bin/tool` (mode 0700) and `README` (mode 0600) with mtime 1700000000
// always yields the members, in this order,
//   README      file 0644 mtime 1700000000 uid 0 gid 0 uname "" gname ""
//   bin/        directory 0755
//   bin/tool    file 0755
// followed by two zero blocks, compressed by zstd with fixed parameters — whatever the umask, the
// source mtimes/owners, the directory creation order or the thread count of the packing machine.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::archive {

struct PackOptions {
  std::int64_t mtime = 0;  // SOURCE_DATE_EPOCH: every member's mtime (0 .. 8^11-1)
  int zstd_level = 3;      // fixed, recorded; 1..19
  int threads = 0;         // 0 = hardware concurrency; never changes the output bytes
};

struct PackSummary {
  std::uint64_t entries = 0;  // members written (pax extended headers not counted)
  std::uint64_t size = 0;     // bytes of the .tar.zst
  std::string sha256;         // hex digest of the .tar.zst
  std::string compressor;     // e.g. "zstd 1.5.4 level=3 ...": the parameters that fix the bytes
};

// Packs the tree under `dir` into `out` (a .tar.zst), written atomically (temp file + rename).
// Members are paths relative to `dir` without a "./" prefix; directories carry a trailing '/'.
// Refuses device files, fifos, sockets, absolute symlinks, symlinks that resolve outside the tree,
// names that are not UTF-8 or contain control characters, and an `out` inside `dir`.
Result<PackSummary> pack_directory(const std::filesystem::path& dir, const std::filesystem::path& out,
                                   const PackOptions& options);

enum class MemberType { file, directory, symlink };
const char* member_type_name(MemberType t);  // "file", "directory", "symlink"

// One validated archive member. `path` is normalised: relative, no "." or ".." components, no "./"
// prefix, directories end with '/'. Example: {"bin/tool", file, 0755, 4096, "", "9f86d0..."}.
struct Member {
  std::string path;
  MemberType type = MemberType::file;
  std::uint32_t mode = 0;   // permission bits from the header (& 07777)
  std::uint64_t size = 0;   // content bytes; 0 for directories and symlinks
  std::string link_target;  // symlinks only
  std::string sha256;       // hex of the content; files only (empty in on_member, set in on_member_end)
  std::int64_t mtime = 0;
};

struct ReadLimits {
  std::uint64_t max_members = 1'000'000;
  std::uint64_t max_member_size = 64ull << 30;
  std::uint64_t max_total_size = 256ull << 30;
};

// Receives the members of an archive in archive order. The reader has already validated the header
// (path, type, limits, duplicates, no member below a symlink, a relative link target) when on_member
// runs; where links lead is checked after the last member, so a visitor must not act on a link before
// the walk succeeded. A visitor returning an error stops the walk and the error is returned as is.
class MemberVisitor {
 public:
  virtual ~MemberVisitor() = default;
  // Return true to receive the member's content through on_data (files only).
  virtual Result<bool> on_member(const Member& member) = 0;
  virtual Status on_data(const Member& member, ByteView chunk) {
    (void)member;
    (void)chunk;
    return Ok{};
  }
  // After the content has been read; member.sha256 is set for files.
  virtual Status on_member_end(const Member& member) {
    (void)member;
    return Ok{};
  }
};

// Streams a .tar.zst (or an uncompressed .tar, detected by the zstd magic) through `visitor`,
// validating every header: refuses ".." components, absolute paths, duplicate entries, paths through
// a symlink member, links leaving the tree, truncated or oversized headers/data, bad checksums and
// unsupported member types, each with a distinct one-line message. Returns success only after the
// end-of-archive marker was read and the links were checked against the complete member set.
Status visit_archive(const std::filesystem::path& archive, MemberVisitor& visitor,
                     const ReadLimits& limits = {});

// All members with their content digests.
Result<std::vector<Member>> list_archive(const std::filesystem::path& archive, const ReadLimits& limits = {});

// The content of one file member (path as in Member::path). The whole archive is still validated.
// Errc::not_found if absent or not a file; Errc::invalid_input if larger than max_bytes.
Result<Bytes> read_member(const std::filesystem::path& archive, const std::string& member_path,
                          std::uint64_t max_bytes);

// Extracts into `dest`, which must not exist yet (its parent must). Works in a fresh sibling
// directory renamed onto `dest` at the end, so a refused archive leaves nothing behind. Files are
// created with openat(O_CREAT|O_EXCL|O_NOFOLLOW) below directories opened with O_NOFOLLOW, symlinks
// are created last, modes are normalised (0755 dirs/executables, 0644 files) and mtimes restored.
Status extract_archive(const std::filesystem::path& archive, const std::filesystem::path& dest,
                       const ReadLimits& limits = {});

// ar archives (static libraries): sets every member's mtime/uid/gid to 0 and mode to 644 (the symbol
// table's mode to 0), exactly as `ar D` writes them, in place and atomically; refuses malformed and
// thin archives. Returns true if the file changed.
Result<bool> normalize_ar(const std::filesystem::path& path);

// Walks a tree (not following symlinks) and normalises every regular file named *.a; returns how
// many changed.
Result<std::size_t> normalize_static_libraries(const std::filesystem::path& dir);

// "1.5.4": the libzstd version linked in, to record next to archive digests.
std::string zstd_library_version();

}  // namespace cocoon::archive
