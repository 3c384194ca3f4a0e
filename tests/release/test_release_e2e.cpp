// The whole release path with every service a separate process, as operators run it: `cocoon-log
// serve` sequencing the log, two `cocoon-log witness serve` cosigning, `cocoon-sign publish --log URL
// --witness URL --witness URL`, and `cocoon-verify update` on the node deciding.
#include "../support/service_process.hpp"
#include "cli_flow.hpp"
#include "release/repository.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::release::testing;

namespace {

const std::string kLogTool = COCOON_BINARY_DIR "/tools/cocoon-log/cocoon-log";
const std::string kVerifyTool = COCOON_BINARY_DIR "/tools/cocoon-verify/cocoon-verify";

struct Services {
  CliWorld& w;
  std::unique_ptr<cocoon::test::ServiceProcess> log, witness1, witness2;
  std::string witness1_key, witness2_key;

  std::unique_ptr<cocoon::test::ServiceProcess> start_witness(const std::string& name, std::string& vkey) {
    auto p = std::make_unique<cocoon::test::ServiceProcess>(std::vector<std::string>{
        kLogTool, "witness", "serve", "--key", w.at(name + ".key").string(), "--state",
        w.at(name + ".db").string(), "--logs", w.at("log/log.pub").string(), "--listen", "127.0.0.1:0"});
    INFO("witness " << name << " printed: " << (p->lines().empty() ? "" : p->lines().front()));
    REQUIRE_FALSE(p->url().empty());
    REQUIRE(p->lines().front().starts_with("witness "));
    vkey = p->lines().front().substr(8);
    return p;
  }

  explicit Services(CliWorld& world) : w(world) {
    REQUIRE(crypto::save_secret_key(w.at("log.key"), w.cast.log, std::nullopt).ok());
    auto init = cocoon::test::run_shell(kLogTool + " init --dir " + w.q(w.at("log")) + " --origin " +
                                        w.cast.log.name + " --key " + w.q(w.at("log.key")));
    INFO(init.output);
    REQUIRE(init.exit_code == 0);
    w.write_key(w.cast.witness, false);
    w.write_key(key("witness-2.example", 33), false);
    witness1 = start_witness("witness.example", witness1_key);
    witness2 = start_witness("witness-2.example", witness2_key);
    log = std::make_unique<cocoon::test::ServiceProcess>(
        std::vector<std::string>{kLogTool, "serve", "--dir", w.at("log").string(), "--listen", "127.0.0.1:0",
                                 "--batch-wait", "0.002"});
    REQUIRE_FALSE(log->url().empty());
  }
};

cocoon::test::CommandResult node_update(const CliWorld& w, const std::string& state) {
  return cocoon::test::run_shell(kVerifyTool + " update --repo " + w.q(w.repo) + " --root " +
                                 w.q(w.at("root.json")) + " --state " + w.q(w.at(state)) +
                                 " --target sample/hello.bin --download " + w.q(w.at(state + ".bin")));
}

}  // namespace

TEST_CASE("e2e: log server and two witness processes, and cocoon-verify accepts what cocoon-sign published",
          "[release][e2e]") {
  CliWorld w;
  Services s(w);
  for (const auto* k : {&w.cast.alice, &w.cast.bob, &w.cast.carol, &w.cast.online}) w.write_key(*k, false);
  Json builders = Json::array();
  for (const auto* b : {&w.cast.builder1, &w.cast.builder2, &w.cast.builder3})
    builders.push_back(crypto::public_key_json(b->public_key()));
  REQUIRE(write_file_atomic(w.at("builders.json"), pretty_json(builders)).ok());
  auto init = w.sign_tool(
      "root init --maintainer alice.pub --maintainer bob.pub --maintainer carol.pub --threshold 2 "
      "--online-pub online.pub --builders builders.json --builder-threshold 2 --log-vkey log/log.pub "
      "--witness-vkey " +
      cocoon::test::shell_quote(s.witness1_key) + " --witness-vkey " +
      cocoon::test::shell_quote(s.witness2_key) + " --witness-quorum 2 --out root.draft.json");
  INFO(init.output);
  REQUIRE(init.exit_code == 0);
  REQUIRE(w.sign_tool("sign root.draft.json --key alice.key --out root.json").exit_code == 0);
  REQUIRE(w.sign_tool("sign root.json --key bob.key").exit_code == 0);
  REQUIRE(w.sign_tool("publish root.json --repo repo").exit_code == 0);

  w.log_args =
      "--log " + s.log->url() + " --witness " + s.witness1->url() + " --witness " + s.witness2->url();
  auto first = w.release("0.1.0", "hello v1\n", {"alice", "bob"});
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  CHECK(first.output.find("cosigned as witness.example") != std::string::npos);
  CHECK(first.output.find("cosigned as witness-2.example") != std::string::npos);

  auto node = node_update(w, "node");
  INFO(node.output);
  REQUIRE(node.exit_code == 0);
  CHECK(node.output.find("2 cosigned (quorum 2)") != std::string::npos);
  CHECK(node.output.find("2 trusted builder(s) agree") != std::string::npos);
  CHECK(read_text_file(w.at("node.bin")).value() == "hello v1\n");

  // Someone else's entry lands in the log between releases; the node still follows.
  auto other = cocoon::test::run_shell("curl -s --data-binary 'unrelated entry' " + s.log->url() + "add");
  REQUIRE(other.exit_code == 0);
  auto second = w.release("0.2.0", "hello v2\n", {"alice", "carol"});
  INFO(second.output);
  REQUIRE(second.exit_code == 0);
  auto again = node_update(w, "node");
  INFO(again.output);
  REQUIRE(again.exit_code == 0);
  CHECK(again.output.find("extends the checkpoint accepted at size 3") != std::string::npos);
  CHECK(read_text_file(w.at("node.bin")).value() == "hello v2\n");

  // One witness goes away: the root's quorum of 2 cannot be met and nothing is published.
  CHECK(s.witness2->stop() == 0);
  auto third = w.release("0.3.0", "hello v3\n", {"alice", "bob"});
  INFO(third.output);
  CHECK(third.exit_code == 7);
  CHECK(third.output.find("did not cosign") != std::string::npos);
  CHECK_FALSE(fs::exists(w.repo / "metadata/3.targets.json"));
  // The witness's state survives a restart: it cosigns again, from where it was.
  std::string key2;
  s.witness2 = s.start_witness("witness-2.example", key2);
  CHECK(key2 == s.witness2_key);
  w.log_args =
      "--log " + s.log->url() + " --witness " + s.witness1->url() + " --witness " + s.witness2->url();
  auto retried = w.release("0.3.1", "hello v3\n", {"alice", "bob"});
  INFO(retried.output);
  CHECK(retried.exit_code == 0);
  CHECK(s.log->stop() == 0);
}
