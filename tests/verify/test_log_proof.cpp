// The log proof file and its checks, without the rest of the update.
#include <catch2/catch.hpp>

#include "crypto/hash.hpp"
#include "repo_fixture.hpp"
#include "tlog/log_bundle.hpp"
#include "verify/log_proof.hpp"

using namespace cocoon;
using namespace cocoon::verify;
using namespace cocoon::verify::testing;

TEST_CASE("log proof: round trip and strict parsing") {
  Repo r;
  Bytes targets = r.make_targets(1, {{"a/a", "x"}});
  r.log_targets(1, targets);
  Bytes file = r.read(log_proof_path(1));
  auto proof = parse_log_proof(file);
  REQUIRE(proof.ok());
  CHECK(format_log_proof(*proof) == to_string(file));
  CHECK(parse_log_proof(to_bytes("{}")).error().code == Errc::invalid_input);
  auto doc = *parse_json(to_string(file));
  doc["extra"] = 1;
  CHECK(parse_log_proof(to_bytes(doc.dump())).error().code == Errc::invalid_input);
  doc.erase("extra");
  doc["inclusion"] = Json::array({"not base64!"});
  CHECK(parse_log_proof(to_bytes(doc.dump())).error().code == Errc::invalid_input);
}

TEST_CASE("log proof: inclusion, witnesses and consistency are each checked") {
  Repo r;
  Bytes t1 = r.make_targets(1, {{"a/a", "x"}});
  r.log_targets(1, t1);
  auto p1 = *parse_log_proof(r.read(log_proof_path(1)));
  const release::Root root = r.root_model(1);
  const auto& policy = *root.policy;
  auto v1 = check_log_proof(policy, t1, p1, std::nullopt, kNow);
  REQUIRE(v1.ok());
  CHECK(v1->witnesses.size() == 2);
  // Other bytes are not at that index.
  CHECK(check_log_proof(policy, r.make_targets(1, {{"a/a", "y"}}), p1, std::nullopt, kNow).error().code ==
        Errc::log_inconsistent);

  Bytes t2 = r.make_targets(2, {{"a/a", "z"}});
  r.log_targets(2, t2);
  auto p2 = *parse_log_proof(r.read(log_proof_path(2)));
  auto v2 = check_log_proof(policy, t2, p2, v1->checkpoint_note, kNow);
  REQUIRE(v2.ok());
  CHECK(v2->consistent_from == 1u);
  // Going back to the older checkpoint after accepting the newer one.
  CHECK(check_log_proof(policy, t1, p1, v2->checkpoint_note, kNow).error().code == Errc::rollback);
  // A proof without the consistency step from the accepted size.
  p2.consistency.clear();
  CHECK(check_log_proof(policy, t2, p2, v1->checkpoint_note, kNow).error().code == Errc::log_inconsistent);
}

TEST_CASE("log proof: the bundle form `cocoon-sign publish` writes is read too") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  auto ours = *parse_log_proof(r.read(log_proof_path(1)));
  tlog::LogBundle bundle;
  bundle.origin = r.log_signer.name;
  bundle.checkpoint = ours.checkpoint;
  bundle.entries.push_back(
      {"targets", crypto::sha256_hex(r.read("metadata/1.targets.json")), ours.index, ours.inclusion});
  r.write(log_proof_path(1), pretty_json(tlog::log_bundle_json(bundle)));
  REQUIRE_ACCEPTED(r.update());
  // Without a "targets" entry it proves nothing.
  bundle.entries[0].kind = "attestation";
  r.write(log_proof_path(1), pretty_json(tlog::log_bundle_json(bundle)));
  REQUIRE_REFUSED(r.update(), Errc::log_inconsistent, "kind \"targets\"");
}

TEST_CASE("log proof: a cosignature dated in the future is not counted, and the stage is named", "[attack]") {
  Repo r;
  Bytes t1 = r.make_targets(1, {{"a/a", "x"}});
  r.log_targets(1, t1);
  auto p1 = *parse_log_proof(r.read(log_proof_path(1)));
  const release::Root root = r.root_model(1);
  const auto& policy = *root.policy;
  // The fixture's witnesses cosigned a year before kNow; a node whose clock is two years earlier sees
  // cosignatures from its future.
  LogCheckStage stage = LogCheckStage::inclusion;
  auto early = check_log_proof(policy, t1, p1, std::nullopt, kNow - 2 * kYear, &stage);
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().code == Errc::log_inconsistent);
  CHECK(stage == LogCheckStage::witnesses);
  CHECK(std::string(log_check_stage_name(stage)) == "witnesses");
  CHECK_THAT(early.error().message, Catch::Matchers::Contains("in the future"));
  // Within the allowed skew they count.
  auto skewed = check_log_proof(policy, t1, p1, std::nullopt, kNow - kYear - kMaxCosignatureClockSkew);
  REQUIRE(skewed.ok());
  CHECK(skewed->witnesses.size() == 2);
  // An inclusion failure names the inclusion stage.
  CHECK_FALSE(
      check_log_proof(policy, r.make_targets(1, {{"a/a", "y"}}), p1, std::nullopt, kNow, &stage).ok());
  CHECK(stage == LogCheckStage::inclusion);
}
