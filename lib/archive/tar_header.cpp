#include "archive/tar_header.hpp"

#include <algorithm>
#include <cstring>

namespace cocoon::archive {
namespace {

// Field offsets and widths of the POSIX ustar header.
struct Field {
  std::size_t offset, width;
};
constexpr Field kName{0, 100}, kMode{100, 8}, kUid{108, 8}, kGid{116, 8}, kSize{124, 12}, kMtime{136, 12},
    kChksum{148, 8}, kType{156, 1}, kLinkname{157, 100}, kMagic{257, 6}, kVersion{263, 2}, kDevMajor{329, 8},
    kDevMinor{337, 8}, kPrefix{345, 155};

// The pax header member's own name; fixed so that it never varies with the process id or the time.
constexpr std::string_view kPaxHeaderName = "PaxHeader";

void put_string(Block& b, Field f, std::string_view s) {
  if (s.empty()) return;  // an empty view's data() may be null, which memcpy must not get
  std::memcpy(b.data() + f.offset, s.data(), std::min(s.size(), f.width));
}

// width-1 zero-padded octal digits and a NUL: the form GNU tar and bsdtar write.
void put_octal(Block& b, Field f, std::uint64_t v) {
  for (std::size_t i = f.width - 1; i-- > 0;) {
    b[f.offset + i] = static_cast<std::uint8_t>('0' + (v & 7));
    v >>= 3;
  }
  b[f.offset + f.width - 1] = 0;
}

unsigned checksum_of(const Block& b) {
  unsigned sum = 0;
  for (std::size_t i = 0; i < kBlockSize; ++i)
    sum += (i >= kChksum.offset && i < kChksum.offset + kChksum.width) ? ' ' : b[i];
  return sum;
}

std::string pax_record(std::string_view key, std::string_view value) {
  std::size_t body = 1 + key.size() + 1 + value.size() + 1;  // " key=value\n"
  std::size_t len = body + 1;
  while (std::to_string(len).size() + body != len) len = std::to_string(len).size() + body;
  return std::to_string(len) + " " + std::string(key) + "=" + std::string(value) + "\n";
}

Block ustar_block(std::string_view prefix, std::string_view name, std::uint32_t mode, std::uint64_t size,
                  std::int64_t mtime, char typeflag, std::string_view linkname) {
  Block b{};
  put_string(b, kName, name);
  put_octal(b, kMode, mode);
  put_octal(b, kUid, 0);
  put_octal(b, kGid, 0);
  put_octal(b, kSize, size);
  put_octal(b, kMtime, static_cast<std::uint64_t>(mtime));
  b[kType.offset] = static_cast<std::uint8_t>(typeflag);
  put_string(b, kLinkname, linkname);
  put_string(b, kMagic, std::string_view("ustar\0", 6));
  put_string(b, kVersion, "00");
  // uname and gname stay empty (all NUL).
  put_octal(b, kDevMajor, 0);
  put_octal(b, kDevMinor, 0);
  put_string(b, kPrefix, prefix);
  unsigned sum = checksum_of(b);
  // Six octal digits, NUL, space.
  for (std::size_t i = 6; i-- > 0;) {
    b[kChksum.offset + i] = static_cast<std::uint8_t>('0' + (sum & 7));
    sum >>= 3;
  }
  b[kChksum.offset + 6] = 0;
  b[kChksum.offset + 7] = ' ';
  return b;
}

void append_block(Bytes& out, const Block& b) {
  out.insert(out.end(), b.begin(), b.end());
}

char typeflag_of(MemberType t) {
  switch (t) {
    case MemberType::file:
      return '0';
    case MemberType::directory:
      return '5';
    case MemberType::symlink:
      return '2';
  }
  return '0';
}

std::string_view field_string(const Block& b, Field f) {
  const char* p = reinterpret_cast<const char*>(b.data() + f.offset);
  return std::string_view(p, strnlen(p, f.width));
}

// Octal digits (leading spaces allowed) ended by NUL/space, or GNU base-256 (first byte 0x80) when
// allowed. Anything else is refused: an unparsable size would desynchronise the stream.
Result<std::uint64_t> parse_number(const Block& b, Field f, std::string_view field_name, std::uint64_t offset,
                                   bool allow_base256) {
  const std::uint8_t* p = b.data() + f.offset;
  auto bad = [&](std::string_view why) {
    return make_error(Errc::invalid_input, "bad numeric field '" + std::string(field_name) +
                                               "' in tar header at offset " + std::to_string(offset) + ": " +
                                               std::string(why));
  };
  if (p[0] & 0x80) {
    if (!allow_base256 || p[0] != 0x80) return bad("negative or unsupported base-256 value");
    std::uint64_t v = 0;
    for (std::size_t i = 1; i < f.width; ++i) {
      if (v >> 56) return bad("value too large");
      v = (v << 8) | p[i];
    }
    return v;
  }
  std::size_t i = 0;
  while (i < f.width && p[i] == ' ') ++i;
  std::uint64_t v = 0;
  std::size_t digits = 0;
  for (; i < f.width && p[i] >= '0' && p[i] <= '7'; ++i, ++digits) {
    if (v >> 60) return bad("value too large");
    v = v * 8 + (p[i] - '0');
  }
  if (digits == 0) return bad("no octal digits");
  for (; i < f.width; ++i)
    if (p[i] != 0 && p[i] != ' ') return bad("non-octal character");
  return v;
}

}  // namespace

std::optional<std::pair<std::string_view, std::string_view>> split_ustar_path(std::string_view path) {
  if (path.size() <= kName.width) return std::pair{std::string_view{}, path};
  for (std::size_t i = path.find('/'); i != std::string_view::npos; i = path.find('/', i + 1)) {
    std::string_view name = path.substr(i + 1);
    if (name.size() > kName.width) continue;
    if (i == 0 || name.empty() || i > kPrefix.width) return std::nullopt;
    return std::pair{path.substr(0, i), name};
  }
  return std::nullopt;
}

void encode_member_header(const HeaderSpec& spec, Bytes& out) {
  auto split = split_ustar_path(spec.path);
  bool long_link = spec.link_target.size() > kLinkname.width;
  bool big_size = spec.size > kMaxOctal11;
  if (!split || long_link || big_size) {
    // Keys in bytewise order: linkpath < path < size.
    std::string records;
    if (long_link) records += pax_record("linkpath", spec.link_target);
    if (!split) records += pax_record("path", spec.path);
    if (big_size) records += pax_record("size", std::to_string(spec.size));
    append_block(out, ustar_block({}, kPaxHeaderName, 0644, records.size(), spec.mtime, 'x', {}));
    out.insert(out.end(), records.begin(), records.end());
    out.resize(out.size() + (kBlockSize - records.size() % kBlockSize) % kBlockSize, 0);
  }
  // Readers without pax support see the first 100 bytes of an overlong path or target.
  std::string_view prefix = split ? split->first : std::string_view{};
  std::string_view name = split ? split->second : std::string_view(spec.path).substr(0, kName.width);
  append_block(
      out, ustar_block(prefix, name, spec.mode, big_size ? 0 : spec.size, spec.mtime, typeflag_of(spec.type),
                       std::string_view(spec.link_target).substr(0, kLinkname.width)));
}

bool is_zero_block(const Block& b) {
  return std::all_of(b.begin(), b.end(), [](std::uint8_t c) { return c == 0; });
}

Result<RawHeader> decode_header(const Block& b, std::uint64_t offset) {
  COCOON_ASSIGN(std::uint64_t stored, parse_number(b, kChksum, "chksum", offset, false));
  unsigned computed = checksum_of(b);
  if (stored != computed)
    return make_error(Errc::invalid_input, "bad tar header checksum at offset " + std::to_string(offset) +
                                               " (stored " + std::to_string(stored) + ", computed " +
                                               std::to_string(computed) + ")");
  std::string_view magic(reinterpret_cast<const char*>(b.data() + kMagic.offset), 8);
  bool posix = magic == std::string_view(
                            "ustar\0"
                            "00",
                            8);
  bool gnu = magic == std::string_view("ustar  \0", 8);
  if (!posix && !gnu)
    return make_error(Errc::invalid_input,
                      "not a ustar header at offset " + std::to_string(offset) + " (bad magic)");
  RawHeader h;
  h.typeflag = static_cast<char>(b[kType.offset]);
  std::string_view name = field_string(b, kName);
  std::string_view prefix = posix ? field_string(b, kPrefix) : std::string_view{};
  h.name = prefix.empty() ? std::string(name) : std::string(prefix) + "/" + std::string(name);
  h.linkname = std::string(field_string(b, kLinkname));
  COCOON_ASSIGN(std::uint64_t mode, parse_number(b, kMode, "mode", offset, false));
  h.mode = static_cast<std::uint32_t>(mode & 07777);
  COCOON_ASSIGN(h.size, parse_number(b, kSize, "size", offset, true));
  COCOON_ASSIGN(std::uint64_t mtime, parse_number(b, kMtime, "mtime", offset, true));
  if (mtime > static_cast<std::uint64_t>(INT64_MAX))
    return make_error(Errc::invalid_input, "bad numeric field 'mtime' at offset " + std::to_string(offset));
  h.mtime = static_cast<std::int64_t>(mtime);
  return h;
}

Result<std::map<std::string, std::string>> parse_pax_records(std::string_view data) {
  std::map<std::string, std::string> records;
  std::size_t pos = 0;
  auto bad = [](std::string_view why) {
    return make_error(Errc::invalid_input, "malformed pax record: " + std::string(why));
  };
  while (pos < data.size()) {
    // Trailing NUL padding inside the declared size is tolerated.
    if (data[pos] == '\0') {
      if (data.find_first_not_of('\0', pos) != std::string_view::npos) return bad("NUL inside the records");
      break;
    }
    std::size_t space = data.find(' ', pos);
    if (space == std::string_view::npos || space == pos || space - pos > 8) return bad("missing length");
    std::size_t len = 0;
    for (std::size_t i = pos; i < space; ++i) {
      if (data[i] < '0' || data[i] > '9') return bad("non-decimal length");
      len = len * 10 + static_cast<std::size_t>(data[i] - '0');
    }
    if (len <= space - pos + 1 || pos + len > data.size()) return bad("length out of range");
    std::string_view record = data.substr(space + 1, len - (space - pos) - 1);
    if (record.empty() || record.back() != '\n') return bad("record does not end with a newline");
    record.remove_suffix(1);
    std::size_t eq = record.find('=');
    if (eq == std::string_view::npos || eq == 0) return bad("missing key");
    std::string key(record.substr(0, eq));
    if (!records.emplace(key, std::string(record.substr(eq + 1))).second)
      return bad("key '" + key + "' repeated");
    pos += len;
  }
  return records;
}

}  // namespace cocoon::archive
