// FROST group signatures inside TUF metadata (docs/frost.md, "In a TUF repository"): a 3-of-5 DKG group
// is the targets key of a root, three participants sign a release draft through cocoon-sign, and tuf-js
// 6.0.2, cocoon-verify and python3-nacl accept the result; fewer signers, edited drafts and malformed
// "x-cocoon-frost" records are refused.
#include <cstdlib>
#include <functional>

#include "../release/cli_flow.hpp"
#include "../support/tufjs.hpp"
#include "frost/dealer.hpp"
#include "release/frost_record.hpp"
#include "release/repository.hpp"
#include "release/roles.hpp"
#include "tlog/log_writer.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::release::testing;
using cocoon::test::CommandResult;
using cocoon::test::shell_quote;

namespace {

const std::string kVerifyTool = COCOON_BINARY_DIR "/tools/cocoon-verify/cocoon-verify";
const std::string kClient = COCOON_SOURCE_DIR "/tests/interop/tuf-js/client.js";
const std::vector<std::string> kNames = {"alice", "bob", "carol", "dave", "erin"};

using cocoon::test::tufjs_modules;

bool have_node() {
  if (cocoon::test::run_shell("command -v node").exit_code == 0) return true;
  WARN("SKIPPED: node is not installed, the tuf-js part of this test cannot run");
  return false;
}

CommandResult tufjs_update(const CliWorld& w, const fs::path& repo, const std::string& cache,
                           const std::string& out) {
  auto installed = cocoon::test::run_shell("grep -q '\"version\": \"6.0.2\"' " +
                                           shell_quote(tufjs_modules() + "/tuf-js/package.json"));
  INFO("tuf-js 6.0.2 is not installed in " << tufjs_modules() << " (run ci/setup)");
  REQUIRE(installed.exit_code == 0);
  return cocoon::test::run_shell("NODE_PATH=" + shell_quote(tufjs_modules()) + " node " +
                                 shell_quote(kClient) + " update " + w.q(repo) + " " +
                                 w.q(repo / "metadata/1.root.json") + " " + w.q(w.at(cache)) +
                                 " sample/hello.bin " + w.q(w.at(out)));
}

CommandResult verify_update(const CliWorld& w, const fs::path& repo, const std::string& state,
                            const std::string& out) {
  return cocoon::test::run_shell(kVerifyTool + " update --repo " + w.q(repo) + " --root " +
                                 w.q(repo / "metadata/1.root.json") + " --state " + w.q(w.at(state)) +
                                 " --target sample/hello.bin --download " + w.q(w.at(out)));
}

// python3-nacl (Debian's) verifying `sig_hex` by `key_hex` over the bytes of `message_file`.
int python_nacl_verify(const CliWorld& w, const std::string& key_hex, const fs::path& message_file,
                       const std::string& sig_hex) {
  REQUIRE(write_file_atomic(w.at("nacl_verify.py"),
                            std::string_view("import sys, nacl.signing, nacl.exceptions\n"
                                             "key = nacl.signing.VerifyKey(bytes.fromhex(sys.argv[1]))\n"
                                             "try:\n"
                                             "    key.verify(open(sys.argv[2], 'rb').read(), "
                                             "bytes.fromhex(sys.argv[3]))\n"
                                             "except nacl.exceptions.BadSignatureError:\n"
                                             "    sys.exit(1)\n"))
              .ok());
  return cocoon::test::run_shell("/usr/bin/python3 " + w.q(w.at("nacl_verify.py")) + " " + key_hex + " " +
                                 w.q(message_file) + " " + sig_hex)
      .exit_code;
}

Envelope load_env(const fs::path& path) {
  auto text = read_text_file(path);
  REQUIRE(text.ok());
  auto env = parse_envelope_text(*text, path.string());
  REQUIRE(env.ok());
  return *env;
}

// A repository whose root's targets key is a FROST group made by the five participants' DKG.
struct FrostWorld : CliWorld {
  crypto::SecretKey erin = key("erin", 5);

