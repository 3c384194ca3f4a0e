// FROST ceremony files exchanged between participants (DKG round 1 and 2 packages, group files,
// commitments, signature shares) and the root's "x-cocoon-frost" record. Each file that parses writes
// JSON that parses to a model writing the same JSON again (parse -> serialise -> parse is stable).
#include "core/json.hpp"
#include "frost/formats.hpp"
#include "fuzz_common.hpp"

namespace {

template <typename Parse, typename Write>
void stable(const cocoon::Json& doc, Parse parse, Write write) {
  auto model = parse(doc);
  if (!model) return;
  cocoon::Json written = write(*model);
  auto again = parse(written);
  FUZZ_CHECK(again);
  FUZZ_CHECK(write(*again) == written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace f = cocoon::frost;
  auto doc = cocoon::parse_json(cocoon::fuzz::text(data, size));
  if (!doc) return 0;
  stable(*doc, f::round1_from_json, f::round1_to_json);
  stable(*doc, f::round2_from_json, f::round2_to_json);
  stable(*doc, f::group_from_json, f::group_to_json);
  stable(*doc, f::commitment_from_json, f::commitment_to_json);
  stable(*doc, f::share_from_json, f::share_to_json);
  return 0;
}
