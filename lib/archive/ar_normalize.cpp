// normalize_ar / normalize_static_libraries: `ar D` applied after the fact.
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "archive/archive.hpp"
#include "archive/atomic_file.hpp"

namespace cocoon::archive {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kArMagic = "!<arch>\n";
constexpr std::string_view kThinMagic = "!<thin>\n";
constexpr std::size_t kArHeaderSize = 60;
using ArHeader = std::array<char, kArHeaderSize>;

// Field layout of a member header: name[16] date[12] uid[6] gid[6] mode[8] size[10] fmag[2].
constexpr std::size_t kDateOff = 16, kDateLen = 12, kUidOff = 28, kUidLen = 6, kGidOff = 34, kGidLen = 6,
                      kModeOff = 40, kModeLen = 8, kSizeOff = 48, kSizeLen = 10, kFmagOff = 58;

void put_field(ArHeader& h, std::size_t off, std::size_t len, std::string_view value) {
  std::memset(h.data() + off, ' ', len);
  if (value.empty()) return;
  std::memcpy(h.data() + off, value.data(), std::min(len, value.size()));
}

// The header exactly as `ar D` writes it (binutils): ordinary members get date/uid/gid "0" and mode
// "644"; the symbol tables ("/", "/SYM64/") get mode "0"; the long-name table ("//") has blank fields.
ArHeader normalized(const ArHeader& in) {
  ArHeader h = in;
  std::string_view name(in.data(), 16);
  name = name.substr(0, name.find_last_not_of(' ') + 1);
  if (name == "//") {
    constexpr std::pair<std::size_t, std::size_t> kBlank[] = {
        {kDateOff, kDateLen}, {kUidOff, kUidLen}, {kGidOff, kGidLen}, {kModeOff, kModeLen}};
    for (auto [off, len] : kBlank) put_field(h, off, len, "");
    return h;
  }
  bool symbol_table = name == "/" || name == "/SYM64/";
  put_field(h, kDateOff, kDateLen, "0");
  put_field(h, kUidOff, kUidLen, "0");
  put_field(h, kGidOff, kGidLen, "0");
  put_field(h, kModeOff, kModeLen, symbol_table ? "0" : "644");
  return h;
}

Error malformed(const fs::path& path, const std::string& why) {
  return make_error(Errc::invalid_input, "malformed ar archive " + path.string() + ": " + why);
}

Status pread_exact(int fd, void* buf, std::size_t n, std::uint64_t offset, const fs::path& path) {
  auto* p = static_cast<char*>(buf);
  while (n > 0) {
    ssize_t r = ::pread(fd, p, n, static_cast<off_t>(offset));
    if (r < 0) {
      if (errno == EINTR) continue;
      return errno_error("cannot read", path.string());
    }
    if (r == 0) return make_error(Errc::io, "unexpected end of " + path.string());
    p += r;
    n -= static_cast<std::size_t>(r);
    offset += static_cast<std::uint64_t>(r);
  }
  return Ok{};
}

struct HeaderFix {
  std::uint64_t offset;
  ArHeader header;
};

// Validates the member layout and returns the headers that differ from their normal form.
Result<std::vector<HeaderFix>> scan(int fd, std::uint64_t file_size, const fs::path& path) {
  char magic[8];
  if (file_size < kArMagic.size()) return malformed(path, "shorter than the ar magic");
  COCOON_TRY(pread_exact(fd, magic, sizeof magic, 0, path));
  std::string_view m(magic, 8);
  if (m == kThinMagic)
    return make_error(Errc::unsupported, "thin ar archive is not supported: " + path.string());
  if (m != kArMagic) return malformed(path, "missing \"!<arch>\" magic");
  std::vector<HeaderFix> fixes;
  std::uint64_t offset = kArMagic.size();
  while (offset < file_size) {
    std::string at = " at offset " + std::to_string(offset);
    if (file_size - offset < kArHeaderSize) return malformed(path, "truncated member header" + at);
    ArHeader h;
    COCOON_TRY(pread_exact(fd, h.data(), h.size(), offset, path));
    if (h[kFmagOff] != '`' || h[kFmagOff + 1] != '\n')
      return malformed(path, "bad member header terminator" + at);
    std::string_view size_field(h.data() + kSizeOff, kSizeLen);
    std::size_t digits = size_field.find_first_not_of("0123456789");
    if (digits == 0) return malformed(path, "member size is not a decimal number" + at);
    if (digits != std::string_view::npos &&
        size_field.find_first_not_of(' ', digits) != std::string_view::npos)
      return malformed(path, "member size is not a decimal number" + at);
    std::uint64_t size = std::stoull(std::string(size_field.substr(0, digits)));
    std::uint64_t data_start = offset + kArHeaderSize;
    if (size > file_size - data_start) return malformed(path, "truncated member data" + at);
    std::uint64_t next = data_start + size;
    if (size % 2 == 1) {
      if (next >= file_size) return malformed(path, "missing padding byte after odd-sized member" + at);
      char pad;
      COCOON_TRY(pread_exact(fd, &pad, 1, next, path));
      if (pad != '\n') return malformed(path, "padding byte after member is not a newline" + at);
      ++next;
    }
    ArHeader want = normalized(h);
    if (want != h) fixes.push_back({offset, want});
    offset = next;
  }
  return fixes;
}

}  // namespace

Result<bool> normalize_ar(const fs::path& path) {
  int raw = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (raw < 0) {
    if (errno == ENOENT) return make_error(Errc::not_found, "no such file: " + path.string());
    return errno_error("cannot open", path.string());
  }
  UniqueFd fd(raw);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return errno_error("cannot stat", path.string());
  if (!S_ISREG(st.st_mode)) return make_error(Errc::invalid_input, path.string() + " is not a regular file");
  auto file_size = static_cast<std::uint64_t>(st.st_size);
  COCOON_ASSIGN(std::vector<HeaderFix> fixes, scan(fd.get(), file_size, path));
  if (fixes.empty()) return false;

  COCOON_ASSIGN(AtomicFile out, AtomicFile::create(path));
  std::vector<char> buf(1u << 20);
  for (std::uint64_t offset = 0; offset < file_size;) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), file_size - offset));
    COCOON_TRY(pread_exact(fd.get(), buf.data(), n, offset, path));
    COCOON_TRY(out.write_all(buf.data(), n));
    offset += n;
  }
  for (const HeaderFix& fix : fixes) {
    if (::pwrite(out.fd(), fix.header.data(), fix.header.size(), static_cast<off_t>(fix.offset)) !=
        static_cast<ssize_t>(fix.header.size()))
      return errno_error("cannot write", path.string());
  }
  COCOON_TRY(out.commit(st.st_mode & 07777));
  return true;
}

Result<std::size_t> normalize_static_libraries(const fs::path& dir) {
  std::vector<fs::path> libraries;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec), end;
  if (ec) return make_error(Errc::io, "cannot walk " + dir.string() + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return make_error(Errc::io, "cannot walk " + dir.string() + ": " + ec.message());
    auto status = it->symlink_status(ec);
    if (ec) return make_error(Errc::io, "cannot stat " + it->path().string() + ": " + ec.message());
    if (fs::is_regular_file(status) && it->path().extension() == ".a") libraries.push_back(it->path());
  }
  if (ec) return make_error(Errc::io, "cannot walk " + dir.string() + ": " + ec.message());
  std::sort(libraries.begin(), libraries.end());
  std::size_t changed = 0;
  for (const fs::path& lib : libraries) {
    COCOON_ASSIGN(bool did_change, normalize_ar(lib));
    if (did_change) ++changed;
  }
  return changed;
}

}  // namespace cocoon::archive