  std::string state(int id) const { return "p" + std::to_string(id); }

  // Five participants run the DKG; every one of them ends with the same group file.
  void dkg() {
    for (int id = 1; id <= 5; ++id)
      require_ok(sign_tool("frost dkg start --session tuf-release --threshold 3 --participants 5 --id " +
                           std::to_string(id) + " --state " + state(id) + " --out r1/" + std::to_string(id) +
                           ".json"));
    for (int id = 1; id <= 5; ++id)
      require_ok(sign_tool("frost dkg shares --state " + state(id) + " --round1 r1 --out-dir r2"));
    for (int id = 1; id <= 5; ++id)
      require_ok(sign_tool("frost dkg finish --state " + state(id) +
                           " --round1 r1 --round2 r2 --group-out group-" + std::to_string(id) + ".json"));
    for (int id = 2; id <= 5; ++id)
      REQUIRE(read_text_file(at("group-" + std::to_string(id) + ".json")).value() ==
              read_text_file(at("group-1.json")).value());
  }

  // Root v1: five maintainers (threshold 3) for the root role, the FROST group alone for targets.
  void root_ceremony() {
    for (const auto* k : {&cast.alice, &cast.bob, &cast.carol, &cast.dave, &erin, &cast.online})
      write_key(*k, false);
    Json builders = Json::array();
    for (const auto* b : {&cast.builder1, &cast.builder2, &cast.builder3})
      builders.push_back(crypto::public_key_json(b->public_key()));
    REQUIRE(write_file_atomic(at("builders.json"), pretty_json(builders)).ok());
    CocoonPolicy p = make_policy(cast);
    REQUIRE(write_file_atomic(at("log.pub"), p.log_verifier_key + "\n").ok());
    std::string args =
        "root init --threshold 3 --online-pub online.pub --builders builders.json "
        "--builder-threshold 2 --log-vkey log.pub --frost-group group-1.json --out root.json";
    for (std::size_t i = 0; i < kNames.size(); ++i)
      args += " --maintainer " + kNames[i] + ".pub --frost-name " + std::to_string(i + 1) + "=" + kNames[i];
    auto init = sign_tool(args);
    INFO(init.output);
    REQUIRE(init.exit_code == 0);
    CHECK(init.output.find("FROST group") != std::string::npos);
    for (const char* m : {"alice", "carol", "erin"})
      require_ok(sign_tool("sign root.json --key " + std::string(m) + ".key"));
    auto status = sign_tool("status root.json");
    INFO(status.output);
    CHECK(status.exit_code == 0);
    CHECK(status.output.find("FROST group") != std::string::npos);
    require_ok(sign_tool("publish root.json --repo repo"));
    // The transparency log the root names (no witnesses are required without --witness).
    auto signer = tlog::make_signer(cast.log.name, cast.log.pair);
    REQUIRE(signer.ok());
    REQUIRE(tlog::LogWriter::create(at("log"), *signer).ok());
    REQUIRE(crypto::save_secret_key(at("log.key"), cast.log, std::nullopt).ok());
  }

