// Plain TUF with the keys the TUF world uses (ECDSA P-256 as PEM and as a hex point, RSA-PSS, RSA
// PKCS#1 v1.5), made and signed by pyca/cryptography the way securesystemslib and python-tuf do
// (tests/verify/foreign_keys.py): the models accept them, thresholds count key material, and
// `cocoon-verify update` walks a whole repository signed that way. Each variant of the repository
// breaks one thing and must be refused for that reason.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "../release/release_fixtures.hpp"
#include "../support/shell.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "release/metadata.hpp"
#include "release/roles.hpp"
#include "release/threshold.hpp"
#include "verify/delegations.hpp"

using namespace cocoon;
namespace fs = std::filesystem;
using cocoon::test::run_shell;
using cocoon::test::shell_quote;

namespace {

const std::string kHelper = COCOON_SOURCE_DIR "/tests/verify/foreign_keys.py";
const std::string kPython = "/usr/bin/python3";  // Debian's, with python3-cryptography
const std::string kVerify = COCOON_BINARY_DIR "/tools/cocoon-verify/cocoon-verify";

std::string q(const fs::path& p) {
  return shell_quote(p.string());
}

std::string slurp(const fs::path& p) {
  auto data = read_file(p, 16 << 20);
  return data.ok() ? to_string(*data) : std::string();
}

// One repository written by foreign_keys.py.
struct ForeignRepo {
  TempDir dir = TempDir::create("foreign-keys-").value();
  Json summary;

  explicit ForeignRepo(const std::string& variant) {
    auto r = run_shell(kPython + " " + q(kHelper) + " repo " + q(repo()) + " " + shell_quote(variant) +
                       " 2>" + q(dir.path() / "helper.err"));
    INFO(slurp(dir.path() / "helper.err") << "\n(python3-cryptography is installed by ci/setup)");
    REQUIRE(r.exit_code == 0);
    auto s = parse_json(r.output, "helper summary");
    REQUIRE(s.ok());
    summary = *s;
  }
  fs::path repo() const { return dir.path() / "repo"; }
  fs::path metadata(const std::string& name) const { return repo() / "metadata" / name; }
  release::Envelope envelope(const std::string& name) const {
    auto env = release::parse_envelope_text(slurp(metadata(name)), name);
    REQUIRE(env.ok());
    return *env;
  }

  struct Verdict {
    int exit_code = -1;
    Json json;
  };
  Verdict update() const {
    fs::path state = dir.path() / "state";
    fs::create_directories(state);
    std::string cmd = q(kVerify) + " update --json --repo " + q(repo()) + " --root " +
                      q(metadata("1.root.json")) + " --state " + q(state) +
                      " --target hello.txt --download " + q(dir.path() / "hello.txt") + " >" +
                      q(dir.path() / "out.json") + " 2>" + q(dir.path() / "out.err");
    auto r = run_shell(cmd);
    INFO(cmd << "\n" << slurp(dir.path() / "out.err"));
    auto doc = parse_json(slurp(dir.path() / "out.json"), "cocoon-verify --json");
    REQUIRE(doc.ok());
    CHECK(doc->at("mode") == "plain-tuf");
    return {r.exit_code, *doc};
  }
};

std::string reason_class(const Json& verdict) {
  return verdict.at("reason").at("class").get<std::string>();
}

}  // namespace

TEST_CASE("cocoon-verify updates from a repository signed with ECDSA and RSA keys", "[verify][foreign]") {
  ForeignRepo r("good");
  auto v = r.update();
  INFO(v.json.dump());
  REQUIRE(v.exit_code == 0);
  CHECK(v.json.at("verdict") == "ACCEPT");
  CHECK(slurp(r.dir.path() / "hello.txt") == r.summary.at("content").get<std::string>());
  // The root chain was walked with ECDSA + RSA-PSS signatures: version 2 is now trusted.
  auto root = parse_json(slurp(r.dir.path() / "state" / "root.json"));
  REQUIRE(root.ok());
  CHECK(root->at("signed").at("version") == 2);
}

