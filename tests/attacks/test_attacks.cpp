// The attack suite (issue 6): each test mounts one attack on an otherwise honest repository and shows
// the update refused, with the error class the tool turns into its documented exit code.
#include <catch2/catch.hpp>

#include "crypto/hash.hpp"
#include "http_repo_server.hpp"
#include "release/roles.hpp"
#include "repo_fixture.hpp"
#include "tlog/checkpoint.hpp"
#include "verify/http_fetcher.hpp"
#include "verify/log_proof.hpp"

using namespace cocoon;
using namespace cocoon::verify;
using namespace cocoon::verify::testing;

namespace {

// Writes targets v`version` (already made), its snapshot and timestamp of the same version.
void publish_targets(Repo& r, std::uint64_t version, const Bytes& targets, bool logged = true) {
  r.write("metadata/" + std::to_string(version) + ".targets.json", targets);
  if (logged) r.log_targets(version, targets);
  Bytes snapshot = r.make_snapshot(version, version, targets);
  r.write("metadata/" + std::to_string(version) + ".snapshot.json", snapshot);
  r.write("metadata/timestamp.json", r.make_timestamp(version, version, snapshot));
}

}  // namespace

TEST_CASE("attack: arbitrary artifact swapped on the mirror") {
  Repo r;
  r.publish(1, {{"app/app.tar", "genuine"}});
  Bytes targets = r.read("metadata/1.targets.json");
  auto info = release::parse_targets(release::parse_envelope_text(to_string(targets), "t")->signed_part)
                  ->targets["app/app.tar"];
  r.write(target_file_path("app/app.tar", info.hashes), std::string("evil!!!"));  // same length
  REQUIRE_REFUSED(r.update("app/app.tar"), Errc::hash_mismatch, "target app/app.tar");
}

TEST_CASE("attack: targets signed by fewer than the threshold of maintainers") {
  Repo r;
  Bytes targets = r.make_targets(1, {{"app/app.tar", "x"}}, {0, 1}, {}, kNow + kYear,
                                 std::vector<const crypto::SecretKey*>{&r.maintainers[0]});
  publish_targets(r, 1, targets);
  auto report = r.update();
  REQUIRE_REFUSED(report, Errc::signature, "1 distinct targets key(s) signed, threshold is 2");
  // Refused before the Cocoon checks run, yet reported under the root's Cocoon policy.
  CHECK(report.cocoon_policy);
}

TEST_CASE("attack: one maintainer key signing the threshold number of times") {
  Repo r;
  Bytes targets = r.make_targets(1, {{"app/app.tar", "x"}}, {0, 1}, {}, kNow + kYear,
                                 std::vector<const crypto::SecretKey*>{&r.maintainers[0], &r.maintainers[0]});
  publish_targets(r, 1, targets);
  // Refused before counting: metadata with two signatures under one key id is malformed, as python-tuf,
  // tuf-js and the TUF conformance suite also hold (count_signatures would count the key once anyway).
  REQUIRE_REFUSED(r.update(), Errc::invalid_input, "two signatures under key id");
}

TEST_CASE("attack: one maintainer key listed under two key ids (tuf-js 6.0.2 accepts this)") {
  Repo r;
  // Root v2 lists alice's key a second time under another key id (the key object differs only in
  // the hex case of its public key, so its id differs) and gives targets threshold 2 to alice and
  // "alice again". Rotation itself is honest: signed by alice and bob, old and new keys.
  release::Root v2 = r.root_model(2);
  Json doc = release::root_json(v2);
  Json alias = crypto::ed25519_tuf_key(r.maintainers[0].pair.public_key);
  std::string upper = alias["keyval"]["public"].get<std::string>();
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  alias["keyval"]["public"] = upper;
  std::string alias_id = crypto::sha256_hex(*canonical_json(alias));
  doc["keys"][alias_id] = alias;
  std::string alice_id = crypto::ed25519_key_id(r.maintainers[0].pair.public_key);
  doc["roles"]["targets"] = {{"keyids", {alice_id, alias_id}}, {"threshold", 2}};
  Bytes root2 = Repo::sign(doc, {&r.maintainers[0], &r.maintainers[1]});
  r.publish_root(root2, 2);
  // Targets signed by alice under both ids.
  Bytes targets = r.make_targets(1, {{"app/app.tar", "x"}});
  auto env = *release::parse_envelope_text(to_string(targets), "targets");
  std::string message = *release::signed_bytes(env);
  std::string sig = hex_encode(crypto::ed25519_sign(r.maintainers[0].pair, as_bytes(message)));
  env.signatures = {{alice_id, sig}, {alias_id, sig}};
  publish_targets(r, 1, to_bytes(release::envelope_text(env)));
  UpdateReport report = r.update();
  INFO(describe(report));
  REQUIRE_FALSE(report.accepted());
  // Either the aliased key object is refused outright or the key counts once: never accepted.
  CHECK((report.error->code == Errc::signature || report.error->code == Errc::invalid_input));
}

