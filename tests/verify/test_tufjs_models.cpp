// cocoon-verify as a plain TUF client against repositories written by tuf-js's @tufjs/models
// (tests/interop/tuf-js/make-models-repo.js), with tuf-js's own Updater as the referee: for every case
// both clients must reach the same verdict (and cocoon-verify the expected refusal class), download the
// same bytes, and leave the same metadata files, byte for byte, which must also be the repository's
// files. Skipped, with the reason printed, only when node is not installed; a missing tuf-js install is
// a failure (ci/setup installs it).
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../support/shell.hpp"
#include "../support/tufjs.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "http_repo_server.hpp"
#include "verify/delegations.hpp"
#include "verify/fetcher.hpp"

using namespace cocoon;
namespace fs = std::filesystem;
using cocoon::test::run_shell;
using cocoon::test::shell_quote;

namespace {

const std::string kGenerator = COCOON_SOURCE_DIR "/tests/interop/tuf-js/make-models-repo.js";
const std::string kClient = COCOON_SOURCE_DIR "/tests/interop/tuf-js/client.js";
const std::string kVerify = COCOON_BINARY_DIR "/tools/cocoon-verify/cocoon-verify";

std::string q(const fs::path& p) {
  return shell_quote(p.string());
}

std::string slurp(const fs::path& p) {
  auto data = read_file(p, 64 << 20);
  return data.ok() ? to_string(*data) : std::string();
}

bool can_run() {
  if (!cocoon::test::node_installed()) {
    WARN("SKIPPED: node is not installed, the @tufjs/models interop test cannot run");
    return false;
  }
  INFO("tuf-js 6.0.2 is not installed in " << cocoon::test::tufjs_modules() << " (run ci/setup)");
  REQUIRE(cocoon::test::tufjs_installed());
  return true;
}

struct Outcome {
  bool ok = false;
  std::string error_class;  // cocoon-verify's refusal class; empty for tuf-js
  std::string message;
  std::string downloaded;
};

// Every TUF metadata file a client keeps: *.json directly in its metadata directory, name -> bytes.
std::map<std::string, std::string> metadata_files(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".json") out[e.path().filename()] = slurp(e.path());
  }
  return out;
}

// One scenario written by make-models-repo.js into a temporary directory.
class Scenario {
 public:
  explicit Scenario(const std::string& name) : dir_(must(TempDir::create("tufjs-models-"))) {
    auto r = run_shell(cocoon::test::node_command(q(kGenerator) + " " + shell_quote(name) + " " +
                                                  q(dir_.path() / "repo") + " 2>" +
                                                  q(dir_.path() / "generator.err")));
    INFO(slurp(dir_.path() / "generator.err"));
    REQUIRE(r.exit_code == 0);
    auto summary = parse_json(r.output, "generator summary");
    REQUIRE(summary.ok());
    summary_ = std::move(*summary);
  }

  const Json& cases() const { return summary_.at("cases"); }
  fs::path stage(const std::string& name) const { return dir_.path() / "repo" / name; }
  fs::path path() const { return dir_.path(); }
  // The client state (ours) and cache (tuf-js) of a named state: cases sharing it run in order.
  fs::path our_state(const std::string& state) { return dir_.path() / ("state-" + index_of(state)); }
  fs::path tufjs_cache(const std::string& state) { return dir_.path() / ("tufjs-" + index_of(state)); }

 private:
  static TempDir must(Result<TempDir> d) {
    REQUIRE(d.ok());
    return std::move(d.value());
  }
  std::string index_of(const std::string& state) {
    auto it = states_.emplace(state, states_.size()).first;
    return std::to_string(it->second);
  }
  TempDir dir_;
  Json summary_;
  std::map<std::string, std::size_t> states_;
};

