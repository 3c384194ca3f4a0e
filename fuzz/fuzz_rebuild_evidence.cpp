// cocoon-rebuild-verdicts/v1 files (an offline bundle's bytes, lib/verify/rebuild_verdicts.hpp): what
// parses is formatted into bytes that parse to the same evidence, and formatting is a fixed point.
#include "fuzz_common.hpp"
#include "verify/rebuild_verdicts.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace v = cocoon::verify;
  auto evidence = v::parse_rebuild_evidence(cocoon::fuzz::bytes(data, size));
  if (!evidence) return 0;
  std::string formatted = v::format_rebuild_evidence(*evidence);
  auto again = v::parse_rebuild_evidence(
      cocoon::ByteView(reinterpret_cast<const std::uint8_t*>(formatted.data()), formatted.size()));
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->checkpoint == evidence->checkpoint);
  FUZZ_CHECK(again->release_index == evidence->release_index);
  FUZZ_CHECK(again->release_inclusion == evidence->release_inclusion);
  FUZZ_CHECK(again->consistency == evidence->consistency);
  FUZZ_CHECK(again->scanned_to == evidence->scanned_to);
  FUZZ_CHECK(again->verdicts.size() == evidence->verdicts.size());
  for (std::size_t i = 0; i < again->verdicts.size(); ++i) {
    FUZZ_CHECK(again->verdicts[i].index == evidence->verdicts[i].index);
    FUZZ_CHECK(again->verdicts[i].entry == evidence->verdicts[i].entry);
    FUZZ_CHECK(again->verdicts[i].inclusion == evidence->verdicts[i].inclusion);
  }
  FUZZ_CHECK(v::format_rebuild_evidence(*again) == formatted);
  return 0;
}
