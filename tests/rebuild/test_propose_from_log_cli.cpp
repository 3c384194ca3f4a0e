// `cocoon-sign propose --attestations-log`: the attestations of a candidate collected from the root's
// log instead of a directory. The log (a directory, then the same log behind `cocoon-log serve`) holds
// a candidate, attestations by two builders, an attestation of another version, and unrelated entries,
// each added by a separate `cocoon-log add` process.
#include <catch2/catch.hpp>

#include "../release/cli_flow.hpp"
#include "../support/service_process.hpp"

using namespace cocoon;
using namespace cocoon::release::testing;

namespace {

const std::string kLogTool = COCOON_BINARY_DIR "/tools/cocoon-log/cocoon-log";

// The ceremony creates the log with tlog::LogWriter; cocoon-log's own commands (add, serve) also read
// the log.json that `cocoon-log init` writes (origin and key file).
void register_log_for_cocoon_log(const CliWorld& w) {
  Json config{{"origin", w.cast.log.name}, {"key", w.at("log.key").string()}};
  REQUIRE(write_file_atomic(w.at("log") / "log.json", pretty_json(config)).ok());
}

void log_add(const CliWorld& w, const std::vector<fs::path>& files) {
  std::string args;
  for (const auto& f : files) args += " " + w.q(f);
  auto r = cocoon::test::run_shell(kLogTool + " add --dir " + w.q(w.at("log")) + " --key " +
                                   w.q(w.at("log.key")) + args);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
}

// The sha256 of each attestation the draft's target cites.
std::vector<std::string> cited(const CliWorld& w, const std::string& draft) {
  auto doc = parse_json(*read_text_file(w.at(draft)));
  REQUIRE(doc.ok());
  const Json& target = (*doc)["signed"]["targets"]["sample/hello.bin"];
  return target["custom"]["cocoon"]["attestations"].get<std::vector<std::string>>();
}

}  // namespace

