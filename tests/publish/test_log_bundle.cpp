// Log bundles: the signed targets file is provably in the root's log, with the witness quorum.
#include <catch2/catch.hpp>

#include "core/file_io.hpp"
#include "publish/log_bundle.hpp"
#include "release/repository.hpp"
#include "release_fixtures.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/log_writer.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::publish;
using cocoon::tlog::consistency_proofs_json;
using cocoon::tlog::log_bundle_json;
using cocoon::tlog::LogBundle;
using cocoon::tlog::parse_consistency_proofs;
using cocoon::tlog::parse_log_bundle;
using namespace cocoon::release::testing;
namespace fs = std::filesystem;

namespace {

struct LogWorld {
  Cast c;
  TempDir dir = TempDir::create("release-log-").value();
  tlog::NoteSigner signer = tlog::make_signer(c.log.name, c.log.pair).value();
  CocoonPolicy policy = make_policy(c);
  std::vector<LoggedEntry> entries{{"targets", to_bytes("{\"signed\":{}}")},
                                   {"attestation", to_bytes("att-1")}};
  LogWorld() {
    REQUIRE(tlog::LogWriter::create(dir.path() / "log", signer).ok());
    // Something already in the log, so proofs are not trivial.
    REQUIRE(append_to_log(dir.path() / "log", signer,
                          {{"other", to_bytes("earlier entry")}, {"other", to_bytes("x")}})
                .ok());
  }
};

}  // namespace

TEST_CASE("a log bundle proves inclusion in the root's log", "[publish][log]") {
  LogWorld w;
  w.policy.witness_keys.clear();
  w.policy.witness_quorum = 0;
  auto bundle = append_to_log(w.dir.path() / "log", w.signer, w.entries);
  REQUIRE(bundle.ok());
  CHECK(bundle->entries[0].index == 2);
  CHECK(verify_log_bundle(*bundle, w.policy, w.entries).ok());
  auto reparsed = parse_log_bundle(log_bundle_json(*bundle));
  REQUIRE(reparsed.ok());
  CHECK(verify_log_bundle(*reparsed, w.policy, w.entries).ok());

  // Other bytes than the ones logged.
  auto other = w.entries;
  other[0].bytes = to_bytes("{\"signed\":{\"x\":1}}");
  CHECK(verify_log_bundle(*bundle, w.policy, other).error().code == Errc::log_inconsistent);
  // The right bytes, a forged index.
  LogBundle moved = *bundle;
  moved.entries[1].index = 0;
  CHECK(verify_log_bundle(moved, w.policy, w.entries).error().code == Errc::log_inconsistent);
  // A log the root does not name.
  CocoonPolicy other_log = w.policy;
  Cast c;
  auto stranger =
      tlog::make_verifier("example.org/cocoon-releases", tlog::kAlgEd25519, c.alice.pair.public_key);
  other_log.log_verifier_key = tlog::format_verifier_key(stranger);
  CHECK_FALSE(verify_log_bundle(*bundle, other_log, w.entries).ok());
}

TEST_CASE("a log bundle below the witness quorum is refused", "[publish][log][attack]") {
  LogWorld w;
  auto bundle = append_to_log(w.dir.path() / "log", w.signer, w.entries);
  REQUIRE(bundle.ok());
  auto refused = verify_log_bundle(*bundle, w.policy, w.entries);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Errc::log_inconsistent);

  // The policy's witness cosigns the checkpoint: accepted.
  auto note = tlog::parse_note(bundle->checkpoint).value();
  auto witness = tlog::make_signer(w.c.witness.name, w.c.witness.pair).value();
  note.signatures.push_back(tlog::cosign_checkpoint(note.text, 1767225600, witness));
  LogBundle cosigned = *bundle;
  cosigned.checkpoint = tlog::format_note(note);
  CHECK(verify_log_bundle(cosigned, w.policy, w.entries).ok());

  // A cosignature by a witness the root does not list does not count.
  auto rogue = tlog::make_signer("rogue.example", w.c.dave.pair).value();
  note.signatures.back() = tlog::cosign_checkpoint(note.text, 1767225600, rogue);
  cosigned.checkpoint = tlog::format_note(note);
  CHECK(verify_log_bundle(cosigned, w.policy, w.entries).error().code == Errc::log_inconsistent);
}

