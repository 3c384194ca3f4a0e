#pragma once
// Checking what a machine reports against a cocoon-measurement/v1 document: a quote register by register,
// an event log event by event. Results are data; the tools render them.
//
// Example: a quote whose RTMR2 equals the candidate "role worker" gets {RTMR2, match, ["role worker"]}; one
// whose RTMR1 equals no candidate gets {RTMR1, mismatch, expected: every RTMR1 candidate, actual: its value}.
#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/result.hpp"
#include "measure/eventlog.hpp"
#include "measure/host_profile.hpp"
#include "measure/quote.hpp"

namespace cocoon::measure {

struct Candidate {
  std::string label;
  Register value{};
  std::vector<Event> events;
  std::string role;          // rtmr2/rtmr3 candidates
  std::string host_profile;  // rtmr0 candidates
};

// The candidates of a measurement document, indexed MRTD, RTMR0..3.
struct MeasurementCandidates {
  std::array<std::vector<Candidate>, 5> by_register;
  std::vector<HostProfile> host_profiles;
  std::set<std::string> image_hashes;
};
Result<MeasurementCandidates> load_candidates(const Json& measurement);

enum class Verdict { match, mismatch, unverified };
const char* verdict_name(Verdict v);  // "MATCH", "MISMATCH", "UNVERIFIED"

struct RegisterCheck {
  std::string name;  // "MRTD", "RTMR0", ..., "ROLE"
  Verdict verdict = Verdict::unverified;
  std::string actual;
  std::vector<std::string> matched;                           // labels of equal candidates
  std::vector<std::pair<std::string, std::string>> expected;  // label, value (on mismatch)
  std::string note;
};

struct QuoteReport {
  std::vector<RegisterCheck> checks;
  bool debug_td = false;
  std::string image_hash;
  bool image_hash_listed = false;
  bool ok() const;  // not DEBUG and no MISMATCH
};

// host_profile restricts RTMR0 to one recorded profile (Errc::not_found when the document has none of that
// name); without it RTMR0 is checked against every profile, or UNVERIFIED when there are none.
Result<QuoteReport> verify_quote(const TdQuote& quote, const MeasurementCandidates& m,
                                 const std::optional<std::string>& host_profile);
Json quote_report_to_json(const QuoteReport& r);

struct Divergence {
  std::string candidate;  // the closest candidate (longest common prefix)
  std::uint32_t index = 0;
  std::optional<Event> expected;  // absent: the log has extra events
  std::optional<Event> actual;    // absent: the log ends early
};

struct RegisterReplay {
  std::string name;
  Register replayed{};
  size_t event_count = 0;
  Verdict verdict = Verdict::unverified;
  std::string matched;
  std::optional<Divergence> divergence;
};

struct EventLogReport {
  std::array<RegisterReplay, 4> registers;
  bool ok() const;  // no MISMATCH
};

EventLogReport verify_eventlog(const EventLog& log, const MeasurementCandidates& m);
Json eventlog_report_to_json(const EventLogReport& r);

// A host profile from a reference boot's log: its replayed RTMR0 and the events behind it.
HostProfile host_profile_from_log(const EventLog& log, std::string name, std::string qemu_version,
                                  std::uint64_t memory_bytes, std::uint32_t vcpus,
                                  std::vector<std::string> devices);

}  // namespace cocoon::measure