  // Rounds one and two of the participants `ids` over `draft`: commitments in c-<tag>/, shares in s-<tag>/.
  void commit(const std::string& draft, const std::vector<int>& ids, const std::string& tag) {
    for (int id : ids)
      require_ok(sign_tool("frost commit " + draft + " --state " + state(id) + " --out c-" + tag + "/" +
                           std::to_string(id) + ".json"));
  }
  void sign_shares(const std::string& draft, const std::vector<int>& ids, const std::string& tag) {
    for (int id : ids)
      require_ok(sign_tool("frost sign " + draft + " --state " + state(id) + " --commitments c-" + tag +
                           " --out s-" + tag + "/" + std::to_string(id) + ".json"));
  }
  CommandResult aggregate(const std::string& draft, const std::string& tag, const std::string& extra = "") {
    return sign_tool("frost aggregate " + draft + " --group group-1.json --commitments c-" + tag +
                     " --shares s-" + tag + " " + extra);
  }
};

// The published targets with its signed part edited, republished with a fresh snapshot and timestamp
// from the online key, so the only thing wrong is the targets signature.
void edit_published_targets(const FrostWorld& w, const fs::path& repo) {
  auto state = load_repository(repo);
  REQUIRE(state.ok());
  Envelope env =
      load_env(repo / "metadata" / (std::to_string(state->targets->common.version) + ".targets.json"));
  env.signed_part["expires"] = "2099-01-01T00:00:00Z";
  publish_by_hand(repo, env, w.cast.online);
}

std::string group_key_hex(const CliWorld& w) {
  auto doc = parse_json(read_text_file(w.at("group-1.json")).value());
  REQUIRE(doc.ok());
  return (*doc)["group_public_key"].get<std::string>();
}

}  // namespace

