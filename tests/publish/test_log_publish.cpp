// Logging a release as `cocoon-sign publish` does: real witnesses and a real log server on 127.0.0.1,
// the consistency proofs for earlier releases, and the refusals (quorum, fork, stale checkpoint).
#include <catch2/catch.hpp>

#include "core/file_io.hpp"
#include "publish/log_publish.hpp"
#include "release_fixtures.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/http_server.hpp"
#include "tlog/log_client.hpp"
#include "tlog/log_server.hpp"
#include "tlog/log_writer.hpp"
#include "tlog/sequencer.hpp"
#include "tlog/witness.hpp"

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

// A witness of the test log, answering on a free loopback port.
struct ServedWitness {
  std::unique_ptr<tlog::Witness> witness;
  std::unique_ptr<tlog::HttpServer> server;
  tlog::NoteSigner signer;

  ServedWitness(const fs::path& state, const crypto::SecretKey& key, const tlog::NoteVerifier& log_key)
      : signer(tlog::make_signer(key.name, key.pair).value()) {
    auto w = tlog::Witness::open(state, signer, {log_key});
    REQUIRE(w.ok());
    witness = std::move(*w);
    auto s = tlog::HttpServer::start({}, tlog::make_witness_handler(*witness));
    REQUIRE(s.ok());
    server = std::move(*s);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
  std::string verifier_key() const { return witness->cosignature_verifier_key(); }
};

struct World {
  Cast c;
  TempDir dir = TempDir::create("release-logpub-").value();
  tlog::NoteSigner log_signer = tlog::make_signer(c.log.name, c.log.pair).value();
  tlog::NoteVerifier log_key = log_signer.verifier();
  ServedWitness w1{dir.path() / "w1.db", c.witness, log_key};
  ServedWitness w2{dir.path() / "w2.db", key("witness-2.example", 32), log_key};
  CocoonPolicy policy = make_policy(c);
  LogDestination dest{(dir.path() / "log").string(), log_signer, 10};

  World() {
    REQUIRE(tlog::LogWriter::create(dir.path() / "log", log_signer).ok());
    policy.witness_keys = {w1.verifier_key(), w2.verifier_key()};
    policy.witness_quorum = 2;
  }
  std::vector<tlog::WitnessEndpoint> both() const { return {{w1.url(), 10}, {w2.url(), 10}}; }
  // Entries appended by someone else between releases.
  void other_activity(const std::string& tag) {
    auto w = tlog::LogWriter::open(dir.path() / "log", log_signer);
    REQUIRE(w.ok());
    REQUIRE(w->append({to_bytes("other " + tag + " 1"), to_bytes("other " + tag + " 2")}).ok());
  }
};

std::vector<LoggedEntry> release_entries(const std::string& v) {
  return {{"targets", to_bytes("{\"signed\":{\"version\":" + v + "}}")},
          {"attestation", to_bytes("att " + v)}};
}

tlog::Checkpoint checkpoint_of(const LogBundle& b) {
  return tlog::parse_checkpoint_body(tlog::parse_note(b.checkpoint).value().text).value();
}

}  // namespace

TEST_CASE("log_release: both witnesses cosign, and later releases prove consistency", "[publish][log]") {
  World w;
  auto first = log_release(w.dest, w.policy, release_entries("1"), w.both(), {});
  INFO((first.ok() ? "" : first.error().message));
  REQUIRE(first.ok());
  REQUIRE(first->witnesses.size() == 2);
  CHECK(first->witnesses[0].cosigned);
  CHECK(first->witnesses[1].cosigned);
  CHECK(verify_log_bundle(first->bundle, w.policy, release_entries("1")).ok());
  tlog::Checkpoint cp1 = checkpoint_of(first->bundle);

  // Other entries arrive; the witnesses hold size 2 and must be given a proof from it (409, retry).
  w.other_activity("a");
  auto second = log_release(w.dest, w.policy, release_entries("2"), w.both(), {cp1});
  INFO((second.ok() ? "" : second.error().message));
  REQUIRE(second.ok());
  tlog::Checkpoint cp2 = checkpoint_of(second->bundle);
  CHECK(cp2.size == 6);
  REQUIRE(second->bundle.consistency.count(cp1.size) == 1);
  CHECK(
      tlog::check_consistency(second->bundle.consistency.at(cp1.size), cp1.size, cp2.size, cp1.root, cp2.root)
          .ok());
  // The proofs survive the JSON form.
  auto reparsed = parse_log_bundle(log_bundle_json(second->bundle));
  REQUIRE(reparsed.ok());
  CHECK(reparsed->consistency == second->bundle.consistency);
  CHECK(verify_log_bundle(*reparsed, w.policy, release_entries("2")).ok());
}

