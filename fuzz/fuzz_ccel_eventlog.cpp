// CC event logs (the CCEL table's data from the node) and, through the same entry point, cocoon-init's
// plain-text RTMR3 log. Every event that is kept extends RTMR0..3 with a 48-byte digest, and splitting
// the events per register loses none.
#include "fuzz_common.hpp"
#include "measure/eventlog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace m = cocoon::measure;
  auto log = m::parse_event_log(cocoon::fuzz::bytes(data, size));
  if (!log) return 0;
  for (const auto& e : log->events) {
    FUZZ_CHECK(e.digest.size() == 48);
    FUZZ_CHECK(e.reg != m::RegisterId::mrtd);
    if (log->plain_text_rtmr3) FUZZ_CHECK(e.reg == m::RegisterId::rtmr3);
  }
  auto split = m::events_by_rtmr(log->events);
  std::size_t total = 0;
  for (const auto& list : split) {
    total += list.size();
    for (std::size_t i = 0; i < list.size(); ++i) FUZZ_CHECK(list[i].index == i);
    (void)m::replay(list);
  }
  FUZZ_CHECK(total == log->events.size());
  return 0;
}