TEST_CASE("a 3-of-5 DKG group signs a TUF release that tuf-js, cocoon-verify and python3-nacl accept",
          "[frost][tuf]") {
  FrostWorld w;
  w.dkg();
  w.root_ceremony();

  // The published root carries the group as the targets key (threshold 1) and the x-cocoon-frost record.
  Envelope root_env = load_env(w.repo / "metadata/1.root.json");
  auto root = parse_root(root_env.signed_part);
  REQUIRE(root.ok());
  REQUIRE(root->frost.has_value());
  CHECK(root->frost->t_of_n() == "3 of 5");
  CHECK(hex_encode(root->frost->group_key) == group_key_hex(w));
  CHECK(root->role(kRoleTargets).keyids == std::vector<std::string>{root->frost->keyid});
  CHECK(root->role(kRoleTargets).threshold == 1);
  CHECK(root->role(kRoleRoot).keyids.size() == 5);
  CHECK(root->role(kRoleRoot).threshold == 3);
  CHECK(root->frost->name_of(4) == "dave");

  // Rotations keep the group, replace it or hand targets back to the maintainers; bad combinations fail.
  auto keep = w.sign_tool("root rotate --root repo/metadata/root.json --out root2.json");
  INFO(keep.output);
  REQUIRE(keep.exit_code == 0);
  auto kept = parse_root(load_env(w.at("root2.json")).signed_part);
  REQUIRE(kept.ok());
  REQUIRE(kept->frost.has_value());
  CHECK(kept->frost->keyid == root->frost->keyid);
  CHECK(kept->frost->name_of(5) == "erin");
  CHECK(kept->role(kRoleTargets).keyids == root->role(kRoleTargets).keyids);
  REQUIRE(w.sign_tool("root rotate --root repo/metadata/root.json --drop-frost-group --targets-threshold 2 "
                      "--out root3.json")
              .exit_code == 0);
  auto dropped = parse_root(load_env(w.at("root3.json")).signed_part);
  REQUIRE(dropped.ok());
  CHECK_FALSE(dropped->frost.has_value());
  CHECK(dropped->role(kRoleTargets).keyids == dropped->role(kRoleRoot).keyids);
  CHECK(dropped->role(kRoleTargets).threshold == 2);
  CHECK(w.sign_tool("root rotate --root repo/metadata/root.json --targets-threshold 2 --out x.json")
            .exit_code == 2);
  CHECK(
      w.sign_tool("root rotate --root repo/metadata/root.json --drop-frost-group --frost-group group-1.json "
                  "--out x.json")
          .exit_code == 2);
  CHECK(w.sign_tool(
             "root rotate --root repo/metadata/root.json --frost-group group-1.json --frost-name 6=frank "
             "--out x.json")
            .exit_code == 2);
  CHECK(
      w.sign_tool("root rotate --root repo/metadata/root.json --frost-name 1=alice --out x.json").exit_code ==
      2);
  CHECK_FALSE(fs::exists(w.at("x.json")));

  const std::string draft = w.propose("0.1.0", "hello frost\n");
  // Under a FROST root, propose names the group's next step, not the maintainers' `sign`.
  auto proposed_again = w.sign_tool(
      "propose --version 0.1.0 --recipe recipe-0.1.0.json --attestations attestations-0.1.0 "
      "--artifacts artifacts-0.1.0 --repo repo --out again.json");
  INFO(proposed_again.output);
  CHECK(proposed_again.exit_code == 0);
  CHECK(proposed_again.output.find("cocoon-sign frost commit again.json") != std::string::npos);
  CHECK(proposed_again.output.find("cocoon-sign sign") == std::string::npos);
  w.commit(draft, {1, 3, 5}, "a");
  w.sign_shares(draft, {1, 3, 5}, "a");
  // Before aggregation the draft has no valid targets signature.
  CHECK(w.sign_tool("status " + draft + " --root repo/metadata/root.json").exit_code == 1);
  auto agg = w.aggregate(draft, "a");
  INFO(agg.output);
  REQUIRE(agg.exit_code == 0);
  Envelope signed_draft = load_env(w.at(draft));
  REQUIRE(signed_draft.signatures.size() == 1);
  CHECK(signed_draft.signatures[0].keyid == root->frost->keyid);

  // status names the group and, from the ceremony's files, who took part.
  auto status = w.sign_tool("status " + draft +
                            " --root repo/metadata/root.json --frost-commitments c-a "
                            "--frost-shares s-a");
  INFO(status.output);
  CHECK(status.exit_code == 0);
  CHECK(status.output.find("signed:  FROST group 3 of 5") != std::string::npos);
  CHECK(status.output.find("took part: alice (1), carol (3), erin (5)") != std::string::npos);

  // A second aggregation into the same draft is refused, and the draft is left as it was.
  auto again = w.aggregate(draft, "a");
  INFO(again.output);
  CHECK(again.exit_code == 2);
  CHECK(again.output.find("already carries a signature") != std::string::npos);
  CHECK(load_env(w.at(draft)).signatures.size() == 1);

  // cocoon-sign publish refuses a copy whose signed part was edited after aggregation.
  Envelope edited = load_env(w.at(draft));
  edited.signed_part["expires"] = "2099-01-01T00:00:00Z";
  REQUIRE(write_file_atomic(w.at("edited-" + draft), envelope_text(edited)).ok());
  auto pub_edited = w.publish("edited-" + draft, "0.1.0");
  INFO(pub_edited.output);
  CHECK(pub_edited.exit_code != 0);
  CHECK(pub_edited.output.find("0 distinct targets key(s)") != std::string::npos);
  CHECK_FALSE(fs::exists(w.repo / "metadata/timestamp.json"));

  auto pub = w.publish(draft, "0.1.0");
  INFO(pub.output);
  REQUIRE(pub.exit_code == 0);

  // python3-nacl: the entry is a plain Ed25519 signature over the canonical bytes of "signed".
  const fs::path published = w.repo / "metadata/1.targets.json";
  Envelope pub_env = load_env(published);
  REQUIRE(pub_env.signatures.size() == 1);
  REQUIRE(write_file_atomic(w.at("targets.canonical"), signed_bytes(pub_env).value()).ok());
  CHECK(python_nacl_verify(w, group_key_hex(w), w.at("targets.canonical"), pub_env.signatures[0].sig) == 0);
  REQUIRE(write_file_atomic(w.at("other.canonical"), std::string_view("{}")).ok());
  CHECK(python_nacl_verify(w, group_key_hex(w), w.at("other.canonical"), pub_env.signatures[0].sig) == 1);

  // cocoon-verify, as a node operator runs it.
  auto ours = verify_update(w, w.repo, "node-state", "hello-verified.bin");
  INFO(ours.output);
  CHECK(ours.exit_code == 0);
  CHECK(ours.output.find("ACCEPT") != std::string::npos);
  CHECK(read_text_file(w.at("hello-verified.bin")).value() == "hello frost\n");

  // A copy of the repository whose targets were edited after aggregation.
  fs::path bad = w.at("bad-repo");
  fs::copy(w.repo, bad, fs::copy_options::recursive);
  edit_published_targets(w, bad);
  auto refused = verify_update(w, bad, "node-state-bad", "hello-bad.bin");
  INFO(refused.output);
  CHECK(refused.exit_code == 4);
  CHECK(refused.output.find("REJECT") != std::string::npos);
  CHECK_FALSE(fs::exists(w.at("hello-bad.bin")));

  if (!have_node()) return;
  auto js = tufjs_update(w, w.repo, "tufjs-cache", "hello-tufjs.bin");
  INFO(js.output);
  CHECK(js.exit_code == 0);
  CHECK(js.output.find("\"ok\":true") != std::string::npos);
  CHECK(read_text_file(w.at("hello-tufjs.bin")).value() == "hello frost\n");
  auto js_bad = tufjs_update(w, bad, "tufjs-cache-bad", "hello-tufjs-bad.bin");
  INFO(js_bad.output);
  CHECK(js_bad.exit_code == 1);
  CHECK(js_bad.output.find("targets was signed by 0/1 keys") != std::string::npos);
  CHECK_FALSE(fs::exists(w.at("hello-tufjs-bad.bin")));
}

