// propose_targets: only artifacts enough trusted builders reproduced, and never an older version.
#include <catch2/catch.hpp>

#include "attest/dsse.hpp"
#include "attest/labels.hpp"
#include "crypto/hash.hpp"
#include "release/products.hpp"
#include "release/propose.hpp"
#include "release_fixtures.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::release::testing;

namespace {

const std::string kArtifact = "hello.bin";
const std::string kContent = "hello, reproducible world\n";

// What the builders of input()'s release state (attest/labels.hpp).
attest::ReleaseLabels sample_labels() {
  return {"sample", "1.2.0", std::string(64, 'b'), std::string(40, 'a')};
}

Json predicate_for(const crypto::SecretKey& builder, const attest::ReleaseLabels& l) {
  return Json{
      {"buildDefinition",
       {{"externalParameters",
         {{"recipe",
           {{"name", l.product}, {"version", l.version}, {"digest", {{"sha256", l.recipe_sha256}}}}},
          {"source", {{"url", "https://example.invalid/x.git"}, {"commit", l.source_commit}}}}}}},
      {"runDetails", {{"builder", {{"id", attest::builder_id_for_keyid(builder.public_key().keyid)}}}}}};
}

AttestationFile attestation(const crypto::SecretKey& builder, const std::string& content,
                            const attest::ReleaseLabels& labels = sample_labels(),
                            const std::string& artifact = kArtifact) {
  attest::Statement st;
  st.predicate_type = attest::kSlsaProvenanceV1;
  st.subjects = {{artifact, crypto::sha256_hex(std::string_view(content))}};
  st.predicate = predicate_for(builder, labels);
  auto env = attest::sign_statement(st, builder);
  return {builder.name + "-" + labels.product + "-" + labels.version + ".json",
          to_bytes(pretty_json(attest::dsse_envelope_json(env)))};
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

// A published targets version holding `product` at `version` (one target, labelled as propose writes it).
Targets published(std::uint64_t targets_version, const std::string& product, const std::string& version) {
  Targets t = make_targets(targets_version);
  t.targets.clear();
  TargetFile f;
  f.length = 5;
  f.hashes = tuf_hashes(as_bytes(std::string_view("hello")));
  f.custom = Json{{"cocoon",
                   {{"version", version},
                    {"source_commit", std::string(40, 'c')},
                    {"recipe_sha256", std::string(64, 'd')},
                    {"attestations", Json::array({std::string(64, 'f')})}}}};
  t.targets[product + "/hello.txt"] = f;
  return t;
}

TEST_CASE("propose refuses a release version not above the product's published one",
          "[release][propose][rollback][attack]") {
  Cast c;
  Root root = make_test_root({&c.alice}, 1, c.online, c);
  ProposeInput in = input(c, {attestation(c.builder1, kContent), attestation(c.builder2, kContent)});
  in.previous = published(7, "sample", "1.2.0");
  auto same = propose_targets(root, in);
  REQUIRE_FALSE(same.ok());
  CHECK(same.error().code == Errc::rollback);
  in.previous = published(7, "sample", "1.10.0");
  CHECK(propose_targets(root, in).error().code == Errc::rollback);
  in.previous = published(7, "sample", "1.1.9");
  auto newer = propose_targets(root, in);
  REQUIRE(newer.ok());
  CHECK(newer->signed_part["version"] == 8);
  // The older release of the product is replaced, not kept beside the new one.
  CHECK(newer->signed_part["targets"].size() == 1);
  CHECK(newer->signed_part["targets"].contains("sample/hello.bin"));
}

TEST_CASE("propose keeps other products as published and orders versions per product",
          "[release][propose][products]") {
  Cast c;
  Root root = make_test_root({&c.alice}, 1, c.online, c);
  ProposeInput in = input(c, {attestation(c.builder1, kContent), attestation(c.builder2, kContent)});
  // Another product at a much higher version does not make 1.2.0 of "sample" a rollback.
  Targets previous = published(4, "other-sdk", "9.0.0");
  in.previous = previous;
  auto draft = propose_targets(root, in);
  REQUIRE(draft.ok());
  auto t = parse_targets(draft->signed_part);
  REQUIRE(t.ok());
  CHECK(t->common.version == 5);
  REQUIRE(t->targets.count("other-sdk/hello.txt") == 1);
  CHECK(t->targets.at("other-sdk/hello.txt").hashes == previous.targets.at("other-sdk/hello.txt").hashes);
  CHECK(t->targets.at("other-sdk/hello.txt").custom == previous.targets.at("other-sdk/hello.txt").custom);
  CHECK(t->targets.count("sample/hello.bin") == 1);
  CHECK(t->release->at("name") == "sample");
  auto products = products_of(*t);
  REQUIRE(products.ok());
  CHECK(products->at("other-sdk").labels.version == "9.0.0");
  CHECK(products->at("sample").labels.version == "1.2.0");
  auto changes = product_changes(previous, *t);
  REQUIRE(changes.ok());
  REQUIRE(changes->size() == 2);
  CHECK(describe_change(changes->at(0)) == "other-sdk 9.0.0 unchanged");
  CHECK(describe_change(changes->at(1)) == "sample 1.2.0 (new)");
}

TEST_CASE("propose refuses labels the builders did not attest", "[release][propose][labels][attack]") {
  Cast c;
  Root root = make_test_root({&c.alice}, 1, c.online, c);
  // A copy of the recipe with only its version changed: same bytes, but no builder built "9.9.9".
  auto attested = sample_labels();
  ProposeInput in = input(c, {attestation(c.builder1, kContent), attestation(c.builder2, kContent)});
  in.release_version = "9.9.9";
  in.recipe.sha256 = std::string(64, '5');
  auto r = propose_targets(root, in);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::label_mismatch);
  CHECK(r.error().message.find("version 9.9.9 where the builders attested 1.2.0") != std::string::npos);

  // Each label on its own.
  auto refused_for = [&](attest::ReleaseLabels other) {
    ProposeInput x =
        input(c, {attestation(c.builder1, kContent, other), attestation(c.builder2, kContent, other)});
    auto out = propose_targets(root, x);
    return out.ok() ? std::optional<Errc>() : out.error().code;
  };
  auto l = attested;
  l.recipe_sha256 = std::string(64, 'e');
  CHECK(refused_for(l) == Errc::label_mismatch);
  l = attested;
  l.source_commit = std::string(40, '9');
  CHECK(refused_for(l) == Errc::label_mismatch);
  l = attested;
  l.version = "1.1.0";
  CHECK(refused_for(l) == Errc::label_mismatch);
  // Another product's attestations of a same-named file are not this product's, nor a label mismatch.
  l = attested;
  l.product = "other";
  CHECK(refused_for(l) == Errc::builder_agreement);
  CHECK_FALSE(refused_for(attested).has_value());

  // One builder attested the right labels, one other labels: one builder, below the threshold of 2.
  l = attested;
  l.version = "1.1.0";
  auto mixed = propose_targets(
      root, input(c, {attestation(c.builder1, kContent), attestation(c.builder2, kContent, l)}));
  REQUIRE_FALSE(mixed.ok());
  CHECK(mixed.error().code == Errc::label_mismatch);
  // Old attestations of the product lying in the same directory do not disturb a good release.
  auto with_old =
      propose_targets(root, input(c, {attestation(c.builder1, kContent), attestation(c.builder2, kContent),
                                      attestation(c.builder1, kContent, l)}));
  CHECK(with_old.ok());
}

TEST_CASE("product changes refuse a product going back or rewritten under its version",
          "[release][products][rollback][attack]") {
  Targets v1 = published(1, "node", "0.2.0");
  Targets later = published(2, "node", "0.1.0");
  auto back = product_changes(v1, later);
  REQUIRE_FALSE(back.ok());
  CHECK(back.error().code == Errc::rollback);

  Targets rewritten = published(2, "node", "0.2.0");
  rewritten.targets.begin()->second.hashes = tuf_hashes(as_bytes(std::string_view("other")));
  auto changed = product_changes(v1, rewritten);
  REQUIRE_FALSE(changed.ok());
  CHECK(changed.error().code == Errc::label_mismatch);

  // Citing one more attestation for the same bytes is not a change.
  Targets more = published(2, "node", "0.2.0");
  (*more.targets.begin()->second.custom)["cocoon"]["attestations"].push_back(std::string(64, '0'));
  auto same = product_changes(v1, more);
  REQUIRE(same.ok());
  CHECK(describe_change(same->at(0)) == "node 0.2.0 unchanged");

  // Two targets of one product with different labels are two releases in one targets version.
  Targets mixed = published(2, "node", "0.3.0");
  TargetFile second = mixed.targets.begin()->second;
  (*second.custom)["cocoon"]["version"] = "0.4.0";
  mixed.targets["node/other.txt"] = second;
  CHECK(products_of(mixed).error().code == Errc::label_mismatch);

  // The node's record survives a round trip and still refuses the rollback.
  auto before = products_of(v1);
  REQUIRE(before.ok());
  auto reread = parse_products(products_json(*before));
  REQUIRE(reread.ok());
  auto after = products_of(later);
  REQUIRE(after.ok());
  CHECK(product_changes(*reread, *after).error().code == Errc::rollback);
  CHECK_FALSE(parse_products(Json{{"node", 5}}).ok());
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
    st.predicate = predicate_for(builder, sample_labels());
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
