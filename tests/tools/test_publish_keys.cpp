// An unattended publish with two encrypted keys under different passphrases (issue #15, point 3):
// each key names its own source, a wrong one is refused naming the key, and publish --json reports how
// much the log really grew.
#include <sys/stat.h>

#include "../release/cli_flow.hpp"
#include "core/json.hpp"
#include "tlog/log_writer.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::release::testing;

namespace {

const std::string kOnlinePass = "online passphrase, not the log's";
const std::string kLogPass = "log passphrase, not the online key's";

// A world whose online and log keys are encrypted under two different passphrases, with release
// 0.1.0 proposed and signed by alice and bob, ready to publish.
struct TwoKeyWorld {
  CliWorld world;
  std::string draft;

  TwoKeyWorld() {
    world.ceremony();
    REQUIRE(crypto::save_secret_key(world.at("online.key"), world.cast.online, kOnlinePass).ok());
    REQUIRE(crypto::save_secret_key(world.at("log.key"), world.cast.log, kLogPass).ok());
    draft = world.propose("0.1.0", "hello v1\n");
    for (const char* s : {"alice", "bob"})
      world.require_ok(world.sign_tool("sign " + draft + " --key " + s + ".key"));
  }

  void write_private(const std::string& name, const std::string& text) {
    REQUIRE(write_file_atomic(world.at(name), text + "\n").ok());
    REQUIRE(::chmod(world.at(name).c_str(), 0600) == 0);
  }

  // publish without COCOON_PASSPHRASE (unless `env` sets it) and without a controlling terminal (setsid),
  // so a missing source cannot turn into a prompt. stdout only; stderr goes to publish.err.
  test::CommandResult publish(const std::string& env, const std::string& extra) const {
    return test::run_shell("cd " + world.q(world.w) + " && env -u COCOON_PASSPHRASE " + env + " setsid -w " +
                           kSignTool + " publish " + draft +
                           " --repo repo --online-key online.key --artifacts artifacts-0.1.0"
                           " --attestations attestations-0.1.0 --log log --log-key log.key --witness " +
                           world.witness_url() + " " + extra + " 2>publish.err");
  }
  std::string err() const {
    auto text = read_text_file(world.at("publish.err"));
    return text.ok() ? *text : std::string();
  }

  std::uint64_t published_targets_version() const {
    auto state = load_repository(world.repo);
    REQUIRE(state.ok());
    return state->targets ? state->targets->common.version : 0;
  }
};

}  // namespace

TEST_CASE("publish: the online key and the log key read their own passphrase files",
          "[tools][cli][passphrase]") {
  TwoKeyWorld t;
  t.write_private("online.pw", kOnlinePass);
  t.write_private("log.pw", kLogPass);
  auto r = t.publish("", "--online-key-passphrase-file online.pw --log-key-passphrase-file log.pw --json");
  INFO(r.output << t.err());
  REQUIRE(r.exit_code == 0);
  auto doc = parse_json(r.output);
  REQUIRE(doc.ok());
  CHECK((*doc)["published"] == "targets");
  CHECK((*doc)["version"] == 1);
  // targets + two attestations, all new to an empty log.
  CHECK((*doc)["log"]["entries"] == 3);
  CHECK((*doc)["log"]["new_entries"] == 3);
  CHECK((*doc)["log"]["size_before"] == 0);
  CHECK((*doc)["log"]["size_after"] == 3);
  CHECK((*doc)["log"]["grew_by"] == 3);
  CHECK((*doc)["log"]["witnesses"][0]["cosigned"] == true);
  CHECK(t.published_targets_version() == 1);
  // Neither passphrase reached the output.
  CHECK(r.output.find(kOnlinePass) == std::string::npos);
  CHECK(t.err().find(kLogPass) == std::string::npos);
}