TEST_CASE("log_release: a witness that is down is reported - below the quorum nothing is accepted",
          "[publish][log][attack]") {
  World w;
  std::string dead = w.w2.url();
  w.w2.server->stop();
  std::vector<tlog::WitnessEndpoint> endpoints{{w.w1.url(), 5}, {dead, 5}};
  auto refused = log_release(w.dest, w.policy, release_entries("1"), endpoints, {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Errc::log_inconsistent);
  CHECK_THAT(refused.error().message, Catch::Matchers::Contains("the root requires 2"));

  w.policy.witness_quorum = 1;
  auto accepted = log_release(w.dest, w.policy, release_entries("2"), endpoints, {});
  INFO((accepted.ok() ? "" : accepted.error().message));
  REQUIRE(accepted.ok());
  CHECK(accepted->witnesses[0].cosigned);
  CHECK_FALSE(accepted->witnesses[1].cosigned);
  CHECK_FALSE(accepted->witnesses[1].detail.empty());
}

TEST_CASE("log_release refuses a log that forked since an earlier release", "[publish][log][attack]") {
  World w;
  auto first = log_release(w.dest, w.policy, release_entries("1"), w.both(), {});
  REQUIRE(first.ok());
  tlog::Checkpoint forged = checkpoint_of(first->bundle);
  forged.root[0] ^= 1;  // what a different tree of the same size would have
  auto forked = log_release(w.dest, w.policy, release_entries("2"), {}, {forged});
  REQUIRE_FALSE(forked.ok());
  CHECK(forked.error().code == Errc::log_inconsistent);
  CHECK_THAT(forked.error().message, Catch::Matchers::Contains("forked"));
  // An earlier release at a size the log no longer reaches: the log was rolled back.
  tlog::Checkpoint bigger = checkpoint_of(first->bundle);
  bigger.size = 1000;
  auto rolled = log_release(w.dest, w.policy, release_entries("3"), {}, {bigger});
  REQUIRE_FALSE(rolled.ok());
  CHECK(rolled.error().code == Errc::rollback);
}

TEST_CASE("log_release through a log server's POST /add", "[publish][log]") {
  World w;
  auto writer = tlog::LogWriter::open(w.dir.path() / "log", w.log_signer);
  REQUIRE(writer.ok());
  auto seq = tlog::Sequencer::start(std::move(*writer), {16, std::chrono::milliseconds(2)});
  REQUIRE(seq.ok());
  auto server = tlog::HttpServer::start({}, tlog::make_log_handler(w.dir.path() / "log", **seq, {}));
  REQUIRE(server.ok());
  LogDestination remote{"http://127.0.0.1:" + std::to_string((*server)->port()), std::nullopt, 10};
  auto logged = log_release(remote, w.policy, release_entries("1"), w.both(), {});
  INFO((logged.ok() ? "" : logged.error().message));
  REQUIRE(logged.ok());
  CHECK(verify_log_bundle(logged->bundle, w.policy, release_entries("1")).ok());
  (*server)->stop();
}

TEST_CASE("request_cosignature: a witness that saw a newer tree refuses an older checkpoint",
          "[publish][log][attack]") {
  World w;
  auto first = log_release(w.dest, w.policy, release_entries("1"), w.both(), {});
  REQUIRE(first.ok());
  w.other_activity("b");
  tlog::DirFetcher files(w.dir.path() / "log");
  tlog::LogClient client(files, w.log_key);
  tlog::ConsistencyProver prove = [&](std::uint64_t a, std::uint64_t b) {
    return client.consistency_proof(a, b);
  };
  auto newest = client.checkpoint();
  REQUIRE(newest.ok());
  auto lines = tlog::request_cosignature({w.w1.url(), 5}, tlog::format_note(newest->note), prove);
  REQUIRE(lines.ok());
  // The first release's checkpoint is now older than what witness 1 holds.
  auto stale = tlog::request_cosignature({w.w1.url(), 5}, first->bundle.checkpoint, prove);
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().code == Errc::rollback);
  // A checkpoint the log did not sign.
  auto forged = tlog::make_signer(w.c.log.name, w.c.dave.pair).value();
  tlog::Checkpoint cp = checkpoint_of(first->bundle);
  auto bad = tlog::request_cosignature({w.w2.url(), 5}, tlog::sign_checkpoint(cp, forged), prove);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::signature);
  // log_release recovers from a witness that is ahead by moving to the newest checkpoint.
  auto next = log_release(w.dest, w.policy, release_entries("2"), w.both(), {checkpoint_of(first->bundle)});
  INFO((next.ok() ? "" : next.error().message));
  REQUIRE(next.ok());
}

TEST_CASE("published_checkpoints reads the sizes of earlier releases from the repository", "[publish][log]") {
  World w;
  fs::path repo = w.dir.path() / "repo";
  CHECK(published_checkpoints(repo)->empty());
  auto first = log_release(w.dest, w.policy, release_entries("1"), w.both(), {});
  REQUIRE(first.ok());
  fs::create_directories(repo / "log");
  REQUIRE(write_file_atomic(repo / "log/1.targets.bundle.json", pretty_json(log_bundle_json(first->bundle)))
              .ok());
  auto cps = published_checkpoints(repo);
  REQUIRE(cps.ok());
  REQUIRE(cps->size() == 1);
  CHECK(cps->front().size == 2);
  REQUIRE(write_file_atomic(repo / "log/2.targets.bundle.json", std::string_view("{not json")).ok());
  CHECK_FALSE(published_checkpoints(repo).ok());
}
