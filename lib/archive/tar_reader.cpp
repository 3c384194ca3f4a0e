// The validating streaming reader: visit_archive, list_archive, read_member.
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>

#include "archive/archive.hpp"
#include "archive/tar_header.hpp"
#include "archive/tree_paths.hpp"
#include "archive/zstd_stream.hpp"
#include "crypto/hash.hpp"

namespace cocoon::archive {
namespace fs = std::filesystem;
namespace {

constexpr std::uint8_t kZstdMagic[4] = {0x28, 0xb5, 0x2f, 0xfd};
constexpr std::size_t kChunk = 256u << 10;
// GNU tar pads to its record size (10 KiB by default, 1 MiB with -b 2048).
constexpr std::uint64_t kMaxTrailingPadding = 1u << 20;

Error bad(std::string message) {
  return make_error(Errc::invalid_input, std::move(message));
}

// Reads the tar stream, tracking the offset for messages.
class TarInput {
 public:
  explicit TarInput(ByteSource& src) : src_(src) {}
  // Up to n bytes; fewer only at the end of the stream.
  Result<std::size_t> read_up_to(std::uint8_t* buf, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
      COCOON_ASSIGN(std::size_t r, src_.read(buf + got, n - got));
      if (r == 0) break;
      got += r;
    }
    offset_ += got;
    return got;
  }
  std::uint64_t offset() const { return offset_; }

