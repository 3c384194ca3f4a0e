// TUF root chain: v(N+1) signed by the threshold of vN and of itself.
#include <catch2/catch.hpp>

#include "release/threshold.hpp"
#include "release_fixtures.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::release::testing;

TEST_CASE("root rotation signed by old and new thresholds is accepted", "[release][root]") {
  Cast c;
  Root v1 = make_test_root({&c.alice, &c.bob}, 2, c.online, c, 1);
  Root v2 = make_test_root({&c.carol, &c.dave}, 2, c.online, c, 2);
  Envelope env = sign_all(root_json(v2), {&c.alice, &c.bob, &c.carol, &c.dave});
  auto next = verify_root_update(v1, env);
  REQUIRE(next.ok());
  CHECK(next->common.version == 2);
  CHECK(next->role(kRoleRoot).keyids.size() == 2);
}

TEST_CASE("root rotation signed only by the new keys is refused", "[release][root][attack]") {
  Cast c;
  Root v1 = make_test_root({&c.alice, &c.bob}, 2, c.online, c, 1);
  Root v2 = make_test_root({&c.carol, &c.dave}, 2, c.online, c, 2);
  auto r = verify_root_update(v1, sign_all(root_json(v2), {&c.carol, &c.dave}));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::signature);
  // One old key is not the old threshold either.
  CHECK_FALSE(verify_root_update(v1, sign_all(root_json(v2), {&c.alice, &c.carol, &c.dave})).ok());
}

TEST_CASE("root rotation signed only by the old keys is refused", "[release][root][attack]") {
  Cast c;
  Root v1 = make_test_root({&c.alice, &c.bob}, 2, c.online, c, 1);
  Root v2 = make_test_root({&c.carol, &c.dave}, 2, c.online, c, 2);
  auto r = verify_root_update(v1, sign_all(root_json(v2), {&c.alice, &c.bob, &c.carol}));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::signature);
}

TEST_CASE("new root threshold is not met by one key's repeated signatures", "[release][root][attack]") {
  // python-tuf GHSA-r7vq-6425-j94w.
  Cast c;
  Root v1 = make_test_root({&c.alice}, 1, c.online, c, 1);
  Root v2 = make_test_root({&c.alice, &c.carol}, 2, c.online, c, 2);
  Envelope env = sign_all(root_json(v2), {&c.alice});
  env.signatures.push_back(env.signatures.front());
  auto r = verify_root_update(v1, env);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::signature);
}

TEST_CASE("root version rollback and skips are refused", "[release][root][rollback][attack]") {
  Cast c;
  Root v2 = make_test_root({&c.alice}, 1, c.online, c, 2);
  auto same =
      verify_root_update(v2, sign_all(root_json(make_test_root({&c.alice}, 1, c.online, c, 2)), {&c.alice}));
  REQUIRE_FALSE(same.ok());
  CHECK(same.error().code == Errc::rollback);
  auto older =
      verify_root_update(v2, sign_all(root_json(make_test_root({&c.alice}, 1, c.online, c, 1)), {&c.alice}));
  REQUIRE_FALSE(older.ok());
  CHECK(older.error().code == Errc::rollback);
  auto skip =
      verify_root_update(v2, sign_all(root_json(make_test_root({&c.alice}, 1, c.online, c, 4)), {&c.alice}));
  REQUIRE_FALSE(skip.ok());
  CHECK(skip.error().code == Errc::invalid_input);
}

TEST_CASE("revocation: a removed maintainer's signature no longer counts", "[release][root]") {
  Cast c;
  Root v1 = make_test_root({&c.alice, &c.bob, &c.carol}, 2, c.online, c, 1);
  Root v2 = make_test_root({&c.alice, &c.carol}, 2, c.online, c, 2);
  auto next = verify_root_update(v1, sign_all(root_json(v2), {&c.alice, &c.carol}));
  REQUIRE(next.ok());
  Envelope targets = sign_all(targets_json(make_targets(1)), {&c.alice, &c.bob});
  CHECK(count_signatures(v1, kRoleTargets, targets)->met());
  CHECK_FALSE(count_signatures(*next, kRoleTargets, targets)->met());
}

TEST_CASE("an intermediate root may have expired, the chain still advances", "[release][root][expiry]") {
  Cast c;
  Root v1 = make_test_root({&c.alice}, 1, c.online, c, 1, kNow - 100);
  Root v2 = make_test_root({&c.alice}, 1, c.online, c, 2, kNow + kYear);
  auto next = verify_root_update(v1, sign_all(root_json(v2), {&c.alice}));
  REQUIRE(next.ok());
  CHECK(check_not_expired(next->common, kNow, "root").ok());
  CHECK(check_not_expired(v1.common, kNow, "root").error().code == Errc::expired);
}
