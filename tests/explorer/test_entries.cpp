// lib/explorer in process: what each kind of log entry is shown as, who is named as its signer (only a
// key of the root, checked), and the refusal of log bases that could make the page read elsewhere.
#include <catch2/catch.hpp>

#include "../release/release_fixtures.hpp"
#include "attest/dsse.hpp"
#include "attest/statement.hpp"
#include "explorer/site.hpp"
#include "explorer/site_data.hpp"
#include "release/draft.hpp"
#include "verdicts.hpp"

using namespace cocoon;
using namespace cocoon::release::testing;
using cocoon::explorer::classify_entry;

namespace {

release::Root test_root(const Cast& c) {
  return make_test_root({&c.alice, &c.bob, &c.carol}, 2, c.online, c);
}

}  // namespace

TEST_CASE("a targets entry shows its version, products and the maintainers whose signatures verify") {
  Cast c;
  auto root = test_root(c);
  auto env = sign_all(release::targets_json(make_targets(3)), {&c.alice, &c.dave});
  auto info = classify_entry(to_bytes(release::envelope_text(env)), root);
  REQUIRE(info.kind == "targets");
  CHECK(info.summary["targets_version"] == 3);
  CHECK(info.summary["products"]["sample"]["version"] == "3.0");
  // dave's signature is valid but dave is not a targets key: only alice is named.
  REQUIRE(info.summary["signers"].size() == 1);
  CHECK(info.summary["signers"][0]["keyid"] == c.alice.public_key().keyid);
  CHECK(info.summary["threshold_met"] == false);
}

TEST_CASE("a target's TDX image hashes are shown with their host profile and role") {
  Cast c;
  auto root = test_root(c);
  auto targets = make_targets(4);
  auto& file = targets.targets.at("sample/hello.txt");
  (*file.custom)["cocoon"]["image_hashes"] =
      Json::array({Json{{"image_hash", std::string(64, '9')}, {"host_profile", "h100"}, {"role", "worker"}}});
  auto info = classify_entry(
      to_bytes(release::envelope_text(sign_all(release::targets_json(targets), {&c.alice}))), root);
  REQUIRE(info.kind == "targets");
  const Json& files = info.summary["products"]["sample"]["files"];
  REQUIRE(files.size() == 1);
  REQUIRE(files[0]["image_hashes"].size() == 1);
  CHECK(files[0]["image_hashes"][0]["image_hash"] == std::string(64, '9'));
  CHECK(files[0]["image_hashes"][0]["host_profile"] == "h100");
  CHECK(files[0]["image_hashes"][0]["role"] == "worker");
}

TEST_CASE("a release candidate names the targets key that signed it, and no one else") {
  Cast c;
  auto root = test_root(c);
  Json payload{
      {"_type", "cocoon.release-candidate/v1"},
      {"product", "sample"},
      {"version", "0.3.0"},
      {"recipe_sha256", std::string(64, 'a')},
      {"source",
       {{"url", "https://fixtures.cocoon-release.invalid/sample.git"}, {"commit", std::string(40, 'c')}}},
      {"recipe", "e30="},
      {"created", "2026-12-05T08:00:00Z"}};
  auto entry = [&](const crypto::SecretKey& key) {
    attest::DsseEnvelope env;
    env.payload_type = explorer::kCandidatePayloadType;
    env.payload = to_bytes(compact_json(payload));
    attest::dsse_sign(env, key);
    return to_bytes(compact_json(attest::dsse_envelope_json(env)));
  };
  auto by_maintainer = classify_entry(entry(c.bob), root);
  REQUIRE(by_maintainer.kind == "candidate");
  CHECK(by_maintainer.summary["version"] == "0.3.0");
  CHECK(by_maintainer.summary["source_commit"] == std::string(40, 'c'));
  CHECK(by_maintainer.summary["signer"]["keyid"] == c.bob.public_key().keyid);
  auto by_builder = classify_entry(entry(c.builder1), root);
  REQUIRE(by_builder.kind == "candidate");
  CHECK(by_builder.summary["signer"].is_null());
}

TEST_CASE("an attestation names its builder only when a builder key of the root signed it") {
  Cast c;
  auto root = test_root(c);
  attest::Statement st;
  st.predicate_type = attest::kSlsaProvenanceV1;
  st.subjects = {{"hello.bin", std::string(64, 'e')}};
  st.predicate = Json{{"runDetails", {{"metadata", {{"finishedOn", "2026-12-05T08:00:00Z"}}}}}};
  auto by_builder = classify_entry(
      to_bytes(compact_json(attest::dsse_envelope_json(attest::sign_statement(st, c.builder2)))), root);
  REQUIRE(by_builder.kind == "attestation");
  CHECK(by_builder.summary["signer"]["name"] == "builder2");
  CHECK(by_builder.time == 1796457600);  // 2026-12-05T08:00:00Z
  auto by_stranger = classify_entry(
      to_bytes(compact_json(attest::dsse_envelope_json(attest::sign_statement(st, c.dave)))), root);
  REQUIRE(by_stranger.kind == "attestation");
  CHECK(by_stranger.summary["signer"].is_null());
}

