// Rotating the FROST group that signs targets (docs/frost.md, "Rotating the FROST group"), end to end
// through cocoon-sign, with tuf-js 6.0.2 and cocoon-verify following the root chain. The order that works:
// a release signed by the old AND the new group is published under the old root, then the new root.
// Publishing the new root first is refused, and so is, after the rotation, a release signed by the old
// group alone — by publish, by tuf-js and by cocoon-verify.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "../release/cli_flow.hpp"
#include "../support/tufjs.hpp"
#include "release/repository.hpp"
#include "release/roles.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::release::testing;
using cocoon::test::CommandResult;
using cocoon::test::shell_quote;

namespace {

const std::string kVerifyTool = COCOON_BINARY_DIR "/tools/cocoon-verify/cocoon-verify";
const std::string kClient = COCOON_SOURCE_DIR "/tests/interop/tuf-js/client.js";
const std::string kRootNotReady = "first publish a release signed by enough keys of the new root";

bool have_tufjs() {
  if (!cocoon::test::node_installed()) {
    WARN("SKIPPED: node is not installed, the tuf-js part of this test cannot run");
    return false;
  }
  INFO("tuf-js 6.0.2 is not installed in " << cocoon::test::tufjs_modules() << " (run ci/setup)");
  REQUIRE(cocoon::test::tufjs_installed());
  return true;
}

Envelope load_env(const fs::path& path) {
  auto text = read_text_file(path);
  REQUIRE(text.ok());
  auto env = parse_envelope_text(*text, path.string());
  REQUIRE(env.ok());
  return *env;
}

Root load_root(const fs::path& path) {
  auto root = parse_root(load_env(path).signed_part);
  REQUIRE(root.ok());
  return *root;
}

std::vector<std::string> keyids_of(const Envelope& env) {
  std::vector<std::string> ids;
  for (const auto& s : env.signatures) ids.push_back(s.keyid);
  return ids;
}

// A repository whose root v1 has five maintainers (root threshold 3) and a dealer-made 3-of-5 FROST group
// (keys-A/) as its targets key; more groups are made with make_group.
struct RotationWorld : CliWorld {
  crypto::SecretKey erin = key("erin", 5);

  // keys-<name>/group.json and keys-<name>/participant-<i>/ (trusted dealer: enough for a test).
  void make_group(const std::string& name) {
    require_ok(sign_tool("frost keygen --dealer --threshold 3 --participants 5 --out-dir keys-" + name));
  }

  std::string group_file(const std::string& name) const { return "keys-" + name + "/group.json"; }

  // The TUF key id of a group's key, as the root and the draft's signature entry carry it.
  std::string group_keyid(const std::string& name) const {
    auto doc = parse_json(read_text_file(at(group_file(name))).value());
    REQUIRE(doc.ok());
    auto key = hex_decode((*doc)["group_public_key"].get<std::string>());
    REQUIRE(key.ok());
    REQUIRE(key->size() == 32);
    crypto::Ed25519PublicKey pk{};
    std::copy(key->begin(), key->end(), pk.begin());
    return crypto::ed25519_key_id(pk);
  }

  void root_ceremony() {
    make_group("A");
    for (const auto* k : {&cast.alice, &cast.bob, &cast.carol, &cast.dave, &erin, &cast.online})
      write_key(*k, false);
    Json builders = Json::array();
    for (const auto* b : {&cast.builder1, &cast.builder2, &cast.builder3})
      builders.push_back(crypto::public_key_json(b->public_key()));
    REQUIRE(write_file_atomic(at("builders.json"), pretty_json(builders)).ok());
    REQUIRE(write_file_atomic(at("log.pub"), make_policy(cast).log_verifier_key + "\n").ok());
    std::string args =
        "root init --threshold 3 --online-pub online.pub --builders builders.json --builder-threshold 2 "
        "--log-vkey log.pub --frost-group " +
        group_file("A") + " --out root.json";
    for (const char* m : {"alice", "bob", "carol", "dave", "erin"})
      args += " --maintainer " + std::string(m) + ".pub";
    require_ok(sign_tool(args));
    for (const char* m : {"alice", "carol", "erin"})
      require_ok(sign_tool("sign root.json --key " + std::string(m) + ".key"));
    require_ok(sign_tool("publish root.json --repo repo"));
    auto signer = tlog::make_signer(cast.log.name, cast.log.pair);
    REQUIRE(signer.ok());
    REQUIRE(tlog::LogWriter::create(at("log"), *signer).ok());
    REQUIRE(crypto::save_secret_key(at("log.key"), cast.log, std::nullopt).ok());
  }

