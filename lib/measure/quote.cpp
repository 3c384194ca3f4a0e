#include "measure/quote.hpp"

#include <algorithm>
#include <string>

#include "measure/le.hpp"

namespace cocoon::measure {
namespace {

Error bad(const std::string& what) {
  return make_error(Errc::invalid_input, "quote: " + what);
}

Register reg_at(ByteView body, size_t off) {
  return register_from_bytes(body.subspan(off, kRegisterSize));
}

}  // namespace

Result<TdQuote> parse_quote(ByteView q) {
  if (q.size() > kMaxQuoteSize) return bad("larger than " + std::to_string(kMaxQuoteSize) + " bytes");
  if (q.size() < kQuoteHeaderSize) return bad("truncated: shorter than its 48-byte header");
  TdQuote out;
  out.version = le::u16(q, 0);
  std::uint32_t tee_type = le::u32(q, 4);
  if (out.version != 4 && out.version != 5)
    return bad("version " + std::to_string(out.version) + " is not 4 or 5");
  if (tee_type != kTeeTypeTdx) return bad("TEE type " + std::to_string(tee_type) + " is not TDX (0x81)");
  size_t body_off = kQuoteHeaderSize;
  size_t body_size = kTdReportBody10Size;
  if (out.version == 5) {
    if (q.size() < kQuoteHeaderSize + 6) return bad("truncated: no v5 body descriptor");
    out.body_type = le::u16(q, kQuoteHeaderSize);
    std::uint32_t declared = le::u32(q, kQuoteHeaderSize + 2);
    if (out.body_type == 2)
      body_size = kTdReportBody10Size;
    else if (out.body_type == 3)
      body_size = kTdReportBody15Size;
    else
      return bad("v5 body type " + std::to_string(out.body_type) + " is not a TD report (2 or 3)");
    if (declared != body_size)
      return bad("v5 body size " + std::to_string(declared) + " does not match body type " +
                 std::to_string(out.body_type));
    body_off += 6;
  }
  if (q.size() < body_off + body_size + 4) return bad("truncated: the TD report body is incomplete");
  std::uint32_t sig_len = le::u32(q, body_off + body_size);
  std::uint64_t total = std::uint64_t{body_off} + body_size + 4 + sig_len;
  if (total > q.size())
    return bad("truncated: signature data shorter than its declared " + std::to_string(sig_len) + " bytes");
  if (total < q.size())
    return bad(std::to_string(q.size() - total) + " unexpected bytes after the signature data");
  ByteView body = q.subspan(body_off, body_size);
  out.td_attributes = le::u64(body, td_body::kTdAttributes);
  out.xfam = le::u64(body, td_body::kXfam);
  out.registers.mrtd = reg_at(body, td_body::kMrtd);
  out.registers.mrconfigid = reg_at(body, td_body::kMrconfigid);
  out.registers.mrowner = reg_at(body, td_body::kMrowner);
  out.registers.mrownerconfig = reg_at(body, td_body::kMrownerconfig);
  for (size_t i = 0; i < 4; ++i) out.registers.rtmr[i] = reg_at(body, td_body::kRtmr0 + i * kRegisterSize);
  auto rd = body.subspan(td_body::kReportData, 64);
  out.report_data.assign(rd.begin(), rd.end());
  return out;
}

}  // namespace cocoon::measure