 private:
  ByteSource& src_;
  std::uint64_t offset_ = 0;
};

MemberType member_type_for(char typeflag) {
  return typeflag == '5' ? MemberType::directory : typeflag == '2' ? MemberType::symlink : MemberType::file;
}

// Refuses every type except regular files, directories and symlinks, naming what it is.
Status check_typeflag(char t, const std::string& name) {
  switch (t) {
    case '0':
    case '\0':
    case '2':
    case '5':
      return Ok{};
    case '1':
      return bad("hard link member " + name + " is not supported");
    case '3':
      return bad("character device member " + name + " is not supported");
    case '4':
      return bad("block device member " + name + " is not supported");
    case '6':
      return bad("fifo member " + name + " is not supported");
    case 'g':
      return bad("global pax header is not supported");
    case 'L':
    case 'K':
      return bad("GNU long name/link header is not supported (write pax)");
    case 'S':
      return bad("GNU sparse member " + name + " is not supported");
    default: {
      auto c = static_cast<unsigned char>(t);
      std::string shown = (c >= 0x21 && c < 0x7f) ? std::string(1, t) : "\\x" + hex_encode(ByteView(&c, 1));
      return bad("unsupported member type '" + shown + "' for " + name);
    }
  }
}

Result<std::uint64_t> parse_decimal(const std::string& s, std::string_view what) {
  if (s.empty() || s.size() > 19 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return bad("bad pax '" + std::string(what) + "' value: " + s.substr(0, 40));
  return std::stoull(s);
}

class ArchiveWalker {
 public:
  ArchiveWalker(TarInput& in, MemberVisitor& visitor, const ReadLimits& limits)
      : in_(in), visitor_(visitor), limits_(limits), buf_(kChunk) {}

  Status run() {
    for (;;) {
      Block block;
      std::uint64_t header_offset = in_.offset();
      COCOON_ASSIGN(std::size_t got, in_.read_up_to(block.data(), kBlockSize));
      if (got == 0) return bad("archive ends without the end-of-archive marker (two zero blocks)");
      if (got < kBlockSize)
        return bad("truncated tar header at offset " + std::to_string(header_offset) + " (" +
                   std::to_string(got) + " of 512 bytes)");
      if (is_zero_block(block)) return finish(header_offset);
      COCOON_ASSIGN(RawHeader h, decode_header(block, header_offset));
      if (h.typeflag == 'x') {
        if (pax_) return bad("two pax extended headers in a row at offset " + std::to_string(header_offset));
        COCOON_TRY(read_pax(h, header_offset));
        continue;
      }
      COCOON_TRY(check_typeflag(h.typeflag, printable(h.name)));
      COCOON_TRY(member(std::move(h)));
    }
  }

 private:
  Status read_pax(const RawHeader& h, std::uint64_t offset) {
    if (h.size > kMaxPaxHeaderSize)
      return bad("pax extended header at offset " + std::to_string(offset) + " is too large (" +
                 std::to_string(h.size) + " bytes, limit " + std::to_string(kMaxPaxHeaderSize) + ")");
    std::size_t padded = static_cast<std::size_t>((h.size + kBlockSize - 1) / kBlockSize * kBlockSize);
    std::string data(padded, '\0');
    COCOON_ASSIGN(std::size_t got, in_.read_up_to(reinterpret_cast<std::uint8_t*>(data.data()), padded));
    if (got < padded) return bad("truncated pax extended header at offset " + std::to_string(offset));
    data.resize(static_cast<std::size_t>(h.size));
    COCOON_ASSIGN(auto records, parse_pax_records(data));
    for (const auto& [key, value] : records)
      if (key.rfind("GNU.sparse.", 0) == 0)
        return bad("GNU sparse member is not supported (pax " + key + ")");
    pax_ = std::move(records);
    return Ok{};
  }

  Status member(RawHeader h) {
    if (pax_) {
      if (auto it = pax_->find("path"); it != pax_->end()) h.name = it->second;
      if (auto it = pax_->find("linkpath"); it != pax_->end()) h.linkname = it->second;
      if (auto it = pax_->find("size"); it != pax_->end()) {
        COCOON_ASSIGN(h.size, parse_decimal(it->second, "size"));
      }
      pax_.reset();
    }
    Member m;
    m.type = member_type_for(h.typeflag);
    m.mode = h.mode;
    m.size = h.size;
    m.mtime = h.mtime;
    std::string key = h.name;
    if (m.type == MemberType::directory) {
      if (!key.empty() && key.back() == '/') key.pop_back();
    } else if (!key.empty() && key.back() == '/') {
      return bad(std::string(member_type_name(m.type)) + " member name ends with '/': " + printable(key));
    }
    if (key.find('\0') != std::string::npos) return bad("member path contains a NUL byte");
    // Representable first: the other messages quote the path.
    COCOON_TRY(check_representable(key, "member path"));
    COCOON_TRY(check_member_path(key));
    m.path = m.type == MemberType::directory ? key + "/" : key;

    if (++members_ > limits_.max_members)
      return bad("archive has more than " + std::to_string(limits_.max_members) + " members");
    if (m.type != MemberType::file && m.size != 0)
      return bad(std::string(member_type_name(m.type)) + " member " + m.path + " declares " +
                 std::to_string(m.size) + " bytes of data");
    if (m.size > limits_.max_member_size)
      return bad("member " + m.path + " is too large (" + std::to_string(m.size) + " bytes, limit " +
                 std::to_string(limits_.max_member_size) + ")");
    total_size_ += m.size;
    if (total_size_ > limits_.max_total_size)
      return bad("archive content exceeds the total size limit of " + std::to_string(limits_.max_total_size) +
                 " bytes at member " + m.path);
    if (m.type == MemberType::symlink) {
      m.link_target = h.linkname;
      if (m.link_target.find('\0') != std::string::npos) return bad("symlink target contains a NUL byte");
      COCOON_TRY(check_representable(m.link_target, "symlink target of " + m.path));
    }
    if (m.type == MemberType::symlink) COCOON_TRY(TreeModel::check_link_target(key, m.link_target));
    COCOON_TRY(model_.add(key, m.type, m.link_target));
    // Where a link leads is checked once the whole tree is known (links may point at later members),
    // each link resolved once; no member can lie below a link meanwhile.

    COCOON_ASSIGN(bool want_data, visitor_.on_member(m));
    if (m.type == MemberType::file) COCOON_TRY(read_content(m, want_data));
    return visitor_.on_member_end(m);
  }

  Status read_content(Member& m, bool deliver) {
    crypto::Hasher hasher(crypto::HashAlg::sha256);
    std::uint64_t remaining = m.size;
    while (remaining > 0) {
      std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, buf_.size()));
      COCOON_ASSIGN(std::size_t got, in_.read_up_to(buf_.data(), want));
      ByteView chunk(buf_.data(), got);
      hasher.update(chunk);
      if (deliver && got > 0) COCOON_TRY(visitor_.on_data(m, chunk));
      remaining -= got;
      if (got < want)
        return bad("truncated data of member " + m.path + " (" + std::to_string(m.size - remaining) + " of " +
                   std::to_string(m.size) + " bytes)");
    }
    std::size_t pad = static_cast<std::size_t>((kBlockSize - m.size % kBlockSize) % kBlockSize);
    COCOON_ASSIGN(std::size_t got, in_.read_up_to(buf_.data(), pad));
    if (got < pad) return bad("truncated padding after member " + m.path);
    m.sha256 = hex_encode(hasher.finish());
    return Ok{};
  }