// cocoon-verify update; `repo` is a directory or an http:// URL.
Outcome run_ours(const std::string& repo, const fs::path& root, const fs::path& state,
                 const std::string& target, const fs::path& out, const fs::path& scratch) {
  fs::remove(out);
  std::string cmd = q(kVerify) + " update --json --repo " + shell_quote(repo) + " --root " + q(root) +
                    " --state " + q(state) + " --target " + shell_quote(target) + " --download " + q(out) +
                    " >" + q(scratch / "ours.json") + " 2>" + q(scratch / "ours.err");
  auto r = run_shell(cmd);
  Outcome o;
  auto verdict = parse_json(slurp(scratch / "ours.json"), "cocoon-verify --json");
  INFO(cmd << "\n" << slurp(scratch / "ours.err"));
  REQUIRE(verdict.ok());
  o.ok = verdict->at("verdict") == "ACCEPT";
  CHECK(o.ok == (r.exit_code == 0));
  CHECK(verdict->at("mode") == "plain-tuf");
  if (!o.ok) {
    o.error_class = verdict->at("reason").at("class").get<std::string>();
    o.message = verdict->at("reason").at("message").get<std::string>();
  }
  if (o.ok) o.downloaded = slurp(out);
  return o;
}

struct TufjsRun {
  fs::path stage, root, cache;
  std::string target;
  fs::path out, keep;  // the downloaded target; a copy of the cache's metadata after the run
};

// tuf-js's Updater on every run in order, in one node process (client.js update-many serves each stage
// over HTTP): start-up dominates a single update.
std::vector<Outcome> run_tufjs(const std::vector<TufjsRun>& runs, const fs::path& scratch) {
  Json list = Json::array();
  for (const auto& r : runs) {
    list.push_back({{"repo", r.stage.string()},
                    {"root", r.root.string()},
                    {"cache", r.cache.string()},
                    {"target", r.target},
                    {"out", r.out.string()},
                    {"keep", r.keep.string()}});
  }
  REQUIRE(write_file_atomic(scratch / "tufjs-runs.json", list.dump()).ok());
  std::string cmd =
      cocoon::test::node_command(q(kClient) + " update-many " + q(scratch / "tufjs-runs.json")) + " >" +
      q(scratch / "tufjs.json") + " 2>" + q(scratch / "tufjs.err");
  auto r = run_shell(cmd);
  INFO(cmd << "\n" << slurp(scratch / "tufjs.err"));
  REQUIRE(r.exit_code == 0);
  auto results = parse_json(slurp(scratch / "tufjs.json"), "client.js update-many");
  REQUIRE(results.ok());
  REQUIRE(results->size() == runs.size());
  std::vector<Outcome> out;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Json& v = results->at(i);
    Outcome o;
    o.ok = v.at("ok").get<bool>();
    if (o.ok) o.downloaded = slurp(runs[i].out);
    if (!o.ok) o.message = v.at("error").get<std::string>();
    out.push_back(std::move(o));
  }
  return out;
}

