// The updater over a directory: what it accepts, what it persists, and when.
#include <catch2/catch.hpp>

#include "core/file_io.hpp"
#include "release/roles.hpp"
#include "repo_fixture.hpp"

using namespace cocoon;
using namespace cocoon::verify;
using namespace cocoon::verify::testing;

namespace {

Bytes state_file(const Repo& r, const std::string& name) {
  auto b = read_file(r.state() / name);
  REQUIRE(b.ok());
  return *b;
}

}  // namespace

TEST_CASE("update: an honest Cocoon release is accepted and each role's exact bytes are stored") {
  Repo r;
  r.publish(1, {{"sample-node/sample-node.tar", "node v1"}});
  auto dest = r.scratch() / "installed.tar";
  UpdateOptions o = r.options("sample-node/sample-node.tar");
  o.download = dest;
  DirFetcher fetcher(r.repo());
  UpdateReport report = run_update(fetcher, o);
  REQUIRE_ACCEPTED(report);
  CHECK(report.cocoon_policy);
  CHECK(to_string(*read_file(dest)) == "node v1");
  CHECK(state_file(r, "root.json") == r.root_v1);
  CHECK(state_file(r, "timestamp.json") == r.read("metadata/timestamp.json"));
  CHECK(state_file(r, "snapshot.json") == r.read("metadata/1.snapshot.json"));
  CHECK(state_file(r, "targets.json") == r.read("metadata/1.targets.json"));
  CHECK(std::filesystem::exists(r.state() / "cocoon" / "checkpoint"));
  CHECK(std::filesystem::exists(r.state() / "cocoon" / "installed.json"));
  std::vector<std::string> names;
  for (const auto& c : report.checks) names.push_back(c.name);
  CHECK(names == std::vector<std::string>{"trusted root", "root", "timestamp", "snapshot", "targets",
                                          "log inclusion", "witnesses", "log consistency", "products",
                                          "builders sample-node/sample-node.tar",
                                          "target sample-node/sample-node.tar"});
}

TEST_CASE("update: a later release after a root rotation extends the accepted log") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  REQUIRE_ACCEPTED(r.update());
  Bytes v2 = Repo::sign(release::root_json(r.root_model(2)), {&r.maintainers[0], &r.maintainers[1]});
  r.publish_root(v2, 2);
  r.publish(2, {{"app/app.tar", "v2"}});
  UpdateReport report = r.update("app/app.tar");
  REQUIRE_ACCEPTED(report);
  CHECK(report.root_version == 2);
  CHECK(report.targets_version == 2);
  CHECK(state_file(r, "root.json") == v2);
  bool extends = false;
  for (const auto& c : report.checks)
    extends = extends || c.detail.find("extends the checkpoint accepted at size 1") != std::string::npos;
  CHECK(extends);
  // Nothing new: the same state is accepted again.
  REQUIRE_ACCEPTED(r.update());
}

TEST_CASE("update: a verified timestamp stays stored when the snapshot is then refused") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  REQUIRE_ACCEPTED(r.update());
  Bytes checkpoint_before = state_file(r, "cocoon/checkpoint");
  Bytes targets2 = r.make_targets(2, {{"app/app.tar", "v2"}});
  r.write("metadata/2.targets.json", targets2);
  r.log_targets(2, targets2);
  Bytes snapshot2 = r.make_snapshot(2, 2, targets2);
  Bytes ts2 = r.make_timestamp(2, 2, snapshot2);
  r.write("metadata/timestamp.json", ts2);
  Bytes tampered = snapshot2;
  tampered.back() = ' ';
  r.write("metadata/2.snapshot.json", tampered);
  REQUIRE_REFUSED(r.update(), Errc::hash_mismatch, "snapshot");
  CHECK(state_file(r, "timestamp.json") == ts2);
  CHECK(state_file(r, "snapshot.json") == r.read("metadata/1.snapshot.json"));
  CHECK(state_file(r, "cocoon/checkpoint") == checkpoint_before);
}

TEST_CASE("update: Cocoon state changes only after the whole update passed") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  REQUIRE_ACCEPTED(r.update());
  Bytes checkpoint_before = state_file(r, "cocoon/checkpoint");
  // Release 2 is logged (a new checkpoint) but only one builder reproduced it.
  Bytes targets2 = r.make_targets(2, {{"app/app.tar", "v2"}}, {0});
  r.write("metadata/2.targets.json", targets2);
  r.log_targets(2, targets2);
  Bytes snapshot2 = r.make_snapshot(2, 2, targets2);
  r.write("metadata/2.snapshot.json", snapshot2);
  r.write("metadata/timestamp.json", r.make_timestamp(2, 2, snapshot2));
  REQUIRE_REFUSED(r.update(), Errc::builder_agreement, "1 trusted builder");
  CHECK(state_file(r, "cocoon/checkpoint") == checkpoint_before);
  // TUF metadata that verified is kept (spec §5.6.6): targets v2 is stored.
  CHECK(state_file(r, "targets.json") == targets2);
}

TEST_CASE("update: a root without a Cocoon policy makes a plain TUF client") {
  Repo r(/*cocoon_policy=*/false);
  r.publish(1, {{"pkg/tool.bin", "plain tuf"}});
  UpdateReport report = r.update("pkg/tool.bin");
  REQUIRE_ACCEPTED(report);
  CHECK_FALSE(report.cocoon_policy);
  for (const auto& c : report.checks) CHECK(c.name.find("log") == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(r.state() / "cocoon" / "checkpoint"));
}

TEST_CASE("update: fast-forward recovery after the online key is rotated") {
  Repo r(false);
  r.publish(1, {{"pkg/a", "a"}});
  REQUIRE_ACCEPTED(r.update());
  // The stolen online key pushes timestamp and snapshot versions far ahead.
  Bytes targets1 = r.read("metadata/1.targets.json");
  Bytes snap = r.make_snapshot(1000, 1, targets1);
  r.write("metadata/1000.snapshot.json", snap);
  r.write("metadata/timestamp.json", r.make_timestamp(1000, 1000, snap));
  REQUIRE_ACCEPTED(r.update());
  // The maintainers rotate the online key; the honest repository restarts at version 2.
  r.online = *crypto::generate_secret_key("new-online");
  r.publish_root(Repo::sign(release::root_json(r.root_model(2)), {&r.maintainers[0], &r.maintainers[1]}), 2);
  r.publish(2, {{"pkg/a", "a2"}});
  UpdateReport report = r.update("pkg/a");
  REQUIRE_ACCEPTED(report);
  CHECK(report.timestamp_version == 2);
  CHECK(report.checks[1].detail.find("dropped") != std::string::npos);
  // Without the rotation the same versions would be a rollback.
  Repo plain(false);
  plain.publish(5, {{"pkg/a", "a"}});
  REQUIRE_ACCEPTED(plain.update());
  plain.publish(2, {{"pkg/a", "b"}});
  REQUIRE_REFUSED(plain.update(), Errc::rollback, "timestamp");
}

TEST_CASE("update: without a stored or given root nothing is trusted") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  DirFetcher fetcher(r.repo());
  UpdateOptions o = r.options();
  o.initial_root.reset();
  REQUIRE_REFUSED(run_update(fetcher, o), Errc::not_found, "no trusted root");
}

TEST_CASE("update: a target that is not listed is refused by name") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  REQUIRE_REFUSED(r.update("app/other.tar"), Errc::not_found, "app/other.tar");
}
