// Delegations in a plain-TUF targets role (a mirror's bytes). A parsed delegation set keeps its
// invariants: thresholds >= 1, key ids present in the key set, exactly one of paths / hash prefixes, and
// every role's file name is a single path component.
#include "core/json.hpp"
#include "fuzz_common.hpp"
#include "verify/delegations.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace v = cocoon::verify;
  auto doc = cocoon::parse_json(cocoon::fuzz::text(data, size));
  if (!doc) return 0;
  // Either a whole envelope or a bare `signed` object.
  const cocoon::Json& s = doc->is_object() && doc->contains("signed") ? (*doc)["signed"] : *doc;
  auto parsed = v::parse_delegations(s);
  if (parsed && *parsed) {
    const v::Delegations& d = **parsed;
    for (const auto& role : d.roles) {
      FUZZ_CHECK(!role.name.empty());
      FUZZ_CHECK(role.threshold >= 1);
      FUZZ_CHECK(role.paths.has_value() != role.path_hash_prefixes.has_value());
      for (const auto& id : role.keyids) FUZZ_CHECK(d.keys.count(id) == 1);
      std::string file = v::role_file_name(role.name);
      FUZZ_CHECK(!file.empty() && file.find('/') == std::string::npos && file != "." && file != "..");
      (void)v::role_covers(role, "pkg/tool.bin");
      (void)v::delegation_key_set(d, role);
    }
  }
  (void)v::parse_targets_allowing_delegations(s);
  return 0;
}
