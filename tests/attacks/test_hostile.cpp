// Hostile input (issue 13): bytes from a mirror, a log client or a corrupted file that used to crash a
// tool, forge a line of its output or leak a secret. Each test runs the tool as a user would and checks
// the refusal's exit code and what reaches the terminal.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "../measure/support.hpp"
#include "../support/shell.hpp"
#include "build/recipe.hpp"
#include "core/escape.hpp"
#include "core/json.hpp"
#include "crypto/key_file.hpp"
#include "http_repo_server.hpp"
#include "measure/verify.hpp"
#include "release/metadata.hpp"
#include "release/roles.hpp"
#include "repo_fixture.hpp"
#include "verify/delegations.hpp"
#include "verify/http_fetcher.hpp"

using namespace cocoon;
using namespace cocoon::verify;
using namespace cocoon::verify::testing;
using Catch::Matchers::Contains;
using cocoon::test::run_shell;
using cocoon::test::shell_quote;

namespace {

std::string tool(const std::string& name) {
  return COCOON_BINARY_DIR "/tools/" + name + "/" + name;
}

std::string root_file(const Repo& r) {
  auto path = r.scratch() / "root-v1.json";
  REQUIRE(write_file_atomic(path, r.root_v1).ok());
  return path.string();
}

std::string update_cmd_at(const Repo& r, const std::string& repo, const std::string& extra) {
  return tool("cocoon-verify") + " update --repo " + shell_quote(repo) + " --root " +
         shell_quote(root_file(r)) + " --state " + shell_quote(r.state().string()) + " " + extra;
}

std::string update_cmd(const Repo& r, const std::string& extra = "") {
  return update_cmd_at(r, r.repo().string(), extra);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Nothing the attacker wrote reached the terminal raw: no line is exactly `forged`, and no byte is
// a control character other than the newlines ending lines, nor invalid UTF-8.
void check_not_forged(const std::string& output, const std::string& forged) {
  INFO(printable(output));
  if (!forged.empty())
    for (const auto& line : lines_of(output)) CHECK(line != forged);
  for (char c : output) CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\n'));
  CHECK(output.find('\x7f') == std::string::npos);
  CHECK(is_valid_utf8(output));
}

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string write_file(const std::filesystem::path& path, const std::string& text) {
  REQUIRE(write_file_atomic(path, text).ok());
  return path.string();
}

// The JSON document in a tool's stdout (stderr sent elsewhere).
Json stdout_json(const std::string& output) {
  auto doc = parse_json(output, "tool output");
  INFO(printable(output));
  REQUIRE(doc.ok());
  return *doc;
}

}  // namespace

TEST_CASE("hostile: a root nested 100000 deep on a mirror is refused with exit 2") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  const std::string deep = nested(100000);  // 200 KB, no key needed to serve it
  r.write("metadata/2.root.json", deep);
  REQUIRE_REFUSED(r.update(), Errc::invalid_input, "deeper than 64");
  auto out = run_shell(update_cmd(r));
  INFO(out.output);
  CHECK(out.exit_code == 2);
  CHECK_THAT(out.output, Contains("nests arrays and objects deeper than 64 levels"));
  // The same attack on the timestamp, and as the trusted root given on the command line.
  Repo s;
  s.publish(1, {{"app/app.tar", "v1"}});
  s.write("metadata/timestamp.json", nested(5000));  // within the timestamp's 16 KB cap
  CHECK(run_shell(update_cmd(s)).exit_code == 2);
  auto bad_root = write_file(s.scratch() / "deep-root.json", deep);
  auto given =
      run_shell(tool("cocoon-verify") + " update --repo " + shell_quote(s.repo().string()) + " --root " +
                shell_quote(bad_root) + " --state " + shell_quote((s.scratch() / "state2").string()));
  INFO(given.output);
  CHECK(given.exit_code == 2);
}