TEST_CASE("propose: attestations collected from the log, bounded and label-checked") {
  CliWorld w;
  w.ceremony(/*with_witness=*/false);
  w.write_recipe("0.1.0");
  w.write_recipe("0.0.9");
  register_log_for_cocoon_log(w);
  fs::create_directories(w.at("artifacts"));
  REQUIRE(write_file_atomic(w.at("artifacts") / "hello.bin", "hello v1").ok());
  // builder1 and builder2 attest 0.1.0; builder3 attests the same bytes as 0.0.9 (other labels).
  w.write_attestation(w.at("att"), w.cast.builder1, "hello v1", "0.1.0");
  w.write_attestation(w.at("att"), w.cast.builder2, "hello v1", "0.1.0");
  w.write_attestation(w.at("att-old"), w.cast.builder3, "hello v1", "0.0.9");
  REQUIRE(write_file_atomic(w.at("unrelated.bin"), "not an attestation\n").ok());

  // 0: the candidate, 1: unrelated, 2: builder1, 3: builder3 (0.0.9), 4: builder2.
  w.require_ok(w.sign_tool(
      "candidate --recipe recipe-0.1.0.json --key alice.key --repo repo --log log --log-key log.key"));
  log_add(w, {w.at("unrelated.bin"), w.at("att") / "builder1.json", w.at("att-old") / "builder3.json",
              w.at("att") / "builder2.json"});
  const std::string common =
      "propose --version 0.1.0 --recipe recipe-0.1.0.json --artifacts artifacts --repo repo ";

  SECTION("from the log directory") {
    auto r = w.sign_tool(common + "--attestations-log log --out draft.json");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(r.output.find(
              "collected 2 attestation(s) of this release from 5 log entries from index 0 (1 of other "
              "releases)") != std::string::npos);
    auto ids = cited(w, "draft.json");
    std::vector<std::string> expected{crypto::sha256_hex(read_file(w.at("att") / "builder1.json").value()),
                                      crypto::sha256_hex(read_file(w.at("att") / "builder2.json").value())};
    std::sort(ids.begin(), ids.end());
    std::sort(expected.begin(), expected.end());
    CHECK(ids == expected);

    // Signed, then published with the cited attestations looked up in the same log: they are laid out
    // in the repository (and found in the log, not appended again).
    w.require_ok(w.sign_tool("sign draft.json --key alice.key"));
    w.require_ok(w.sign_tool("sign draft.json --key bob.key"));
    auto pub = w.sign_tool(
        "publish draft.json --repo repo --online-key online.key --artifacts artifacts "
        "--attestations-log log --log log --log-key log.key --json 2>/dev/null");
    INFO(pub.output);
    REQUIRE(pub.exit_code == 0);
    auto report = parse_json(pub.output);
    REQUIRE(report.ok());
    CHECK((*report)["log"]["new_entries"] == 1);  // the targets; both attestations were in the log
    for (const auto& id : expected) CHECK(fs::exists(w.repo / "attestations" / (id + ".json")));
  }
  SECTION("from a cocoon-log serve process, with --json") {
    cocoon::test::ServiceProcess server({kLogTool, "serve", "--dir", w.at("log").string(), "--key",
                                         w.at("log.key").string(), "--listen", "127.0.0.1:0"});
    REQUIRE_FALSE(server.url().empty());
    auto r =
        w.sign_tool(common + "--attestations-log " + server.url() + " --json --out draft.json 2>/dev/null");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    auto doc = parse_json(r.output);
    REQUIRE(doc.ok());
    CHECK((*doc)["attestations_log"] ==
          Json{{"size", 5}, {"scanned", 5}, {"collected", 2}, {"other_labels", 1}});
    CHECK((*doc)["targets"].size() == 1);
  }
  SECTION("--since past builder1's entry: one builder is below the threshold") {
    auto r = w.sign_tool(common + "--attestations-log log --since 3 --out draft.json");
    INFO(r.output);
    CHECK(r.exit_code == 8);
    CHECK_FALSE(fs::exists(w.at("draft.json")));
  }
  SECTION("the other version's attestation does not count for 0.1.0 even with builder1's") {
    auto r = w.sign_tool(common + "--attestations-log log --since 1 --out draft.json");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);  // builder1 and builder2 are both after index 1
    auto only_old =
        w.sign_tool(common + "--attestations-log log --since 3 --attestations att-old --out d2.json");
    INFO(only_old.output);
    // builder2 from the log counts; builder3 attested these bytes for 0.0.9, which names the problem.
    CHECK(only_old.exit_code == 15);
  }
  SECTION("publish without the attestations it cites") {
    w.require_ok(w.sign_tool(common + "--attestations-log log --out draft.json"));
    w.require_ok(w.sign_tool("sign draft.json --key alice.key"));
    w.require_ok(w.sign_tool("sign draft.json --key bob.key"));
    // From index 3 the log holds builder2's attestation but not builder1's.
    auto pub = w.sign_tool(
        "publish draft.json --repo repo --online-key online.key --artifacts artifacts "
        "--attestations-log log --since 3 --log log --log-key log.key");
    INFO(pub.output);
    CHECK(pub.exit_code == 12);
    CHECK(pub.output.find("the log's attestations of this release") != std::string::npos);
    auto none = w.sign_tool(
        "publish draft.json --repo repo --online-key online.key --artifacts artifacts "
        "--log log --log-key log.key");
    CHECK(none.exit_code == 2);
    CHECK(none.output.find("give --attestations DIR or --attestations-log DIR_OR_URL") != std::string::npos);
  }
  SECTION("refusals") {
    auto none = w.sign_tool(common + "--out draft.json");
    CHECK(none.exit_code == 2);
    CHECK(none.output.find("give --attestations DIR or --attestations-log DIR_OR_URL") != std::string::npos);
    auto beyond = w.sign_tool(common + "--attestations-log log --since 9 --out draft.json");
    CHECK(beyond.exit_code == 2);
    CHECK(beyond.output.find("beyond the log's size 5") != std::string::npos);
    auto unreachable =
        w.sign_tool(common + "--attestations-log http://127.0.0.1:9/ --timeout 5 --out draft.json");
    INFO(unreachable.output);
    CHECK(unreachable.exit_code == 11);
    auto not_a_log = w.sign_tool(common + "--attestations-log att --out draft.json");
    INFO(not_a_log.output);
    CHECK(not_a_log.exit_code == 12);
  }
}