// "team%20a%2Fapps" -> "team a/apps" (test input is well-formed).
std::string percent_decoded(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Every metadata file the client kept is the repository's file of that role and version, byte for byte.
void require_state_is_repository_bytes(const fs::path& state, const fs::path& stage) {
  for (const auto& [name, bytes] : metadata_files(state)) {
    std::string role = name.substr(0, name.size() - 5);
    fs::path source = stage / "metadata" / name;  // timestamp.json is not versioned
    if (role != "timestamp") {
      auto doc = parse_json(bytes, name);
      REQUIRE(doc.ok());
      source = stage / "metadata" /
               (std::to_string(doc->at("signed").at("version").get<std::uint64_t>()) + "." +
                percent_decoded(name));
    }
    INFO("state file " << name << " against " << source);
    CHECK(bytes == slurp(source));
  }
}

enum class Transport { directory, http };

// Runs every case of the scenario with both clients and compares them.
// `only`, when given, names the cases to run (cases sharing a state must be named together).
void run_scenario(const std::string& name, Transport transport = Transport::directory,
                  const std::set<std::string>& only = {}) {
  Scenario s(name);
  auto root_of = [](const fs::path& stage) { return stage / "metadata" / "1.root.json"; };
  std::vector<TufjsRun> runs;
  for (std::size_t i = 0; i < s.cases().size(); ++i) {
    const Json& c = s.cases().at(i);
    fs::path stage = s.stage(c.at("stage"));
    runs.push_back({stage, root_of(stage), s.tufjs_cache(c.at("state")), c.at("target"),
                    s.path() / ("tufjs-" + std::to_string(i) + ".out"),
                    s.path() / ("tufjs-" + std::to_string(i) + ".metadata")});
  }
  // Over HTTP only our side changes; tuf-js already ran these cases in the directory variant.
  const bool with_tufjs = transport == Transport::directory;
  std::vector<Outcome> tufjs = with_tufjs ? run_tufjs(runs, s.path()) : std::vector<Outcome>{};
  std::size_t cases_run = 0;
  for (std::size_t i = 0; i < s.cases().size(); ++i) {
    const Json& c = s.cases().at(i);
    const std::string case_name = c.at("name"), state = c.at("state"), target = c.at("target");
    if (!only.empty() && !only.count(case_name)) continue;
    ++cases_run;
    const fs::path stage = s.stage(c.at("stage"));
    const bool expect_ok = c.at("expect") == "ok";
    INFO("scenario " << name << ", case \"" << case_name << "\" (stage " << stage.filename().string()
                     << ", target " << target << ")");
    std::optional<cocoon::verify::testing::RepoServer> server;
    std::string repo = stage.string();
    if (transport == Transport::http) {
      server.emplace(stage);
      repo = server->url();
    }
    Outcome ours =
        run_ours(repo, root_of(stage), s.our_state(state), target, s.path() / "ours.out", s.path());
    INFO("cocoon-verify: " << (ours.ok ? "ACCEPT" : ours.error_class + ": " + ours.message));
    REQUIRE(ours.ok == expect_ok);
    if (expect_ok) {
      CHECK(ours.downloaded == c.at("content").get<std::string>());
    } else {
      CHECK(ours.error_class == c.at("class").get<std::string>());
    }
    if (with_tufjs) {
      const Outcome& theirs = tufjs[i];
      INFO("tuf-js: " << (theirs.ok ? "ok" : theirs.message));
      REQUIRE(theirs.ok == expect_ok);
      if (expect_ok) CHECK(theirs.downloaded == c.at("content").get<std::string>());
      // Same roles verified and kept (the delegated roles the search visited included), same bytes.
      auto our_files = metadata_files(s.our_state(state));
      auto their_files = metadata_files(runs[i].keep);
      std::string our_names, their_names;
      for (const auto& f : our_files) our_names += f.first + " ";
      for (const auto& f : their_files) their_names += f.first + " ";
      CHECK(our_names == their_names);
      CHECK(our_files == their_files);
    }
    // After a refusal the state rightly keeps what an earlier stage served.
    if (expect_ok) require_state_is_repository_bytes(s.our_state(state), stage);
  }
  CHECK(cases_run == (only.empty() ? s.cases().size() : only.size()));
}

}  // namespace

TEST_CASE("tufjs-models: a plain repository - target bytes and persisted metadata match tuf-js") {
  if (!can_run()) return;
  run_scenario("basic");
}

TEST_CASE("tufjs-models: a target file that differs from its metadata is refused by both clients") {
  if (!can_run()) return;
  Scenario s("basic");
  fs::path stage = s.stage("s1");
  const Json& hello = s.cases().at(0);
  REQUIRE(hello.at("target") == "hello.txt");
  // Same length, other bytes, under every name the file is published as.
  std::string content = hello.at("content");
  std::string forged(content.size(), 'X');
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(stage / "targets", ec)) {
    if (e.path().filename().string().ends_with(".hello.txt"))
      REQUIRE(write_file_atomic(e.path(), forged).ok());
  }
  fs::path root = stage / "metadata" / "1.root.json";
  Outcome ours = run_ours(stage.string(), root, s.our_state("x"), "hello.txt", s.path() / "o", s.path());
  std::vector<Outcome> tufjs =
      run_tufjs({{stage, root, s.tufjs_cache("x"), "hello.txt", s.path() / "t", {}}}, s.path());
  const Outcome& theirs = tufjs.at(0);
  REQUIRE_FALSE(ours.ok);
  CHECK(ours.error_class == "hash mismatch");
  REQUIRE_FALSE(theirs.ok);
  CHECK_FALSE(fs::exists(s.path() / "o"));
}