  // Both FROST rounds of participants 1, 3 and 5 of `group` over `draft`, into c-<tag>/ and s-<tag>/.
  void frost_rounds(const std::string& draft, const std::string& group, const std::string& tag) {
    for (int id : {1, 3, 5})
      require_ok(sign_tool("frost commit " + draft + " --state keys-" + group + "/participant-" +
                           std::to_string(id) + " --out c-" + tag + "/" + std::to_string(id) + ".json"));
    for (int id : {1, 3, 5})
      require_ok(sign_tool("frost sign " + draft + " --state keys-" + group + "/participant-" +
                           std::to_string(id) + " --commitments c-" + tag + " --out s-" + tag + "/" +
                           std::to_string(id) + ".json"));
  }

  CommandResult aggregate(const std::string& draft, const std::string& group, const std::string& tag,
                          const std::string& extra = "") {
    return sign_tool("frost aggregate " + draft + " --group " + group_file(group) + " --commitments c-" +
                     tag + " --shares s-" + tag + " " + extra);
  }

  // Rounds and aggregation into the draft in place.
  void frost_sign(const std::string& draft, const std::string& group, const std::string& tag) {
    frost_rounds(draft, group, tag);
    require_ok(aggregate(draft, group, tag));
  }

  // A root draft from `rotate_args`, signed by alice, bob and dave (the threshold of the old and new root).
  void rotate_root(const std::string& rotate_args, const std::string& out) {
    require_ok(sign_tool("root rotate --root repo/metadata/root.json " + rotate_args + " --out " + out));
    for (const char* m : {"alice", "bob", "dave"})
      require_ok(sign_tool("sign " + out + " --key " + std::string(m) + ".key"));
  }

  // tuf-js starting from root v1 (or from what it already trusts in `cache`), downloading hello.bin.
  CommandResult tufjs_update(const fs::path& repo_dir, const std::string& cache,
                             const std::string& out) const {
    return cocoon::test::run_shell(cocoon::test::node_command(
        shell_quote(kClient) + " update " + q(repo_dir) + " " + q(repo_dir / "metadata/1.root.json") + " " +
        q(at(cache)) + " sample/hello.bin " + q(at(out))));
  }

  // cocoon-verify as a node operator runs it; `state` keeps what the node trusts between runs.
  CommandResult verify_update(const fs::path& repo_dir, const std::string& state,
                              const std::string& out) const {
    return cocoon::test::run_shell(kVerifyTool + " update --repo " + q(repo_dir) + " --root " +
                                   q(repo_dir / "metadata/1.root.json") + " --state " + q(at(state)) +
                                   " --target sample/hello.bin --download " + q(at(out)) + " --json");
  }

  // Both clients, each continuing from what it trusted before, accept and download `content` under
  // root `root_version` and targets `targets_version`.
  void clients_accept(const std::string& content, std::uint64_t root_version, std::uint64_t targets_version) {
    const std::string out = "hello-" + std::to_string(targets_version);
    auto ours = verify_update(repo, "node-state", out + "-verify.bin");
    INFO(ours.output);
    REQUIRE(ours.exit_code == 0);
    auto report = parse_json(ours.output);
    REQUIRE(report.ok());
    CHECK((*report)["verdict"] == "ACCEPT");
    CHECK((*report)["mode"] == "cocoon");
    CHECK((*report)["versions"]["root"] == root_version);
    CHECK((*report)["versions"]["targets"] == targets_version);
    CHECK(read_text_file(at(out + "-verify.bin")).value() == content);
    if (!have_tufjs()) return;
    auto js = tufjs_update(repo, "tufjs-cache", out + "-tufjs.bin");
    INFO(js.output);
    REQUIRE(js.exit_code == 0);
    CHECK(js.output.find("\"root_version\":" + std::to_string(root_version) +
                         ",\"targets_version\":" + std::to_string(targets_version)) != std::string::npos);
    CHECK(read_text_file(at(out + "-tufjs.bin")).value() == content);
  }