TEST_CASE("foreign key objects keep their key ids, extra members included", "[verify][foreign]") {
  ForeignRepo r("good");
  release::Envelope env = r.envelope("1.root.json");
  auto root = release::parse_root(env.signed_part);
  REQUIRE(root.ok());
  REQUIRE(root->keys.size() == 6);
  const std::string ts_id = r.summary.at("timestamp_keyid").get<std::string>();
  const crypto::TufKey& ts = root->keys.at(ts_id);
  CHECK(ts.usable());
  CHECK(ts.json().contains("extra-field"));
  CHECK(ts.json().contains("keyid_hash_algorithms"));
  // Dropping the extra member changes the key id: the id covers it, so the key under the old id
  // becomes unusable (it signs nothing; the rest of the root still loads).
  Json tampered = env.signed_part;
  tampered["keys"][ts_id].erase("extra-field");
  auto tampered_root = release::parse_root(tampered);
  REQUIRE(tampered_root.ok());
  CHECK_FALSE(tampered_root->keys.at(ts_id).usable());
  auto ts_count =
      release::count_signatures(*tampered_root, release::kRoleTimestamp, r.envelope("timestamp.json"));
  REQUIRE(ts_count.ok());
  CHECK_FALSE(ts_count->met());
  // root_json writes every key object back as read: same key ids, same signed bytes.
  CHECK(release::root_json(*root) == env.signed_part);
  // The garbage-PEM snapshot key is kept, unusable; its signature entry is ignored, not fatal.
  auto count = release::count_signatures(*root, release::kRoleSnapshot, r.envelope("1.snapshot.json"));
  REQUIRE(count.ok());
  CHECK(count->met());
  CHECK(count->signed_by.size() == 1);
  REQUIRE(count->ignored.size() == 1);
  CHECK(count->ignored[0].find("cannot be checked") != std::string::npos);
  for (const char* role : {"root", "targets", "timestamp"}) {
    INFO(role);
    auto name =
        std::string(role == std::string("timestamp") ? "timestamp.json" : std::string("1.") + role + ".json");
    CHECK(release::check_threshold(*root, role, r.envelope(name), name).ok());
  }
}

TEST_CASE("one ECDSA key under two key ids (PEM and hex) counts once", "[verify][foreign][attack]") {
  ForeignRepo r("good");
  release::Envelope env = r.envelope("1.root.json");
  auto root = release::parse_root(env.signed_part);
  REQUIRE(root.ok());
  // The snapshot key is a hex point; list the same point as PEM under a second key id.
  const std::string snap_id = root->role(release::kRoleSnapshot).keyids.front();
  const crypto::TufKey& hex_key = root->keys.at(snap_id);
  REQUIRE(hex_key.algorithm() == crypto::TufKeyAlgorithm::ecdsa_p256_sha256);
  // The PEM form of the same key, via the openssl CLI reading its DER SPKI.
  TempDir tmp = TempDir::create("foreign-pem-").value();
  std::string point = hex_key.json().at("keyval").at("public").get<std::string>();
  // SPKI header for id-ecPublicKey / prime256v1 followed by the 65-byte point.
  std::string spki_hex = "3059301306072a8648ce3d020106082a8648ce3d030107034200" + point;
  REQUIRE(write_file_atomic(tmp.path() / "k.der", hex_decode(spki_hex).value()).ok());
  auto conv = run_shell("openssl pkey -pubin -inform DER -in " + q(tmp.path() / "k.der") + " -pubout -out " +
                        q(tmp.path() / "k.pem"));
  INFO(conv.output);
  REQUIRE(conv.exit_code == 0);
  Json pem_object{{"keytype", "ecdsa"},
                  {"scheme", "ecdsa-sha2-nistp256"},
                  {"keyval", Json{{"public", slurp(tmp.path() / "k.pem")}}}};
  auto pem_key = crypto::TufKey::from_json(pem_object);
  REQUIRE(pem_key.ok());
  REQUIRE(pem_key->usable());
  CHECK(*pem_key == hex_key);

  release::Root twice = *root;
  twice.keys[pem_key->key_id()] = *pem_key;
  twice.roles[release::kRoleSnapshot].keyids = {snap_id, pem_key->key_id()};
  twice.roles[release::kRoleSnapshot].threshold = 2;
  release::Envelope snap = r.envelope("1.snapshot.json");
  release::SignatureEntry good;
  for (const auto& s : snap.signatures) {
    if (s.keyid == snap_id) good = s;
  }
  snap.signatures = {good, {pem_key->key_id(), good.sig}};
  auto count = release::count_signatures(twice, release::kRoleSnapshot, snap);
  REQUIRE(count.ok());
  CHECK(count->signed_by.size() == 1);
  CHECK_FALSE(count->met());
  CHECK(release::check_threshold(twice, release::kRoleSnapshot, snap, "snapshot").error().code ==
        Errc::signature);
}

