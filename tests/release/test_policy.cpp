// The root policy's log section: release checks the shape of the log and witness keys (their full
// parse is lib/tlog's, where a signature is checked), so a root naming no usable log is refused when
// it is read, not only when a node first checks a log proof.
#include <catch2/catch.hpp>

#include "release/policy.hpp"
#include "release_fixtures.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::release::testing;

namespace {

Errc refusal(const Json& doc, const std::string& expected_text) {
  auto parsed = parse_policy(doc);
  REQUIRE_FALSE(parsed.ok());
  INFO(parsed.error().message);
  CHECK(parsed.error().message.find(expected_text) != std::string::npos);
  return parsed.error().code;
}

}  // namespace

TEST_CASE("policy: a well-formed log section round trips", "[release][policy]") {
  Cast c;
  CocoonPolicy p = make_policy(c);
  auto parsed = parse_policy(policy_json(p));
  REQUIRE(parsed.ok());
  CHECK(parsed->log_origin == p.log_origin);
  CHECK(parsed->log_verifier_key == p.log_verifier_key);
  CHECK(parsed->witness_keys == p.witness_keys);
}

TEST_CASE("policy: malformed log and witness keys are refused", "[release][policy][attack]") {
  Cast c;
  CocoonPolicy p = make_policy(c);
  const std::string log_key = p.log_verifier_key;
  const std::string key_part = log_key.substr(log_key.rfind('+') + 1);

  Json doc = policy_json(p);
  doc["log"]["verifier_key"] = p.log_origin;  // a name, no key
  CHECK(refusal(doc, "log verifier key is not of the form") == Errc::invalid_input);

  doc = policy_json(p);
  doc["log"]["verifier_key"] = p.log_origin + "+nothex!!+" + key_part;
  CHECK(refusal(doc, "log verifier key is not of the form") == Errc::invalid_input);

  doc = policy_json(p);
  doc["log"]["verifier_key"] = p.log_origin + "+0123abcd+%%%";
  CHECK(refusal(doc, "the key is not base64") == Errc::invalid_input);

  doc = policy_json(p);
  doc["witnesses"]["keys"] = Json::array({"witness.example"});
  CHECK(refusal(doc, "witness key is not of the form") == Errc::invalid_input);
}

TEST_CASE("policy: the log origin must be the log key's name", "[release][policy][attack]") {
  Cast c;
  Json doc = policy_json(make_policy(c));
  doc["log"]["origin"] = "example.org/another-log";
  CHECK(refusal(doc, "differs from the verifier key's name") == Errc::invalid_input);
}

TEST_CASE("policy: one witness key under two names counts once and is refused", "[release][policy][attack]") {
  // Listing the same key twice would let one witness look like two to anyone counting the list.
  Cast c;
  CocoonPolicy p = make_policy(c);
  const std::string w = p.witness_keys.front();
  std::string renamed = "other.example" + w.substr(w.find('+'));
  p.witness_keys = {w, renamed};
  p.witness_quorum = 2;
  CHECK(refusal(policy_json(p), "witness key listed twice") == Errc::invalid_input);
}