  // The published root.json's version and the timestamp file's bytes: a refused publish changes neither.
  std::pair<std::uint64_t, std::string> published_state() const {
    auto root = parse_root(load_env(repo / "metadata/root.json").signed_part);
    REQUIRE(root.ok());
    return {root->common.version, read_text_file(repo / "metadata/timestamp.json").value()};
  }
};

// A copy of the repository in which `draft` (whose signatures the current root does not accept) is
// published by hand — the artifact laid out and a fresh snapshot and timestamp signed by the online
// key — so the only thing wrong is who signed the targets.
fs::path hand_publish_copy(const RotationWorld& w, const std::string& draft, const std::string& content,
                           const std::string& name) {
  fs::path bad = w.at(name);
  fs::copy(w.repo, bad, fs::copy_options::recursive);
  Envelope env = load_env(w.at(draft));
  auto targets = parse_targets(env.signed_part);
  REQUIRE(targets.ok());
  for (const auto& [path, file] : targets->targets) {
    fs::path target_path(path);
    fs::create_directories(bad / "targets" / target_path.parent_path());
    for (const auto& [alg, hex] : file.hashes)
      REQUIRE(write_file_atomic(
                  bad / "targets" / target_path.parent_path() / (hex + "." + target_path.filename().string()),
                  content)
                  .ok());
  }
  publish_by_hand(bad, env, w.cast.online);
  return bad;
}

// What both clients say about a hand-published copy: refused on the targets signature, nothing downloaded.
void clients_refuse(const RotationWorld& w, const fs::path& bad, const std::string& tag) {
  fs::copy(w.at("node-state"), w.at("node-state-" + tag), fs::copy_options::recursive);
  auto ours = w.verify_update(bad, "node-state-" + tag, "refused-" + tag + "-verify.bin");
  INFO(ours.output);
  CHECK(ours.exit_code == 4);
  CHECK(ours.output.find("\"verdict\": \"REJECT\"") != std::string::npos);
  CHECK(ours.output.find("\"message\": \"targets version") != std::string::npos);
  CHECK(ours.output.find("0 distinct targets key(s) signed") != std::string::npos);
  CHECK_FALSE(fs::exists(w.at("refused-" + tag + "-verify.bin")));
  if (!have_tufjs()) return;
  fs::copy(w.at("tufjs-cache"), w.at("tufjs-cache-" + tag), fs::copy_options::recursive);
  auto js = w.tufjs_update(bad, "tufjs-cache-" + tag, "refused-" + tag + "-tufjs.bin");
  INFO(js.output);
  CHECK(js.exit_code == 1);
  CHECK(js.output.find("targets was signed by 0/") != std::string::npos);
  CHECK_FALSE(fs::exists(w.at("refused-" + tag + "-tufjs.bin")));
}

}  // namespace