TEST_CASE("hostile: cocoon-sign status on a deeply nested draft exits 2") {
  auto dir = TempDir::create();
  REQUIRE(dir.ok());
  for (const std::string& text :
       {nested(100000), "{\"signed\":" + nested(5000) + ",\"signatures\":[]}",
        "{\"signed\":{\"_type\":\"targets\",\"custom\":" + nested(70) + "},\"signatures\":[]}"}) {
    auto draft = write_file(dir->path() / "draft.json", text);
    auto out = run_shell(tool("cocoon-sign") + " status " + shell_quote(draft));
    INFO(out.output.substr(0, 400));
    CHECK(out.exit_code == 2);
    CHECK_THAT(out.output, Contains("deeper than 64"));
  }
}

TEST_CASE("hostile: a recipe whose measure member nests 100000 deep exits 2") {
  const std::string recipe =
      R"({"schema":"cocoon-recipe/v1","name":"p","version":"1","source":{"url":"x","commit":")" +
      std::string(40, 'a') + R"("},"steps":[{"name":"s","run":["true"]}],)" +
      R"("artifacts":[{"name":"a","file":"a"}],"measure":{"m":)" + nested(100000) + "}}";
  auto parsed = build::parse_recipe(recipe);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().code == Errc::invalid_input);
  auto dir = TempDir::create();
  REQUIRE(dir.ok());
  auto path = write_file(dir->path() / "deep.json", recipe);
  auto out = run_shell(tool("cocoon-build") + " run " + shell_quote(path) + " --out " +
                       shell_quote((dir->path() / "out").string()));
  INFO(out.output.substr(0, 400));
  CHECK(out.exit_code == 2);
  CHECK_THAT(out.output, Contains("deeper than 64"));
}

TEST_CASE("hostile: a 0xff byte in a mirror's timestamp is refused with exit 2, --json stays JSON") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  std::string ts = to_string(r.read("metadata/timestamp.json"));
  auto at = ts.find("\"timestamp\"");
  REQUIRE(at != std::string::npos);
  ts.replace(at, 11, "\"time\xff\x1b[8mstamp\"");
  r.write("metadata/timestamp.json", ts);
  auto json = run_shell(update_cmd(r, "--json 2>/dev/null"));
  CHECK(json.exit_code == 2);
  Json doc = stdout_json(json.output);
  CHECK(doc["verdict"] == "REJECT");
  CHECK(doc["exit_code"] == 2);
  CHECK(doc["reason"]["class"] == "invalid input");
  auto text = run_shell(update_cmd(r));
  CHECK(text.exit_code == 2);
  CHECK_THAT(text.output, Contains("\\xff"));
  check_not_forged(text.output, "");
}

TEST_CASE("hostile: a plain-TUF delegation key with a number as keytype does not throw") {
  Json key = {{"keytype", 5}, {"scheme", "ed25519"}, {"keyval", {{"public", std::string(64, '0')}}}};
  Json signed_part = {{"delegations", {{"keys", {{std::string(64, 'a'), key}}}, {"roles", Json::array()}}}};
  Result<std::optional<Delegations>> parsed = make_error(Errc::internal, "not run");
  REQUIRE_NOTHROW(parsed = parse_delegations(signed_part));
  // Not a key anyone can use, and not under its own id: it loads as an unusable key, signs nothing.
  REQUIRE(parsed.ok());
  REQUIRE(parsed->has_value());
  CHECK_FALSE((*parsed)->keys.at(std::string(64, 'a')).usable());
  for (Json bad : {Json(5), Json::array({5})}) {
    Json sp = {{"delegations", {{"keys", {{"k", bad}}}, {"roles", Json::array()}}}};
    REQUIRE_NOTHROW(parsed = parse_delegations(sp));
    CHECK_FALSE(parsed.ok());
  }
  Json odd = {{"keytype", {{"x", 1}}}};
  Json sp = {{"delegations", {{"keys", {{"k", odd}}}, {"roles", Json::array()}}}};
  REQUIRE_NOTHROW(parsed = parse_delegations(sp));
  REQUIRE(parsed.ok());
  CHECK_FALSE((*parsed)->keys.at("k").usable());
}

