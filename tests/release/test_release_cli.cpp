// The maintainer workflow through the cocoon-sign binary, and its refusals with their exit codes
// (docs/exit-codes.md: 1 not yet signed, 4 signature, 6 rollback, 8 builder agreement).
#include "cli_flow.hpp"
#include "publish/log_bundle.hpp"
#include "release/repository.hpp"
#include "tlog/log_writer.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::release::testing;

TEST_CASE("cocoon-sign: ceremony, propose, sign, merge, status, publish", "[release][cli]") {
  CliWorld world;
  world.ceremony();
  auto pub = world.release("0.1.0", "hello v1\n", {"alice", "bob"});
  INFO(pub.output);
  REQUIRE(pub.exit_code == 0);
  auto state = load_repository(world.repo);
  REQUIRE(state.ok());
  CHECK(state->targets->targets.count("sample/hello.bin") == 1);
  CHECK(state->targets->release->at("version") == "0.1.0");

  auto status = world.sign_tool("status targets-0.1.0.json --root repo/metadata/root.json");
  INFO(status.output);
  CHECK(status.exit_code == 0);
  CHECK(status.output.find("2 of 2") != std::string::npos);
  // Publishing the same release again is a rollback.
  CHECK(world
            .sign_tool(
                "publish targets-0.1.0.json --repo repo --online-key online.key --artifacts artifacts-0.1.0 "
                "--log log --log-key log.key --attestations attestations-0.1.0")
            .exit_code == 6);
  // Proposing a version that is not newer is refused.
  CHECK(world
            .sign_tool("propose --version 0.1.0 --recipe recipe-0.1.0.json --attestations attestations-0.1.0 "
                       "--artifacts artifacts-0.1.0 --repo repo --out again.json")
            .exit_code == 6);
}

TEST_CASE("cocoon-sign refuses a release below the maintainer threshold", "[release][cli][attack]") {
  CliWorld world;
  world.ceremony();
  auto pub = world.release("0.1.0", "hello\n", {"alice"});
  INFO(pub.output);
  CHECK(pub.exit_code == 4);
  CHECK(pub.output.find("threshold is 2") != std::string::npos);
  CHECK(world.sign_tool("status targets-0.1.0.json --root repo/metadata/root.json").exit_code == 1);
  // A signature by the online key (another role) does not help.
  REQUIRE(world.sign_tool("sign targets-0.1.0.json --key online.key").exit_code == 0);
  CHECK(world
            .sign_tool(
                "publish targets-0.1.0.json --repo repo --online-key online.key --artifacts artifacts-0.1.0 "
                "--log log --log-key log.key --attestations attestations-0.1.0")
            .exit_code == 4);
}

TEST_CASE("cocoon-sign propose refuses artifacts below the builder threshold", "[release][cli][attack]") {
  CliWorld world;
  world.ceremony();
  world.write_recipe("0.1.0");
  fs::create_directories(world.at("art"));
  REQUIRE(write_file_atomic(world.at("art/hello.bin"), std::string_view("hello\n")).ok());
  world.write_attestation(world.at("att"), world.cast.builder1, "hello\n");
  world.write_attestation(world.at("att"), world.cast.builder2, "something else\n");
  auto r = world.sign_tool(
      "propose --version 0.1.0 --recipe recipe-0.1.0.json --attestations att --artifacts art "
      "--repo repo --out t.json");
  INFO(r.output);
  CHECK(r.exit_code == 8);
  CHECK_FALSE(fs::exists(world.at("t.json")));
}

