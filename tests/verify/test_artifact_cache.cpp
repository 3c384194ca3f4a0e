// A target already at the download destination with the listed length and hashes is the verified
// target: the updater does not fetch it again (the TUF conformance suite's test_artifact_cache). Any
// other file there is never trusted: it is replaced by a fresh, verified download.
#include <algorithm>
#include <filesystem>

#include <catch2/catch.hpp>

#include "core/file_io.hpp"
#include "repo_fixture.hpp"

using namespace cocoon;
using namespace cocoon::verify;
using namespace cocoon::verify::testing;

namespace {

// Remembers every path asked for, so a test can tell whether the target was requested at all.
class CountingFetcher : public Fetcher {
 public:
  explicit CountingFetcher(std::filesystem::path root) : inner_(std::move(root)) {}
  Result<Bytes> fetch(const std::string& path, std::uint64_t max_bytes) override {
    requested.push_back(path);
    return inner_.fetch(path, max_bytes);
  }
  std::string locate(const std::string& path) const override { return inner_.locate(path); }
  std::size_t target_requests() const {
    return static_cast<std::size_t>(std::count_if(
        requested.begin(), requested.end(), [](const std::string& p) { return p.starts_with("targets/"); }));
  }
  std::vector<std::string> requested;

 private:
  DirFetcher inner_;
};

struct Download {
  UpdateReport report;
  std::size_t target_requests = 0;
};

Download download(Repo& r, const std::string& target, const std::filesystem::path& dest) {
  CountingFetcher fetcher(r.repo());
  UpdateOptions o = r.options(target);
  o.download = dest;
  Download d{run_update(fetcher, o), fetcher.target_requests()};
  return d;
}

std::string contents(const std::filesystem::path& p) {
  auto b = read_file(p);
  REQUIRE(b.ok());
  return to_string(*b);
}

const std::string kPath = "pkg/tool.bin";

}  // namespace

TEST_CASE("artifact cache: a target already downloaded and unchanged is not fetched again") {
  Repo r(/*cocoon_policy=*/false);
  r.publish(1, {{kPath, "tool v1"}});
  auto dest = r.scratch() / "tool.bin";

  Download first = download(r, kPath, dest);
  REQUIRE_ACCEPTED(first.report);
  CHECK(first.target_requests == 1);
  CHECK(contents(dest) == "tool v1");

  // Without the mirror's copy the second update can only succeed from the file already in place.
  std::filesystem::remove_all(r.repo() / "targets");
  Download second = download(r, kPath, dest);
  REQUIRE_ACCEPTED(second.report);
  CHECK(second.target_requests == 0);
  CHECK(contents(dest) == "tool v1");
  CHECK_THAT(second.report.checks.back().detail, Catch::Matchers::Contains("not fetched again"));
}

TEST_CASE("artifact cache: other bytes of the same length at the destination are replaced") {
  Repo r(/*cocoon_policy=*/false);
  r.publish(1, {{kPath, "tool v1"}});
  auto dest = r.scratch() / "tool.bin";
  // Same length as "tool v1": only the hashes can tell them apart.
  REQUIRE(write_file_atomic(dest, as_bytes(std::string("evil v1"))).ok());

  Download d = download(r, kPath, dest);
  REQUIRE_ACCEPTED(d.report);
  CHECK(d.target_requests == 1);
  CHECK(contents(dest) == "tool v1");
}

TEST_CASE("artifact cache: a file of another length at the destination is replaced") {
  Repo r(/*cocoon_policy=*/false);
  r.publish(1, {{kPath, "tool v1"}});
  auto dest = r.scratch() / "tool.bin";
  REQUIRE(write_file_atomic(dest, as_bytes(std::string("tool v1 and a trailer"))).ok());

  Download d = download(r, kPath, dest);
  REQUIRE_ACCEPTED(d.report);
  CHECK(d.target_requests == 1);
  CHECK(contents(dest) == "tool v1");
}

TEST_CASE("artifact cache: a target changed by a new release is fetched again") {
  Repo r(/*cocoon_policy=*/false);
  r.publish(1, {{kPath, "tool v1"}});
  auto dest = r.scratch() / "tool.bin";
  REQUIRE_ACCEPTED(download(r, kPath, dest).report);

  r.publish(2, {{kPath, "tool v2"}});
  Download d = download(r, kPath, dest);
  REQUIRE_ACCEPTED(d.report);
  CHECK(d.target_requests == 1);
  CHECK(contents(dest) == "tool v2");
}

TEST_CASE("artifact cache: a stale file is not accepted when the mirror cannot serve the target") {
  Repo r(/*cocoon_policy=*/false);
  r.publish(1, {{kPath, "tool v1"}});
  auto dest = r.scratch() / "tool.bin";
  REQUIRE_ACCEPTED(download(r, kPath, dest).report);

  // v2 lists other bytes; the file in place is v1 and the mirror has lost v2's file.
  r.publish(2, {{kPath, "tool v2"}});
  std::filesystem::remove_all(r.repo() / "targets");
  Download d = download(r, kPath, dest);
  REQUIRE_REFUSED(d.report, Errc::not_found, "does not exist");
  CHECK(d.target_requests == 1);
}

TEST_CASE("artifact cache: in Cocoon mode the cached target is still checked by the builders") {
  Repo r;
  r.publish(1, {{kPath, "node v1"}});
  auto dest = r.scratch() / "node.tar";
  REQUIRE_ACCEPTED(download(r, kPath, dest).report);

  Download d = download(r, kPath, dest);
  REQUIRE_ACCEPTED(d.report);
  CHECK(d.target_requests == 0);
  std::vector<std::string> names;
  for (const auto& c : d.report.checks) names.push_back(c.name);
  CHECK(std::find(names.begin(), names.end(), "builders " + kPath) != names.end());
  CHECK(std::find(names.begin(), names.end(), "log inclusion") != names.end());
}
