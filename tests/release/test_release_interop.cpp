// tuf-js 6.0.2 against repositories published by cocoon-sign (shared/specs/tuf.md, "Compatibility
// facts"). Skipped, with the reason printed, only when node is not installed; a missing tuf-js install is
// a failure (ci/setup installs it).
#include <cstdlib>

#include "../support/tufjs.hpp"
#include "cli_flow.hpp"
#include "release/repository.hpp"
#include "release/threshold.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::release::testing;

namespace {

const std::string kClient = COCOON_SOURCE_DIR "/tests/interop/tuf-js/client.js";

using cocoon::test::tufjs_modules;

bool have_node() {
  if (cocoon::test::run_shell("command -v node").exit_code == 0) return true;
  WARN("SKIPPED: node is not installed, the tuf-js interop test cannot run");
  return false;
}

cocoon::test::CommandResult node(const std::string& args) {
  return cocoon::test::run_shell("NODE_PATH=" + cocoon::test::shell_quote(tufjs_modules()) + " node " +
                                 cocoon::test::shell_quote(kClient) + " " + args);
}

void require_tufjs() {
  auto r = cocoon::test::run_shell("test -f " +
                                   cocoon::test::shell_quote(tufjs_modules() + "/tuf-js/package.json") +
                                   " && grep -q '\"version\": \"6.0.2\"' " +
                                   cocoon::test::shell_quote(tufjs_modules() + "/tuf-js/package.json"));
  INFO("tuf-js 6.0.2 is not installed in " << tufjs_modules() << " (run ci/setup)");
  REQUIRE(r.exit_code == 0);
}

cocoon::test::CommandResult update(const CliWorld& w, const fs::path& repo, const fs::path& trusted_root,
                                   const std::string& cache, const std::string& out) {
  return node("update " + w.q(repo) + " " + w.q(trusted_root) + " " + w.q(w.at(cache)) +
              " sample/hello.bin " + w.q(w.at(out)));
}

// The same targets metadata with only the first `keep` signatures, republished with a fresh snapshot and
// timestamp from the online key, so the only thing wrong is the targets threshold.
void strip_targets_signatures(const CliWorld& w, const fs::path& repo, std::size_t keep) {
  auto state = load_repository(repo);
  REQUIRE(state.ok());
  fs::path targets_file =
      repo / "metadata" / (std::to_string(state->targets->common.version) + ".targets.json");
  auto env = parse_envelope_text(read_text_file(targets_file).value(), "targets");
  REQUIRE(env.ok());
  env->signatures.resize(keep);
  publish_by_hand(repo, *env, w.cast.online);
}

}  // namespace

TEST_CASE("tuf-js refreshes and downloads from a published repository, across a root rotation",
          "[release][interop]") {
  if (!have_node()) return;
  require_tufjs();
  CliWorld w;
  w.ceremony();
  REQUIRE(w.release("0.1.0", "hello v1\n", {"alice", "bob"}).exit_code == 0);

  auto first = update(w, w.repo, w.repo / "metadata/1.root.json", "client", "hello-1.bin");
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  CHECK(first.output.find("\"root_version\":1") != std::string::npos);
  CHECK(read_text_file(w.at("hello-1.bin")).value() == "hello v1\n");

  // Release 0.2.0 signed by keys of both roots, then root v2 without bob and with dave.
  REQUIRE(w.release("0.2.0", "hello v2\n", {"alice", "carol"}).exit_code == 0);
  REQUIRE(w.sign_tool(
               "root rotate --root repo/metadata/root.json --remove-maintainer bob --add-maintainer dave.pub "
               "--out root2.json")
              .exit_code == 0);
  for (const char* k : {"alice", "bob", "carol", "dave"}) {
    REQUIRE(w.sign_tool(std::string("sign root2.json --key ") + k + ".key").exit_code == 0);
  }
  auto rotated = w.sign_tool("publish root2.json --repo repo --online-key online.key");
  INFO(rotated.output);
  REQUIRE(rotated.exit_code == 0);

  auto second = update(w, w.repo, w.repo / "metadata/1.root.json", "client", "hello-2.bin");
  INFO(second.output);
  REQUIRE(second.exit_code == 0);
  CHECK(second.output.find("\"root_version\":2") != std::string::npos);
  CHECK(second.output.find("\"targets_version\":2") != std::string::npos);
  CHECK(read_text_file(w.at("hello-2.bin")).value() == "hello v2\n");
}

