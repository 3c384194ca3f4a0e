// The pure TUF decisions of TrustedMetadataSet: bytes, trusted state and `now` in, verdict out.
#include <catch2/catch.hpp>

#include "release/roles.hpp"
#include "repo_fixture.hpp"
#include "verify/trusted_set.hpp"

using namespace cocoon;
using namespace cocoon::verify;
using namespace cocoon::verify::testing;

namespace {

TrustedMetadataSet trusted(const Repo& r) {
  auto set = TrustedMetadataSet::create(r.root_v1);
  REQUIRE(set.ok());
  return std::move(set.value());
}

}  // namespace

TEST_CASE("trusted set: a root chain step needs version N+1 and both thresholds") {
  Repo r;
  auto set = trusted(r);
  Json v2 = release::root_json(r.root_model(2));
  // Signed by two old keys, which are also the new root's keys: accepted.
  REQUIRE(set.update_root(Repo::sign(v2, {&r.maintainers[0], &r.maintainers[2]})).ok());
  CHECK(set.root().model.common.version == 2);
  // Same version again: rollback; a skipped version: invalid.
  auto again = set.update_root(Repo::sign(v2, {&r.maintainers[0], &r.maintainers[2]}));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == Errc::rollback);
  auto skip = set.update_root(
      Repo::sign(release::root_json(r.root_model(4)), {&r.maintainers[0], &r.maintainers[1]}));
  REQUIRE_FALSE(skip.ok());
  CHECK(skip.error().code == Errc::invalid_input);
  // One signature only: below both thresholds.
  auto one = set.update_root(Repo::sign(release::root_json(r.root_model(3)), {&r.maintainers[0]}));
  REQUIRE_FALSE(one.ok());
  CHECK(one.error().code == Errc::signature);
  CHECK(set.root().model.common.version == 2);
}

TEST_CASE("trusted set: the final root must not be expired, intermediate roots may be") {
  Repo r;
  auto set = trusted(r);
  Bytes expired_v2 =
      Repo::sign(release::root_json(r.root_model(2, kNow - 10)), {&r.maintainers[0], &r.maintainers[1]});
  REQUIRE(set.update_root(expired_v2).ok());
  Bytes targets = r.make_targets(1, {{"a/a", "x"}});
  Bytes snapshot = r.make_snapshot(1, 1, targets);
  auto ts = set.update_timestamp(r.make_timestamp(1, 1, snapshot), kNow);
  REQUIRE_FALSE(ts.ok());
  CHECK(ts.error().code == Errc::expired);
  CHECK_THAT(ts.error().message, Catch::Matchers::Contains("root"));

  auto fresh = trusted(r);
  REQUIRE(fresh.update_root(expired_v2).ok());
  REQUIRE(fresh
              .update_root(
                  Repo::sign(release::root_json(r.root_model(3)), {&r.maintainers[0], &r.maintainers[1]}))
              .ok());
  CHECK(fresh.update_timestamp(r.make_timestamp(1, 1, snapshot), kNow).ok());
}

TEST_CASE("trusted set: timestamp versions and the snapshot version it names never go down") {
  Repo r;
  auto set = trusted(r);
  Bytes targets = r.make_targets(1, {{"a/a", "x"}});
  Bytes snapshot = r.make_snapshot(5, 1, targets);
  REQUIRE(set.update_timestamp(r.make_timestamp(7, 5, snapshot), kNow).ok());
  auto older = set.update_timestamp(r.make_timestamp(6, 5, snapshot), kNow);
  REQUIRE_FALSE(older.ok());
  CHECK(older.error().code == Errc::rollback);
  auto older_snapshot = set.update_timestamp(r.make_timestamp(8, 4, snapshot), kNow);
  REQUIRE_FALSE(older_snapshot.ok());
  CHECK(older_snapshot.error().code == Errc::rollback);
  REQUIRE(set.update_timestamp(r.make_timestamp(7, 5, snapshot), kNow).ok());
  CHECK(set.equal_version());
  CHECK(set.timestamp()->model.common.version == 7);
}

