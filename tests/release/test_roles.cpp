// Parsing and writing the role models; the checks that keep a malformed root from ever counting.
#include <catch2/catch.hpp>

#include "crypto/hash.hpp"
#include "release/threshold.hpp"
#include "release_fixtures.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::release::testing;

namespace {

Json root_doc() {
  Cast c;
  return root_json(make_test_root({&c.alice, &c.bob}, 2, c.online, c));
}

Errc parse_error(const Json& doc) {
  auto r = parse_root(doc);
  REQUIRE_FALSE(r.ok());
  return r.error().code;
}

}  // namespace

TEST_CASE("root survives a write/parse round trip", "[release][roles]") {
  Cast c;
  Root root = make_test_root({&c.alice, &c.bob}, 2, c.online, c);
  auto parsed = parse_root(root_json(root));
  REQUIRE(parsed.ok());
  CHECK(root_json(*parsed) == root_json(root));
  CHECK(parsed->policy->builder_threshold == 2);
  CHECK(parsed->policy->maintainer_names.at(c.alice.public_key().keyid) == "alice");
  CHECK(root_json(root)["consistent_snapshot"] == true);
  CHECK(root_json(root)["expires"] == "2027-01-01T00:00:00Z");
}

TEST_CASE("a key id that is not the hash of its key is refused", "[release][roles][attack]") {
  Cast c;
  Json doc = root_doc();
  std::string alice = c.alice.public_key().keyid;
  // Alice's key listed a second time under a made-up id (go-tuf GHSA-3633-5h82-39pq).
  std::string alias(64, 'b');
  doc["keys"][alias] = doc["keys"][alice];
  doc["roles"]["targets"]["keyids"].push_back(alias);
  REQUIRE(doc.contains("x-cocoon-policy"));
  CHECK(parse_error(doc) == Errc::invalid_input);

  // In a plain TUF root the alias loads but can sign nothing, so alice still counts once and the
  // made-up id never helps a threshold (python-tuf and tuf-js do not recompute ids at all).
  doc.erase("x-cocoon-policy");
  auto plain = parse_root(doc);
  REQUIRE(plain.ok());
  CHECK(plain->keys.at(alice).usable());
  CHECK_FALSE(plain->keys.at(alias).usable());
  CHECK(plain->keys.at(alias).problem() == "its key id is not the SHA-256 of its key object");
}

TEST_CASE("a second key object for the same key bytes loads but counts once", "[release][roles][attack]") {
  // The same public key in a key object with an extra member hashes to another, "correct" key id.
  // TUF keeps unknown members (python-tuf, tuf-js and the conformance suite accept them), so the root
  // loads; the threshold counts key material, so the key still counts once.
  Cast c;
  Json doc = root_doc();
  Json variant = crypto::ed25519_tuf_key(c.alice.pair.public_key);
  variant["keyid_hash_algorithms"] = Json::array({"sha256"});
  std::string variant_id = hex_encode(crypto::sha256(canonical_json(variant).value()));
  doc["keys"][variant_id] = variant;
  doc["roles"]["targets"]["keyids"].push_back(variant_id);
  auto root = parse_root(doc);
  REQUIRE(root.ok());
  CHECK(root->keys.at(variant_id) == root->keys.at(c.alice.public_key().keyid));
  Envelope env = sign_all(targets_json(make_targets(1)), {&c.alice});
  env.signatures.push_back({variant_id, env.signatures.front().sig});
  auto count = count_signatures(*root, kRoleTargets, env);
  REQUIRE(count.ok());
  CHECK(count->signed_by.size() == 1);
  CHECK_FALSE(count->met());
}

TEST_CASE("threshold below 1 and duplicate key ids are refused", "[release][roles][attack]") {
  Json doc = root_doc();
  doc["roles"]["root"]["threshold"] = 0;
  CHECK(parse_error(doc) == Errc::invalid_input);
  doc = root_doc();
  doc["roles"]["targets"]["threshold"] = -1;
  CHECK(parse_error(doc) == Errc::invalid_input);
  doc = root_doc();
  doc["roles"]["targets"]["keyids"].push_back(doc["roles"]["targets"]["keyids"][0]);
  CHECK(parse_error(doc) == Errc::invalid_input);
  doc = root_doc();
  doc["roles"]["targets"]["keyids"].push_back(std::string(64, 'c'));  // not in "keys"
  CHECK(parse_error(doc) == Errc::invalid_input);
}

