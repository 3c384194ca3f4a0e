// cocoon-log-proof/v1 files (a mirror's bytes): what parses is formatted into bytes that parse to the
// same proof, and formatting is a fixed point.
#include "fuzz_common.hpp"
#include "verify/log_proof.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace v = cocoon::verify;
  auto proof = v::parse_log_proof(cocoon::fuzz::bytes(data, size));
  if (!proof) return 0;
  std::string formatted = v::format_log_proof(*proof);
  auto again = v::parse_log_proof(
      cocoon::ByteView(reinterpret_cast<const std::uint8_t*>(formatted.data()), formatted.size()));
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->index == proof->index);
  FUZZ_CHECK(again->checkpoint == proof->checkpoint);
  FUZZ_CHECK(again->inclusion == proof->inclusion);
  FUZZ_CHECK(again->consistency == proof->consistency);
  FUZZ_CHECK(v::format_log_proof(*again) == formatted);
  return 0;
}