TEST_CASE("FROST aggregation into a draft refuses too few signers, an edited draft and a bad share",
          "[frost][tuf][attack]") {
  CliWorld w;
  auto keygen = w.sign_tool("frost keygen --dealer --threshold 3 --participants 5 --out-dir keys");
  INFO(keygen.output);
  REQUIRE(keygen.exit_code == 0);
  const std::string original =
      "{\"signatures\":[],\"signed\":{\"_type\":\"targets\",\"spec_version\":\"1.0.31\",\"version\":1,"
      "\"expires\":\"2030-01-01T00:00:00Z\",\"targets\":{}}}";
  REQUIRE(write_file_atomic(w.at("draft.json"), original).ok());
  auto run_round = [&](const std::vector<int>& ids, const std::string& tag) {
    for (int id : ids) {
      auto c = w.sign_tool("frost commit draft.json --state keys/participant-" + std::to_string(id) +
                           " --out c-" + tag + "/" + std::to_string(id) + ".json");
      INFO(c.output);
      REQUIRE(c.exit_code == 0);
    }
  };
  auto aggregate = [&](const std::string& tag) {
    return w.sign_tool("frost aggregate draft.json --group keys/group.json --commitments c-" + tag +
                       " --shares s-" + tag);
  };

  // Two of five: the second round refuses, and so does aggregation of what two could make.
  run_round({2, 4}, "two");
  auto two =
      w.sign_tool("frost sign draft.json --state keys/participant-2 --commitments c-two --out s-two/2.json");
  INFO(two.output);
  CHECK(two.exit_code == 2);
  CHECK_FALSE(fs::exists(w.at("s-two/2.json")));
  fs::create_directories(w.at("s-two"));
  CHECK(aggregate("two").exit_code == 2);
  CHECK(read_text_file(w.at("draft.json")).value() == original);

  // Commitments made over the draft, then the draft's signed part edited: refused before any share.
  run_round({1, 2, 3}, "edit");
  Envelope edited = load_env(w.at("draft.json"));
  edited.signed_part["version"] = 2;
  REQUIRE(write_file_atomic(w.at("draft.json"), envelope_text(edited)).ok());
  auto late = w.sign_tool(
      "frost sign draft.json --state keys/participant-1 --commitments c-edit --out s-edit/1.json");
  INFO(late.output);
  CHECK(late.exit_code == 1);
  CHECK(late.output.find("different message") != std::string::npos);
  REQUIRE(write_file_atomic(w.at("draft.json"), original).ok());
  for (int id : {1, 2, 3})
    REQUIRE(w.sign_tool("frost sign draft.json --state keys/participant-" + std::to_string(id) +
                        " --commitments c-edit --out s-edit/" + std::to_string(id) + ".json")
                .exit_code == 0);
  // Shares complete, then the draft edited again before aggregation: refused, draft untouched.
  REQUIRE(write_file_atomic(w.at("draft.json"), envelope_text(edited)).ok());
  auto stale = aggregate("edit");
  INFO(stale.output);
  CHECK(stale.exit_code == 1);
  CHECK(stale.output.find("different message") != std::string::npos);
  CHECK(load_env(w.at("draft.json")).signatures.empty());
  REQUIRE(write_file_atomic(w.at("draft.json"), original).ok());

  // A tampered share is named, and nothing is written.
  Json share = parse_json(read_text_file(w.at("s-edit/2.json")).value()).value();
  std::string z = share["share"].get<std::string>();
  z[0] = z[0] == '1' ? '2' : '1';
  share["share"] = z;
  fs::create_directories(w.at("s-bad"));
  fs::copy(w.at("s-edit"), w.at("s-bad"), fs::copy_options::recursive);
  REQUIRE(write_file_atomic(w.at("s-bad/2.json"), pretty_json(share)).ok());
  auto tampered = w.sign_tool(
      "frost aggregate draft.json --group keys/group.json --commitments c-edit "
      "--shares s-bad");
  INFO(tampered.output);
  CHECK(tampered.exit_code == 4);
  CHECK(tampered.output.find("participant 2") != std::string::npos);
  CHECK(read_text_file(w.at("draft.json")).value() == original);

  // The genuine shares go into a copy (--into), leaving the draft itself unsigned.
  auto good = w.sign_tool(
      "frost aggregate draft.json --group keys/group.json --commitments c-edit --shares "
      "s-edit --into signed.json");
  INFO(good.output);
  REQUIRE(good.exit_code == 0);
  CHECK(read_text_file(w.at("draft.json")).value() == original);
  Envelope out = load_env(w.at("signed.json"));
  REQUIRE(out.signatures.size() == 1);
  auto group = parse_json(read_text_file(w.at("keys/group.json")).value()).value();
  auto key = hex_decode(group["group_public_key"].get<std::string>()).value();
  crypto::Ed25519PublicKey pk{};
  std::copy(key.begin(), key.end(), pk.begin());
  CHECK(out.signatures[0].keyid == crypto::ed25519_key_id(pk));
  auto sig = hex_decode(out.signatures[0].sig).value();
  CHECK(crypto::ed25519_verify(pk, as_bytes(signed_bytes(out).value()), sig));
  // --into on a plain message is refused; a plain message needs --out.
  REQUIRE(write_file_atomic(w.at("plain.bin"), std::string_view("plain")).ok());
  CHECK(w.sign_tool("frost aggregate plain.bin --group keys/group.json --commitments c-edit --shares s-edit "
                    "--into x.json")
            .exit_code == 2);
}