TEST_CASE("tufjs-models: delegations (pre-order, terminating, path patterns, hash prefixes, keys)") {
  if (!can_run()) return;
  run_scenario("delegations");
}

TEST_CASE("tufjs-models: role names that are not file names are percent-encoded like tuf-js does") {
  if (!can_run()) return;
  run_scenario("role-names");
}

TEST_CASE("tufjs-models: role_file_name, and a directory repository read percent-decoded") {
  CHECK(cocoon::verify::role_file_name("apps") == "apps");
  CHECK(cocoon::verify::role_file_name("team a/apps") == "team%20a%2Fapps");
  CHECK(cocoon::verify::role_file_name("a%b~c.d_e-f") == "a%25b~c.d_e-f");
  auto dir = TempDir::create("tufjs-dirfetch-");
  REQUIRE(dir.ok());
  fs::create_directories(dir->path() / "metadata" / "1.team a");
  REQUIRE(write_file_atomic(dir->path() / "metadata" / "1.team a" / "apps.json", std::string("{}")).ok());
  REQUIRE(write_file_atomic(dir->path() / "secret", std::string("outside metadata/")).ok());
  cocoon::verify::DirFetcher fetcher(dir->path() / "metadata");
  auto read = fetcher.fetch("1.team%20a%2Fapps.json", 100);
  REQUIRE(read.ok());
  CHECK(to_string(*read) == "{}");
  for (const char* bad : {"%2E%2E/secret", "%2e%2e%2Fsecret", "x%2", "x%zz.json", "a%00b"}) {
    INFO(bad);
    auto r = fetcher.fetch(bad, 100);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::invalid_input);
  }
}

TEST_CASE("tufjs-models: path patterns are python-tuf's fnmatch per segment") {
  using cocoon::verify::path_pattern_matches;
  CHECK(path_pattern_matches("a/*", "a/.hidden"));  // minimatch (tuf-js) would not match a dot file
  CHECK(path_pattern_matches("a\\*", "a\\x"));      // backslash is literal, not an escape
  CHECK_FALSE(path_pattern_matches("a\\*", "a*"));
  CHECK(path_pattern_matches("pkg-[0-9].tar", "pkg-7.tar"));
  CHECK_FALSE(path_pattern_matches("*", "a/b"));
}

TEST_CASE("tufjs-models: what a plain TUF repository may hold that we refuse, with the reason") {
  auto succinct = parse_json(
      R"({"delegations": {"keys": {}, "succinct_roles": {"keyids": [], "threshold": 1, "bit_length": 4,
          "name_prefix": "bin"}}})",
      "test");
  REQUIRE(succinct.ok());
  auto refused = cocoon::verify::parse_delegations(*succinct);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Errc::unsupported);
  CHECK_THAT(refused.error().message, Catch::Matchers::Contains("succinct_roles"));
  for (const char* name : {"", "targets", "root", "tab\there"}) {
    INFO("role name \"" << name << "\"");
    Json doc = {
        {"delegations",
         {{"keys", Json::object()},
          {"roles", {{{"name", name}, {"keyids", Json::array()}, {"threshold", 1}, {"paths", {"*"}}}}}}}};
    auto r = cocoon::verify::parse_delegations(doc);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::invalid_input);
  }
}

TEST_CASE("tufjs-models: root rotation of the root, targets and timestamp keys") {
  if (!can_run()) return;
  run_scenario("rotate");
}

TEST_CASE("tufjs-models: fast-forward recovery after timestamp and snapshot key rotation") {
  if (!can_run()) return;
  run_scenario("fast-forward");
}

TEST_CASE("tufjs-models: delegations and rotation over HTTP") {
  if (!can_run()) return;
  // A few delegation cases (each a fresh client) keep this test short under the sanitizers.
  run_scenario(
      "delegations", Transport::http,
      {"pre-order: a child of an earlier role beats a later sibling", "nested delegation two levels deep",
       "terminating delegation shadows a later role", "delegated role signed by an unauthorised key",
       "delegated role bytes differ from the snapshot record"});
  run_scenario("rotate", Transport::http);
}