TEST_CASE("root shape errors are refused with their class", "[release][roles]") {
  Json doc = root_doc();
  doc.erase("consistent_snapshot");
  CHECK(parse_error(doc) == Errc::invalid_input);
  doc = root_doc();
  doc["spec_version"] = "2.0.0";
  CHECK(parse_error(doc) == Errc::unsupported);
  doc = root_doc();
  doc["expires"] = "2027-01-01T00:00:00.123Z";
  CHECK(parse_error(doc) == Errc::invalid_input);
  doc = root_doc();
  doc["version"] = 1.5;
  CHECK(parse_error(doc) == Errc::invalid_input);
  doc = root_doc();
  doc["roles"].erase("timestamp");
  CHECK(parse_error(doc) == Errc::invalid_input);
  doc = root_doc();
  doc["_type"] = "targets";
  CHECK(parse_error(doc) == Errc::invalid_input);
}

TEST_CASE("the Cocoon policy is validated with the root", "[release][roles][policy]") {
  Json doc = root_doc();
  doc[kPolicyMember]["builders"]["threshold"] = 4;  // only 3 builder keys
  CHECK(parse_error(doc) == Errc::invalid_input);
  doc = root_doc();
  doc[kPolicyMember]["builders"]["threshold"] = 0;
  CHECK(parse_error(doc) == Errc::invalid_input);
  doc = root_doc();
  doc[kPolicyMember]["log"]["origin"] = "other.example/log";
  CHECK(parse_error(doc) == Errc::invalid_input);
  doc = root_doc();
  doc[kPolicyMember]["witnesses"]["quorum"] = 2;
  CHECK(parse_error(doc) == Errc::invalid_input);
  doc = root_doc();
  doc[kPolicyMember]["builders"]["keys"].push_back(doc[kPolicyMember]["builders"]["keys"][0]);
  CHECK(parse_error(doc) == Errc::invalid_input);
  doc = root_doc();
  doc[kPolicyMember]["surprise"] = 1;
  CHECK(parse_error(doc) == Errc::invalid_input);
}

TEST_CASE("make_root refuses unusable thresholds and shared keys", "[release][roles]") {
  Cast c;
  RootParams p;
  p.maintainers = {c.alice.public_key(), c.bob.public_key()};
  p.online_keys = {c.online.public_key()};
  p.policy = make_policy(c);
  p.expires = kNow + kYear;
  p.root_threshold = 3;
  CHECK(make_root(p).error().code == Errc::invalid_input);
  p.root_threshold = 0;
  CHECK(make_root(p).error().code == Errc::invalid_input);
  p.root_threshold = 2;
  p.maintainers.push_back(c.alice.public_key());
  CHECK(make_root(p).error().code == Errc::invalid_input);
  p.maintainers.pop_back();
  p.online_keys = {c.alice.public_key()};
  CHECK(make_root(p).error().code == Errc::invalid_input);
  p.online_keys = {c.online.public_key()};
  CHECK(make_root(p).ok());
}

TEST_CASE("targets, snapshot and timestamp parse strictly", "[release][roles]") {
  Json t = targets_json(make_targets(3));
  auto parsed = parse_targets(t);
  REQUIRE(parsed.ok());
  CHECK(targets_json(*parsed) == t);
  Json bad = t;
  bad["targets"]["../etc/passwd"] = t["targets"]["sample/hello.txt"];
  CHECK(parse_targets(bad).error().code == Errc::invalid_input);
  bad = t;
  bad["targets"]["sample/h\xc3\xa9llo.txt"] = t["targets"]["sample/hello.txt"];
  CHECK(parse_targets(bad).error().code == Errc::invalid_input);
  bad = t;
  bad["targets"]["sample/hello.txt"]["hashes"]["sha256"] = "ABCD";
  CHECK(parse_targets(bad).error().code == Errc::invalid_input);
  bad = t;
  bad["delegations"] = Json::object();
  CHECK(parse_targets(bad).error().code == Errc::unsupported);

  Snapshot s;
  s.common = CommonFields{kRoleSnapshot, kSpecVersion, 4, kNow + 100};
  s.meta["targets.json"] = MetaFile{3, 10, {}};
  auto ps = parse_snapshot(snapshot_json(s));
  REQUIRE(ps.ok());
  CHECK(ps->meta.at("targets.json").version == 3);
  Json no_targets = snapshot_json(s);
  no_targets["meta"].erase("targets.json");
  CHECK(parse_snapshot(no_targets).error().code == Errc::invalid_input);

  Timestamp ts;
  ts.common = CommonFields{kRoleTimestamp, kSpecVersion, 9, kNow + 100};
  ts.snapshot = MetaFile{4, 10, tuf_hashes(as_bytes(std::string_view("x")))};
  auto pt = parse_timestamp(timestamp_json(ts));
  REQUIRE(pt.ok());
  CHECK(pt->snapshot.hashes == ts.snapshot.hashes);
}

