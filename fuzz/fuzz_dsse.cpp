// DSSE attestation envelopes and the in-toto statements inside them (from a mirror or a builder). An
// envelope that parses serialises to JSON that parses to the same envelope; a statement that parses
// serialises to a payload that parses to the same statement JSON.
#include "attest/dsse.hpp"
#include "attest/statement.hpp"
#include "core/json.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace a = cocoon::attest;
  if (auto st = a::parse_statement(cocoon::fuzz::bytes(data, size))) {
    std::string payload = a::statement_payload(*st);
    auto again = a::parse_statement(
        cocoon::ByteView(reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()));
    FUZZ_CHECK(again);
    FUZZ_CHECK(a::statement_json(*again) == a::statement_json(*st));
  }
  auto doc = cocoon::parse_json(cocoon::fuzz::text(data, size));
  if (!doc) return 0;
  auto env = a::parse_dsse_envelope(*doc);
  if (!env) return 0;
  cocoon::Json written = a::dsse_envelope_json(*env);
  auto again = a::parse_dsse_envelope(written);
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->payload_type == env->payload_type && again->payload == env->payload);
  FUZZ_CHECK(again->signatures.size() == env->signatures.size());
  for (std::size_t i = 0; i < env->signatures.size(); ++i) {
    FUZZ_CHECK(again->signatures[i].sig == env->signatures[i].sig);
    FUZZ_CHECK(again->signatures[i].keyid == env->signatures[i].keyid);
  }
  FUZZ_CHECK(a::dsse_envelope_json(*again) == written);
  (void)a::dsse_pae(env->payload_type, env->payload);
  (void)a::parse_statement(env->payload);
  return 0;
}
