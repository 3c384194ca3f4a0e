#include <catch2/catch.hpp>

#include "attest/compare.hpp"
#include "attest_fixtures.hpp"

using namespace cocoon;
using namespace cocoon::attest;
using namespace cocoon::attest::testing;

namespace {

struct Builders {
  crypto::SecretKey a = make_key("alice"), b = make_key("bob"), c = make_key("carol"), d = make_key("dave");
  std::vector<crypto::PublicKey> trusted{a.public_key(), b.public_key(), c.public_key(), d.public_key()};
  std::vector<std::pair<std::string, std::string>> release{{"sample-node.tar.zst", digest_of("node")},
                                                           {"SHA256SUMS", digest_of("sums")}};
  std::vector<std::pair<std::string, std::string>> patched{{"sample-node.tar.zst", digest_of("node-patched")},
                                                           {"SHA256SUMS", digest_of("sums")}};
};

CompareReport run(const std::vector<AttestationInput>& in, const std::vector<crypto::PublicKey>& trusted,
                  size_t k, bool strict = false) {
  auto r = compare_attestations(in, trusted, CompareOptions{k, strict});
  REQUIRE(r.ok());
  return std::move(r).value();
}

const ArtifactVerdict& artifact(const CompareReport& r, const std::string& name) {
  for (const auto& a : r.artifacts)
    if (a.name == name) return a;
  FAIL("no artifact " << name);
  throw 0;
}

}  // namespace

TEST_CASE("three agreeing builders pass K=3 - K=4 fails") {
  Builders f;
  std::vector<AttestationInput> in{signed_by(f.release, f.a), signed_by(f.release, f.b),
                                   signed_by(f.release, f.c)};
  auto r = run(in, f.trusted, 3);
  CHECK(r.pass);
  CHECK(r.failures.empty());
  CHECK(r.builders.size() == 3);
  CHECK(artifact(r, "sample-node.tar.zst").reproduced);
  CHECK(artifact(r, "sample-node.tar.zst").agreed_sha256 == digest_of("node"));
  CHECK_FALSE(artifact(r, "sample-node.tar.zst").dissent);
  auto r4 = run(in, f.trusted, 4);
  CHECK_FALSE(r4.pass);
  REQUIRE(r4.failures.size() == 2);
  CHECK(r4.failures[0].find("3 of the required 4") != std::string::npos);
}

TEST_CASE("a dissenting fourth builder is reported and fails --strict") {
  Builders f;
  std::vector<AttestationInput> in{signed_by(f.release, f.a), signed_by(f.release, f.b),
                                   signed_by(f.release, f.c), signed_by(f.patched, f.d)};
  auto r = run(in, f.trusted, 3);
  CHECK(r.pass);
  const auto& node = artifact(r, "sample-node.tar.zst");
  CHECK(node.dissent);
  REQUIRE(node.digests.size() == 2);
  CHECK(node.digests[0].builders.size() == 3);
  REQUIRE(node.digests[1].builders.size() == 1);
  CHECK(node.digests[1].builders[0].name == "dave");
  CHECK(node.digests[1].sha256 == digest_of("node-patched"));
  CHECK_FALSE(artifact(r, "SHA256SUMS").dissent);

  auto strict = run(in, f.trusted, 3, true);
  CHECK_FALSE(strict.pass);
  REQUIRE(strict.failures.size() == 1);
  CHECK(strict.failures[0].find("dissent by dave") != std::string::npos);
  CHECK(compare_report_json(strict)["artifacts"][1]["dissent"] == true);
}

TEST_CASE("an untrusted builder is ignored") {
  Builders f;
  auto mallory = make_key("mallory");
  std::vector<AttestationInput> in{signed_by(f.release, f.a), signed_by(f.release, f.b),
                                   signed_by(f.patched, mallory),
                                   signed_by(f.patched, mallory, "mallory2.json")};
  auto r = run(in, f.trusted, 2, true);
  CHECK(r.pass);
  CHECK(r.builders.size() == 2);
  CHECK_FALSE(artifact(r, "sample-node.tar.zst").dissent);
  CHECK(r.ignored.size() == 4);  // two "untrusted key" + two "not counted"
  CHECK(r.ignored[0].message.find("untrusted key " + mallory.public_key().keyid) != std::string::npos);
  CHECK(run(in, f.trusted, 3).pass == false);
}