TEST_CASE("length and hash checks catch every difference", "[release][roles]") {
  std::string data = "hello";
  auto hashes = tuf_hashes(as_bytes(data));
  CHECK(check_length_and_hashes(as_bytes(data), 5, hashes, "f").ok());
  CHECK(check_length_and_hashes(as_bytes(data), 6, hashes, "f").error().code == Errc::hash_mismatch);
  CHECK(check_length_and_hashes(as_bytes(std::string_view("hellp")), 5, hashes, "f").error().code ==
        Errc::hash_mismatch);
  hashes["md5"] = "00";
  CHECK(check_length_and_hashes(as_bytes(data), 5, hashes, "f").error().code == Errc::unsupported);
}

TEST_CASE("envelopes parse strictly but keep malformed signature text", "[release][metadata]") {
  auto env = parse_envelope_text(
      R"({"signed":{"_type":"targets"},"signatures":[{"keyid":"x","sig":"not hex"}]})", "t");
  REQUIRE(env.ok());
  CHECK(env->signatures.front().sig == "not hex");
  CHECK(parse_envelope_text(R"({"signed":{},"signatures":{}})", "t").error().code == Errc::invalid_input);
  CHECK(parse_envelope_text(R"({"signed":{},"signatures":[],"extra":1})", "t").error().code ==
        Errc::invalid_input);
  CHECK(parse_envelope_text(R"({"signed":{},"signatures":[{"keyid":1,"sig":"00"}]})", "t").error().code ==
        Errc::invalid_input);
  CHECK_FALSE(parse_envelope_text(R"({"signed":{},"signed":{},"signatures":[]})", "t").ok());
}

TEST_CASE("signatures are over OLPC canonical JSON: escapes, non-ASCII, integers", "[release][metadata]") {
  Envelope env;
  env.signed_part = Json{{"b", "tab\there \"quoted\" back\\slash nl\n"},
                         {"a", "caf\xc3\xa9 \xe2\x9c\x93"},
                         {"n", -7},
                         {"big", 9007199254740991ull},
                         {"A", Json::array({0, true, nullptr})}};
  auto bytes = signed_bytes(env);
  REQUIRE(bytes.ok());
  CHECK(*bytes ==
        "{\"A\":[0,true,null],\"a\":\"caf\xc3\xa9 \xe2\x9c\x93\",\"b\":\"tab\there \\\"quoted\\\" "
        "back\\\\slash nl\n\","
        "\"big\":9007199254740991,\"n\":-7}");
  env.signed_part["f"] = 1.5;
  CHECK_FALSE(signed_bytes(env).ok());
}

TEST_CASE("merge joins copies of one draft and refuses different drafts", "[release][draft]") {
  Cast c;
  Root root = make_test_root({&c.alice, &c.bob, &c.carol}, 2, c.online, c);
  Json draft = targets_json(make_targets(1));
  Envelope a = sign_all(draft, {&c.alice});
  Envelope b = sign_all(draft, {&c.bob});
  auto merged = merge_envelopes({a, b, a});
  REQUIRE(merged.ok());
  CHECK(merged->signatures.size() == 2);
  CHECK(count_signatures(root, kRoleTargets, *merged)->met());
  Envelope other = sign_all(targets_json(make_targets(2)), {&c.carol});
  auto refused = merge_envelopes({a, other});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Errc::mismatch);
  // Re-signing replaces the signer's own entry instead of adding another.
  REQUIRE(add_signature(a, c.alice).ok());
  CHECK(a.signatures.size() == 1);
}
