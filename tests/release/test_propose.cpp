// propose_targets: only artifacts enough trusted builders reproduced, and never an older version.
#include <catch2/catch.hpp>

#include "attest/dsse.hpp"
#include "crypto/hash.hpp"
#include "release/propose.hpp"
#include "release_fixtures.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::release::testing;

namespace {

const std::string kArtifact = "hello.bin";
const std::string kContent = "hello, reproducible world\n";

AttestationFile attestation(const crypto::SecretKey& builder, const std::string& content) {
  attest::Statement st;
  st.predicate_type = attest::kSlsaProvenanceV1;
  st.subjects = {{kArtifact, crypto::sha256_hex(std::string_view(content))}};
  st.predicate =
      Json{{"runDetails", {{"builder", {{"id", attest::builder_id_for_keyid(builder.public_key().keyid)}}}}}};
  auto env = attest::sign_statement(st, builder);
  return {builder.name + ".json", to_bytes(pretty_json(attest::dsse_envelope_json(env)))};
}

ProposeInput input(const Cast& c, std::vector<AttestationFile> attestations) {
  ProposeInput in;
  in.release_version = "1.2.0";
  in.recipe = RecipeInfo{"sample", std::string(40, 'a'), std::string(64, 'b'), {kArtifact}};
  in.attestations = std::move(attestations);
  auto d = tuf_hashes(as_bytes(kContent));
  in.artifacts = {{kArtifact, kContent.size(), d["sha256"], d["sha512"]}};
  in.expires = kNow + 90 * 86400;
  (void)c;
  return in;
}

}  // namespace

TEST_CASE("propose lists an artifact the builder threshold reproduced", "[release][propose]") {
  Cast c;
  Root root = make_test_root({&c.alice, &c.bob}, 2, c.online, c);
  ProposeInput in = input(c, {attestation(c.builder1, kContent), attestation(c.builder2, kContent)});
  auto draft = propose_targets(root, in);
  REQUIRE(draft.ok());
  auto t = parse_targets(draft->signed_part);
  REQUIRE(t.ok());
  CHECK(t->common.version == 1);
  REQUIRE(t->targets.count("sample/hello.bin") == 1);
  const TargetFile& f = t->targets.at("sample/hello.bin");
  CHECK(f.length == kContent.size());
  CHECK(f.hashes == tuf_hashes(as_bytes(kContent)));
  const Json& custom = f.custom->at("cocoon");
  CHECK(custom["version"] == "1.2.0");
  CHECK(custom["attestations"].size() == 2);
  CHECK(custom["attestations"][0].get<std::string>().size() == 64);
  CHECK(t->release->at("version") == "1.2.0");
  CHECK(draft->signatures.empty());
}

TEST_CASE("propose refuses an artifact below the builder threshold", "[release][propose][attack]") {
  Cast c;
  Root root = make_test_root({&c.alice}, 1, c.online, c);
  // One trusted builder, plus one signature by a key that is not a trusted builder.
  crypto::SecretKey stranger = key("stranger", 99);
  auto r =
      propose_targets(root, input(c, {attestation(c.builder1, kContent), attestation(stranger, kContent)}));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::builder_agreement);
  // The same builder twice is still one builder.
  r = propose_targets(root, input(c, {attestation(c.builder1, kContent), attestation(c.builder1, kContent)}));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::builder_agreement);
}

TEST_CASE("propose refuses a file other than the one the builders agreed on", "[release][propose][attack]") {
  Cast c;
  Root root = make_test_root({&c.alice}, 1, c.online, c);
  ProposeInput in =
      input(c, {attestation(c.builder1, "other bytes"), attestation(c.builder2, "other bytes")});
  auto r = propose_targets(root, in);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::builder_agreement);
}

TEST_CASE("propose refuses a release version not above the published one",
          "[release][propose][rollback][attack]") {
  Cast c;
  Root root = make_test_root({&c.alice}, 1, c.online, c);
  ProposeInput in = input(c, {attestation(c.builder1, kContent), attestation(c.builder2, kContent)});
  Targets previous = make_targets(7);
  previous.release = Json{{"name", "sample"}, {"version", "1.2.0"}};
  in.previous = previous;
  auto same = propose_targets(root, in);
  REQUIRE_FALSE(same.ok());
  CHECK(same.error().code == Errc::rollback);
  previous.release = Json{{"name", "sample"}, {"version", "1.10.0"}};
  in.previous = previous;
  CHECK(propose_targets(root, in).error().code == Errc::rollback);
  previous.release = Json{{"name", "sample"}, {"version", "1.1.9"}};
  in.previous = previous;
  auto newer = propose_targets(root, in);
  REQUIRE(newer.ok());
  CHECK(newer->signed_part["version"] == 8);
}

TEST_CASE("release versions compare numerically", "[release][propose]") {
  CHECK(compare_release_versions("0.10", "0.9").value() == 1);
  CHECK(compare_release_versions("1.0", "1.0.0").value() == 0);
  CHECK(compare_release_versions("2025.12.25", "2026.1.1").value() == -1);
  CHECK_FALSE(compare_release_versions("1.0-rc1", "1.0").ok());
  CHECK_FALSE(compare_release_versions("1..0", "1.0").ok());
}

TEST_CASE("propose copies the agreed measurement's image hashes into the release", "[release][propose]") {
  Cast c;
  Root root = make_test_root({&c.alice, &c.bob}, 2, c.online, c);
  const std::string measurement = R"({"schema":"cocoon-measurement/v1","image_hashes":[{"image_hash":")" +
                                  std::string(64, 'e') + R"(","role":"worker","host_profile":"h100"}]})";
  auto attest_both = [&](const crypto::SecretKey& builder, const std::string& m) {
    attest::Statement st;
    st.predicate_type = attest::kSlsaProvenanceV1;
    st.subjects = {{kArtifact, crypto::sha256_hex(std::string_view(kContent))},
                   {"measurement.json", crypto::sha256_hex(std::string_view(m))}};
    st.predicate = Json{
        {"runDetails", {{"builder", {{"id", attest::builder_id_for_keyid(builder.public_key().keyid)}}}}}};
    auto env = attest::sign_statement(st, builder);
    return AttestationFile{builder.name + ".json", to_bytes(pretty_json(attest::dsse_envelope_json(env)))};
  };
  ProposeInput in = input(c, {attest_both(c.builder1, measurement), attest_both(c.builder2, measurement)});
  in.recipe.artifacts.push_back("measurement.json");
  auto md = tuf_hashes(as_bytes(measurement));
  in.artifacts.push_back({"measurement.json", measurement.size(), md["sha256"], md["sha512"]});
  in.measurement = to_bytes(measurement);
  auto draft = propose_targets(root, in);
  REQUIRE(draft.ok());
  auto t = parse_targets(draft->signed_part);
  REQUIRE(t.ok());
  REQUIRE(t->release->contains("image_hashes"));
  CHECK(t->release->at("image_hashes")[0]["image_hash"] == std::string(64, 'e'));
  CHECK(t->targets.count("sample/measurement.json") == 1);

  // A measurement other than the agreed one cannot speak for the release.
  in.measurement = to_bytes(measurement + " ");
  auto swapped = propose_targets(root, in);
  REQUIRE_FALSE(swapped.ok());
  CHECK(swapped.error().code == Errc::hash_mismatch);
}
