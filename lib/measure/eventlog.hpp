#pragma once
// CC event logs: the CCEL ACPI table's data (TCG PC Client crypto-agile format: a legacy-format
// "Spec ID Event03" header event, then TCG_PCR_EVENT2 records whose MR index 1..4 names RTMR0..3) and the
// plain-text RTMR3 log cocoon-init writes (one extended message per line, each measured as its SHA-384).
// Example: an event {mr_index 2, EV_EFI_ACTION, digests {sha384: SHA-384("Calling EFI Application from
// Boot Option")}, data "Calling EFI Application from Boot Option"} extends RTMR1.
#include <array>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "measure/register.hpp"

namespace cocoon::measure {

constexpr std::uint16_t kTpmAlgSha384 = 0x000c;

struct EventLog {
  std::vector<Event> events;  // only events that extend a register (EV_NO_ACTION dropped), in log order
  bool plain_text_rtmr3 = false;
};

// Refuses (Errc::invalid_input) a truncated record, a missing or malformed Spec ID header, a log without
// SHA-384 digests, an unknown algorithm, an MR index above 4 or MRTD (index 0) events.
Result<EventLog> parse_event_log(ByteView data);

// Replays the events of one register (their index fields renumbered per register).
std::array<std::vector<Event>, 4> events_by_rtmr(const std::vector<Event>& events);

}  // namespace cocoon::measure
