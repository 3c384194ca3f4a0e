#include <catch2/catch.hpp>
#include <cstdio>

#include "attest/dsse.hpp"
#include "attest/statement.hpp"
#include "attest_fixtures.hpp"
#include "core/file_io.hpp"

using namespace cocoon;
using namespace cocoon::attest;
using namespace cocoon::attest::testing;

TEST_CASE("DSSE PAE matches the specification's example") {
  // From the DSSE protocol document: PAE("http://example.com/HelloWorld", "hello world").
  CHECK(to_string(dsse_pae("http://example.com/HelloWorld", as_bytes("hello world"))) ==
        "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  CHECK(to_string(dsse_pae("", {})) == "DSSEv1 0  0 ");
}

TEST_CASE("DSSE envelope round trip verifies - tampering is refused") {
  auto alice = make_key("alice");
  std::vector<crypto::PublicKey> trusted{alice.public_key()};
  auto env = sign_statement(make_statement({{"app.tar.zst", digest_of("app")}}, alice), alice);
  auto parsed = parse_dsse_envelope(parse_json(dsse_envelope_json(env).dump()).value());
  REQUIRE(parsed.ok());
  CHECK(parsed->payload == env.payload);
  auto checks = dsse_check_signatures(*parsed, trusted);
  REQUIRE(checks.size() == 1);
  CHECK(checks[0].outcome == SignatureCheck::Outcome::valid);

  SECTION("one digest changed after signing") {
    std::string payload = to_string(parsed->payload);
    auto pos = payload.find(digest_of("app"));
    REQUIRE(pos != std::string::npos);
    payload.replace(pos, 64, digest_of("evil"));
    parsed->payload = to_bytes(payload);
    CHECK(dsse_check_signatures(*parsed, trusted)[0].outcome == SignatureCheck::Outcome::bad_signature);
  }
  SECTION("payload type changed") {
    parsed->payload_type = "application/json";
    CHECK(dsse_check_signatures(*parsed, trusted)[0].outcome == SignatureCheck::Outcome::bad_signature);
  }
  SECTION("signature by a key that is not trusted") {
    auto mallory = make_key("mallory");
    auto env2 = sign_statement(make_statement({{"app.tar.zst", digest_of("app")}}, mallory), mallory);
    CHECK(dsse_check_signatures(env2, trusted)[0].outcome == SignatureCheck::Outcome::untrusted_key);
    // Claiming alice's key id does not help.
    env2.signatures[0].keyid = alice.public_key().keyid;
    CHECK(dsse_check_signatures(env2, trusted)[0].outcome == SignatureCheck::Outcome::bad_signature);
  }
  SECTION("one key signing twice is reported once") {
    dsse_sign(*parsed, alice);
    CHECK(dsse_check_signatures(*parsed, trusted).size() == 1);
  }
}

TEST_CASE("DSSE envelope parser refuses malformed input") {
  Json good = Json{{"payloadType", kInTotoPayloadType},
                   {"payload", base64_encode(as_bytes("{}"))},
                   {"signatures", Json::array({Json{{"keyid", "k"}, {"sig", base64_encode(Bytes(64, 1))}}})}};
  REQUIRE(parse_dsse_envelope(good).ok());
  auto refused = [&](auto mutate) {
    Json j = good;
    mutate(j);
    auto r = parse_dsse_envelope(j);
    return !r.ok() && r.error().code == Errc::invalid_input;
  };
  CHECK(refused([](Json& j) { j.erase("payload"); }));
  CHECK(refused([](Json& j) { j["payload"] = "e30"; }));  // missing padding
  CHECK(refused([](Json& j) { j["payloadType"] = 5; }));
  CHECK(refused([](Json& j) { j["signatures"] = Json::array(); }));
  CHECK(refused([](Json& j) { j["signatures"][0]["sig"] = base64_encode(Bytes(63, 1)); }));
  CHECK(refused([](Json& j) { j["signatures"][0]["keyid"] = 1; }));
  CHECK(refused([](Json& j) { j = Json::array(); }));
}

TEST_CASE("statement parser enforces the in-toto v1 shape") {
  auto alice = make_key("alice");
  auto st = make_statement({{"a", digest_of("a")}, {"b", digest_of("b")}}, alice);
  auto back = parse_statement(as_bytes(statement_payload(st)));
  REQUIRE(back.ok());
  REQUIRE(back->subjects.size() == 2);
  CHECK(back->subjects[1].name == "b");
  CHECK(builder_claim(*back).id == builder_id_for_keyid(alice.public_key().keyid));
  CHECK(builder_claim(*back).name == "alice");

  auto refused = [&](auto mutate) {
    Json j = statement_json(st);
    mutate(j);
    return !parse_statement(as_bytes(j.dump())).ok();
  };
  CHECK(refused([](Json& j) { j["_type"] = "https://in-toto.io/Statement/v0.1"; }));
  CHECK(refused([](Json& j) { j["subject"] = Json::array(); }));
  CHECK(refused([](Json& j) { j["subject"][1]["name"] = "a"; }));  // duplicate subject
  CHECK(refused([](Json& j) { j["subject"][0]["digest"]["sha256"] = "ABCD"; }));
  CHECK(refused([&](Json& j) {
    std::string upper = digest_of("a");
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    j["subject"][0]["digest"]["sha256"] = upper;
  }));
  CHECK(refused([](Json& j) { j["subject"][0]["digest"].erase("sha256"); }));
  CHECK_FALSE(parse_statement(as_bytes("{\"_type\":1")).ok());
}

TEST_CASE("an independent implementation (python3-nacl) verifies our envelope") {
  auto dir = TempDir::create("dsse-py-").value();
  auto alice = make_key("alice");
  auto env = sign_statement(
      make_statement({{"sample-node.tar.zst", digest_of("x")}, {"SHA256SUMS", digest_of("y")}}, alice),
      alice);
  REQUIRE(write_file_atomic(dir.path() / "att.json", pretty_json(dsse_envelope_json(env))).ok());
  REQUIRE(
      write_file_atomic(dir.path() / "alice.pub", pretty_json(crypto::public_key_json(alice.public_key())))
          .ok());
  auto run = [&](const std::string& envelope_file) {
    std::string cmd = "/usr/bin/python3 " COCOON_SOURCE_DIR "/tests/attest/verify_dsse.py " +
                      (dir.path() / envelope_file).string() + " " + (dir.path() / "alice.pub").string() +
                      " 2>&1";
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    int status = ::pclose(p);
    return std::make_pair(status, out);
  };
  auto [status, out] = run("att.json");
  INFO(out);
  CHECK(status == 0);
  CHECK(out == "sample-node.tar.zst " + digest_of("x") + "\nSHA256SUMS " + digest_of("y") + "\n");

  // The same checker refuses a tampered payload, so it is not a rubber stamp.
  auto tampered = env;
  std::string payload = to_string(tampered.payload);
  payload.replace(payload.find(digest_of("x")), 64, digest_of("z"));
  tampered.payload = to_bytes(payload);
  REQUIRE(write_file_atomic(dir.path() / "bad.json", pretty_json(dsse_envelope_json(tampered))).ok());
  CHECK(run("bad.json").first != 0);
}
