// `cocoon-sign candidate` through the binary: a maintainer announces a candidate in the root's log, as
// the log directory's writer and through a `cocoon-log serve` process on 127.0.0.1, and the entry in
// the log opens under the maintainer's key and reads as a candidate in `cocoon-log monitor`. Then each
// refusal with its documented exit code.
#include <catch2/catch.hpp>

#include "../release/cli_flow.hpp"
#include "../support/service_process.hpp"
#include "rebuild/entries.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/log_client.hpp"

using namespace cocoon;
using namespace cocoon::release::testing;

namespace {

const std::string kLogTool = COCOON_BINARY_DIR "/tools/cocoon-log/cocoon-log";

// The entries of the log directory, read as a monitor would (checkpoint checked with the root's key).
std::vector<Bytes> log_entries(const CliWorld& w) {
  tlog::DirFetcher fetcher(w.at("log"));
  auto key = tlog::parse_verifier_key(make_policy(w.cast).log_verifier_key);
  REQUIRE(key.ok());
  tlog::LogClient client(fetcher, *key);
  auto cp = client.checkpoint();
  REQUIRE(cp.ok());
  auto entries = client.entries(0, cp->checkpoint.size, cp->checkpoint.size);
  REQUIRE(entries.ok());
  return *entries;
}

// The ceremony creates the log with tlog::LogWriter; cocoon-log's own commands (add, serve) also read
// the log.json that `cocoon-log init` writes (origin and key file).
void register_log_for_cocoon_log(const CliWorld& w) {
  Json config{{"origin", w.cast.log.name}, {"key", w.at("log.key").string()}};
  REQUIRE(write_file_atomic(w.at("log") / "log.json", pretty_json(config)).ok());
}

Json stdout_json(const CliWorld& w, const std::string& args) {
  auto r = w.sign_tool(args + " 2>" + w.q(w.at("stderr.txt")));
  INFO(r.output << *read_text_file(w.at("stderr.txt")));
  REQUIRE(r.exit_code == 0);
  auto doc = parse_json(r.output);
  REQUIRE(doc.ok());
  return *doc;
}

}  // namespace

TEST_CASE("candidate: a maintainer logs a candidate in the log directory, and the monitor reads it") {
  CliWorld w;
  w.ceremony(/*with_witness=*/false);
  w.write_recipe("0.1.0");
  const std::string recipe_sha = crypto::sha256_hex(read_file(w.at(w.recipe_file("0.1.0"))).value());

  Json out = stdout_json(w,
                         "candidate --recipe recipe-0.1.0.json --key alice.key --repo repo --log log "
                         "--log-key log.key --json");
  CHECK(out["index"] == 0);
  CHECK(out["product"] == "sample");
  CHECK(out["version"] == "0.1.0");
  CHECK(out["recipe_sha256"] == recipe_sha);
  CHECK(out["source_commit"] == std::string(40, 'c'));
  CHECK(out["origin"] == make_policy(w.cast).log_origin);

  auto entries = log_entries(w);
  REQUIRE(entries.size() == 1);
  CHECK(out["entry_sha256"] == crypto::sha256_hex(ByteView(entries[0])));
  auto opened = rebuild::open_candidate(entries[0], {w.cast.alice.public_key()});
  REQUIRE(opened.ok());
  CHECK(opened->value.labels.recipe_sha256 == recipe_sha);
  CHECK(opened->value.recipe == read_file(w.at(w.recipe_file("0.1.0"))).value());
  CHECK(opened->value.created == out["created"]);
  // Only alice's key opens it.
  CHECK(rebuild::open_candidate(entries[0], {w.cast.bob.public_key()}).error().code == Errc::signature);

  // A second maintainer, text output, the root given as a file.
  w.write_recipe("0.2.0");
  auto second = w.sign_tool(
      "candidate --recipe recipe-0.2.0.json --key bob.key --root repo/metadata/root.json "
      "--log log --log-key log.key");
  INFO(second.output);
  REQUIRE(second.exit_code == 0);
  CHECK(second.output.find("logged candidate sample 0.2.0 (recipe ") != std::string::npos);
  CHECK(second.output.find("at index 1 of " + make_policy(w.cast).log_origin) != std::string::npos);

  // The monitor describes both in one line each (cocoon-log links lib/rebuild's describer).
  auto monitor = cocoon::test::run_shell(kLogTool + " monitor --dir " + w.q(w.at("log")) + " --state " +
                                         w.q(w.at("monitor.json")));
  INFO(monitor.output);
  REQUIRE(monitor.exit_code == 0);
  CHECK(monitor.output.find("0 candidate sample 0.1.0 recipe " + recipe_sha.substr(0, 12) +
                            "… commit cccccccccccc…\n") != std::string::npos);
  CHECK(monitor.output.find("1 candidate sample 0.2.0 recipe ") != std::string::npos);
}

