#pragma once
// Little-endian field access for the binary formats this module parses. Callers check bounds first;
// these helpers only assemble bytes.
#include <cstdint>

#include "core/bytes.hpp"

namespace cocoon::measure::le {

inline std::uint16_t u16(ByteView b, size_t off) {
  return static_cast<std::uint16_t>(b[off] | (b[off + 1] << 8));
}
inline std::uint32_t u32(ByteView b, size_t off) {
  return static_cast<std::uint32_t>(b[off]) | (static_cast<std::uint32_t>(b[off + 1]) << 8) |
         (static_cast<std::uint32_t>(b[off + 2]) << 16) | (static_cast<std::uint32_t>(b[off + 3]) << 24);
}
inline std::uint64_t u64(ByteView b, size_t off) {
  return static_cast<std::uint64_t>(u32(b, off)) | (static_cast<std::uint64_t>(u32(b, off + 4)) << 32);
}
inline void put_u16(Bytes& b, size_t off, std::uint16_t v) {
  b[off] = static_cast<std::uint8_t>(v);
  b[off + 1] = static_cast<std::uint8_t>(v >> 8);
}
inline void put_u32(Bytes& b, size_t off, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
inline void put_u64(Bytes& b, size_t off, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b[off + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
inline void append_u16(Bytes& b, std::uint16_t v) {
  b.resize(b.size() + 2);
  put_u16(b, b.size() - 2, v);
}
inline void append_u32(Bytes& b, std::uint32_t v) {
  b.resize(b.size() + 4);
  put_u32(b, b.size() - 4, v);
}
inline void append_u64(Bytes& b, std::uint64_t v) {
  b.resize(b.size() + 8);
  put_u64(b, b.size() - 8, v);
}

}  // namespace cocoon::measure::le
