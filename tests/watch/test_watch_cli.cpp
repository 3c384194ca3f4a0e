// `cocoon-build watch` as operators run it: every service a separate process on 127.0.0.1 (cocoon-log
// serve, a witness, three builders' daemons in different time zones and umasks, a fourth builder with
// a patched compiler), two maintainers announcing candidates through the log, a release proposed from
// what the daemons attested and published by cocoon-sign, a daemon killed with SIGKILL in the middle of
// a build. A second case shows a daemon refusing a log that rolled back, forked or changed its key.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "../support/service_process.hpp"
#include "../support/shell.hpp"
#include "core/file_io.hpp"
#include "core/time.hpp"
#include "crypto/hash.hpp"
#include "crypto/key_file.hpp"
#include "daemon_process.hpp"
#include "rebuild/entries.hpp"
#include "tlog/log_writer.hpp"
#include "tlog/note.hpp"
#include "watch/state.hpp"
#include "watch_world.hpp"

using namespace cocoon;
using namespace watch_test;
namespace fs = std::filesystem;
using cocoon::test::shell_quote;

namespace {

// What the recipes name as their source; the daemons fetch it from the test's repository (--source).
const std::string kSourceUrl = "https://fixtures.cocoon-release.invalid/watch-source.git";

struct World : WatchWorld {
  std::string commit;
  std::string real_cc;

  World() : WatchWorld("watch-cli-") {}

  // A git repository with two programs; the commit id is fixed by make-repo.sh.
  void make_source() {
    fs::path src = at("fixture");
    fs::create_directories(src);
    REQUIRE(write_file_atomic(src / "hello.c",
                              "#include <stdio.h>\nint main(void) { puts(\"hello from cocoon\"); "
                              "return 0; }\n")
                .ok());
    REQUIRE(write_file_atomic(src / "tool.c",
                              "#include <stdio.h>\nint main(int argc, char** argv) { "
                              "printf(\"tool %d %s\\n\", argc, argv[0]); return 0; }\n")
                .ok());
    auto r = sh("sh " + shell_quote(kMakeRepo) + " fixture source-repo");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    commit = r.output.substr(0, 40);
    auto cc = cocoon::test::run_shell("command -v cc");
    REQUIRE(cc.exit_code == 0);
    real_cc = cc.output.substr(0, cc.output.find('\n'));
  }

  // recipe <product>.json: one compile step, one artifact (a failing step for "broken").
  Bytes recipe(const std::string& product, const std::string& version, const std::string& source_file) {
    Json r{{"schema", "cocoon-recipe/v1"},
           {"name", product},
           {"version", version},
           {"source", {{"url", kSourceUrl}, {"commit", commit}}},
           {"steps", Json::array({Json{{"name", "compile"},
                                       {"run", Json::array({"cc", "-O2", "-o", product, source_file})}}})},
           {"artifacts", Json::array({Json{{"name", product}, {"file", product}}})}};
    std::string text = pretty_json(r);
    REQUIRE(write_file_atomic(at(product + ".json"), text).ok());
    return to_bytes(text);
  }

  Bytes candidate_entry(const std::string& product, const std::string& version,
                        const std::string& source_file, const crypto::SecretKey& signer) {
    Bytes bytes = recipe(product, version, source_file);
    rebuild::Candidate c;
    c.labels = {product, version, crypto::sha256_hex(bytes), commit};
    c.source_url = kSourceUrl;
    c.recipe = bytes;
    c.created = format_rfc3339(now_unix());
    auto entry = rebuild::sign_candidate(c, signer);
    REQUIRE(entry.ok());
    return *entry;
  }

