#pragma once
// POSIX ustar header blocks and pax extended-header records (internal).
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "archive/archive.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::archive {

inline constexpr std::size_t kBlockSize = 512;
using Block = std::array<std::uint8_t, kBlockSize>;

// Largest value an 11-digit octal field (size, mtime) holds: 8^11 - 1.
inline constexpr std::uint64_t kMaxOctal11 = 077777777777ull;
// Refuse pax extended headers above this size (no real path needs more).
inline constexpr std::uint64_t kMaxPaxHeaderSize = 1u << 20;

// What the writer puts in one member's header. Example: {"bin/", directory, 0755, 0, 1700000000, ""}.
struct HeaderSpec {
  std::string path;  // member name, directories with trailing '/'
  MemberType type = MemberType::file;
  std::uint32_t mode = 0644;
  std::uint64_t size = 0;
  std::int64_t mtime = 0;
  std::string link_target;
};

// The blocks announcing one member: a pax extended header ('x', its records, zero padding) only when
// the path does not fit name/prefix, the target does not fit linkname, or the size does not fit 11
// octal digits; then the ustar header. Appends to `out`.
void encode_member_header(const HeaderSpec& spec, Bytes& out);

// Splits a path into ustar prefix (<=155) and name (<=100) at the first '/' that makes the name fit;
// nullopt if no split fits. "" prefix when the whole path fits in name.
std::optional<std::pair<std::string_view, std::string_view>> split_ustar_path(std::string_view path);

// A header block as read, before pax overrides and path validation.
struct RawHeader {
  std::string name;  // prefix + '/' + name when prefix is set
  std::string linkname;
  std::uint32_t mode = 0;
  std::uint64_t size = 0;
  std::int64_t mtime = 0;
  char typeflag = '0';
};

bool is_zero_block(const Block& b);

// Verifies checksum and magic ("ustar\0" "00" or GNU "ustar  \0") and decodes the fields.
// `offset` (of the block in the tar stream) only goes into messages.
Result<RawHeader> decode_header(const Block& b, std::uint64_t offset);

// Parses "<len> <key>=<value>\n" records; refuses malformed records and repeated keys.
Result<std::map<std::string, std::string>> parse_pax_records(std::string_view data);

}  // namespace cocoon::archive
