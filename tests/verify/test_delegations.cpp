// Plain-TUF mode: delegated targets roles (pre-order search, terminating delegations, path patterns).
#include <catch2/catch.hpp>

#include "crypto/hash.hpp"
#include "release/roles.hpp"
#include "repo_fixture.hpp"
#include "verify/delegations.hpp"

using namespace cocoon;
using namespace cocoon::verify;
using namespace cocoon::verify::testing;

namespace {

struct DelegatingRepo {
  Repo r{false};
  crypto::SecretKey d1 = *crypto::generate_secret_key("delegate-1");
  crypto::SecretKey d2 = *crypto::generate_secret_key("delegate-2");

  release::TargetFile file(const std::string& path, const std::string& content) {
    release::TargetFile tf;
    Bytes data = to_bytes(content);
    tf.length = data.size();
    tf.hashes = release::tuf_hashes(data);
    r.write(target_file_path(path, tf.hashes), data);
    return tf;
  }

  Json keys() const {
    Json k = Json::object();
    for (const auto* key : {&d1, &d2})
      k[crypto::ed25519_key_id(key->pair.public_key)] = crypto::ed25519_tuf_key(key->pair.public_key);
    return k;
  }

  static Json role(const std::string& name, const std::vector<const crypto::SecretKey*>& keys,
                   std::uint64_t threshold, bool terminating, Json paths) {
    Json ids = Json::array();
    for (const auto* k : keys) ids.push_back(crypto::ed25519_key_id(k->pair.public_key));
    Json out = {{"name", name}, {"keyids", ids}, {"threshold", threshold}, {"terminating", terminating}};
    if (paths.is_object()) {
      out["path_hash_prefixes"] = paths["prefixes"];
    } else {
      out["paths"] = paths;
    }
    return out;
  }

  // Targets metadata of one role: `files` (path -> content) and optional delegated `roles`.
  Bytes role_metadata(const Files& files, const Json& roles,
                      const std::vector<const crypto::SecretKey*>& signers) {
    release::Targets t;
    t.common = release::CommonFields{release::kRoleTargets, release::kSpecVersion, 1, kNow + kYear};
    for (const auto& [path, content] : files) t.targets[path] = file(path, content);
    Json doc = release::targets_json(t);
    if (!roles.is_null()) doc["delegations"] = {{"keys", keys()}, {"roles", roles}};
    return Repo::sign(doc, signers);
  }

  // Publishes version 1 of every role (name -> metadata) with a snapshot listing them all.
  void publish(const std::map<std::string, Bytes>& roles) {
    release::Snapshot snap;
    snap.common = release::CommonFields{release::kRoleSnapshot, release::kSpecVersion, 1, kNow + kYear};
    for (const auto& [name, bytes] : roles) {
      r.write("metadata/1." + name + ".json", bytes);
      release::MetaFile m;
      m.version = 1;
      m.length = bytes.size();
      m.hashes = release::tuf_hashes(bytes);
      snap.meta[name + ".json"] = m;
    }
    Bytes snapshot = Repo::sign(release::snapshot_json(snap), {&r.online});
    r.write("metadata/1.snapshot.json", snapshot);
    r.write("metadata/timestamp.json", r.make_timestamp(1, 1, snapshot));
  }

  Bytes top(const Json& roles) { return role_metadata({}, roles, {&r.maintainers[0], &r.maintainers[1]}); }
};

std::string downloaded(const UpdateReport& report, const Repo& r, const std::string& dest) {
  REQUIRE_ACCEPTED(report);
  return to_string(*read_file(r.scratch() / dest));
}

}  // namespace

TEST_CASE("delegations: a target listed by a delegated role is found, checked and the role persisted") {
  DelegatingRepo d;
  Bytes packages = d.role_metadata({{"pkg/tool.bin", "tool"}}, nullptr, {&d.d1});
  d.publish(
      {{"targets", d.top(Json::array({DelegatingRepo::role("packages", {&d.d1}, 1, false, {"pkg/*"})}))},
       {"packages", packages}});
  UpdateOptions o = d.r.options("pkg/tool.bin");
  o.download = d.r.scratch() / "tool.bin";
  DirFetcher fetcher(d.r.repo());
  UpdateReport report = run_update(fetcher, o);
  CHECK(downloaded(report, d.r, "tool.bin") == "tool");
  CHECK_THAT(report.checks.back().detail, Catch::Matchers::Contains("listed by packages"));
  CHECK(*read_file(d.r.state() / "packages.json") == packages);
  // A second lookup uses the stored, still current copy.
  REQUIRE_ACCEPTED(d.r.update("pkg/tool.bin"));
}

