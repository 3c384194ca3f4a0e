// Several products in one repository, as a node sees them: labels checked against the builders'
// attestations, a product pinned, and each product's version moving forward only.
#include <catch2/catch.hpp>

#include "core/file_io.hpp"
#include "core/json.hpp"
#include "repo_fixture.hpp"

using namespace cocoon;
using namespace cocoon::verify;
using namespace cocoon::verify::testing;

TEST_CASE("update: a release whose labels no builder attested is refused", "[verify][labels][attack]") {
  Repo r;
  // The same bytes the builders rebuilt, but the targets claim a version none of them built.
  r.claimed_version = "9.9.9";
  r.publish(1, {{"app/app.tar", "v1"}});
  REQUIRE_REFUSED(r.update(), Errc::label_mismatch, "version 9.9.9 where the builders attested 1.0");
}

TEST_CASE("update: a pinned product gets its latest release and bare artifact names", "[verify][products]") {
  Repo r;
  r.publish(1, {{"node/node.tar", "node v1"}, {"sdk/sdk.tar", "sdk v1"}});
  UpdateOptions o = r.options("node.tar");
  o.product = "node";
  o.download = r.scratch() / "node.tar";
  DirFetcher fetcher(r.repo());
  UpdateReport report = run_update(fetcher, o);
  REQUIRE_ACCEPTED(report);
  CHECK(report.product_version == "1.0");
  CHECK(to_string(*read_file(r.scratch() / "node.tar")) == "node v1");
  auto installed = parse_json(to_string(*read_file(r.state() / "cocoon" / "installed.json")));
  REQUIRE(installed.ok());
  CHECK((*installed)["product"] == "node");
  CHECK((*installed)["version"] == "1.0");
  CHECK((*installed)["target"] == "node/node.tar");
  bool listed = false;
  for (const auto& c : report.checks)
    listed = listed || (c.name == "products" && c.detail == "first seen: node 1.0, sdk 1.0");
  CHECK(listed);

  // A product the repository does not hold is refused, naming those it does.
  UpdateOptions other = r.options();
  other.product = "web";
  REQUIRE_REFUSED(run_update(fetcher, other), Errc::not_found, "products: node, sdk");
  // A wrong artifact name lists the product's targets.
  UpdateOptions wrong = r.options("nodee.tar");
  wrong.product = "node";
  REQUIRE_REFUSED(run_update(fetcher, wrong), Errc::not_found, "targets: node/node.tar)");
}

TEST_CASE("update: a product going back is refused even in a newer targets version",
          "[verify][products][rollback][attack]") {
  Repo r;
  r.publish(1, {{"node/node.tar", "node v1"}, {"sdk/sdk.tar", "sdk v1"}});
  REQUIRE_ACCEPTED(r.update());
  r.publish(2, {{"node/node.tar", "node v2"}, {"sdk/sdk.tar", "sdk v1"}});
  UpdateReport second = r.update();
  REQUIRE_ACCEPTED(second);
  bool described = false;
  for (const auto& c : second.checks)
    described = described || (c.name == "products" && c.detail == "node 1.0 -> 2.0, sdk 1.0 -> 2.0");
  CHECK(described);

  // Targets version 3, validly signed and logged, takes node back to the release of version 1.
  r.claimed_version = "1.0";
  r.publish(3, {{"node/node.tar", "node v1"}, {"sdk/sdk.tar", "sdk v1"}});
  REQUIRE_REFUSED(r.update(), Errc::rollback, "product node goes back from version 2.0 to 1.0");
  // The refused version became TUF's stored targets, but not the node's product record: asking again
  // is refused again.
  REQUIRE_REFUSED(r.update(), Errc::rollback, "goes back");
}

TEST_CASE("update: a product rewritten under the same version is refused", "[verify][products][attack]") {
  Repo r;
  r.claimed_version = "5.0";
  r.publish(1, {{"node/node.tar", "node v1"}});
  // The builders attest "1.0": labels differ, so this first release is refused for that already.
  REQUIRE_REFUSED(r.update(), Errc::label_mismatch, "");
  // A node that accepted a real 5.0 (its record says so) then sees other bytes under 5.0.
  Json record{{"node",
               {{"version", "5.0"},
                {"source_commit", std::string(40, 'c')},
                {"recipe_sha256", std::string(64, 'a')},
                {"files", {{"node/node.tar", std::string(64, '0')}}}}}};
  REQUIRE(write_file_atomic(r.state() / "cocoon" / "products.json", pretty_json(record)).ok());
  REQUIRE_REFUSED(r.update(), Errc::label_mismatch, "changed its targets without a new version");
}