  // A shell wrapper named cc in DIR that runs the real compiler with `extra` after the arguments,
  // optionally sleeping first.
  fs::path cc_wrapper(const std::string& dir, const std::string& extra, int sleep_seconds) {
    fs::path d = at(dir);
    fs::create_directories(d);
    std::string script = "#!/bin/sh\n";
    if (sleep_seconds) script += "sleep " + std::to_string(sleep_seconds) + "\n";
    script += "exec " + shell_quote(real_cc) + " \"$@\" " + extra + "\n";
    REQUIRE(write_file_atomic(d / "cc", script, 0755).ok());
    return d;
  }
};

}  // namespace

TEST_CASE(
    "watch: three daemons agree on candidates and a release, a patched compiler logs a mismatch, a "
    "failing build is a build failure, kill -9 mid-build resumes",
    "[watch][e2e]") {
  World w;
  w.make_source();
  w.make_log();
  auto services = w.start_log_services();
  auto& witness = services.witness;
  const std::string& witness_vkey = services.witness_vkey;
  const std::string& log_url = services.log_url;
  w.root(witness_vkey);

  fs::path patched = w.cc_wrapper("patched-bin", "-O0 -Wl,--build-id=none", 0);
  fs::path slow = w.cc_wrapper("slow-bin", "", 2);
  const std::string path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";

  struct Builder {
    std::string name, tz;
    mode_t umask;
    std::string extra_path;
  };
  // b3's compiler is slow (not different) so that it can be killed in the middle of a build.
  std::vector<Builder> builders{{"b1", "UTC", 022, ""},
                                {"b2", "Asia/Kolkata", 077, ""},
                                {"b3", "America/New_York", 002, slow.string() + ":"},
                                {"b4", "Europe/Paris", 022, patched.string() + ":"}};
  auto start = [&](const Builder& b) {
    std::vector<std::string> argv{kBuildTool,    "watch",
                                  "--root",      w.at("root.json").string(),
                                  "--log",       log_url,
                                  "--witness",   witness->url(),
                                  "--key",       w.at(b.name + ".key").string(),
                                  "--state",     w.at("state-" + b.name).string(),
                                  "--interval",  "0.3",
                                  "--repo",      w.at("repo").string(),
                                  "--cache",     w.at("cache-" + b.name).string(),
                                  "--work-root", w.at("work-" + b.name).string(),
                                  "--source",    kSourceUrl + "=" + w.at("source-repo").string()};
    fs::create_directories(w.at("work-" + b.name));
    return std::make_unique<cocoon::test::DaemonProcess>(
        argv, std::vector<std::pair<std::string, std::string>>{{"TZ", b.tz}, {"PATH", b.extra_path + path}},
        b.umask, w.at("daemon-" + b.name + ".log").string());
  };
  std::map<std::string, std::unique_ptr<cocoon::test::DaemonProcess>> daemons;
  for (const auto& b : builders) daemons[b.name] = start(b);

  // Two maintainers announce candidates with cocoon-sign candidate; alice also one whose build fails.
  // Mallory (no key of the root's targets role) announces one too: no daemon builds it.
  w.recipe("hello", "1.0.0", "hello.c");
  w.require_ok(
      w.sh(kSignTool + " candidate --recipe hello.json --key alice.key --root root.json --log " + log_url));
  w.recipe("tool", "1.0.0", "tool.c");
  w.require_ok(
      w.sh(kSignTool + " candidate --recipe tool.json --key bob.key --root root.json --log " + log_url));
  post(log_url, w.candidate_entry("broken", "0.0.1", "missing.c", w.key("alice")));
  post(log_url, w.candidate_entry("evil", "6.6.6", "hello.c", w.key("mallory")));

  // b3 is killed with SIGKILL while it builds its second job (the first is finished by then).
  const fs::path state3 = w.at("state-b3");
  REQUIRE(wait_for([&] {
    auto j = job_for(state3, watch::JobKind::candidate, "tool");
    return finished(state3, watch::JobKind::candidate, "hello") && j && j->state == watch::JobState::building;
  }));
  CHECK(daemons["b3"]->signal_and_wait(SIGKILL) == 128 + SIGKILL);
  auto hello3 = job_for(state3, watch::JobKind::candidate, "hello");
  auto tool3 = job_for(state3, watch::JobKind::candidate, "tool");
  REQUIRE(hello3);
  REQUIRE(tool3);
  CHECK(tool3->state == watch::JobState::building);
  CHECK(hello3->attempts == 1);
  daemons["b3"] = start(builders[2]);

  for (const auto& b : builders) {
    fs::path state = w.at("state-" + b.name);
    INFO(b.name << " daemon log:\n" << read_text(w.at("daemon-" + b.name + ".log")));
    REQUIRE(wait_for([&] {
      return finished(state, watch::JobKind::candidate, "hello") &&
             finished(state, watch::JobKind::candidate, "tool") &&
             finished(state, watch::JobKind::candidate, "broken");
    }));
    CHECK(job_for(state, watch::JobKind::candidate, "hello")->outcome == "attested");
    CHECK(job_for(state, watch::JobKind::candidate, "tool")->outcome == "attested");
    // A build that fails is a build failure, never a mismatch, with the failed step named.
    auto broken = job_for(state, watch::JobKind::candidate, "broken");
    CHECK(broken->outcome == "build-failure");
    CHECK(broken->detail.find("compile") != std::string::npos);
    CHECK_FALSE(job_for(state, watch::JobKind::candidate, "evil"));
    CHECK(read_text(w.at("daemon-" + b.name + ".log")).find("ignored log entry") != std::string::npos);
  }
  // The interrupted job was built again; the finished one was not.
  CHECK(job_for(state3, watch::JobKind::candidate, "hello")->attempts == 1);
  CHECK(job_for(state3, watch::JobKind::candidate, "tool")->attempts == 2);
  CHECK(w.attested("b3", "hello").size() == 1);
  CHECK(w.attested("b3", "tool").size() == 1);

  // The three builders in three time zones and umasks attest the same bytes; the patched compiler not.
  for (const char* artifact : {"hello", "tool"}) {
    auto a1 = w.attested("b1", artifact), a2 = w.attested("b2", artifact), a3 = w.attested("b3", artifact),
         a4 = w.attested("b4", artifact);
    REQUIRE(a1.size() == 1);
    REQUIRE(a2.size() == 1);
    REQUIRE(a3.size() == 1);
    REQUIRE(a4.size() == 1);
    CHECK(a1[0] == a2[0]);
    CHECK(a1[0] == a3[0]);
    CHECK(a4[0] != a1[0]);
  }
  for (const char* b : {"b1", "b2", "b3", "b4"}) {
    auto v = w.verdicts(b, "broken");
    REQUIRE(v.size() == 1);
    CHECK(v[0].outcome == rebuild::Outcome::build_failure);
    CHECK(v[0].subject.kind == rebuild::VerdictSubject::Kind::candidate);
  }

  // Without a witness the log's checkpoint cannot meet the root's quorum: nothing is read or built, and
  // --max-log-failures ends the retries with the network exit code.
  auto unwitnessed =
      w.sh(kBuildTool + " watch --once --max-log-failures 2 --interval 0.2 --root root.json --log " +
           log_url + " --key b1.key --state state-unwitnessed --submit drop");
  INFO(unwitnessed.output);
  CHECK(unwitnessed.exit_code == 11);
  CHECK(unwitnessed.output.find("the quorum is 1") != std::string::npos);
  CHECK(jobs_of(w.at("state-unwitnessed")).empty());

  // The maintainers propose hello 1.0.0 from what b1..b3 attested (their daemons kept the outputs).
  fs::create_directories(w.at("att"));
  fs::create_directories(w.at("art"));
  for (const char* b : {"b1", "b2", "b3"}) {
    auto j = job_for(w.at(std::string("state-") + b), watch::JobKind::candidate, "hello");
    fs::path out = w.at(std::string("state-") + b) / "jobs" / std::to_string(j->id) / "out";
    fs::copy_file(out / "attestation.dsse.json", w.at("att") / (std::string(b) + ".json"));
    if (std::string(b) == "b1") fs::copy_file(out / "hello", w.at("art") / "hello");
  }
  w.require_ok(
      w.sh(kSignTool +
           " propose --version 1.0.0 --recipe hello.json --attestations att --artifacts art --repo repo "
           "--out draft.json"));
  // Signed by alice alone (below the threshold of 2) and logged: no daemon takes it for a release.
  w.require_ok(w.sh(kSignTool + " sign draft.json --key alice.key --out draft-alice.json"));
  auto half = read_file(w.at("draft-alice.json"));
  REQUIRE(half.ok());
  post(log_url, *half);
  w.require_ok(w.sh(kSignTool + " sign draft.json --key alice.key"));
  w.require_ok(w.sh(kSignTool + " sign draft.json --key bob.key"));
  w.require_ok(w.sh(kSignTool + " publish draft.json --repo repo --online-key online.key --artifacts art " +
                    "--attestations att --log " + log_url + " --witness " + witness->url()));

  for (const auto& b : builders) {
    fs::path state = w.at("state-" + b.name);
    INFO(b.name << " daemon log:\n" << read_text(w.at("daemon-" + b.name + ".log")));
    REQUIRE(wait_for([&] { return finished(state, watch::JobKind::release, "hello"); }));
    auto v = w.verdicts(b.name, "hello");
    REQUIRE(v.size() == 1);
    CHECK(v[0].subject.kind == rebuild::VerdictSubject::Kind::release);
    CHECK(v[0].labels.version == "1.0.0");
    if (b.name == "b4") {
      CHECK(v[0].outcome == rebuild::Outcome::mismatch);
      // The first difference comes from diffing the published file (--repo) with the rebuilt one.
      INFO(v[0].first_difference);
      CHECK(v[0].first_difference.starts_with("hello: "));
      CHECK(v[0].first_difference.find("first difference at byte") != std::string::npos);
      CHECK(fs::exists(state / "jobs" / std::to_string(job_for(state, watch::JobKind::release, "hello")->id) /
                       "diff.txt"));
    } else {
      CHECK(v[0].outcome == rebuild::Outcome::reproduced);
      CHECK(v[0].first_difference.empty());
    }
    REQUIRE(v[0].artifacts.size() == 1);
    CHECK(v[0].artifacts[0].name == "hello");
    // Only the release counts: the half-signed draft made no second job.
    int releases = 0;
    for (const auto& j : jobs_of(state)) releases += j.kind == watch::JobKind::release;
    CHECK(releases == 1);
  }

  // watch-status, then a clean stop on SIGTERM.
  auto status = cocoon::test::run_shell(kBuildTool + " watch-status --state " + w.q(w.at("state-b4")));
  INFO(status.output);
  CHECK(status.exit_code == 0);
  CHECK(status.output.find("mismatch") != std::string::npos);
  CHECK(status.output.find("build-failure") != std::string::npos);
  auto status_json =
      cocoon::test::run_shell(kBuildTool + " watch-status --json --state " + w.q(w.at("state-b1")));
  REQUIRE(status_json.exit_code == 0);
  auto doc = parse_json(status_json.output);
  REQUIRE(doc.ok());
  CHECK((*doc)["jobs"].size() == 4);
  CHECK((*doc)["unsubmitted"] == 0);
  for (const auto& b : builders) {
    INFO(b.name << " daemon log:\n" << read_text(w.at("daemon-" + b.name + ".log")));
    CHECK(daemons[b.name]->signal_and_wait(SIGTERM) == 0);
    for (const auto& j : jobs_of(w.at("state-" + b.name))) CHECK(j.state == watch::JobState::done);
  }
  CHECK(read_text(w.at("daemon-b1.log")).find("stopped cleanly") != std::string::npos);

  // b1 loses its state: what the log holds verdicts of b1 for is not built again.
  auto fresh = w.sh(kBuildTool + " watch --once --interval 0.2 --root root.json --log " + log_url +
                    " --witness " + witness->url() + " --key b1.key --state state-b1-fresh --source " +
                    kSourceUrl + "=source-repo" + " --cache cache-b1 --work-root work-b1");
  INFO(fresh.output);
  REQUIRE(fresh.exit_code == 0);
  auto release = job_for(w.at("state-b1-fresh"), watch::JobKind::release, "hello");
  auto broken = job_for(w.at("state-b1-fresh"), watch::JobKind::candidate, "broken");
  REQUIRE(release);
  REQUIRE(broken);
  CHECK(release->attempts == 0);
  CHECK(release->outcome == "reproduced");
  CHECK(broken->attempts == 0);
  CHECK(broken->outcome == "build-failure");
  CHECK(w.verdicts("b1", "hello").size() == 1);
}