TEST_CASE("cocoon-sign root rotate: old and new thresholds, revocation", "[release][cli][root]") {
  CliWorld world;
  world.ceremony();
  REQUIRE(world.release("0.1.0", "v1\n", {"alice", "bob"}).exit_code == 0);
  auto r = world.sign_tool(
      "root rotate --root repo/metadata/root.json --remove-maintainer bob --add-maintainer dave.pub "
      "--out root2.draft.json");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  // Signed by the new keys only: refused.
  fs::copy_file(world.at("root2.draft.json"), world.at("root2.new-only.json"));
  REQUIRE(world.sign_tool("sign root2.new-only.json --key carol.key").exit_code == 0);
  REQUIRE(world.sign_tool("sign root2.new-only.json --key dave.key").exit_code == 0);
  CHECK(world.sign_tool("status root2.new-only.json --root repo/metadata/root.json").exit_code == 1);
  CHECK(world.sign_tool("publish root2.new-only.json --repo repo --online-key online.key").exit_code == 4);
  // Signed by both thresholds, but the published release is signed by bob, whom v2 drops: refused until
  // a release signed by enough v2 keys is out.
  for (const char* k : {"alice", "bob", "carol"})
    REQUIRE(world.sign_tool(std::string("sign root2.draft.json --key ") + k + ".key").exit_code == 0);
  auto st = world.sign_tool("status root2.draft.json --root repo/metadata/root.json");
  INFO(st.output);
  CHECK(st.exit_code == 0);
  CHECK(world.sign_tool("publish root2.draft.json --repo repo --online-key online.key").exit_code == 4);
  REQUIRE(world.release("0.2.0", "v2\n", {"alice", "carol"}).exit_code == 0);
  auto pub = world.sign_tool("publish root2.draft.json --repo repo --online-key online.key");
  INFO(pub.output);
  REQUIRE(pub.exit_code == 0);
  CHECK(fs::exists(world.repo / "metadata/2.root.json"));
  // Bob is revoked: alice + bob no longer make a release.
  CHECK(world.release("0.3.0", "v3\n", {"alice", "bob"}).exit_code == 4);
  CHECK(world.release("0.3.1", "v3\n", {"alice", "dave"}).exit_code == 0);
}

TEST_CASE("cocoon-sign reports bad input with its exit code", "[release][cli]") {
  CliWorld world;
  REQUIRE(write_file_atomic(world.at("junk.json"), std::string_view("{\"signed\": 1}")).ok());
  CHECK(world.sign_tool("status junk.json").exit_code == 2);
  CHECK(world.sign_tool("status missing.json").exit_code == 12);
  world.ceremony();
  // Copies of different drafts do not merge.
  auto r = world.sign_tool("root rotate --root repo/metadata/root.json --threshold 3 --out other.json");
  REQUIRE(r.exit_code == 0);
  CHECK(world.sign_tool("merge root.json other.json --out m.json").exit_code == 1);
  // A threshold the keys cannot meet is refused when the root is made.
  CHECK(
      world.sign_tool("root rotate --root repo/metadata/root.json --threshold 4 --out bad.json").exit_code ==
      2);
}

TEST_CASE("cocoon-sign publish logs the release, collects the witness quorum and proves consistency",
          "[release][cli][log]") {
  CliWorld world;
  world.ceremony();
  auto r = world.release("0.1.0", "logged\n", {"alice", "bob"});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("cosigned as witness.example") != std::string::npos);
  auto load_bundle = [&](int v) {
    auto text = read_text_file(world.repo / ("log/" + std::to_string(v) + ".targets.bundle.json"));
    REQUIRE(text.ok());
    auto bundle = tlog::parse_log_bundle(parse_json(*text).value());
    REQUIRE(bundle.ok());
    return *bundle;
  };
  tlog::LogBundle first = load_bundle(1);
  CHECK(first.entries.size() == 3);  // the targets file and two attestations
  CHECK(first.consistency.empty());
  auto state = load_repository(world.repo);
  REQUIRE(state.ok());
  std::vector<publish::LoggedEntry> entries{
      {"targets", read_file(world.repo / "metadata/1.targets.json").value()}};
  for (const char* b : {"builder1", "builder2"}) {
    Bytes att = read_file(world.at(std::string("attestations-0.1.0/") + b + ".json")).value();
    entries.push_back({"attestation", att});
    // Laid out where nodes fetch the attestations the targets cite.
    CHECK(fs::exists(world.repo / ("attestations/" + crypto::sha256_hex(att) + ".json")));
  }
  auto verified = publish::verify_log_bundle(first, *state->root->policy, entries);
  INFO((verified.ok() ? std::string("ok") : verified.error().message));
  CHECK(verified.ok());

  // The next release proves its tree extends the one the first was logged in.
  REQUIRE(world.release("0.2.0", "logged v2\n", {"alice", "bob"}).exit_code == 0);
  tlog::LogBundle second = load_bundle(2);
  auto cp1 = tlog::parse_checkpoint_body(tlog::parse_note(first.checkpoint)->text).value();
  auto cp2 = tlog::parse_checkpoint_body(tlog::parse_note(second.checkpoint)->text).value();
  REQUIRE(second.consistency.count(cp1.size) == 1);
  CHECK(
      tlog::check_consistency(second.consistency.at(cp1.size), cp1.size, cp2.size, cp1.root, cp2.root).ok());

  // Without the witness the quorum is not met: refused with the log's exit code, nothing published.
  world.send_to_witness = false;
  auto unwitnessed = world.release("0.3.0", "not witnessed\n", {"alice", "bob"});
  INFO(unwitnessed.output);
  CHECK(unwitnessed.exit_code == 7);
  CHECK(unwitnessed.output.find("witness") != std::string::npos);
  CHECK_FALSE(fs::exists(world.repo / "metadata/3.targets.json"));
  auto still = load_repository(world.repo);
  REQUIRE(still.ok());
  CHECK(still->targets->common.version == 2);
}