TEST_CASE("a rebuild verdict is classified by its payload type and keeps hostile strings as data") {
  Cast c;
  auto root = test_root(c);
  const std::string hostile = "<script>alert(1)</script>\x07\xe2\x80\xae";
  auto payload =
      explorer::testing::verdict_payload("sample", "0.1.0", "mismatch", hostile, "2026-12-05T08:03:10Z", 4);
  payload["first_difference"] = "<img src=x onerror=alert(2)>";
  auto info = classify_entry(explorer::testing::verdict_entry(payload, c.builder1), root);
  REQUIRE(info.kind == "verdict");
  CHECK(info.summary["verdict"] == "mismatch");
  CHECK(info.summary["builder"] == hostile);
  CHECK(info.summary["first_difference"] == "<img src=x onerror=alert(2)>");
  CHECK(info.summary["signer"]["name"] == "builder1");
  CHECK(info.summary["subject"]["log_index"] == 4);
  CHECK(info.time == 1796457790);
  // Signed by a key the root does not list as a builder: shown, with no signer.
  auto forged = classify_entry(explorer::testing::verdict_entry(payload, c.alice), root);
  REQUIRE(forged.kind == "verdict");
  CHECK(forged.summary["signer"].is_null());
}

TEST_CASE("entries that are not what they claim are 'other', with the reason") {
  Cast c;
  auto root = test_root(c);
  CHECK(classify_entry(to_bytes("\xff\xfe not utf-8"), root).kind == "other");
  CHECK(classify_entry(to_bytes("[1,2]"), root).kind == "other");
  CHECK(classify_entry(to_bytes(R"({"payloadType":"x","payload":"!!","signatures":[]})"), root).kind ==
        "other");
  auto deep = std::string(200, '[') + std::string(200, ']');
  CHECK(classify_entry(to_bytes(deep), root).kind == "other");
  auto root_meta = classify_entry(to_bytes(R"({"signed":{"_type":"root"},"signatures":[]})"), root);
  CHECK(root_meta.kind == "other");
  CHECK(root_meta.summary["note"].get<std::string>().find("root") != std::string::npos);
}

TEST_CASE("the site data lists releases, verdicts and growth from the entries") {
  Cast c;
  explorer::SiteInputs in;
  in.root = test_root(c);
  in.entries.push_back(
      to_bytes(release::envelope_text(sign_all(release::targets_json(make_targets(2)), {&c.alice, &c.bob}))));
  in.entries.push_back(explorer::testing::verdict_entry(
      explorer::testing::verdict_payload("sample", "2.0", "reproduced", "builder3", "2026-12-05T09:00:00Z",
                                         0),
      c.builder3));
  in.checkpoint.size = 2;
  in.log_base = "../";
  auto data = explorer::site_data(in);
  REQUIRE(data.ok());
  REQUIRE((*data)["releases"].size() == 1);
  CHECK((*data)["releases"][0]["products"][0]["product"] == "sample");
  CHECK((*data)["releases"][0]["signers"].size() == 2);
  CHECK((*data)["releases"][0]["checkpoint"].is_null());  // no bundle given
  REQUIRE((*data)["verdicts"].size() == 1);
  CHECK((*data)["verdicts"][0]["index"] == 1);
  CHECK((*data)["entry_counts"] == Json{{"targets", 1}, {"verdict", 1}});
  REQUIRE((*data)["growth"].size() == 1);
  CHECK((*data)["growth"][0]["size"] == 2);
  in.root.policy.reset();
  CHECK(explorer::site_data(in).error().code == Errc::invalid_input);
}

TEST_CASE("a log base is a relative path or an http(s) URL, nothing that could become markup or script") {
  CHECK(explorer::check_log_base("../").ok());
  CHECK(explorer::check_log_base("log/").ok());
  CHECK(explorer::check_log_base("https://log.example/cocoon/").ok());
  for (const char* bad : {"", "..", "javascript:alert(1)//", "data:text/html,x/", "a b/", "x\"/", "x'/",
                          "x<y/", "x\\y/", "x\n/"})
    CHECK(explorer::check_log_base(bad).error().code == Errc::invalid_input);
}
