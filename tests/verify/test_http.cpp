// The updater over HTTP (libcurl) against a server on 127.0.0.1.
#include <catch2/catch.hpp>

#include "http_repo_server.hpp"
#include "repo_fixture.hpp"
#include "verify/http_fetcher.hpp"

using namespace cocoon;
using namespace cocoon::verify;
using namespace cocoon::verify::testing;

TEST_CASE("http: an honest release is accepted over HTTP") {
  Repo r;
  r.publish(1, {{"app/app.tar", "served over http"}});
  RepoServer server(r.repo());
  auto fetcher = HttpRepoFetcher::create(server.url());
  REQUIRE(fetcher.ok());
  REQUIRE_ACCEPTED(run_update(**fetcher, r.options("app/app.tar")));
}

TEST_CASE("http: a missing file is not_found, a file over its limit is endless data") {
  Repo r;
  r.publish(1, {{"app/app.tar", "abc"}});
  RepoServer server(r.repo());
  auto fetcher = HttpRepoFetcher::create(server.url());
  REQUIRE(fetcher.ok());
  auto missing = (*fetcher)->fetch("metadata/9.root.json", 1000);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == Errc::not_found);
  server.pad("metadata/timestamp.json", 1 << 20);
  auto big = (*fetcher)->fetch("metadata/timestamp.json", 16384);
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().code == Errc::hash_mismatch);
  CHECK_THAT(big.error().message, Catch::Matchers::Contains("endless data"));
  auto escape = (*fetcher)->fetch("../etc/passwd", 1000);
  REQUIRE_FALSE(escape.ok());
  CHECK(escape.error().code == Errc::invalid_input);
}

TEST_CASE("http: an unreachable mirror is a network error") {
  Repo r;
  r.publish(1, {{"app/app.tar", "abc"}});
  std::string url;
  {
    RepoServer server(r.repo());
    url = server.url();
  }
  HttpLimits limits;
  limits.connect_timeout_seconds = 2;
  auto fetcher = HttpRepoFetcher::create(url, limits);
  REQUIRE(fetcher.ok());
  REQUIRE_REFUSED(run_update(**fetcher, r.options()), Errc::network, "127.0.0.1");
}

TEST_CASE("http: only http and https URLs are accepted") {
  CHECK(HttpRepoFetcher::create("file:///etc/").error().code == Errc::invalid_input);
  CHECK(HttpRepoFetcher::create("ftp://example.org/").error().code == Errc::invalid_input);
}
