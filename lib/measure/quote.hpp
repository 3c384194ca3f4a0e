#pragma once
// TDX quotes: the v4 layout (48-byte header, 584-byte TD report body, u32 signature length, signature
// data) and v5 (header, u16 body type 2 = TD 1.0 / 3 = TD 1.5, u32 body size, body, u32 signature length,
// signature data). Only the layout is checked here: the signature and its collateral are Intel DCAP's job.
// Example: a v4 quote with 1000 bytes of signature data is 48 + 584 + 4 + 1000 = 1636 bytes long, and
// its MRTD is bytes 48+136 .. 48+184.
#include <cstdint>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "measure/image_hash.hpp"

namespace cocoon::measure {

constexpr size_t kQuoteHeaderSize = 48;
constexpr size_t kTdReportBody10Size = 584;
constexpr size_t kTdReportBody15Size = 648;
constexpr std::uint32_t kTeeTypeTdx = 0x81;
constexpr size_t kMaxQuoteSize = 1 << 20;

struct TdQuote {
  std::uint16_t version = 0;
  std::uint16_t body_type = 2;  // 2 = TD 1.0 report body, 3 = TD 1.5
  std::uint64_t td_attributes = 0;
  std::uint64_t xfam = 0;
  RegisterSet registers;
  Bytes report_data;  // 64 bytes
  bool debug() const { return td_attributes & 1u; }
};

// Refuses (Errc::invalid_input) a truncated quote, trailing bytes after the signature data, a version other
// than 4 or 5, a TEE type other than TDX, an unknown v5 body type or a body size that does not fit it.
Result<TdQuote> parse_quote(ByteView quote);

// Body offsets, shared with tests that build synthetic quotes.
namespace td_body {
constexpr size_t kTdAttributes = 120;
constexpr size_t kXfam = 128;
constexpr size_t kMrtd = 136;
constexpr size_t kMrconfigid = 184;
constexpr size_t kMrowner = 232;
constexpr size_t kMrownerconfig = 280;
constexpr size_t kRtmr0 = 328;
constexpr size_t kReportData = 520;
}  // namespace td_body

}  // namespace cocoon::measure
