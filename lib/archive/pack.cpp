// pack_directory: the deterministic tar writer (format in docs/archive.md).
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <system_error>
#include <thread>

#include "archive/archive.hpp"
#include "archive/atomic_file.hpp"
#include "archive/chunk_pipe.hpp"
#include "archive/fs_util.hpp"
#include "archive/tar_header.hpp"
#include "archive/tree_paths.hpp"
#include "archive/zstd_stream.hpp"
#include "crypto/hash.hpp"

namespace cocoon::archive {
namespace fs = std::filesystem;
namespace {

// One member found in the source tree. `path` is the member name (directories end with '/').
// Regular files are stat'ed only when their content is read, so the header always matches the bytes.
struct SourceEntry {
  std::string path;
  MemberType type;
  std::string link_target;
};

const char* special_kind(unsigned char dtype) {
  switch (dtype) {
    case DT_FIFO:
      return "a fifo";
    case DT_SOCK:
      return "a socket";
    case DT_CHR:
      return "a character device";
    case DT_BLK:
      return "a block device";
    default:
      return "an unknown file type";
  }
}

unsigned char dtype_of(mode_t mode) {
  return S_ISDIR(mode)    ? DT_DIR
         : S_ISREG(mode)  ? DT_REG
         : S_ISLNK(mode)  ? DT_LNK
         : S_ISFIFO(mode) ? DT_FIFO
         : S_ISSOCK(mode) ? DT_SOCK
         : S_ISCHR(mode)  ? DT_CHR
         : S_ISBLK(mode)  ? DT_BLK
                          : DT_UNKNOWN;
}

// Collects the tree below dir_fd (not following symlinks). `rel` is the member path of the
// directory ("" for the root, otherwise ending with '/').
Status walk(int dir_fd, const std::string& rel, const fs::path& root, std::vector<SourceEntry>& out) {
  COCOON_ASSIGN(auto entries, list_dir_entries(dir_fd, (root / rel).string()));
  for (const DirEntry& e : entries) {
    std::string path = rel + e.name;
    COCOON_TRY(check_representable(path, "file name"));
    COCOON_TRY(check_member_path(path));  // what the reader would refuse, the writer never writes
    unsigned char type = e.type;
    if (type == DT_UNKNOWN) {
      struct stat st;
      if (::fstatat(dir_fd, e.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno_error("cannot stat", (root / path).string());
      type = dtype_of(st.st_mode);
    }
    if (type == DT_DIR) {
      int fd = ::openat(dir_fd, e.name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) return errno_error("cannot open directory", (root / path).string());
      UniqueFd sub(fd);
      out.push_back({path + "/", MemberType::directory, {}});
      COCOON_TRY(walk(sub.get(), path + "/", root, out));
    } else if (type == DT_REG) {
      out.push_back({path, MemberType::file, {}});
    } else if (type == DT_LNK) {
      std::string target(kMaxPathBytes + 1, '\0');
      ssize_t n = ::readlinkat(dir_fd, e.name.c_str(), target.data(), target.size());
      if (n < 0) return errno_error("cannot read symlink", (root / path).string());
      if (static_cast<std::size_t>(n) > kMaxPathBytes)
        return make_error(Errc::invalid_input, "symlink " + path + " has a target longer than " +
                                                   std::to_string(kMaxPathBytes) + " bytes");
      target.resize(static_cast<std::size_t>(n));
      COCOON_TRY(check_representable(target, "symlink target of " + path));
      out.push_back({path, MemberType::symlink, target});
    } else {
      return make_error(Errc::invalid_input, "refusing to pack " + path + ": it is " + special_kind(type));
    }
  }
  return Ok{};
}

// Collects compressed bytes into chunks for the writer thread.
class PipeSink : public ByteSink {
 public:
  PipeSink(ChunkPipe& pipe, std::size_t chunk) : pipe_(pipe), chunk_(chunk), buf_(pipe.acquire()) {}
  Status write(ByteView data) override {
    while (!data.empty()) {
      std::size_t n = std::min(data.size(), chunk_ - used_);
      std::copy_n(data.begin(), n, buf_.begin() + static_cast<std::ptrdiff_t>(used_));
      used_ += n;
      data = data.subspan(n);
      if (used_ == chunk_) COCOON_TRY(push());
    }
    return Ok{};
  }
  Status finish() { return used_ > 0 ? push() : Status(Ok{}); }

 private:
  Status push() {
    buf_.resize(used_);
    if (!pipe_.push(std::move(buf_))) return make_error(Errc::io, "the output writer stopped");
    buf_ = pipe_.acquire();
    used_ = 0;
    return Ok{};
  }
  ChunkPipe& pipe_;
  std::size_t chunk_;
  Bytes buf_;
  std::size_t used_ = 0;
};

// Cuts the tar stream into chunks of exactly kChunk bytes (the last one shorter) for the pipe, so
// the compressor always sees the same sequence of calls for the same tree, whatever the read sizes.
class TarChunker {
 public:
  static constexpr std::size_t kChunk = 1u << 20;
  explicit TarChunker(ChunkPipe& pipe) : pipe_(pipe), buf_(pipe.acquire()) {}

  Status append(ByteView data) {
    while (!data.empty()) {
      std::size_t n = std::min(data.size(), kChunk - used_);
      std::copy_n(data.begin(), n, buf_.begin() + static_cast<std::ptrdiff_t>(used_));
      used_ += n;
      data = data.subspan(n);
      COCOON_TRY(flush_if_full());
    }
    return Ok{};
  }
  // Space to read file content into directly.
  std::uint8_t* free_space() { return buf_.data() + used_; }
  std::size_t free_size() const { return kChunk - used_; }
  Status commit(std::size_t n) {
    used_ += n;
    return flush_if_full();
  }
  Status finish() {
    buf_.resize(used_);
    if (!pipe_.push(std::move(buf_))) return cancelled();
    return Ok{};
  }

 private:
  static Error cancelled() { return make_error(Errc::internal, "packing cancelled by the compressor"); }
  Status flush_if_full() {
    if (used_ < kChunk) return Ok{};
    if (!pipe_.push(std::move(buf_))) return cancelled();
    buf_ = pipe_.acquire();
    used_ = 0;
    return Ok{};
  }
  ChunkPipe& pipe_;
  Bytes buf_;
  std::size_t used_ = 0;
};

// Opens a regular file below the root, writes its header and its content.
Status append_file(BeneathOpener& dirs, const SourceEntry& e, const fs::path& root, std::int64_t mtime,
                   TarChunker& tar, Bytes& header) {
  auto [parent, name] = split_parent(e.path);
  COCOON_ASSIGN(int parent_fd, dirs.at(parent, false));
  std::string shown = (root / e.path).string();
  // O_NONBLOCK: if the file was swapped for a fifo meanwhile, fail instead of hanging.
  int raw = ::openat(parent_fd, std::string(name).c_str(),
                     O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (raw < 0) return errno_error("cannot open", shown);
  UniqueFd fd(raw);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return errno_error("cannot stat", shown);
  if (!S_ISREG(st.st_mode)) return make_error(Errc::io, "file changed type while packing: " + shown);
  HeaderSpec spec;
  spec.path = e.path;
  spec.type = MemberType::file;
  spec.mode = (st.st_mode & 0111) ? 0755 : 0644;
  spec.size = static_cast<std::uint64_t>(st.st_size);
  spec.mtime = mtime;
  header.clear();
  encode_member_header(spec, header);
  COCOON_TRY(tar.append(header));

  // Each read asks for one byte more than remains (when the chunk has room), so a short read proves
  // the end of the file and a long one that it grew, without an extra read per file.
  std::uint64_t remaining = spec.size;
  bool end_seen = false;
  while (remaining > 0 || !end_seen) {
    std::size_t room = tar.free_size();
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining + 1, room));
    ssize_t n = ::read(fd.get(), tar.free_space(), want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("cannot read", shown);
    }
    auto got = static_cast<std::uint64_t>(n);
    if (got > remaining) return make_error(Errc::io, "file grew while packing: " + shown);
    if (got < want) {
      if (got < remaining) return make_error(Errc::io, "file shrank while packing: " + shown);
      end_seen = true;
    }
    remaining -= got;
    COCOON_TRY(tar.commit(static_cast<std::size_t>(got)));
  }
  static const std::uint8_t kZeros[kBlockSize] = {};
  std::size_t pad = static_cast<std::size_t>((kBlockSize - spec.size % kBlockSize) % kBlockSize);
  return tar.append(ByteView(kZeros, pad));
}

// Producer side: the whole tar stream, in member order.
Status produce_tar(int root_fd, const std::vector<SourceEntry>& entries, const fs::path& root,
                   std::int64_t mtime, TarChunker& tar) {
  BeneathOpener dirs(root_fd);
  Bytes header;
  for (const SourceEntry& e : entries) {
    if (e.type == MemberType::file) {
      COCOON_TRY(append_file(dirs, e, root, mtime, tar, header));
      continue;
    }
    HeaderSpec spec;
    spec.path = e.path;
    spec.type = e.type;
    spec.mode = e.type == MemberType::symlink ? 0777 : 0755;
    spec.mtime = mtime;
    spec.link_target = e.link_target;
    header.clear();
    encode_member_header(spec, header);
    COCOON_TRY(tar.append(header));
  }
  static const std::uint8_t kEndMarker[2 * kBlockSize] = {};
  COCOON_TRY(tar.append(ByteView(kEndMarker, sizeof kEndMarker)));
  return tar.finish();
}

bool is_inside(const fs::path& candidate, const fs::path& root) {
  auto c = candidate.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++c) {
    if (r->empty()) continue;  // trailing separator
    if (c == candidate.end() || *c != *r) return false;
  }
  return true;
}

}  // namespace

Result<PackSummary> pack_directory(const fs::path& dir, const fs::path& out, const PackOptions& options) {
  if (options.mtime < 0 || static_cast<std::uint64_t>(options.mtime) > kMaxOctal11)
    return make_error(Errc::invalid_input,
                      "mtime " + std::to_string(options.mtime) + " is outside 0..8^11-1");
  std::error_code ec;
  fs::path root = fs::canonical(dir, ec);
  if (ec)
    return make_error(Errc::not_found,
                      "cannot resolve directory to pack " + dir.string() + ": " + ec.message());
  fs::path out_abs = fs::weakly_canonical(out, ec);
  if (ec) return make_error(Errc::io, "cannot resolve output path " + out.string() + ": " + ec.message());
  if (is_inside(out_abs, root))
    return make_error(Errc::invalid_input,
                      "output " + out.string() + " lies inside the packed directory " + dir.string());

  int raw = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (raw < 0) return errno_error("cannot open directory", root.string());
  UniqueFd root_fd(raw);

  std::vector<SourceEntry> entries;
  COCOON_TRY(walk(root_fd.get(), "", root, entries));
  // Bytewise order of the member names; a directory "d/" is a prefix of its members, so it precedes them.
  std::sort(entries.begin(), entries.end(),
            [](const SourceEntry& a, const SourceEntry& b) { return a.path < b.path; });
  TreeModel model;
  for (const SourceEntry& e : entries) {
    std::string key = e.type == MemberType::directory ? e.path.substr(0, e.path.size() - 1) : e.path;
    COCOON_TRY(model.add(key, e.type, e.link_target));
  }
  COCOON_TRY(model.check_all_links());

  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  COCOON_ASSIGN(AtomicFile file, AtomicFile::create(out));

  // Three stages overlap, like `tar | zstd > out`: a reader thread builds the tar stream, this
  // thread compresses it (zstd adds its workers), a writer thread hashes and writes the output.
  // Only the chunking of the tar stream reaches the compressor, so timing cannot change the bytes.
  ChunkPipe tar_pipe(4, TarChunker::kChunk);
  ChunkPipe out_pipe(8, TarChunker::kChunk);
  PipeSink sink(out_pipe, TarChunker::kChunk);
  COCOON_ASSIGN(ZstdCompressor z, ZstdCompressor::create(options.zstd_level, std::max(threads, 1), sink));
  crypto::Hasher hasher(crypto::HashAlg::sha256);
  std::uint64_t out_size = 0;
  Status written = Ok{};
  auto write_output = [&] {
    while (auto chunk = out_pipe.pop()) {
      hasher.update(*chunk);
      out_size += chunk->size();
      written = file.write_all(chunk->data(), chunk->size());
      if (!written.ok()) {
        out_pipe.cancel();
        return;
      }
      out_pipe.recycle(std::move(*chunk));
    }
  };
  auto read_input = [&] {
    TarChunker tar(tar_pipe);
    Status st = produce_tar(root_fd.get(), entries, root, options.mtime, tar);
    tar_pipe.close(st.ok() ? std::nullopt : std::optional<Error>(st.error()));
  };
  std::thread writer, producer;
  try {
    writer = std::thread(write_output);
    producer = std::thread(read_input);
  } catch (const std::system_error& e) {
    out_pipe.close(std::nullopt);
    if (writer.joinable()) writer.join();
    return make_error(Errc::internal, std::string("cannot start a packing thread: ") + e.what());
  }
  auto compress = [&]() -> Status {
    while (auto chunk = tar_pipe.pop()) {
      COCOON_TRY(z.write(*chunk));
      tar_pipe.recycle(std::move(*chunk));
    }
    if (auto err = tar_pipe.producer_error()) return *err;
    COCOON_TRY(z.finish());
    return sink.finish();
  };
  Status compressed = compress();
  tar_pipe.cancel();  // stops the reader early if compression failed; no effect once it is done
  producer.join();
  out_pipe.close(std::nullopt);
  writer.join();
  if (!written.ok()) return written.error();
  if (!compressed.ok()) return compressed.error();
  COCOON_TRY(file.commit(0644));

  PackSummary summary;
  summary.entries = entries.size();
  summary.size = out_size;
  summary.sha256 = hex_encode(hasher.finish());
  summary.compressor = ZstdCompressor::describe(options.zstd_level);
  return summary;
}

std::string zstd_library_version() {
  return ZSTD_versionString();
}

const char* member_type_name(MemberType t) {
  switch (t) {
    case MemberType::file:
      return "file";
    case MemberType::directory:
      return "directory";
    case MemberType::symlink:
      return "symlink";
  }
  return "unknown";
}

}  // namespace cocoon::archive