TEST_CASE("the FROST targets group is rotated: old and new group sign one release, then the new root",
          "[frost][tuf][rotation]") {
  RotationWorld w;
  w.root_ceremony();
  w.make_group("B");
  const std::string keyid_a = w.group_keyid("A"), keyid_b = w.group_keyid("B");
  REQUIRE(keyid_a != keyid_b);

  // Release 1, signed by group A under root v1; both clients start from root v1.
  const std::string draft1 = w.propose("0.1.0", "release one\n");
  w.frost_sign(draft1, "A", "a1");
  w.require_ok(w.publish(draft1, "0.1.0"));
  w.clients_accept("release one\n", 1, 1);

  // Root v2 names group B (with who its participants are); the maintainers sign it now, but it can
  // only be published once a release signed by group B is out.
  std::string names;
  for (const char* n : {"1=frank", "2=grace", "3=heidi", "4=ivan", "5=judy"})
    names += " --frost-name " + std::string(n);
  w.rotate_root("--frost-group " + w.group_file("B") + names, "root2.draft.json");
  Root root2 = load_root(w.at("root2.draft.json"));
  CHECK(root2.common.version == 2);
  REQUIRE(root2.frost.has_value());
  CHECK(root2.frost->keyid == keyid_b);
  CHECK(root2.frost->name_of(3) == "heidi");
  CHECK(root2.role(kRoleTargets).keyids == std::vector<std::string>{keyid_b});
  CHECK(root2.role(kRoleTargets).threshold == 1);
  CHECK(root2.role(kRoleRoot).keyids == load_root(w.repo / "metadata/1.root.json").role(kRoleRoot).keyids);
  CHECK(root2.role(kRoleRoot).threshold == 3);

  // Published now, root v2 would leave release 1 (group A only) unverifiable: refused, nothing written.
  const auto before = w.published_state();
  auto early = w.sign_tool("publish root2.draft.json --repo repo --online-key online.key");
  INFO(early.output);
  CHECK(early.exit_code == 4);
  CHECK(early.output.find(kRootNotReady) != std::string::npos);
  CHECK(w.published_state() == before);
  CHECK_FALSE(fs::exists(w.repo / "metadata/2.root.json"));

  // (a) Release 2: both groups sign the same draft (the signatures are over "signed" only).
  const std::string draft2 = w.propose("0.2.0", "release two\n");
  w.frost_rounds(draft2, "A", "a2");
  w.frost_rounds(draft2, "B", "b2");
  w.require_ok(w.aggregate(draft2, "B", "b2", "--into b-only-" + draft2));
  w.require_ok(w.aggregate(draft2, "A", "a2"));
  // Still A only: root v2 is refused as before.
  auto still_early = w.sign_tool("publish root2.draft.json --repo repo --online-key online.key");
  INFO(still_early.output);
  CHECK(still_early.exit_code == 4);
  CHECK(still_early.output.find(kRootNotReady) != std::string::npos);
  // A second group's signature fits beside the first (only the same key id is refused).
  w.require_ok(w.aggregate(draft2, "B", "b2"));
  CHECK(keyids_of(load_env(w.at(draft2))) == std::vector<std::string>{keyid_a, keyid_b});
  auto twice = w.aggregate(draft2, "B", "b2");
  INFO(twice.output);
  CHECK(twice.exit_code == 2);
  CHECK(load_env(w.at(draft2)).signatures.size() == 2);
  // Group B alone does not count under root v1.
  auto b_only = w.publish("b-only-" + draft2, "0.2.0");
  INFO(b_only.output);
  CHECK(b_only.exit_code == 4);
  CHECK(b_only.output.find("0 distinct targets key(s)") != std::string::npos);
  auto status = w.sign_tool("status " + draft2 + " --root repo/metadata/root.json");
  INFO(status.output);
  CHECK(status.exit_code == 0);
  CHECK(status.output.find("signed:  FROST group 3 of 5 (" + keyid_a.substr(0, 16)) != std::string::npos);
  // Checked against the root v2 draft, the same release counts by group B's signature.
  auto status2 = w.sign_tool("status " + draft2 + " --root root2.draft.json");
  INFO(status2.output);
  CHECK(status2.exit_code == 0);
  CHECK(status2.output.find("signed:  FROST group 3 of 5 (" + keyid_b.substr(0, 16)) != std::string::npos);
  CHECK(status2.output.find("frank, grace, heidi, ivan, judy") != std::string::npos);

  // (b) Published under root v1, where group A's signature counts.
  w.require_ok(w.publish(draft2, "0.2.0"));
  CHECK(keyids_of(load_env(w.repo / "metadata/2.targets.json")).size() == 2);

  // (c) Now root v2 goes out; snapshot and timestamp are re-signed under it.
  const auto before_root2 = w.published_state();
  w.require_ok(w.sign_tool("publish root2.draft.json --repo repo --online-key online.key"));
  CHECK(w.published_state().first == 2);
  CHECK(w.published_state().second != before_root2.second);
  CHECK(fs::exists(w.repo / "metadata/2.root.json"));

  // (d) Both clients, trusting root v1 and release 1, follow root v1 -> v2 and take release 2.
  w.clients_accept("release two\n", 2, 2);

  // (e) Release 3, signed by group B alone, under root v2.
  const std::string draft3 = w.propose("0.3.0", "release three\n");
  w.frost_sign(draft3, "B", "b3");
  CHECK(keyids_of(load_env(w.at(draft3))) == std::vector<std::string>{keyid_b});
  w.require_ok(w.publish(draft3, "0.3.0"));
  w.clients_accept("release three\n", 2, 3);

  // A release signed by the retired group A alone: publish refuses it under root v2 ...
  const std::string draft4 = w.propose("0.4.0", "old group\n");
  w.frost_sign(draft4, "A", "a4");
  const auto before_old = w.published_state();
  auto old_group = w.publish(draft4, "0.4.0");
  INFO(old_group.output);
  CHECK(old_group.exit_code == 4);
  CHECK(old_group.output.find("0 distinct targets key(s)") != std::string::npos);
  CHECK(w.published_state() == before_old);
  CHECK_FALSE(fs::exists(w.repo / "metadata/4.targets.json"));
  // ... and so do both clients when it is published by hand with a valid snapshot and timestamp.
  clients_refuse(w, hand_publish_copy(w, draft4, "old group\n", "repo-old-group"), "old-group");
  // The same hand-publishing with release 4 signed by group B instead is accepted by tuf-js (cocoon-verify
  // would also want the release's log bundle): the refusal above is the signature's doing.
  if (!have_tufjs()) return;
  Envelope by_b = load_env(w.at(draft4));
  by_b.signatures.clear();
  REQUIRE(write_file_atomic(w.at("b-" + draft4), envelope_text(by_b)).ok());
  w.frost_sign("b-" + draft4, "B", "b4");
  fs::path good = hand_publish_copy(w, "b-" + draft4, "old group\n", "repo-new-group");
  fs::copy(w.at("tufjs-cache"), w.at("tufjs-cache-new-group"), fs::copy_options::recursive);
  auto js = w.tufjs_update(good, "tufjs-cache-new-group", "hello-4-tufjs.bin");
  INFO(js.output);
  CHECK(js.exit_code == 0);
  CHECK(read_text_file(w.at("hello-4-tufjs.bin")).value() == "old group\n");
}