TEST_CASE("x-cocoon-frost is parsed strictly and must describe the targets key", "[frost][tuf]") {
  Cast c;
  auto dealt = frost::trusted_dealer_keygen({3, 5});
  REQUIRE(dealt.ok());
  auto record = frost_record_from_group(dealt->public_package, {{1, "alice"}, {2, "bob"}});
  REQUIRE(record.ok());
  CHECK(record->name_of(3) == "participant-3");
  RootParams p;
  p.maintainers = {c.alice.public_key(), c.bob.public_key(), c.carol.public_key()};
  p.root_threshold = 2;
  p.targets_threshold = 1;
  p.online_keys = {c.online.public_key()};
  p.policy = make_policy(c);
  p.expires = kNow + kYear;
  p.frost_group = *record;
  auto root = make_root(p);
  REQUIRE(root.ok());
  const Json good = root_json(*root);
  REQUIRE(parse_root(good).ok());
  CHECK(good[kFrostMember][record->keyid]["threshold"] == 3);
  // The parameters round-trip: a rotation keeps the group.
  auto params = root_params(parse_root(good).value());
  REQUIRE(params.ok());
  REQUIRE(params->frost_group.has_value());
  CHECK(params->frost_group->keyid == record->keyid);
  CHECK(params->maintainers.size() == 3);

  auto refused = [&](const std::function<void(Json&)>& edit, Errc code, const std::string& words) {
    Json doc = good;
    edit(doc);
    auto r = parse_root(doc);
    REQUIRE_FALSE(r.ok());
    INFO(r.error().message);
    CHECK(r.error().code == code);
    CHECK(r.error().message.find(words) != std::string::npos);
  };
  const std::string kid = record->keyid;
  // A participant's verifying share replaced by another's: no longer consistent with the group key.
  refused(
      [&](Json& d) {
        auto& parts = d[kFrostMember][kid]["participants"];
        parts[1]["verifying_share"] = parts[0]["verifying_share"];
      },
      Errc::invalid_input, "verifying share");
  refused([&](Json& d) { d[kFrostMember][kid]["extra"] = 1; }, Errc::invalid_input, "\"extra\"");
  refused([&](Json& d) { d[kFrostMember][kid]["threshold"] = 6; }, Errc::invalid_input, "x-cocoon-frost");
  refused([&](Json& d) { d[kFrostMember][kid]["ciphersuite"] = "FROST(secp256k1, SHA-256)"; },
          Errc::unsupported, "ciphersuite");
  refused(
      [&](Json& d) {
        auto& parts = d[kFrostMember][kid]["participants"];
        std::swap(parts[0], parts[1]);
      },
      Errc::invalid_input, "sorted");
  refused([&](Json& d) { d[kFrostMember][kid]["participants"][2]["name"] = "alice"; }, Errc::invalid_input,
          "used twice");
  refused(
      [&](Json& d) {
        auto& parts = d[kFrostMember][kid]["participants"];
        parts.erase(parts.begin() + 2, parts.end());
      },
      Errc::invalid_input, "threshold of 3");
  // A record whose key id is not in "keys", or whose key does not sign targets.
  refused(
      [&](Json& d) {
        Json group = d[kFrostMember][kid];
        d[kFrostMember] = Json{{std::string(64, 'a'), group}};
      },
      Errc::invalid_input, "not in the root's \"keys\"");
  refused([&](Json& d) { d["roles"]["targets"]["keyids"] = Json::array({p.maintainers[0].keyid}); },
          Errc::invalid_input, "not a key of the targets role");
  refused(
      [&](Json& d) {
        Json group = d[kFrostMember][kid];
        d[kFrostMember][p.maintainers[0].keyid] = group;
      },
      Errc::unsupported, "more than one");
  // make_root refuses a group key that is also a maintainer key, and a targets threshold other than 1.
  RootParams twice = p;
  twice.targets_threshold = 2;
  CHECK_FALSE(make_root(twice).ok());
  RootParams same = p;
  same.frost_group->group_key = c.alice.public_key().key;
  same.frost_group->keyid = c.alice.public_key().keyid;
  auto clash = make_root(same);
  REQUIRE_FALSE(clash.ok());
  CHECK(clash.error().message.find("also the key") != std::string::npos);
  auto names = frost_record_from_group(dealt->public_package, {{6, "frank"}});
  CHECK_FALSE(names.ok());
  CHECK_FALSE(frost_record_from_group(dealt->public_package, {{1, "same"}, {2, "same"}}).ok());
}