TEST_CASE("attack: old metadata replayed (rollback)") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  Bytes old_timestamp = r.read("metadata/timestamp.json");
  r.publish(2, {{"app/app.tar", "v2"}});
  REQUIRE_ACCEPTED(r.update());
  r.write("metadata/timestamp.json", old_timestamp);
  REQUIRE_REFUSED(r.update(), Errc::rollback, "older than the trusted version");
}

TEST_CASE("attack: metadata past its expiry served forever (freeze)") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  REQUIRE_ACCEPTED(r.update());
  // The mirror keeps serving the same, genuinely signed files; the timestamp lives one day.
  Bytes snapshot = r.read("metadata/1.snapshot.json");
  r.write("metadata/timestamp.json", r.make_timestamp(2, 1, snapshot, kNow + 86400));
  REQUIRE_ACCEPTED(r.update());
  REQUIRE_REFUSED(r.update(std::nullopt, kNow + 2 * 86400), Errc::expired, "timestamp version 2 expired");
  // An expired snapshot or targets behind a fresh timestamp is refused too.
  Repo s;
  Bytes targets = s.make_targets(1, {{"app/app.tar", "v1"}}, {0, 1}, {}, kNow - 1);
  publish_targets(s, 1, targets);
  REQUIRE_REFUSED(s.update(), Errc::expired, "targets");
}

TEST_CASE("attack: mix-and-match of snapshot and targets from different releases") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  Bytes targets1 = r.read("metadata/1.targets.json");
  r.publish(2, {{"app/app.tar", "v2"}});
  // The mirror answers the request for 2.targets.json with release 1's (validly signed) targets.
  r.write("metadata/2.targets.json", targets1);
  REQUIRE_REFUSED(r.update(), Errc::hash_mismatch, "targets");
  // Against a snapshot that lists only versions (no hashes, as TUF allows) the version decides.
  Repo s;
  s.publish(1, {{"app/app.tar", "v1"}});
  Bytes t1 = s.read("metadata/1.targets.json");
  Bytes t2 = s.make_targets(2, {{"app/app.tar", "v2"}});
  s.log_targets(2, t2);
  release::Snapshot snap;
  snap.common = release::CommonFields{release::kRoleSnapshot, release::kSpecVersion, 2, kNow + kYear};
  snap.meta["targets.json"].version = 2;
  Bytes snapshot2 = Repo::sign(release::snapshot_json(snap), {&s.online});
  s.write("metadata/2.snapshot.json", snapshot2);
  s.write("metadata/2.targets.json", t1);
  s.write("metadata/timestamp.json", s.make_timestamp(2, 2, snapshot2));
  REQUIRE_REFUSED(s.update(), Errc::rollback, "mix-and-match");
}

TEST_CASE("attack: endless data (a target larger than its declared length)") {
  Repo r;
  r.publish(1, {{"app/app.tar", "ten bytes!"}});
  Bytes targets = r.read("metadata/1.targets.json");
  auto info = release::parse_targets(release::parse_envelope_text(to_string(targets), "t")->signed_part)
                  ->targets["app/app.tar"];
  std::string path = target_file_path("app/app.tar", info.hashes);
  // From a directory: the longer file is refused before it is read.
  r.write(path, std::string("ten bytes!") + std::string(1 << 20, 'A'));
  REQUIRE_REFUSED(r.update("app/app.tar"), Errc::hash_mismatch, "endless data");
  // Over HTTP: the transfer is cut at the declared length.
  r.write(path, std::string("ten bytes!"));
  RepoServer server(r.repo());
  server.pad(path, 64 << 20);
  auto fetcher = HttpRepoFetcher::create(server.url());
  REQUIRE(fetcher.ok());
  UpdateOptions o = r.options("app/app.tar");
  REQUIRE_REFUSED(run_update(**fetcher, o), Errc::hash_mismatch, "endless data");
  // Endless metadata: a timestamp is never read past its cap.
  server.pad(path, 0);
  server.pad("metadata/timestamp.json", 64 << 20);
  REQUIRE_REFUSED(run_update(**fetcher, o), Errc::hash_mismatch, "endless data");
}

TEST_CASE("attack: slow retrieval (a mirror that stalls)") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  RepoServer server(r.repo());
  server.stall("metadata/timestamp.json");
  HttpLimits limits;
  limits.stall_seconds = 1;
  auto fetcher = HttpRepoFetcher::create(server.url(), limits);
  REQUIRE(fetcher.ok());
  REQUIRE_REFUSED(run_update(**fetcher, r.options()), Errc::network, "timed out");
  server.release_stalls();
}