TEST_CASE(
    "dropping the FROST group (--drop-frost-group) hands targets back to the maintainers after a release "
    "both signed",
    "[frost][tuf][rotation]") {
  RotationWorld w;
  w.root_ceremony();
  const std::string keyid_a = w.group_keyid("A");

  const std::string draft1 = w.propose("0.1.0", "release one\n");
  w.frost_sign(draft1, "A", "a1");
  w.require_ok(w.publish(draft1, "0.1.0"));
  w.clients_accept("release one\n", 1, 1);

  w.rotate_root("--drop-frost-group --targets-threshold 2", "root2.draft.json");
  Root root2 = load_root(w.at("root2.draft.json"));
  CHECK_FALSE(root2.frost.has_value());
  CHECK(root2.role(kRoleTargets).keyids == root2.role(kRoleRoot).keyids);
  CHECK(root2.role(kRoleTargets).threshold == 2);
  // Release 1 carries no maintainer signature: the rotation must wait.
  auto early = w.sign_tool("publish root2.draft.json --repo repo --online-key online.key");
  INFO(early.output);
  CHECK(early.exit_code == 4);
  CHECK(early.output.find(kRootNotReady) != std::string::npos);
  CHECK_FALSE(fs::exists(w.repo / "metadata/2.root.json"));

  // Release 2: the group and two maintainers; under root v1 only the group counts, under v2 only they.
  const std::string draft2 = w.propose("0.2.0", "release two\n");
  w.frost_sign(draft2, "A", "a2");
  for (const char* m : {"alice", "carol"})
    w.require_ok(w.sign_tool("sign " + draft2 + " --key " + m + ".key"));
  CHECK(load_env(w.at(draft2)).signatures.size() == 3);
  w.require_ok(w.publish(draft2, "0.2.0"));
  w.require_ok(w.sign_tool("publish root2.draft.json --repo repo --online-key online.key"));
  w.clients_accept("release two\n", 2, 2);

  // Release 3 by two maintainers alone is accepted; one signed by the dropped group alone is refused.
  const std::string draft3 = w.propose("0.3.0", "release three\n");
  for (const char* m : {"bob", "dave"}) w.require_ok(w.sign_tool("sign " + draft3 + " --key " + m + ".key"));
  w.require_ok(w.publish(draft3, "0.3.0"));
  w.clients_accept("release three\n", 2, 3);
  const std::string draft4 = w.propose("0.4.0", "dropped group\n");
  w.frost_sign(draft4, "A", "a4");
  CHECK(keyids_of(load_env(w.at(draft4))) == std::vector<std::string>{keyid_a});
  auto dropped = w.publish(draft4, "0.4.0");
  INFO(dropped.output);
  CHECK(dropped.exit_code == 4);
  CHECK(dropped.output.find("0 distinct targets key(s) signed, threshold is 2") != std::string::npos);
  clients_refuse(w, hand_publish_copy(w, draft4, "dropped group\n", "repo-dropped"), "dropped");
}
