// publish: the repository layout, and the refusals that keep it consistent.
#include <catch2/catch.hpp>

#include "core/file_io.hpp"
#include "release/repository.hpp"
#include "release/threshold.hpp"
#include "release_fixtures.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::release::testing;
namespace fs = std::filesystem;

namespace {

struct Repo {
  TempDir dir = TempDir::create("release-repo-").value();
  fs::path repo = dir.path() / "repo";
  fs::path artifacts = dir.path() / "artifacts";
  Repo() {
    fs::create_directories(artifacts);
    REQUIRE(write_file_atomic(artifacts / "hello.txt", std::string_view("hello")).ok());
  }
};

PublishTimes times() {
  PublishTimes t;
  t.now = kNow;
  return t;
}

}  // namespace

TEST_CASE("publish lays out a consistent-snapshot TUF repository", "[release][publish]") {
  Cast c;
  Repo r;
  Root v1 = make_test_root({&c.alice, &c.bob}, 2, c.online, c);
  REQUIRE(publish_root(r.repo, sign_all(root_json(v1), {&c.alice, &c.bob}), nullptr, times()).ok());
  Envelope t1 = sign_all(targets_json(make_targets(1)), {&c.alice, &c.bob});
  REQUIRE(publish_targets(
              r.repo, t1, r.artifacts, c.online, times(),
              [](const Root&, std::string_view) -> Result<std::string> { return std::string("{}\n"); })
              .ok());

  fs::path m = r.repo / "metadata";
  for (const char* f : {"1.root.json", "root.json", "1.targets.json", "1.snapshot.json", "timestamp.json"}) {
    INFO(f);
    CHECK(fs::exists(m / f));
  }
  auto hashes = tuf_hashes(as_bytes(std::string_view("hello")));
  CHECK(read_text_file(r.repo / "targets/sample" / (hashes["sha256"] + ".hello.txt")).value() == "hello");
  CHECK(fs::exists(r.repo / "targets/sample" / (hashes["sha512"] + ".hello.txt")));
  CHECK(fs::exists(r.repo / "log/1.targets.bundle.json"));

  auto state = load_repository(r.repo);
  REQUIRE(state.ok());
  CHECK(state->targets->common.version == 1);
  CHECK(state->snapshot->common.version == 1);
  CHECK(state->timestamp->common.version == 1);
  CHECK(state->timestamp->common.expires == kNow + 86400);

  // Rotation: v2 drops bob and re-signs snapshot and timestamp with a new online key. It waits until the
  // published release carries enough signatures of the new maintainers.
  Root v2 = make_test_root({&c.alice, &c.carol}, 2, c.online2, c, 2);
  Envelope v2env = sign_all(root_json(v2), {&c.alice, &c.bob, &c.carol});
  CHECK(publish_root(r.repo, v2env, &c.online2, times()).error().code == Errc::signature);
  Envelope t2 = sign_all(targets_json(make_targets(2)), {&c.alice, &c.bob, &c.carol});
  REQUIRE(publish_targets(r.repo, t2, r.artifacts, c.online, times(), {}).ok());
  CHECK(publish_root(r.repo, v2env, &c.online, times()).error().code == Errc::signature);  // old online key
  REQUIRE(publish_root(r.repo, v2env, &c.online2, times()).ok());
  CHECK(fs::exists(m / "2.root.json"));
  state = load_repository(r.repo);
  REQUIRE(state.ok());
  CHECK(state->root->common.version == 2);
  CHECK(state->timestamp->common.version == 3);
  CHECK(state->snapshot->common.version == 3);

  // The next release must be signed by the new maintainers.
  Envelope t3 = sign_all(targets_json(make_targets(3)), {&c.alice, &c.bob});
  CHECK(publish_targets(r.repo, t3, r.artifacts, c.online2, times(), {}).error().code == Errc::signature);
  t3 = sign_all(targets_json(make_targets(3)), {&c.alice, &c.carol});
  REQUIRE(publish_targets(r.repo, t3, r.artifacts, c.online2, times(), {}).ok());
  CHECK(load_repository(r.repo)->targets->common.version == 3);
}