TEST_CASE("metadata with two signatures under one key id is refused", "[verify][foreign][attack]") {
  ForeignRepo r("duplicate-sigs");
  auto text = slurp(r.metadata("timestamp.json"));
  auto env = release::parse_envelope_text(text, "timestamp.json");
  REQUIRE_FALSE(env.ok());
  CHECK(env.error().code == Errc::invalid_input);
  CHECK(env.error().message.find("two signatures under key id") != std::string::npos);
  auto v = r.update();
  CHECK(v.exit_code != 0);
  CHECK(v.json.at("verdict") == "REJECT");
  CHECK(reason_class(v.json) == errc_name(Errc::invalid_input));
}

TEST_CASE("a repository whose keys do not match their schemes is refused", "[verify][foreign][attack]") {
  // wrong-scheme: the targets key is RSA declared as ECDSA; wrong-curve: the timestamp key is P-384
  // declared as nistp256; pss-mgf1-sha1: one of the two root signatures uses MGF1-SHA1.
  for (const char* variant : {"wrong-scheme", "wrong-curve", "pss-mgf1-sha1"}) {
    INFO(variant);
    ForeignRepo r(variant);
    auto v = r.update();
    INFO(v.json.dump());
    CHECK(v.exit_code != 0);
    CHECK(v.json.at("verdict") == "REJECT");
    CHECK(reason_class(v.json) == errc_name(Errc::signature));
    CHECK_FALSE(fs::exists(r.dir.path() / "hello.txt"));
  }
}

TEST_CASE("a Cocoon root is Ed25519-only by policy, with its own message", "[verify][foreign]") {
  release::testing::Cast c;
  Json cocoon_root = release::root_json(release::testing::make_test_root({&c.alice}, 1, c.online, c));
  REQUIRE(release::parse_root(cocoon_root).ok());
  // Add one of the foreign ECDSA keys, even unused by any role: the policy refuses it.
  ForeignRepo r("good");
  Json foreign = r.envelope("1.root.json").signed_part;
  const std::string ts_id = r.summary.at("timestamp_keyid").get<std::string>();
  cocoon_root["keys"][ts_id] = foreign.at("keys").at(ts_id);
  auto refused = release::parse_root(cocoon_root);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Errc::unsupported);
  CHECK(refused.error().message.find("uses Ed25519 keys only") != std::string::npos);
  // Without the policy member the same root is plain TUF and loads.
  cocoon_root.erase("x-cocoon-policy");
  CHECK(release::parse_root(cocoon_root).ok());
}

TEST_CASE("delegations with ECDSA and RSA keys", "[verify][foreign]") {
  ForeignRepo r("good");
  Json root = r.envelope("1.root.json").signed_part;
  Json targets = r.envelope("1.targets.json").signed_part;
  Json keys = root.at("keys");
  Json role_ids = Json::array();
  for (auto it = keys.begin(); it != keys.end(); ++it) role_ids.push_back(it.key());
  targets["delegations"] = Json{
      {"keys", keys},
      {"roles",
       Json::array({Json{
           {"name", "apps"}, {"keyids", role_ids}, {"threshold", 2u}, {"paths", Json::array({"apps/*"})}}})}};
  auto d = verify::parse_delegations(targets);
  INFO((d.ok() ? std::string() : d.error().message));
  REQUIRE(d.ok());
  REQUIRE(d->has_value());
  CHECK((*d)->keys.size() == 6);
  std::size_t usable = 0;
  for (const auto& [id, key] : (*d)->keys) usable += key.usable() ? 1 : 0;
  CHECK(usable == 5);  // the garbage-PEM key stays, unusable
  // The hostile shapes a key object can take: a non-object is refused, a wrong-typed member is not fatal.
  Json bad = targets;
  bad["delegations"]["keys"][role_ids[0].get<std::string>()] = 5;
  CHECK(verify::parse_delegations(bad).error().code == Errc::invalid_input);
  Json odd_key = Json{{"keytype", 5}};
  auto odd = crypto::TufKey::from_json(odd_key);
  REQUIRE(odd.ok());
  Json weird = targets;
  weird["delegations"]["keys"] = Json{{odd->key_id(), odd_key}};
  weird["delegations"]["roles"][0]["keyids"] = Json::array({odd->key_id()});
  weird["delegations"]["roles"][0]["threshold"] = 1u;
  auto w = verify::parse_delegations(weird);
  REQUIRE(w.ok());
  CHECK_FALSE((*w)->keys.at(odd->key_id()).usable());
}