TEST_CASE("cocoon-sign publish refuses a release the root's log and builders would not back",
          "[release][cli][log][attack]") {
  CliWorld world;
  world.ceremony(false);
  // An out-of-range option: the draft is proposed and signed, nothing is published.
  auto r = world.release("0.1.0", "x\n", {"alice", "bob"}, "--timeout 0");
  CHECK(r.exit_code == 2);
  // No log given for a root that names one.
  auto unlogged = world.sign_tool(
      "publish targets-0.1.0.json --repo repo --online-key online.key --artifacts artifacts-0.1.0 "
      "--attestations attestations-0.1.0");
  INFO(unlogged.output);
  CHECK(unlogged.exit_code == 2);
  CHECK(unlogged.output.find("give --log") != std::string::npos);
  // The log key is not the root's log: refused before anything is published.
  REQUIRE(crypto::save_secret_key(world.at("other-log.key"), world.cast.dave, std::nullopt).ok());
  auto wrong = world.sign_tool(
      "publish targets-0.1.0.json --repo repo --online-key online.key --artifacts artifacts-0.1.0 "
      "--log log --log-key other-log.key --attestations attestations-0.1.0");
  INFO(wrong.output);
  CHECK(wrong.exit_code == 13);
  // A cited attestation missing from --attestations.
  fs::create_directories(world.at("only-one"));
  fs::copy_file(world.at("attestations-0.1.0/builder1.json"), world.at("only-one/builder1.json"));
  auto missing = world.sign_tool(
      "publish targets-0.1.0.json --repo repo --online-key online.key --artifacts artifacts-0.1.0 "
      "--log log --log-key log.key --attestations only-one");
  INFO(missing.output);
  CHECK(missing.exit_code == 12);
  CHECK(missing.output.find("cites attestation") != std::string::npos);
  CHECK_FALSE(fs::exists(world.repo / "metadata/timestamp.json"));
  // And with everything right it goes through.
  auto ok = world.sign_tool(
      "publish targets-0.1.0.json --repo repo --online-key online.key --artifacts artifacts-0.1.0 "
      "--log log --log-key log.key --attestations attestations-0.1.0");
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
}

TEST_CASE("cocoon-sign timestamp re-signs the timestamp, and the snapshot when asked or due",
          "[release][cli]") {
  CliWorld world;
  world.ceremony(false);
  REQUIRE(world.release("0.1.0", "t\n", {"alice", "bob"}).exit_code == 0);
  auto before = load_repository(world.repo);
  REQUIRE(before.ok());
  auto r = world.sign_tool("timestamp --repo repo --online-key online.key --timestamp-days 2");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  auto after = load_repository(world.repo);
  REQUIRE(after.ok());
  CHECK(after->timestamp->common.version == before->timestamp->common.version + 1);
  CHECK(after->snapshot->common.version == before->snapshot->common.version);
  CHECK(after->timestamp->common.expires > before->timestamp->common.expires);
  REQUIRE(world.sign_tool("timestamp --repo repo --online-key online.key --snapshot").exit_code == 0);
  auto again = load_repository(world.repo);
  REQUIRE(again.ok());
  CHECK(again->snapshot->common.version == before->snapshot->common.version + 1);
  CHECK(again->targets->common.version == 1);
  // A key that is not the root's online key cannot extend the release's life.
  auto wrong = world.sign_tool("timestamp --repo repo --online-key bob.key");
  CHECK(wrong.exit_code == 4);
  CHECK(world.sign_tool("timestamp --repo nowhere --online-key online.key").exit_code == 12);
}