  Status finish(std::uint64_t first_zero_offset) {
    if (pax_) return bad("pax extended header not followed by a member");
    Block block;
    COCOON_ASSIGN(std::size_t got, in_.read_up_to(block.data(), kBlockSize));
    if (got < kBlockSize)
      return bad("archive ends after a single zero block at offset " + std::to_string(first_zero_offset) +
                 " (truncated end-of-archive marker)");
    if (!is_zero_block(block))
      return bad("lone zero block at offset " + std::to_string(first_zero_offset) + " followed by data");
    // Record padding after the marker may only be zeros, and only a bounded amount of them (a
    // compressed stream of zeros would otherwise keep the reader busy forever).
    std::uint64_t padding = 0;
    for (;;) {
      COCOON_ASSIGN(std::size_t n, in_.read_up_to(buf_.data(), buf_.size()));
      if (!std::all_of(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(n),
                       [](std::uint8_t c) { return c == 0; }))
        return bad("data after the end-of-archive marker");
      padding += n;
      if (padding > kMaxTrailingPadding)
        return bad("more than " + std::to_string(kMaxTrailingPadding) +
                   " bytes of padding after the end-of-archive marker");
      if (n < buf_.size()) break;
    }
    return model_.check_all_links();
  }

  TarInput& in_;
  MemberVisitor& visitor_;
  const ReadLimits& limits_;
  Bytes buf_;
  std::optional<std::map<std::string, std::string>> pax_;
  TreeModel model_;
  std::uint64_t members_ = 0;
  std::uint64_t total_size_ = 0;
};

}  // namespace

Status visit_archive(const fs::path& archive, MemberVisitor& visitor, const ReadLimits& limits) {
  int raw = ::open(archive.c_str(), O_RDONLY | O_CLOEXEC);
  if (raw < 0) {
    if (errno == ENOENT) return make_error(Errc::not_found, "no such archive: " + archive.string());
    return errno_error("cannot open", archive.string());
  }
  UniqueFd fd(raw);
  std::uint8_t magic[4] = {};
  ssize_t n = ::pread(fd.get(), magic, sizeof magic, 0);
  if (n < 0) return errno_error("cannot read", archive.string());
  if (n == 0) return bad("empty file is not an archive: " + archive.string());
  FdSource file(fd.get(), archive.string());
  if (n == 4 && std::equal(magic, magic + 4, kZstdMagic)) {
    COCOON_ASSIGN(auto zstd, ZstdSource::create(file));
    TarInput in(*zstd);
    return ArchiveWalker(in, visitor, limits).run();
  }
  TarInput in(file);
  return ArchiveWalker(in, visitor, limits).run();
}

Result<std::vector<Member>> list_archive(const fs::path& archive, const ReadLimits& limits) {
  class Lister : public MemberVisitor {
   public:
    Result<bool> on_member(const Member&) override { return false; }
    Status on_member_end(const Member& m) override {
      members.push_back(m);
      return Ok{};
    }
    std::vector<Member> members;
  } lister;
  COCOON_TRY(visit_archive(archive, lister, limits));
  return std::move(lister.members);
}

Result<Bytes> read_member(const fs::path& archive, const std::string& member_path, std::uint64_t max_bytes) {
  class Reader : public MemberVisitor {
   public:
    Reader(const std::string& path, std::uint64_t max) : path_(path), max_(max) {}
    Result<bool> on_member(const Member& m) override {
      if (m.path != path_) return false;
      if (m.type != MemberType::file)
        return make_error(Errc::not_found,
                          "member " + path_ + " is a " + member_type_name(m.type) + ", not a file");
      if (m.size > max_)
        return bad("member " + path_ + " is larger than the limit of " + std::to_string(max_) + " bytes");
      found = true;
      content.reserve(static_cast<std::size_t>(m.size));
      return true;
    }
    Status on_data(const Member&, ByteView chunk) override {
      content.insert(content.end(), chunk.begin(), chunk.end());
      return Ok{};
    }
    bool found = false;
    Bytes content;

   private:
    const std::string& path_;
    std::uint64_t max_;
  } reader(member_path, max_bytes);
  COCOON_TRY(visit_archive(archive, reader));
  if (!reader.found)
    return make_error(Errc::not_found, "no member " + member_path + " in " + archive.string());
  return std::move(reader.content);
}

}  // namespace cocoon::archive
