#pragma once
// Test helpers shared by the watch tests (test_watch_cli.cpp, test_watch_measure.cpp): the built tools,
// waiting on a daemon's state, and a WatchWorld (a temporary directory with keys, a log, a root naming
// maintainers alice, bob, carol and builders b1..b4) with readers of what the log holds.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "../support/service_process.hpp"
#include "../support/shell.hpp"
#include "attest/dsse.hpp"
#include "attest/statement.hpp"
#include "core/file_io.hpp"
#include "crypto/key_file.hpp"
#include "rebuild/entries.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/http_client.hpp"
#include "tlog/log_client.hpp"
#include "tlog/log_writer.hpp"
#include "tlog/note.hpp"
#include "watch/state.hpp"

namespace watch_test {

namespace fs = std::filesystem;
using cocoon::test::shell_quote;

inline const std::string kBuildTool = COCOON_BINARY_DIR "/tools/cocoon-build/cocoon-build";
inline const std::string kSignTool = COCOON_BINARY_DIR "/tools/cocoon-sign/cocoon-sign";
inline const std::string kLogTool = COCOON_BINARY_DIR "/tools/cocoon-log/cocoon-log";
inline const std::string kMakeRepo = COCOON_SOURCE_DIR "/tests/fixtures/make-repo.sh";
inline const std::string kLogOrigin = "log.watch.test";

// Waits for `done` with a generous upper bound: a guard against a hang, never a timing assertion.
inline bool wait_for(const std::function<bool()>& done, int max_seconds = 600) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(max_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

inline std::vector<cocoon::watch::Job> jobs_of(const fs::path& state) {
  if (!fs::exists(state / "watch.db")) return {};
  auto s = cocoon::watch::WatchState::open(state);
  if (!s.ok()) return {};
  auto j = s->jobs();
  return j.ok() ? *j : std::vector<cocoon::watch::Job>{};
}

inline std::optional<cocoon::watch::Job> job_for(const fs::path& state, cocoon::watch::JobKind kind,
                                                 const std::string& product) {
  for (const auto& j : jobs_of(state))
    if (j.kind == kind && j.product == product) return j;
  return std::nullopt;
}

inline bool finished(const fs::path& state, cocoon::watch::JobKind kind, const std::string& product) {
  auto j = job_for(state, kind, product);
  return j && j->state == cocoon::watch::JobState::done;
}

inline std::string read_text(const fs::path& p) {
  auto t = cocoon::read_text_file(p);
  return t.ok() ? *t : std::string{};
}

struct WatchWorld {
  cocoon::TempDir dir;
  fs::path w = dir.path();
  std::map<std::string, cocoon::crypto::SecretKey> keys;
  std::optional<cocoon::crypto::SecretKey> log_key;

  explicit WatchWorld(const std::string& prefix) : dir(cocoon::TempDir::create(prefix).value()) {}

  fs::path at(const std::string& name) const { return w / name; }
  std::string q(const fs::path& p) const { return shell_quote(p.string()); }

  cocoon::test::CommandResult sh(const std::string& command) const {
    return cocoon::test::run_shell("cd " + q(w) + " && " + command);
  }
  void require_ok(const cocoon::test::CommandResult& r) const {
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
  }

  const cocoon::crypto::SecretKey& key(const std::string& name) {
    if (!keys.count(name)) {
      auto k = cocoon::crypto::generate_secret_key(name);
      REQUIRE(k.ok());
      REQUIRE(cocoon::crypto::save_secret_key(at(name + ".key"), *k, std::nullopt).ok());
      REQUIRE(cocoon::write_file_atomic(at(name + ".pub"),
                                        cocoon::pretty_json(cocoon::crypto::public_key_json(k->public_key())))
                  .ok());
      keys.emplace(name, std::move(*k));
    }
    return keys.at(name);
  }

  // Root v1: alice, bob, carol maintain (threshold 2), builders b1..b4 (threshold 2), the log at log/,
  // the witness (when given) with quorum 1. Published to repo/.
  void root(const std::string& witness_vkey) {
    for (const char* n : {"alice", "bob", "carol", "online", "b1", "b2", "b3", "b4"}) key(n);
    cocoon::Json builders = cocoon::Json::array();
    for (const char* b : {"b1", "b2", "b3", "b4"})
      builders.push_back(cocoon::crypto::public_key_json(key(b).public_key()));
    REQUIRE(cocoon::write_file_atomic(at("builders.json"), cocoon::pretty_json(builders)).ok());
    std::string witness_args = witness_vkey.empty()
                                   ? std::string("--witness-quorum 0 ")
                                   : "--witness-vkey " + shell_quote(witness_vkey) + " --witness-quorum 1 ";
    require_ok(
        sh(kSignTool +
           " root init --maintainer alice.pub --maintainer bob.pub --maintainer carol.pub --threshold 2 "
           "--online-pub online.pub --builders builders.json --builder-threshold 2 --log-vkey log/log.pub " +
           witness_args + "--out root.draft.json"));
    require_ok(sh(kSignTool + " sign root.draft.json --key alice.key --out root.json"));
    require_ok(sh(kSignTool + " sign root.json --key bob.key"));
    require_ok(sh(kSignTool + " publish root.json --repo repo"));
  }

  void make_log() {
    auto k = cocoon::crypto::generate_secret_key(kLogOrigin);
    REQUIRE(k.ok());
    log_key = std::move(*k);
    REQUIRE(cocoon::crypto::save_secret_key(at("log.key"), *log_key, std::nullopt).ok());
    require_ok(sh(kLogTool + " init --dir log --origin " + kLogOrigin + " --key log.key"));
  }

  // A witness and the log server (after make_log), each a separate cocoon-log process on 127.0.0.1.
  struct LogServices {
    std::unique_ptr<cocoon::test::ServiceProcess> witness, log;
    std::string witness_vkey, log_url;
  };
  LogServices start_log_services() {
    LogServices s;
    key("witness.watch.test");
    s.witness = std::make_unique<cocoon::test::ServiceProcess>(std::vector<std::string>{
        kLogTool, "witness", "serve", "--key", at("witness.watch.test.key").string(), "--state",
        at("witness.db").string(), "--logs", at("log/log.pub").string(), "--listen", "127.0.0.1:0"});
    REQUIRE_FALSE(s.witness->url().empty());
    s.witness_vkey = s.witness->lines().front().substr(8);  // "witness <vkey>"
    s.log = std::make_unique<cocoon::test::ServiceProcess>(std::vector<std::string>{
        kLogTool, "serve", "--dir", at("log").string(), "--listen", "127.0.0.1:0", "--batch-wait", "0.002"});
    REQUIRE_FALSE(s.log->url().empty());
    s.log_url = s.log->url();
    return s;
  }

  std::vector<cocoon::Bytes> log_entries() const {
    auto verifier = cocoon::tlog::read_log_verifier(at("log"));
    REQUIRE(verifier.ok());
    cocoon::tlog::DirFetcher fetcher(at("log"));
    cocoon::tlog::LogClient client(fetcher, *verifier);
    auto cp = client.checkpoint();
    REQUIRE(cp.ok());
    auto entries = client.entries(0, cp->checkpoint.size, cp->checkpoint.size);
    REQUIRE(entries.ok());
    return *entries;
  }

  // sha256 of `artifact` in each logged in-toto attestation signed by `builder`.
  std::vector<std::string> attested(const std::string& builder, const std::string& artifact) {
    using namespace cocoon;
    std::vector<std::string> out;
    std::vector<crypto::PublicKey> trusted{key(builder).public_key()};
    for (const auto& e : log_entries()) {
      auto doc = parse_json(to_string(e));
      if (!doc.ok() || !doc->is_object() || !doc->contains("payloadType")) continue;
      auto env = attest::parse_dsse_envelope(*doc);
      if (!env.ok() || env->payload_type != attest::kInTotoPayloadType) continue;
      bool signed_by = false;
      for (const auto& c : attest::dsse_check_signatures(*env, trusted))
        signed_by = signed_by || c.outcome == attest::SignatureCheck::Outcome::valid;
      if (!signed_by) continue;
      auto st = attest::parse_statement(env->payload);
      if (!st.ok()) continue;
      for (const auto& s : st->subjects)
        if (s.name == artifact) out.push_back(s.sha256);
    }
    return out;
  }

  // The logged verdicts signed by `builder` on `product`.
  std::vector<cocoon::rebuild::Verdict> verdicts(const std::string& builder, const std::string& product) {
    using namespace cocoon;
    std::vector<rebuild::Verdict> out;
    for (const auto& e : log_entries()) {
      if (rebuild::entry_type(e) != rebuild::EntryType::verdict) continue;
      auto v = rebuild::open_verdict(e, {key(builder).public_key()});
      if (v.ok() && v->value.labels.product == product) out.push_back(v->value);
    }
    return out;
  }
};

// POST /add of one entry to a served log.
inline void post(const std::string& url, const cocoon::Bytes& entry) {
  auto http = cocoon::tlog::HttpFetcher::create(url);
  REQUIRE(http.ok());
  auto answer = http->request("POST", "add", entry);
  REQUIRE(answer.ok());
  INFO(cocoon::to_string(answer->body));
  REQUIRE(answer->status == 200);
}

}  // namespace watch_test
