// TDX quotes v4/v5 (from the node being verified). A quote that parses has the version and body type
// the header promises, 64 bytes of report data, and the registers it carries at their documented offsets.
#include "fuzz_common.hpp"
#include "measure/quote.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace m = cocoon::measure;
  auto q = m::parse_quote(cocoon::fuzz::bytes(data, size));
  if (!q) return 0;
  FUZZ_CHECK(q->version == 4 || q->version == 5);
  FUZZ_CHECK(q->body_type == 2 || q->body_type == 3);
  FUZZ_CHECK(q->report_data.size() == 64);
  FUZZ_CHECK(size >= m::kQuoteHeaderSize + m::kTdReportBody10Size);
  if (q->version == 4) {
    const std::uint8_t* body = data + m::kQuoteHeaderSize;
    FUZZ_CHECK(std::equal(q->report_data.begin(), q->report_data.end(), body + m::td_body::kReportData));
  }
  return 0;
}
