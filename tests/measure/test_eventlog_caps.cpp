// The plain-text RTMR3 log has the CCEL parser's event cap and a line-length cap, and is refused at
// the first line past either: a log of 16 MiB of short lines costs 100,000 events, not 8 million.
#include <catch2/catch.hpp>
#include <string>

#include "measure/eventlog.hpp"

using namespace cocoon;
using namespace cocoon::measure;

namespace {

Result<EventLog> parse_text(const std::string& text) {
  return parse_event_log(as_bytes(text));
}

std::string lines(std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += "cocoon:line\n";
  return out;
}

}  // namespace

TEST_CASE("eventlog: a plain-text log of 100000 lines is read, one more is refused") {
  auto ok = parse_text(lines(100000));
  REQUIRE(ok.ok());
  CHECK(ok->events.size() == 100000);
  auto over = parse_text(lines(100001));
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().code == Errc::invalid_input);
  CHECK(over.error().message == "event log: more than 100000 events");
}

TEST_CASE("eventlog: 16 MiB of short lines is refused at the event cap") {
  std::string text;
  text.reserve(16u << 20);
  while (text.size() < (16u << 20)) text += "a\n";
  auto r = parse_text(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "event log: more than 100000 events");
}

TEST_CASE("eventlog: a plain-text line longer than 64 KiB is refused, one of 64 KiB is read") {
  auto ok = parse_text("first\n" + std::string(65536, 'x') + "\n");
  REQUIRE(ok.ok());
  CHECK(ok->events.size() == 2);
  auto r = parse_text("first\n" + std::string(65537, 'x') + "\nlast\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::invalid_input);
  CHECK(r.error().message == "event log: plain-text RTMR3 log line 2 is longer than 65536 bytes");
}
