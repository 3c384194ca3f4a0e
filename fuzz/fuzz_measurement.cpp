// Measurement documents (measurement.json, given to `cocoon-verify quote`) and host profiles in them.
// A host profile that parses serialises to JSON that parses to the same profile; candidates loaded from
// a document are 48-byte registers, and a synthetic all-zero v4 quote can be checked against them.
#include "core/json.hpp"
#include "fuzz_common.hpp"
#include "measure/host_profile.hpp"
#include "measure/quote.hpp"
#include "measure/verify.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace m = cocoon::measure;
  auto doc = cocoon::parse_json(cocoon::fuzz::text(data, size));
  if (!doc) return 0;
  if (auto profile = m::host_profile_from_json(*doc)) {
    cocoon::Json written = m::host_profile_to_json(*profile);
    auto again = m::host_profile_from_json(written);
    FUZZ_CHECK(again);
    FUZZ_CHECK(m::host_profile_to_json(*again) == written);
  }
  auto candidates = m::load_candidates(*doc);
  if (!candidates) return 0;
  m::TdQuote quote;
  quote.version = 4;
  quote.report_data.assign(64, 0);
  auto report = m::verify_quote(quote, *candidates, std::nullopt);
  if (report) (void)report->ok();
  for (const auto& p : candidates->host_profiles) (void)m::verify_quote(quote, *candidates, p.name);
  return 0;
}