TEST_CASE("attack: a release signed correctly but absent from the log") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  REQUIRE_ACCEPTED(r.update());
  Bytes targets2 = r.make_targets(2, {{"app/app.tar", "v2"}});
  publish_targets(r, 2, targets2, /*logged=*/false);
  REQUIRE_REFUSED(r.update(), Errc::log_inconsistent, "not in the log");
  // A proof for other bytes (the release logged in one form, served in another) is refused too.
  r.write(log_proof_path(2), r.read(log_proof_path(1)));
  REQUIRE_REFUSED(r.update(), Errc::log_inconsistent, "not in the log at index");
}

TEST_CASE("attack: split view (the log shows this node a different tree than before)") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  REQUIRE_ACCEPTED(r.update());
  // A forked log, signed with the real log key and cosigned by two witnesses (both compromised or
  // fooled): its first entry is not the one this node saw.
  Repo fork_keys = std::move(r);
  tlog::MemoryTree fork;
  fork.append_entry(as_bytes(std::string("a different first entry")));
  fork_keys.tree = std::move(fork);
  fork_keys.checkpoint_sizes = {1};
  Bytes targets2 = fork_keys.make_targets(2, {{"app/app.tar", "v2"}});
  publish_targets(fork_keys, 2, targets2);
  REQUIRE_REFUSED(fork_keys.update(), Errc::log_inconsistent, "split view");
}

TEST_CASE("attack: a checkpoint with fewer witness cosignatures than the quorum") {
  Repo r;
  Bytes targets = r.make_targets(1, {{"app/app.tar", "v1"}});
  r.write("metadata/1.targets.json", targets);
  r.log_targets(1, targets, {2});  // one witness of the quorum of 2
  Bytes snapshot = r.make_snapshot(1, 1, targets);
  r.write("metadata/1.snapshot.json", snapshot);
  r.write("metadata/timestamp.json", r.make_timestamp(1, 1, snapshot));
  REQUIRE_REFUSED(r.update(), Errc::log_inconsistent, "cosigned by 1 trusted witness(es), the quorum is 2");
  // The same witness twice still counts once.
  r.log_targets(1, targets, {2, 2});
  REQUIRE_REFUSED(r.update(), Errc::log_inconsistent, "quorum is 2");
}

TEST_CASE("attack: a release whose artifacts only one builder reproduced") {
  Repo r;
  Bytes targets = r.make_targets(1, {{"app/app.tar", "v1"}}, {0});
  publish_targets(r, 1, targets);
  REQUIRE_REFUSED(r.update(), Errc::builder_agreement,
                  "backed by 1 trusted builder(s), the policy requires 2");
  // Two attestations by the same builder are still one builder.
  Repo s;
  Bytes twice = s.make_targets(1, {{"app/app.tar", "v1"}}, {0, 0});
  publish_targets(s, 1, twice);
  REQUIRE_REFUSED(s.update(), Errc::builder_agreement, "backed by 1 trusted builder(s)");
}

TEST_CASE("attack: a compromised builder whose attestation disagrees") {
  Repo r;
  // Builder 3 attests other bytes; the metadata cites it with one honest builder.
  Bytes targets = r.make_targets(1, {{"app/app.tar", "v1"}}, {0}, {2});
  publish_targets(r, 1, targets);
  REQUIRE_REFUSED(r.update(), Errc::builder_agreement, "the policy requires 2");
  // With two honest builders the dissent is outvoted and the release is accepted.
  Repo s;
  publish_targets(s, 1, s.make_targets(1, {{"app/app.tar", "v1"}}, {0, 1}, {2}));
  REQUIRE_ACCEPTED(s.update());
}

TEST_CASE("attack: a root rotated by the new keys alone") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  // An attacker's root v2: new maintainer keys, signed only by them.
  std::vector<crypto::SecretKey> honest = std::move(r.maintainers);
  r.maintainers.clear();
  for (const char* n : {"mallory-1", "mallory-2", "mallory-3"})
    r.maintainers.push_back(*crypto::generate_secret_key(n));
  Bytes evil = Repo::sign(release::root_json(r.root_model(2)), {&r.maintainers[0], &r.maintainers[1]});
  r.publish_root(evil, 2);
  REQUIRE_REFUSED(r.update(), Errc::signature, "keys of trusted root version 1");
  // Adding one old signature is still below the old threshold of 2.
  evil = Repo::sign(release::root_json(r.root_model(2)), {&r.maintainers[0], &r.maintainers[1], &honest[0]});
  r.publish_root(evil, 2);
  REQUIRE_REFUSED(r.update(), Errc::signature, "keys of trusted root version 1");
}