TEST_CASE("publish: per-key variables beat COCOON_PASSPHRASE", "[tools][cli][passphrase]") {
  TwoKeyWorld t;
  auto r = t.publish("COCOON_ONLINE_KEY_PASSPHRASE=" + test::shell_quote(kOnlinePass) +
                         " COCOON_LOG_KEY_PASSPHRASE=" + test::shell_quote(kLogPass) +
                         " COCOON_PASSPHRASE=neither-key-uses-this",
                     "");
  INFO(r.output << t.err());
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("published targets version 1") != std::string::npos);
  CHECK(r.output.find("3 new; the log grew by 3 (size 0 -> 3)") != std::string::npos);
}

TEST_CASE("publish: a wrong passphrase is refused naming the key, and nothing is published",
          "[tools][cli][passphrase][attack]") {
  TwoKeyWorld t;
  t.write_private("online.pw", kOnlinePass);
  t.write_private("wrong.pw", kOnlinePass);  // the online key's passphrase given for the log key
  auto r = t.publish("", "--online-key-passphrase-file online.pw --log-key-passphrase-file wrong.pw");
  INFO(r.output << t.err());
  CHECK(r.exit_code == 13);
  CHECK(t.err().starts_with("cocoon-sign: error: --log-key: "));
  CHECK(t.err().find("wrong passphrase") != std::string::npos);
  CHECK(t.err().find(kOnlinePass) == std::string::npos);
  CHECK(t.published_targets_version() == 0);

  // The shared variable alone fits one key at most: the other is named.
  auto shared = t.publish("COCOON_PASSPHRASE=" + test::shell_quote(kLogPass), "");
  INFO(shared.output << t.err());
  CHECK(shared.exit_code == 13);
  CHECK(t.err().find("--online-key: ") != std::string::npos);

  // No source and no terminal: exit 2, naming the ways to give one.
  auto none = t.publish("", "");
  CHECK(none.exit_code == 2);
  CHECK(t.err().find("--online-key-passphrase-file") != std::string::npos);
  CHECK(t.err().find("COCOON_ONLINE_KEY_PASSPHRASE") != std::string::npos);

  // A passphrase file others can read is refused before it is used.
  t.write_private("open.pw", kOnlinePass);
  REQUIRE(::chmod(t.world.at("open.pw").c_str(), 0644) == 0);
  auto open = t.publish("COCOON_LOG_KEY_PASSPHRASE=" + test::shell_quote(kLogPass),
                        "--online-key-passphrase-file open.pw");
  CHECK(open.exit_code == 2);
  CHECK(t.err().find("chmod 600") != std::string::npos);
  auto missing = t.publish("", "--online-key-passphrase-file no-such.pw");
  CHECK(missing.exit_code == 12);
  CHECK(t.err().find("no-such.pw") != std::string::npos);
  CHECK(t.published_targets_version() == 0);
}

TEST_CASE("publish --json: an entry the log already holds is not counted as growth", "[tools][cli][json]") {
  TwoKeyWorld t;
  // builder1's attestation was logged before (by itself): the release finds it rather than adding it.
  {
    auto signer = tlog::make_signer(t.world.cast.log.name, t.world.cast.log.pair).value();
    auto writer = tlog::LogWriter::open(t.world.at("log"), signer);  // its lock ends with the block
    REQUIRE(writer.ok());
    auto att = read_file(t.world.at("attestations-0.1.0/builder1.json"));
    REQUIRE(att.ok());
    REQUIRE(writer->append({*att}).ok());
  }

  auto r = t.publish("COCOON_ONLINE_KEY_PASSPHRASE=" + test::shell_quote(kOnlinePass) +
                         " COCOON_LOG_KEY_PASSPHRASE=" + test::shell_quote(kLogPass),
                     "--json");
  INFO(r.output << t.err());
  REQUIRE(r.exit_code == 0);
  auto doc = parse_json(r.output);
  REQUIRE(doc.ok());
  CHECK((*doc)["log"]["entries"] == 3);
  CHECK((*doc)["log"]["new_entries"] == 2);
  CHECK((*doc)["log"]["size_before"] == 1);
  CHECK((*doc)["log"]["size_after"] == 3);
  CHECK((*doc)["log"]["grew_by"] == 2);
}
