// TUF envelopes and the four top-level roles as a mirror serves them. The envelope survives
// envelope_text -> parse (same `signed`, same signature entries, same signed bytes); a role that parses
// is written by *_json into a `signed` object that parses to the same model again (parse -> serialise
// -> parse is stable).
#include "fuzz_common.hpp"
#include "release/metadata.hpp"
#include "release/roles.hpp"

namespace {

using cocoon::Json;

template <typename Parse, typename Write>
void check_role(const Json& signed_part, Parse parse, Write write) {
  auto model = parse(signed_part);
  if (!model) return;
  Json written = write(*model);
  auto model2 = parse(written);
  FUZZ_CHECK(model2);
  FUZZ_CHECK(write(*model2) == written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace r = cocoon::release;
  auto env = r::parse_envelope_text(cocoon::fuzz::text(data, size), "fuzz.json");
  if (!env) return 0;
  auto env2 = r::parse_envelope_text(r::envelope_text(*env), "fuzz.json");
  FUZZ_CHECK(env2);
  FUZZ_CHECK(env2->signed_part == env->signed_part);
  FUZZ_CHECK(env2->signatures.size() == env->signatures.size());
  for (std::size_t i = 0; i < env->signatures.size(); ++i) {
    FUZZ_CHECK(env2->signatures[i].keyid == env->signatures[i].keyid);
    FUZZ_CHECK(env2->signatures[i].sig == env->signatures[i].sig);
  }
  auto sb = r::signed_bytes(*env);
  auto sb2 = r::signed_bytes(*env2);
  FUZZ_CHECK(sb.ok() == sb2.ok());
  if (sb) FUZZ_CHECK(*sb == *sb2);

  const Json& s = env->signed_part;
  check_role(s, r::parse_root, r::root_json);
  check_role(s, r::parse_targets, r::targets_json);
  check_role(s, r::parse_snapshot, r::snapshot_json);
  check_role(s, r::parse_timestamp, r::timestamp_json);
  if (auto t = r::parse_targets(s))
    for (const auto& [path, file] : t->targets) FUZZ_CHECK(r::valid_target_path(path));
  return 0;
}