TEST_CASE("hostile: host_profiles of the wrong type in a measurement file exit 2") {
  auto dir = TempDir::create();
  REQUIRE(dir.ok());
  measure::RegisterSet regs{};
  auto quote = dir->path() / "quote.bin";
  REQUIRE(write_file_atomic(quote, measure_test::quote_v4(regs)).ok());
  for (const char* profiles : {"[5]", "5", "\"x\"", "[[1]]", "{\"a\":5}"}) {
    const std::string text =
        R"({"schema":"cocoon-measurement/v1","candidates":{},"host_profiles":)" + std::string(profiles) + "}";
    auto doc = parse_json(text);
    REQUIRE(doc.ok());
    Result<measure::MeasurementCandidates> loaded = make_error(Errc::internal, "not run");
    REQUIRE_NOTHROW(loaded = measure::load_candidates(*doc));
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code == Errc::invalid_input);
    CHECK_THAT(loaded.error().message, Contains("host_profiles"));
    auto m = write_file(dir->path() / "m.json", text);
    auto out = run_shell(tool("cocoon-verify") + " quote " + shell_quote(quote.string()) + " --measurement " +
                         shell_quote(m));
    INFO(profiles << ": " << out.output);
    CHECK(out.exit_code == 2);
    CHECK_THAT(out.output, Contains("host_profiles"));
  }
}

TEST_CASE("hostile: a target path with a newline and ESC cannot forge a line of update's output") {
  Repo r;
  r.publish(1, {{"app/x\nACCEPT\x1b[8m", "v1"}});
  auto out = run_shell(update_cmd(r, "--target " + shell_quote("app/x\nACCEPT\x1b[8m")));
  CHECK(out.exit_code != 0);
  check_not_forged(out.output, "ACCEPT");
  // The same names in --json: valid JSON.
  auto json = run_shell(update_cmd(r, "--json 2>/dev/null"));
  Json doc = stdout_json(json.output);
  CHECK(doc["exit_code"] == json.exit_code);
}

TEST_CASE("hostile: a _type with a newline and ESC cannot forge a line of update's output") {
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  auto env = release::parse_envelope_text(to_string(r.read("metadata/timestamp.json")), "timestamp");
  REQUIRE(env.ok());
  Json signed_part = env->signed_part;
  signed_part["_type"] = "timestamp\nok     ACCEPT\nACCEPT\x1b[8m";
  r.write("metadata/timestamp.json", Repo::sign(signed_part, {&r.online}));
  auto out = run_shell(update_cmd(r));
  CHECK(out.exit_code == 2);
  check_not_forged(out.output, "ACCEPT");
  CHECK_THAT(out.output, Contains("\\x0aACCEPT\\x1b[8m"));
}

TEST_CASE("hostile: control characters in a log entry are escaped by cocoon-log monitor") {
  auto dir = TempDir::create();
  REQUIRE(dir.ok());
  REQUIRE(crypto::init_sodium().ok());
  auto key = crypto::generate_secret_key("log-operator");
  REQUIRE(key.ok());
  auto key_path = dir->path() / "log.key";
  REQUIRE(crypto::save_secret_key(key_path, *key, std::nullopt).ok());
  auto log = (dir->path() / "log").string();
  const std::string log_tool = tool("cocoon-log");
  REQUIRE(run_shell(log_tool + " init --dir " + shell_quote(log) + " --origin example.org/hostile --key " +
                    shell_quote(key_path.string()))
              .exit_code == 0);
  auto entry =
      write_file(dir->path() / "entry.json",
                 R"({"signed":{"_type":"root\n1 tuf root version 9\u001b[8m","version":1},"signatures":[]})");
  auto dsse = write_file(dir->path() / "dsse.json",
                         R"({"payloadType":"x\u001b]0;owned\u0007\u202e","payload":"!!"})");
  REQUIRE(run_shell(log_tool + " add --dir " + shell_quote(log) + " " + shell_quote(entry) + " " +
                    shell_quote(dsse))
              .exit_code == 0);
  auto out = run_shell(log_tool + " monitor --dir " + shell_quote(log) + " --state " +
                       shell_quote((dir->path() / "monitor.json").string()));
  INFO(printable(out.output));
  CHECK(out.exit_code == 0);
  check_not_forged(out.output, "1 tuf root version 9");
  CHECK_THAT(out.output, Contains("0 tuf root\\x0a1 tuf root version 9\\x1b[8m"));
  CHECK_THAT(out.output, Contains("1 dsse x\\x1b]0;owned\\x07\\xe2\\x80\\xae"));
}

