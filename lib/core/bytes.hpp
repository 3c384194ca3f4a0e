#pragma once
// Byte strings and their text encodings (hex, standard base64).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace cocoon {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline Bytes to_bytes(std::string_view s) {
  return Bytes(s.begin(), s.end());
}
inline std::string to_string(ByteView b) {
  return std::string(b.begin(), b.end());
}

// Lower-case hex.
std::string hex_encode(ByteView data);
// Accepts upper or lower case; refuses odd length and non-hex characters.
Result<Bytes> hex_decode(std::string_view text);

// RFC 4648 standard alphabet with padding.
std::string base64_encode(ByteView data);
// Strict: refuses missing/extra padding, non-alphabet characters and non-zero trailing bits, so one
// value has exactly one accepted encoding.
Result<Bytes> base64_decode(std::string_view text);

// Constant-time comparison for secrets and MACs.
bool equal_ct(ByteView a, ByteView b);

}  // namespace cocoon
