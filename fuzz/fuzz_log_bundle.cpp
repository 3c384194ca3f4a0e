// A release's log bundle (<V>.targets.bundle.json from a mirror): what parses serialises to JSON that
// parses to the same bundle.
#include "core/json.hpp"
#include "fuzz_common.hpp"
#include "tlog/log_bundle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace r = cocoon::tlog;
  auto doc = cocoon::parse_json(cocoon::fuzz::text(data, size));
  if (!doc) return 0;
  auto bundle = r::parse_log_bundle(*doc);
  if (!bundle) return 0;
  cocoon::Json written = r::log_bundle_json(*bundle);
  auto again = r::parse_log_bundle(written);
  FUZZ_CHECK(again);
  FUZZ_CHECK(r::log_bundle_json(*again) == written);
  FUZZ_CHECK(again->entries.size() == bundle->entries.size());
  FUZZ_CHECK(again->consistency == bundle->consistency);
  FUZZ_CHECK(again->checkpoint == bundle->checkpoint);
  return 0;
}