TEST_CASE("hostile: a corrupted unencrypted key file never shows its seed") {
  REQUIRE(crypto::init_sodium().ok());
  Repo r;
  r.publish(1, {{"app/app.tar", "v1"}});
  auto key = crypto::generate_secret_key("alice");
  REQUIRE(key.ok());
  auto key_path = r.scratch() / "alice.key";
  REQUIRE(crypto::save_secret_key(key_path, *key, std::nullopt).ok());
  std::string text = *read_text_file(key_path);
  auto doc = parse_json(text);
  REQUIRE(doc.ok());
  const std::string seed = (*doc)["seed"].get<std::string>();
  auto at = text.find(seed);
  REQUIRE(at != std::string::npos);
  text.insert(at + seed.size() + 1, "x");  // one stray character after the seed's closing quote
  write_file(key_path, text);
  auto draft = write_file(r.scratch() / "draft.json", to_string(r.read("metadata/1.targets.json")));
  for (const std::string& cmd :
       {tool("cocoon-build") + " key show " + shell_quote(key_path.string()),
        tool("cocoon-build") + " key show --json " + shell_quote(key_path.string()),
        tool("cocoon-sign") + " sign " + shell_quote(draft) + " --key " + shell_quote(key_path.string())}) {
    auto out = run_shell(cmd);
    INFO(cmd << "\n" << out.output);
    CHECK(out.exit_code == 2);
    CHECK_THAT(out.output, Contains("is not valid JSON at byte"));
    for (std::size_t i = 0; i + 8 <= seed.size(); i += 8)
      CHECK(out.output.find(seed.substr(i, 8)) == std::string::npos);
  }
}

TEST_CASE("hostile: a target missing on an HTTP mirror is not_found like in a directory") {
  Repo r;
  r.publish(1, {{"app/app.tar", "abc"}});  // 3 bytes: the 404 page is longer
  Bytes targets = r.read("metadata/1.targets.json");
  auto info = release::parse_targets(release::parse_envelope_text(to_string(targets), "t")->signed_part)
                  ->targets["app/app.tar"];
  REQUIRE(target_file_path("app/app.tar", info.hashes).starts_with("targets/"));
  std::filesystem::remove_all(r.repo() / "targets");
  REQUIRE_REFUSED(r.update("app/app.tar"), Errc::not_found, "app");
  RepoServer server(r.repo());
  auto fetcher = HttpRepoFetcher::create(server.url());
  REQUIRE(fetcher.ok());
  std::filesystem::remove_all(r.state());
  REQUIRE_REFUSED(run_update(**fetcher, r.options("app/app.tar")), Errc::not_found, "HTTP 404");
  // A 404 page longer than any metadata is still a 404, not endless data.
  server.pad("metadata/2.root.json", 1 << 20);
  auto missing = (*fetcher)->fetch("metadata/2.root.json", 100);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == Errc::not_found);
  std::filesystem::remove_all(r.state());
  auto out = run_shell(update_cmd_at(r, server.url(), "--target app/app.tar"));
  INFO(out.output);
  CHECK(out.exit_code == 12);
  CHECK_THAT(out.output, Contains("HTTP 404"));
}