TEST_CASE("delegations: pre-order search and terminating delegations") {
  SECTION("the first matching role in order answers") {
    DelegatingRepo d;
    Bytes a = d.role_metadata({{"pkg/tool.bin", "from a"}}, nullptr, {&d.d1});
    Bytes b = d.role_metadata({{"pkg/tool.bin", "from b"}}, nullptr, {&d.d2});
    d.publish({{"targets", d.top(Json::array({DelegatingRepo::role("a", {&d.d1}, 1, false, {"pkg/*"}),
                                              DelegatingRepo::role("b", {&d.d2}, 1, false, {"pkg/*"})}))},
               {"a", a},
               {"b", b}});
    UpdateOptions o = d.r.options("pkg/tool.bin");
    o.download = d.r.scratch() / "t";
    DirFetcher fetcher(d.r.repo());
    CHECK(downloaded(run_update(fetcher, o), d.r, "t") == "from a");
  }
  SECTION("depth first: a role's own delegations come before its siblings") {
    DelegatingRepo d;
    Bytes c = d.role_metadata({{"pkg/tool.bin", "from c"}}, nullptr, {&d.d2});
    Bytes a =
        d.role_metadata({}, Json::array({DelegatingRepo::role("c", {&d.d2}, 1, false, {"pkg/*"})}), {&d.d1});
    Bytes b = d.role_metadata({{"pkg/tool.bin", "from b"}}, nullptr, {&d.d2});
    d.publish({{"targets", d.top(Json::array({DelegatingRepo::role("a", {&d.d1}, 1, false, {"pkg/*"}),
                                              DelegatingRepo::role("b", {&d.d2}, 1, false, {"pkg/*"})}))},
               {"a", a},
               {"b", b},
               {"c", c}});
    UpdateOptions o = d.r.options("pkg/tool.bin");
    o.download = d.r.scratch() / "t";
    DirFetcher fetcher(d.r.repo());
    CHECK(downloaded(run_update(fetcher, o), d.r, "t") == "from c");
  }
  SECTION("a matching terminating delegation ends the search") {
    DelegatingRepo d;
    Bytes a = d.role_metadata({}, nullptr, {&d.d1});
    Bytes b = d.role_metadata({{"pkg/tool.bin", "from b"}}, nullptr, {&d.d2});
    d.publish({{"targets", d.top(Json::array({DelegatingRepo::role("a", {&d.d1}, 1, true, {"pkg/*"}),
                                              DelegatingRepo::role("b", {&d.d2}, 1, false, {"pkg/*"})}))},
               {"a", a},
               {"b", b}});
    REQUIRE_REFUSED(d.r.update("pkg/tool.bin"), Errc::not_found, "pkg/tool.bin");
  }
  SECTION("a terminating delegation that does not match changes nothing") {
    DelegatingRepo d;
    Bytes a = d.role_metadata({}, nullptr, {&d.d1});
    Bytes b = d.role_metadata({{"pkg/tool.bin", "from b"}}, nullptr, {&d.d2});
    d.publish({{"targets", d.top(Json::array({DelegatingRepo::role("a", {&d.d1}, 1, true, {"docs/*"}),
                                              DelegatingRepo::role("b", {&d.d2}, 1, false, {"pkg/*"})}))},
               {"a", a},
               {"b", b}});
    REQUIRE_ACCEPTED(d.r.update("pkg/tool.bin"));
  }
}

TEST_CASE("delegations: a delegated role below its threshold is refused") {
  {
    DelegatingRepo d;
    Bytes packages = d.role_metadata({{"pkg/tool.bin", "tool"}}, nullptr, {&d.d1});
    d.publish({{"targets",
                d.top(Json::array({DelegatingRepo::role("packages", {&d.d1, &d.d2}, 2, false, {"pkg/*"})}))},
               {"packages", packages}});
    REQUIRE_REFUSED(d.r.update("pkg/tool.bin"), Errc::signature,
                    "1 distinct packages key(s) signed, threshold is 2");
    CHECK_FALSE(std::filesystem::exists(d.r.state() / "packages.json"));
  }
  // One key signing twice to reach the threshold: the file is refused outright (docs/tuf-extensions.md).
  DelegatingRepo d;
  Bytes packages = d.role_metadata({{"pkg/tool.bin", "tool"}}, nullptr, {&d.d1, &d.d1});
  d.publish({{"targets",
              d.top(Json::array({DelegatingRepo::role("packages", {&d.d1, &d.d2}, 2, false, {"pkg/*"})}))},
             {"packages", packages}});
  REQUIRE_REFUSED(d.r.update("pkg/tool.bin"), Errc::invalid_input, "two signatures under key id");
  CHECK_FALSE(std::filesystem::exists(d.r.state() / "packages.json"));
}

TEST_CASE("delegations: path patterns and hash prefixes") {
  CHECK(path_pattern_matches("pkg/*", "pkg/tool.bin"));
  CHECK_FALSE(path_pattern_matches("pkg/*", "pkg/sub/tool.bin"));
  CHECK_FALSE(path_pattern_matches("*", "pkg/tool.bin"));
  CHECK(path_pattern_matches("pkg/*.bin", "pkg/tool.bin"));
  CHECK_FALSE(path_pattern_matches("pkg/*.bin", "pkg/tool.tar"));
  CHECK(path_pattern_matches("pkg/tool-?.bin", "pkg/tool-1.bin"));
  DelegatedRole role;
  role.name = "bins";
  std::string digest = crypto::sha256_hex(std::string("pkg/tool.bin"));
  role.path_hash_prefixes = std::vector<std::string>{digest.substr(0, 2)};
  CHECK(role_covers(role, "pkg/tool.bin"));
  role.path_hash_prefixes = std::vector<std::string>{digest[0] == '0' ? "1" : "0"};
  CHECK_FALSE(role_covers(role, "pkg/tool.bin"));
  // Malformed delegations are refused.
  Json bad = {{"delegations", {{"keys", Json::object()}, {"roles", Json::array({{{"name", "../x"}}})}}}};
  CHECK(parse_delegations(bad).error().code == Errc::invalid_input);
  Json both = {{"delegations",
                {{"keys", Json::object()},
                 {"roles", Json::array({{{"name", "x"}, {"keyids", Json::array()}, {"threshold", 1}}})}}}};
  CHECK(parse_delegations(both).error().code == Errc::invalid_input);
}