TEST_CASE("publish stores the log bundle and logs nothing when a check fails", "[publish][log][publish]") {
  LogWorld w;
  Root root = make_test_root({&w.c.alice}, 1, w.c.online, w.c);
  root.policy->witness_keys.clear();
  root.policy->witness_quorum = 0;
  fs::path repo = w.dir.path() / "repo", art = w.dir.path() / "art";
  fs::create_directories(art);
  REQUIRE(write_file_atomic(art / "hello.txt", std::string_view("hello")).ok());
  PublishTimes times;
  times.now = kNow;
  REQUIRE(publish_root(repo, sign_all(root_json(root), {&w.c.alice}), nullptr, times).ok());
  int calls = 0;
  LogStep step = [&](const Root& r, std::string_view text) -> Result<std::string> {
    ++calls;
    std::vector<LoggedEntry> entries{{"targets", to_bytes(text)}};
    COCOON_ASSIGN(LogBundle b, append_to_log(w.dir.path() / "log", w.signer, entries));
    COCOON_TRY(verify_log_bundle(b, *r.policy, entries));
    return pretty_json(log_bundle_json(b));
  };
  // Below threshold: refused before the log step runs.
  Envelope unsigned_targets;
  unsigned_targets.signed_part = targets_json(make_targets(1));
  CHECK(publish_targets(repo, unsigned_targets, art, w.c.online, times, step).error().code ==
        Errc::signature);
  CHECK(calls == 0);
  REQUIRE(publish_targets(repo, sign_all(targets_json(make_targets(1)), {&w.c.alice}), art, w.c.online, times,
                          step)
              .ok());
  CHECK(calls == 1);
  auto stored = read_text_file(repo / "log/1.targets.bundle.json");
  REQUIRE(stored.ok());
  auto bundle = parse_log_bundle(parse_json(*stored).value());
  REQUIRE(bundle.ok());
  std::string targets_text = read_text_file(repo / "metadata/1.targets.json").value();
  CHECK(verify_log_bundle(*bundle, *root.policy, {{"targets", to_bytes(targets_text)}}).ok());
}

TEST_CASE("consistency proofs: round trip and strict parsing", "[publish][log]") {
  tlog::Hash h{};
  h[0] = 7;
  std::map<std::uint64_t, tlog::Proof> proofs{{3, {h, h}}, {9, {h}}};
  Json doc{{"consistency", consistency_proofs_json(proofs)}};
  auto back = parse_consistency_proofs(doc, "bundle");
  REQUIRE(back.ok());
  CHECK(*back == proofs);
  CHECK(parse_consistency_proofs(Json::object(), "bundle")->empty());
  auto refused = [](Json member) {
    auto r = parse_consistency_proofs(Json{{"consistency", member}}, "bundle");
    return !r.ok() && r.error().code == Errc::invalid_input && r.error().message.starts_with("bundle: ");
  };
  CHECK(refused(Json::object()));
  CHECK(refused(Json::array({Json{{"old_size", 3}}})));
  CHECK(refused(Json::array({Json{{"old_size", -1}, {"proof", Json::array()}}})));
  CHECK(refused(Json::array({Json{{"old_size", 3}, {"proof", Json::array({"not base64!"})}}})));
  CHECK(refused(Json::array({Json{{"old_size", 3}, {"proof", Json::array()}, {"extra", 1}}})));
  Json dup = consistency_proofs_json(proofs);
  dup.push_back(dup[0]);
  CHECK(refused(dup));
  Json long_proof = Json::array();
  for (int i = 0; i < 65; ++i) long_proof.push_back(tlog::hash_base64(h));
  CHECK(refused(Json::array({Json{{"old_size", 3}, {"proof", long_proof}}})));
}