TEST_CASE("watch: a log that rolls back, forks or is signed by another key stops the daemon", "[watch]") {
  World w;
  w.make_log();
  w.root("");
  auto signer = tlog::make_signer(kLogOrigin, w.log_key->pair);
  REQUIRE(signer.ok());
  auto append = [&](const fs::path& dir, const std::vector<std::string>& entries) {
    auto writer = tlog::LogWriter::open(dir, *signer);
    REQUIRE(writer.ok());
    std::vector<Bytes> raw;
    for (const auto& e : entries) raw.push_back(to_bytes(e));
    REQUIRE(writer->append(raw).ok());
  };
  auto watch_once = [&](const fs::path& log) {
    return w.sh(kBuildTool + " watch --once --root root.json --log " + w.q(log) +
                " --key b1.key --state state --submit drop --interval 0.2");
  };
  append(w.at("log"), {"first", "second"});
  fs::copy(w.at("log"), w.at("log-at-2"), fs::copy_options::recursive);
  append(w.at("log"), {"third"});
  auto read = watch_once(w.at("log"));
  INFO(read.output);
  REQUIRE(read.exit_code == 0);
  CHECK(read.output.find("size 0 -> 3") != std::string::npos);

  // The same log, shown at size 2 again: rollback (exit 6).
  auto rolled = watch_once(w.at("log-at-2"));
  INFO(rolled.output);
  CHECK(rolled.exit_code == 6);
  CHECK(rolled.output.find("shrank") != std::string::npos);

  // Another history of size 3 under the same key: a fork (exit 7); and one of size 4 that does not
  // extend what the daemon read: a fork too.
  fs::copy(w.at("log-at-2"), w.at("log-forked"), fs::copy_options::recursive);
  append(w.at("log-forked"), {"third, rewritten"});
  auto forked = watch_once(w.at("log-forked"));
  INFO(forked.output);
  CHECK(forked.exit_code == 7);
  CHECK(forked.output.find("fork") != std::string::npos);
  append(w.at("log-forked"), {"fourth"});
  auto forked_longer = watch_once(w.at("log-forked"));
  INFO(forked_longer.output);
  CHECK(forked_longer.exit_code == 7);

  // A log whose checkpoint is signed by a key the root does not name (exit 4).
  auto other_key = crypto::generate_secret_key(kLogOrigin);
  REQUIRE(other_key.ok());
  auto other_signer = tlog::make_signer(kLogOrigin, other_key->pair);
  REQUIRE(other_signer.ok());
  REQUIRE(tlog::LogWriter::create(w.at("log-other"), *other_signer).ok());
  auto other = w.sh(kBuildTool +
                    " watch --once --root root.json --log log-other --key b1.key --state state2 "
                    "--submit drop --interval 0.2");
  INFO(other.output);
  CHECK(other.exit_code == 4);

  // The state was not moved by any refused log: the real log is still followed from size 3.
  append(w.at("log"), {"fourth"});
  auto again = watch_once(w.at("log"));
  INFO(again.output);
  CHECK(again.exit_code == 0);
  CHECK(again.output.find("size 3 -> 4") != std::string::npos);
}