TEST_CASE("tuf-js refuses targets with fewer signatures than the threshold", "[release][interop][attack]") {
  if (!have_node()) return;
  require_tufjs();
  CliWorld w;
  w.ceremony();
  REQUIRE(w.release("0.1.0", "hello\n", {"alice", "bob"}).exit_code == 0);
  fs::path bad = w.at("bad-repo");
  fs::copy(w.repo, bad, fs::copy_options::recursive);
  strip_targets_signatures(w, bad, 1);

  auto r = update(w, bad, bad / "metadata/1.root.json", "client-bad", "hello.bin");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("\"ok\":false") != std::string::npos);
  // Refused for the threshold, not for some other inconsistency.
  CHECK(r.output.find("targets was signed by 1/2 keys") != std::string::npos);
  CHECK_FALSE(fs::exists(w.at("hello.bin")));
  // Our own reading of that repository agrees.
  auto ours = load_repository(bad);
  REQUIRE_FALSE(ours.ok());
  CHECK(ours.error().code == Errc::signature);
  // And the untouched repository still works for both.
  CHECK(update(w, w.repo, w.repo / "metadata/1.root.json", "client-good", "hello.bin").exit_code == 0);
}

TEST_CASE("canonical JSON edge cases sign and verify identically in tuf-js", "[release][interop]") {
  if (!have_node()) return;
  require_tufjs();
  Cast c;
  TempDir dir = TempDir::create("release-canon-").value();
  Root root = make_test_root({&c.alice}, 1, c.online, c);
  Envelope root_env = sign_all(root_json(root), {&c.alice});
  REQUIRE(write_file_atomic(dir.path() / "root.json", envelope_text(root_env)).ok());

  Targets t = make_targets(1);
  t.targets.begin()->second.custom =
      Json{{"escapes", "quote \" backslash \\ tab \t newline \n nul-free \x01\x1f del \x7f slash /"},
           {"non_ascii", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92 \xd0\xb4"},
           {"integers", Json::array({0, 1, -1, 9007199254740991ull, -9007199254740991ll})},
           {"nested", {{"z", Json::object()}, {"A", Json::array()}, {"a", nullptr}, {"b", true}}},
           {"\xc3\xa9key", 1}};
  Envelope ours = sign_all(targets_json(t), {&c.alice});
  REQUIRE(write_file_atomic(dir.path() / "targets.json", envelope_text(ours)).ok());

  // Same canonical bytes.
  auto canon = node("canonical " + cocoon::test::shell_quote((dir.path() / "targets.json").string()));
  REQUIRE(canon.exit_code == 0);
  CHECK(canon.output == canonical_json(envelope_json(ours)).value());

  // tuf-js accepts our signature, and the root with the x-cocoon-policy member.
  auto v = node("verify " + cocoon::test::shell_quote((dir.path() / "root.json").string()) + " " +
                cocoon::test::shell_quote((dir.path() / "targets.json").string()) + " targets");
  INFO(v.output);
  CHECK(v.exit_code == 0);
  auto vr = node("verify " + cocoon::test::shell_quote((dir.path() / "root.json").string()) + " " +
                 cocoon::test::shell_quote((dir.path() / "root.json").string()) + " root");
  INFO(vr.output);
  CHECK(vr.exit_code == 0);

  // A signature node:crypto made over tuf-js's canonical bytes counts for us.
  auto s = node("sign " + cocoon::test::shell_quote((dir.path() / "targets.json").string()) + " " +
                hex_encode(c.alice.pair.seed));
  REQUIRE(s.exit_code == 0);
  Envelope theirs;
  theirs.signed_part = ours.signed_part;
  theirs.signatures = {{c.alice.public_key().keyid, s.output}};
  CHECK(s.output == ours.signatures.front().sig);  // Ed25519 is deterministic: byte-identical input
  CHECK(count_signatures(root, kRoleTargets, theirs)->met());

  // Tampering one escaped byte breaks it on both sides.
  Envelope tampered = ours;
  tampered.signed_part["targets"].begin().value()["custom"]["escapes"] =
      "quote \" backslash \\ tab \t newline \n";
  REQUIRE(write_file_atomic(dir.path() / "tampered.json", envelope_text(tampered)).ok());
  CHECK(node("verify " + cocoon::test::shell_quote((dir.path() / "root.json").string()) + " " +
             cocoon::test::shell_quote((dir.path() / "tampered.json").string()) + " targets")
            .exit_code == 1);
  CHECK_FALSE(count_signatures(root, kRoleTargets, tampered)->met());
}
