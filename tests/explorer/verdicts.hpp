#pragma once
// Test helper: rebuild-verdict log entries as a watching builder logs them (lib/rebuild/entries.hpp:
// a DSSE envelope of type application/vnd.cocoon.rebuild-verdict.v1+json over the canonical JSON
// payload), signed with a real builder key.
#include <string>

#include "attest/dsse.hpp"
#include "core/json.hpp"
#include "crypto/key_file.hpp"
#include "explorer/site_data.hpp"

namespace cocoon::explorer::testing {

inline Json verdict_payload(const std::string& product, const std::string& version,
                            const std::string& verdict, const std::string& builder,
                            const std::string& finished, std::uint64_t index) {
  return Json{{"_type", "cocoon.rebuild-verdict/v1"},
              {"product", product},
              {"version", version},
              {"recipe_sha256", std::string(64, 'a')},
              {"source_commit", std::string(40, 'c')},
              {"subject",
               {{"kind", "release"},
                {"log_index", index},
                {"entry_sha256", std::string(64, 'b')},
                {"targets_version", 2}}},
              {"verdict", verdict},
              {"artifacts", Json::array()},
              {"builder", builder},
              {"finished", finished}};
}

inline Bytes verdict_entry(const Json& payload, const crypto::SecretKey& key) {
  attest::DsseEnvelope env;
  env.payload_type = kVerdictPayloadType;
  // Compact JSON with sorted keys; unlike OLPC canonical JSON it escapes control characters, which
  // JSON parsers (ours included) refuse raw.
  env.payload = to_bytes(compact_json(payload));
  attest::dsse_sign(env, key);
  return to_bytes(compact_json(attest::dsse_envelope_json(env)));
}

}  // namespace cocoon::explorer::testing