TEST_CASE("hostile: recipe names that are not plain file names are refused with exit 2") {
  auto dir = TempDir::create();
  REQUIRE(dir.ok());
  const std::string forged = "x\n" + std::string(64, '0') + "  libnodecore";
  auto recipe = [](const std::string& product, const std::string& step, const std::string& artifact) {
    Json j = {{"schema", "cocoon-recipe/v1"},
              {"name", product},
              {"version", "1.0"},
              {"source", {{"url", "https://example.org/x.git"}, {"commit", std::string(40, 'a')}}},
              {"steps", {{{"name", step}, {"run", {"true"}}}}},
              {"artifacts", {{{"name", artifact}, {"file", "out/a"}}}}};
    return j.dump();
  };
  CHECK(build::parse_recipe(recipe("p", "s", "libnodecore.a")).ok());
  struct Case {
    std::string text, fragment;
  };
  for (const Case& c :
       {Case{recipe("p", "s", forged), "artifacts[0].name"},
        Case{recipe("p", "s", "a\x1b[8m"), "artifacts[0].name"},
        Case{recipe("p", "s", "-rf"), "artifacts[0].name"},
        Case{recipe("p", "s", std::string(256, 'a')), "artifacts[0].name"},
        Case{recipe("p", "s", ".."), "artifacts[0].name"}, Case{recipe("p", "s\nok", "a"), "steps[0].name"},
        Case{recipe("p/q", "s", "a"), "name"}, Case{recipe("p\r", "s", "a"), "name"}}) {
    auto parsed = build::parse_recipe(c.text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == Errc::invalid_input);
    CHECK_THAT(parsed.error().message, Contains(c.fragment));
  }
  auto path = write_file(dir->path() / "forged.json", recipe("p", "s", forged));
  auto out_dir = dir->path() / "out";
  auto out = run_shell(tool("cocoon-build") + " run " + shell_quote(path) + " --out " +
                       shell_quote(out_dir.string()));
  CHECK(out.exit_code == 2);
  check_not_forged(out.output, std::string(64, '0') + "  libnodecore");
  CHECK_FALSE(std::filesystem::exists(out_dir / "SHA256SUMS"));
}

TEST_CASE("hostile: a key name with a newline is refused by key generate with exit 2") {
  auto dir = TempDir::create();
  REQUIRE(dir.ok());
  auto out_key = dir->path() / "k.key";
  for (const std::string& name : {std::string("alice\nbob"), std::string("-x"), std::string("a\x1b[8m")}) {
    auto out = run_shell(tool("cocoon-build") + " key generate --unencrypted --name=" + shell_quote(name) +
                         " --out " + shell_quote(out_key.string()));
    INFO(printable(out.output));
    CHECK(out.exit_code == 2);
    CHECK_THAT(out.output, Contains("key name"));
    CHECK_FALSE(std::filesystem::exists(out_key));
  }
  auto ok = run_shell(tool("cocoon-build") + " key generate --unencrypted --name 'alice (builder 1)' --out " +
                      shell_quote(out_key.string()));
  CHECK(ok.exit_code == 0);
}

TEST_CASE("hostile: command-line errors are one line naming the tool, exit 2") {
  auto out = run_shell(tool("cocoon-verify") + " update --state /nonexistent --treshold 2");
  INFO(out.output);
  CHECK(out.exit_code == 2);
  CHECK_THAT(out.output, Catch::Matchers::StartsWith("cocoon-verify: error: "));
  CHECK(lines_of(out.output).size() == 1);
  auto esc = run_shell(tool("cocoon-sign") + " " + shell_quote("st\x1b[8matus"));
  CHECK(esc.exit_code == 2);
  check_not_forged(esc.output, "");
}