TEST_CASE("candidate: through a cocoon-log serve process on 127.0.0.1") {
  CliWorld w;
  w.ceremony(/*with_witness=*/false);
  w.write_recipe("0.1.0");
  register_log_for_cocoon_log(w);
  cocoon::test::ServiceProcess server({kLogTool, "serve", "--dir", w.at("log").string(), "--key",
                                       w.at("log.key").string(), "--listen", "127.0.0.1:0", "--batch-wait",
                                       "0.002"});
  REQUIRE_FALSE(server.url().empty());
  Json out = stdout_json(w, "candidate --recipe recipe-0.1.0.json --key alice.key --repo repo --log " +
                                server.url() + " --json");
  CHECK(out["index"] == 0);
  w.write_recipe("0.2.0");
  Json again = stdout_json(w, "candidate --recipe recipe-0.2.0.json --key carol.key --repo repo --log " +
                                  server.url() + " --json");
  CHECK(again["index"] == 1);
  CHECK(again["checkpoint_size"] == 2);
  server.stop();
  auto entries = log_entries(w);
  REQUIRE(entries.size() == 2);
  CHECK(rebuild::open_candidate(entries[1], {w.cast.carol.public_key()}).ok());
  CHECK(again["entry_sha256"] == crypto::sha256_hex(ByteView(entries[1])));
}

TEST_CASE("candidate: refusals and their exit codes") {
  CliWorld w;
  w.ceremony(/*with_witness=*/false);
  w.write_recipe("0.1.0");
  const std::string log_dir = " --repo repo --log log --log-key log.key";
  auto refused = [&](const std::string& args, int code, const std::string& message,
                     const std::string& env = "") {
    auto r = cocoon::test::run_shell("cd " + w.q(w.w) +
                                     " && COCOON_PASSPHRASE=" + cocoon::test::shell_quote(kPassphrase) + " " +
                                     env + " " + kSignTool + " candidate " + args);
    INFO(args << "\n" << r.output);
    CHECK(r.exit_code == code);
    CHECK(r.output.find("cocoon-sign: error: ") != std::string::npos);
    CHECK(r.output.find(message) != std::string::npos);
  };
  refused("--recipe missing.json --key alice.key" + log_dir, 12, "missing.json");
  REQUIRE(write_file_atomic(w.at("broken.json"), "{\"schema\":").ok());
  refused("--recipe broken.json --key alice.key" + log_dir, 2, "broken.json: recipe");
  refused("--recipe recipe-0.1.0.json --key alice.key" + log_dir, 13, "--key: alice.key",
          "COCOON_KEY_PASSPHRASE=wrong-passphrase");
  refused("--recipe recipe-0.1.0.json --key dave.key" + log_dir, 4, "is not a maintainer key of the root");
  refused("--recipe recipe-0.1.0.json --key alice.key --repo repo --log http://127.0.0.1:9/", 11, "");
  refused("--recipe recipe-0.1.0.json --key alice.key --repo repo --log log", 2, "--log DIR needs --log-key");
  refused("--recipe recipe-0.1.0.json --key alice.key --repo repo --log no-log --log-key log.key", 12,
          "no-log");
  refused("--recipe recipe-0.1.0.json --key alice.key --repo repo --log log --log-key bob.key", 13,
          "not the log key the root names");
  refused("--recipe recipe-0.1.0.json --key alice.key --log log --log-key log.key", 2,
          "give --root or --repo");
  // Nothing was logged by any refused run.
  CHECK(log_entries(w).empty());
}