TEST_CASE("publish refuses below threshold, rollback, expiry and wrong files", "[release][publish][attack]") {
  Cast c;
  Repo r;
  Root v1 = make_test_root({&c.alice, &c.bob}, 2, c.online, c);
  // A first root below its own threshold.
  CHECK(publish_root(r.repo, sign_all(root_json(v1), {&c.alice}), nullptr, times()).error().code ==
        Errc::signature);
  REQUIRE(publish_root(r.repo, sign_all(root_json(v1), {&c.alice, &c.bob}), nullptr, times()).ok());

  auto below = publish_targets(r.repo, sign_all(targets_json(make_targets(1)), {&c.alice}), r.artifacts,
                               c.online, times(), {});
  CHECK(below.error().code == Errc::signature);
  CHECK_FALSE(fs::exists(r.repo / "metadata/timestamp.json"));

  auto expired =
      publish_targets(r.repo, sign_all(targets_json(make_targets(1, kNow - 1)), {&c.alice, &c.bob}),
                      r.artifacts, c.online, times(), {});
  CHECK(expired.error().code == Errc::expired);

  REQUIRE(write_file_atomic(r.artifacts / "hello.txt", std::string_view("jello")).ok());
  auto wrong = publish_targets(r.repo, sign_all(targets_json(make_targets(1)), {&c.alice, &c.bob}),
                               r.artifacts, c.online, times(), {});
  CHECK(wrong.error().code == Errc::hash_mismatch);
  REQUIRE(write_file_atomic(r.artifacts / "hello.txt", std::string_view("hello")).ok());

  // The online key must be the root's snapshot/timestamp key.
  auto bad_online = publish_targets(r.repo, sign_all(targets_json(make_targets(1)), {&c.alice, &c.bob}),
                                    r.artifacts, c.alice, times(), {});
  CHECK(bad_online.error().code == Errc::signature);

  REQUIRE(publish_targets(r.repo, sign_all(targets_json(make_targets(3)), {&c.alice, &c.bob}), r.artifacts,
                          c.online, times(), {})
              .ok());
  for (std::uint64_t v : {3, 2}) {
    auto rb = publish_targets(r.repo, sign_all(targets_json(make_targets(v)), {&c.alice, &c.bob}),
                              r.artifacts, c.online, times(), {});
    CHECK(rb.error().code == Errc::rollback);
  }
  // A root that skips a version or rolls back is refused.
  Root v3 = make_test_root({&c.alice, &c.bob}, 2, c.online, c, 3);
  CHECK(publish_root(r.repo, sign_all(root_json(v3), {&c.alice, &c.bob}), &c.online, times()).error().code ==
        Errc::invalid_input);
  CHECK(publish_root(r.repo, sign_all(root_json(v1), {&c.alice, &c.bob}), &c.online, times()).error().code ==
        Errc::rollback);
}

TEST_CASE("a tampered repository is detected when it is loaded", "[release][publish][attack]") {
  Cast c;
  Repo r;
  Root v1 = make_test_root({&c.alice}, 1, c.online, c);
  REQUIRE(publish_root(r.repo, sign_all(root_json(v1), {&c.alice}), nullptr, times()).ok());
  REQUIRE(publish_targets(r.repo, sign_all(targets_json(make_targets(1)), {&c.alice}), r.artifacts, c.online,
                          times(), {})
              .ok());
  fs::path t = r.repo / "metadata/1.targets.json";
  std::string text = read_text_file(t).value();
  REQUIRE(write_file_atomic(t, text + " ").ok());
  auto state = load_repository(r.repo);
  REQUIRE_FALSE(state.ok());
  CHECK(state.error().code == Errc::hash_mismatch);
}