TEST_CASE("trusted set: an expired timestamp is held for rollback protection but blocks the snapshot") {
  Repo r;
  auto set = trusted(r);
  Bytes targets = r.make_targets(1, {{"a/a", "x"}});
  Bytes snapshot = r.make_snapshot(1, 1, targets);
  auto ts = set.update_timestamp(r.make_timestamp(3, 1, snapshot, kNow - 1), kNow);
  REQUIRE_FALSE(ts.ok());
  CHECK(ts.error().code == Errc::expired);
  REQUIRE(set.timestamp().has_value());
  auto snap = set.update_snapshot(snapshot, kNow);
  REQUIRE_FALSE(snap.ok());
  CHECK(snap.error().code == Errc::expired);
  // A replayed older timestamp is still a rollback.
  auto older = set.update_timestamp(r.make_timestamp(2, 1, snapshot), kNow);
  REQUIRE_FALSE(older.ok());
  CHECK(older.error().code == Errc::rollback);
}

TEST_CASE("trusted set: snapshot bytes must match the timestamp's record and keep targets versions") {
  Repo r;
  auto set = trusted(r);
  Bytes targets2 = r.make_targets(2, {{"a/a", "x"}});
  Bytes snapshot = r.make_snapshot(2, 2, targets2);
  REQUIRE(set.update_timestamp(r.make_timestamp(2, 2, snapshot), kNow).ok());
  Bytes tampered = snapshot;
  tampered.back() = ' ';
  auto bad = set.update_snapshot(tampered, kNow);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::hash_mismatch);
  CHECK_FALSE(set.snapshot().has_value());
  REQUIRE(set.update_snapshot(snapshot, kNow).ok());

  // A later snapshot that lists an older targets version is a rollback, whatever its own version.
  auto set2 = trusted(r);
  REQUIRE(set2.update_timestamp(r.make_timestamp(2, 2, snapshot), kNow).ok());
  REQUIRE(set2.update_snapshot(snapshot, kNow).ok());
  auto set3 = trusted(r);
  Bytes later = r.make_snapshot(3, 1, r.make_targets(1, {{"a/a", "x"}}));
  REQUIRE(set3.update_timestamp(r.make_timestamp(2, 2, snapshot), kNow).ok());
  REQUIRE(set3.update_snapshot(snapshot, kNow, /*from_disk=*/true).ok());
  auto r3 = set3.update_snapshot(later, kNow, /*from_disk=*/true);
  REQUIRE_FALSE(r3.ok());
  CHECK(r3.error().code == Errc::rollback);
}

TEST_CASE("trusted set: targets must be the version and bytes the snapshot names") {
  Repo r;
  auto set = trusted(r);
  Bytes targets1 = r.make_targets(1, {{"a/a", "x"}});
  Bytes targets2 = r.make_targets(2, {{"a/a", "y"}});
  Bytes snapshot = r.make_snapshot(2, 2, targets2);
  REQUIRE(set.update_timestamp(r.make_timestamp(2, 2, snapshot), kNow).ok());
  REQUIRE(set.update_snapshot(snapshot, kNow).ok());
  auto mixed = set.update_targets(targets1, kNow);
  REQUIRE_FALSE(mixed.ok());
  CHECK(mixed.error().code == Errc::hash_mismatch);
  REQUIRE(set.update_targets(targets2, kNow).ok());
  CHECK(set.targets()->bytes == targets2);
}

TEST_CASE("trusted set: target files are checked for length and every hash") {
  release::TargetFile info;
  Bytes good = to_bytes("release bytes");
  info.length = good.size();
  info.hashes = release::tuf_hashes(good);
  CHECK(check_target_file("a/b", info, good).ok());
  Bytes longer = to_bytes("release bytes!");
  CHECK(check_target_file("a/b", info, longer).error().code == Errc::hash_mismatch);
  Bytes same_length = to_bytes("release bytez");
  CHECK(check_target_file("a/b", info, same_length).error().code == Errc::hash_mismatch);
  // sha256 right, sha512 wrong: every listed hash counts.
  info.hashes["sha512"] = std::string(128, '0');
  CHECK(check_target_file("a/b", info, good).error().code == Errc::hash_mismatch);
}

TEST_CASE("trusted set: online key rotation is detected") {
  Repo r;
  release::Root a = r.root_model(1);
  release::Root b = r.root_model(2);
  CHECK_FALSE(timestamp_or_snapshot_keys_changed(a, b));
  r.online = copy_key(r.maintainers[2], "other");
  release::Root c = r.root_model(3);
  CHECK(timestamp_or_snapshot_keys_changed(a, c));
}