TEST_CASE("the same builder submitted twice counts once") {
  Builders f;
  std::vector<AttestationInput> in{signed_by(f.release, f.a), signed_by(f.release, f.a, "alice-again.json"),
                                   signed_by(f.release, f.b)};
  auto r = run(in, f.trusted, 3);
  CHECK_FALSE(r.pass);
  CHECK(artifact(r, "sample-node.tar.zst").digests[0].builders.size() == 2);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].message.find("counted once") != std::string::npos);
  CHECK(run(in, f.trusted, 2).pass);

  SECTION("one envelope carrying the same key's signature twice also counts once") {
    auto env = signed_by(f.release, f.c);
    dsse_sign(env.envelope, f.c);
    auto r2 = run({env, signed_by(f.release, f.a)}, f.trusted, 3);
    CHECK_FALSE(r2.pass);
    CHECK(artifact(r2, "SHA256SUMS").digests[0].builders.size() == 2);
  }
  SECTION("one key listed under a second name in the list is refused by the list parser") {
    Json list =
        Json::array({crypto::public_key_json(f.a.public_key()), crypto::public_key_json(f.a.public_key())});
    list[1]["name"] = "alice-alias";
    CHECK_FALSE(crypto::parse_public_keys(list).ok());
  }
}

TEST_CASE("a tampered payload is rejected and not counted") {
  Builders f;
  auto forged = signed_by(f.release, f.c);
  std::string payload = to_string(forged.envelope.payload);
  payload.replace(payload.find(digest_of("node")), 64, digest_of("backdoor"));
  forged.envelope.payload = to_bytes(payload);
  std::vector<AttestationInput> in{signed_by(f.release, f.a), signed_by(f.release, f.b), forged};
  auto r = run(in, f.trusted, 3);
  CHECK_FALSE(r.pass);
  CHECK(r.builders.size() == 2);
  CHECK_FALSE(artifact(r, "sample-node.tar.zst").dissent);
  REQUIRE_FALSE(r.ignored.empty());
  CHECK(r.ignored[0].message.find("does not verify") != std::string::npos);
}

TEST_CASE("a builder contradicting itself is not counted for that artifact") {
  Builders f;
  std::vector<AttestationInput> in{signed_by(f.release, f.a), signed_by(f.patched, f.a, "alice-2.json"),
                                   signed_by(f.release, f.b)};
  auto r = run(in, f.trusted, 2);
  CHECK_FALSE(r.pass);  // alice's node claims cancel out
  CHECK(artifact(r, "SHA256SUMS").reproduced);
  CHECK_FALSE(artifact(r, "sample-node.tar.zst").reproduced);
  bool warned = false;
  for (const auto& w : r.warnings) warned |= w.message.find("2 different digests") != std::string::npos;
  CHECK(warned);
}

TEST_CASE("two digests each backed by K builders fail even without strict") {
  Builders f;
  std::vector<AttestationInput> in{signed_by(f.release, f.a), signed_by(f.release, f.b),
                                   signed_by(f.patched, f.c), signed_by(f.patched, f.d)};
  auto r = run(in, f.trusted, 2);
  CHECK_FALSE(r.pass);
  CHECK(r.failures[0].find("several different digests") != std::string::npos);
}

TEST_CASE("statement claiming another builder id is flagged - bad inputs refused") {
  Builders f;
  auto st = make_statement(f.release, f.b);                // names bob
  AttestationInput in{"x.json", sign_statement(st, f.a)};  // signed by alice
  auto r = run({in}, f.trusted, 1);
  CHECK(r.pass);
  CHECK(r.builders[0].name == "alice");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].message.find("signing key is what counts") != std::string::npos);

  CHECK(compare_attestations({in}, f.trusted, CompareOptions{0, false}).error().code == Errc::invalid_input);
  CHECK(compare_attestations({}, f.trusted, CompareOptions{1, false}).error().code == Errc::invalid_input);
  CHECK(compare_attestations({in}, {}, CompareOptions{1, false}).error().code == Errc::invalid_input);

  AttestationInput wrong_type = in;
  wrong_type.envelope.payload_type = "application/json";
  wrong_type.envelope.signatures.clear();
  dsse_sign(wrong_type.envelope, f.a);
  auto r2 = run({wrong_type}, f.trusted, 1);
  CHECK_FALSE(r2.pass);
  CHECK(r2.ignored[0].message.find("payloadType") != std::string::npos);
}

TEST_CASE("100 attestations of 50 artifacts compare") {
  // Size check for the documented scale; timing lives in bench/attest, not here.
  std::vector<crypto::SecretKey> keys;
  std::vector<crypto::PublicKey> trusted;
  for (int i = 0; i < 100; ++i) {
    keys.push_back(make_key("builder-" + std::to_string(i)));
    trusted.push_back(keys.back().public_key());
  }
  std::vector<std::pair<std::string, std::string>> subjects;
  for (int j = 0; j < 50; ++j)
    subjects.push_back({"artifact-" + std::to_string(j), digest_of(std::to_string(j))});
  std::vector<AttestationInput> in;
  for (const auto& k : keys) in.push_back(signed_by(subjects, k));
  auto r = run(in, trusted, 100, true);
  CHECK(r.pass);
  CHECK(r.artifacts.size() == 50);
}
