// The plain-text RTMR3 log cocoon-init writes (from the node). The input is always read as text (a
// leading printable byte is forced): every kept line is one RTMR3 event whose digest is the SHA-384 of
// that line, and there are never more events than lines.
#include <algorithm>
#include <string>

#include "crypto/hash.hpp"
#include "fuzz_common.hpp"
#include "measure/eventlog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace m = cocoon::measure;
  std::string in = "#" + std::string(cocoon::fuzz::text(data, size));
  auto log =
      m::parse_event_log(cocoon::ByteView(reinterpret_cast<const std::uint8_t*>(in.data()), in.size()));
  if (!log) return 0;
  FUZZ_CHECK(log->plain_text_rtmr3);
  std::size_t lines = static_cast<std::size_t>(std::count(in.begin(), in.end(), '\n')) + 1;
  FUZZ_CHECK(log->events.size() <= lines);
  for (const auto& e : log->events) {
    FUZZ_CHECK(e.reg == m::RegisterId::rtmr3);
    FUZZ_CHECK(e.digest.size() == 48);
    FUZZ_CHECK(in.find(e.description) != std::string::npos || e.description.empty());
  }
  return 0;
}
