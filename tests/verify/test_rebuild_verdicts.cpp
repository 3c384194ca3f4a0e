// `cocoon-verify update --require-rebuilds K` (issue 16): a release is installed only when K builder keys
// of the root logged a "reproduced" verdict for exactly it, after it. Real keys, a real log directory
// (tlog::LogWriter) served by `cocoon-log serve` over 127.0.0.1, and two `cocoon-log witness serve`
// processes holding the root's witness keys, which cosign the checkpoint the node reads.
#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>

#include "../support/service_process.hpp"
#include "../support/shell.hpp"
#include "core/json.hpp"
#include "crypto/hash.hpp"
#include "rebuild/entries.hpp"
#include "release/metadata.hpp"
#include "release/products.hpp"
#include "repo_fixture.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/http_client.hpp"
#include "tlog/log_writer.hpp"
#include "tlog/witness_client.hpp"
#include "verify/offline_bundle.hpp"
#include "verify/rebuild_verdicts.hpp"

using namespace cocoon;
using namespace cocoon::verify;
using namespace cocoon::verify::testing;
using cocoon::test::run_shell;
using cocoon::test::ServiceProcess;
using cocoon::test::shell_quote;
namespace fs = std::filesystem;

namespace {

const std::string kVerify = COCOON_BINARY_DIR "/tools/cocoon-verify/cocoon-verify";
const std::string kLog = COCOON_BINARY_DIR "/tools/cocoon-log/cocoon-log";

template <typename T>
T must(Result<T> r) {
  INFO((r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
  return std::move(r).value();
}

// A release of product "app" (targets v1, or v2 after `publish_second`) in a Repo whose log is also a
// real log directory, and the verdicts builders log about it.
class RebuildWorld {
 public:
  RebuildWorld() {
    write_key_file("log.key", r.log_signer);
    for (int i = 0; i < 2; ++i) write_key_file("witness-" + std::to_string(i) + ".key", r.witnesses[i]);
    REQUIRE(
        write_file_atomic(r.scratch() / "logs.txt", tlog::format_verifier_key(r.log_signer.verifier()) + "\n")
            .ok());
  }

  // Targets v`version` published and logged as the fixture does; `before` are entries logged just
  // before its targets entry (a verdict logged ahead of the release).
  void publish(std::uint64_t version, const std::vector<Bytes>& before = {}) {
    Files contents = {{"app/app.tar", "app bytes " + std::to_string(version)}, {"app/app.cfg", "config"}};
    targets = r.make_targets(version, contents);
    for (const auto& e : before) {
      r.tree.append_entry(e);
      r.entries.push_back(e);
    }
    r.write("metadata/" + std::to_string(version) + ".targets.json", targets);
    r.log_targets(version, targets);
    Bytes snapshot = r.make_snapshot(version, version, targets);
    r.write("metadata/" + std::to_string(version) + ".snapshot.json", snapshot);
    r.write("metadata/timestamp.json", r.make_timestamp(version, version, snapshot));
    release_index = r.entries.size() - 1;
    targets_version = version;
    auto model = must(release::parse_targets(
        must(release::parse_envelope_text(to_string(targets), "targets")).signed_part));
    auto products = must(release::products_of(model));
    labels = products.at("app").labels;
    files = products.at("app").files;
  }

  // A verdict about the current release as an honest builder writes it.
  rebuild::Verdict verdict(rebuild::Outcome outcome, const std::string& builder) const {
    rebuild::Verdict v;
    v.labels = labels;
    v.subject = {rebuild::VerdictSubject::Kind::release, release_index, crypto::sha256_hex(targets),
                 targets_version};
    v.outcome = outcome;
    for (const auto& [path, sha] : files) v.artifacts.push_back({path.substr(4), sha, sha});
    if (outcome == rebuild::Outcome::mismatch) {
      v.artifacts[0].sha256 = crypto::sha256_hex(std::string_view("other bytes"));
      v.first_difference = "app.cfg: byte 3 differs";
    }
    if (outcome == rebuild::Outcome::build_failure) {
      v.artifacts.clear();
      v.failure = "step compile exited with status 2";
    }
    v.builder = builder;
    v.finished = "2027-01-15T07:30:00Z";
    return v;
  }
  Bytes signed_verdict(const rebuild::Verdict& v, const crypto::SecretKey& key) const {
    return must(rebuild::sign_verdict(v, key));
  }
  Bytes reproduced_by(int builder) const {
    return signed_verdict(verdict(rebuild::Outcome::reproduced, r.builders[builder].name),
                          r.builders[builder]);
  }

  // The real log directory: what the fixture logged, then `after` (what builders logged since).
  fs::path write_log(const std::vector<Bytes>& after, const std::string& name = "log",
                     std::optional<std::vector<Bytes>> instead = std::nullopt) {
    fs::path dir = r.scratch() / name;
    REQUIRE(tlog::LogWriter::create(dir, r.log_signer).ok());
    auto writer = must(tlog::LogWriter::open(dir, r.log_signer));
    std::vector<Bytes> all = instead.value_or(r.entries);
    all.insert(all.end(), after.begin(), after.end());
    REQUIRE(writer.append(all).ok());
    Json config = {{"origin", r.log_signer.name}, {"key", (r.scratch() / "log.key").string()}};
    REQUIRE(write_file_atomic(dir / "log.json", pretty_json(config)).ok());
    return dir;
  }

  // `cocoon-log serve` over the log directory, and the two witnesses of the root's quorum.
  void serve(const fs::path& log_dir) {
    log_server = std::make_unique<ServiceProcess>(
        std::vector<std::string>{kLog, "serve", "--dir", log_dir.string(), "--listen", "127.0.0.1:0"});
    REQUIRE_FALSE(log_server->url().empty());
    for (int i = 0; i < 2; ++i) {
      std::string n = std::to_string(i);
      witness_servers.push_back(std::make_unique<ServiceProcess>(std::vector<std::string>{
          kLog, "witness", "serve", "--key", (r.scratch() / ("witness-" + n + ".key")).string(), "--state",
          (r.scratch() / ("witness-" + n + ".db")).string(), "--logs", (r.scratch() / "logs.txt").string(),
          "--listen", "127.0.0.1:0"}));
      REQUIRE_FALSE(witness_servers.back()->url().empty());
    }
  }
  std::vector<std::string> witness_urls() const {
    std::vector<std::string> out;
    for (const auto& w : witness_servers) out.push_back(w->url());
    return out;
  }

  // What the tool does for --witness, through the library's hook.
  CheckpointCosigner cosigner() const {
    std::vector<std::string> urls = witness_urls();
    return
        [urls](const std::string& note, const ConsistencyProof& prove, std::vector<std::string>& problems) {
          std::vector<tlog::NoteSignature> out;
          for (const auto& url : urls) {
            auto lines = tlog::request_cosignature({url, 30}, note, prove);
            if (!lines.ok()) {
              problems.push_back(url + ": " + lines.error().message);
              continue;
            }
            out.insert(out.end(), lines->begin(), lines->end());
          }
          return out;
        };
  }

  UpdateReport update(std::uint64_t k, tlog::TileFetcher* log, const std::string& state = "state",
                      bool witnesses = true) {
    DirFetcher fetcher(r.repo());
    UpdateOptions o = r.options("app/app.tar");
    o.state = r.scratch() / state;
    o.download = r.scratch() / (state + "-app.tar");
    o.require_rebuilds = k;
    o.rebuild_log = log;
    if (witnesses) o.rebuild_cosigner = cosigner();
    return run_update(fetcher, o);
  }
  UpdateReport update_over_http(std::uint64_t k, const std::string& state = "state") {
    auto http = must(tlog::HttpFetcher::create(log_server->url()));
    return update(k, &http, state);
  }

  std::string rebuilds_line(const UpdateReport& report) const {
    for (const auto& c : report.checks)
      if (c.name == "rebuilds" && !c.warning) return c.detail;
    return {};
  }

  Repo r;
  Bytes targets;
  std::uint64_t release_index = 0, targets_version = 0;
  attest::ReleaseLabels labels;
  std::map<std::string, std::string> files;  // the product's target paths and sha256
  std::unique_ptr<ServiceProcess> log_server;
  std::vector<std::unique_ptr<ServiceProcess>> witness_servers;

 private:
  void write_key_file(const std::string& name, const tlog::NoteSigner& signer) {
    REQUIRE(write_file_atomic(r.scratch() / name, tlog::format_signer_key(signer) + "\n").ok());
  }
};

}  // namespace

TEST_CASE(
    "rebuilds: K reproduced verdicts of the root's builders, logged after the release, accept, and K-1 "
    "refuse") {
  RebuildWorld w;
  w.publish(1);
  w.serve(w.write_log({w.reproduced_by(0), w.reproduced_by(1)}));

  auto accepted = w.update_over_http(2);
  REQUIRE_ACCEPTED(accepted);
  INFO(describe(accepted));
  CHECK_THAT(w.rebuilds_line(accepted),
             Catch::Matchers::Contains("2 builder(s) reproduced app 1.0 (required 2): builder-1, builder-2"));
  CHECK_THAT(w.rebuilds_line(accepted), Catch::Matchers::Contains("2 witness(es)"));
  CHECK(fs::exists(w.r.scratch() / "state-app.tar"));
  // The node keeps the release's checkpoint (size 1), not the one read for the verdicts (size 3).
  auto stored = must(read_text_file(w.r.scratch() / "state" / "cocoon" / "checkpoint"));
  CHECK(stored.find("\n1\n") != std::string::npos);

  auto refused = w.update_over_http(3, "state-k3");
  REQUIRE_REFUSED(refused, Errc::builder_agreement, "2 of the required 3 builder(s) of the root logged");
  CHECK(refused.checks.back().name == "rebuilds");
  // Nothing reaches --download when the rebuilds are missing.
  CHECK_FALSE(fs::exists(w.r.scratch() / "state-k3-app.tar"));

  // Without the witnesses, the checkpoint read for the verdicts has no quorum.
  auto http = must(tlog::HttpFetcher::create(w.log_server->url()));
  auto unwitnessed = w.update(2, &http, "state-nowitness", /*witnesses=*/false);
  REQUIRE_REFUSED(unwitnessed, Errc::log_inconsistent, "cosigned by 0 trusted witness(es), the quorum is 2");
}

TEST_CASE(
    "rebuilds: a key the root does not list does not count, and one builder's two verdicts count once") {
  RebuildWorld w;
  w.publish(1);
  auto outsider = must(crypto::generate_secret_key("builder-9"));
  // The same builder twice (two entries: the second finished later) and an outsider's verdict that is
  // otherwise perfect.
  auto again = w.verdict(rebuild::Outcome::reproduced, "builder-1");
  again.finished = "2027-01-15T07:45:00Z";
  w.serve(w.write_log({w.reproduced_by(0), w.signed_verdict(again, w.r.builders[0]),
                       w.signed_verdict(w.verdict(rebuild::Outcome::reproduced, "builder-9"), outsider)}));

  auto refused = w.update_over_http(2);
  REQUIRE_REFUSED(refused, Errc::builder_agreement, "1 of the required 2");
  CHECK_THAT(refused.error->message,
             Catch::Matchers::Contains("entry 2: builder-1: this builder key is already counted"));
  CHECK_THAT(refused.error->message,
             Catch::Matchers::Contains("entry 3: not signed by a builder the root lists"));
  REQUIRE_ACCEPTED(w.update_over_http(1, "state-k1"));
}

TEST_CASE("rebuilds: verdicts about another targets version or another product do not count") {
  RebuildWorld w;
  w.publish(1);
  auto other_version = w.verdict(rebuild::Outcome::reproduced, "builder-1");
  other_version.subject.targets_version = 2;
  auto other_entry = w.verdict(rebuild::Outcome::reproduced, "builder-1");
  other_entry.subject.entry_sha256 = crypto::sha256_hex(std::string_view("another targets file"));
  auto other_product = w.verdict(rebuild::Outcome::reproduced, "builder-2");
  other_product.labels.product = "other";
  auto other_label_version = w.verdict(rebuild::Outcome::reproduced, "builder-3");
  other_label_version.labels.version = "9.9.9";
  w.serve(w.write_log({w.signed_verdict(other_version, w.r.builders[0]),
                       w.signed_verdict(other_entry, w.r.builders[0]),
                       w.signed_verdict(other_product, w.r.builders[1]),
                       w.signed_verdict(other_label_version, w.r.builders[2])}));
  auto refused = w.update_over_http(1);
  REQUIRE_REFUSED(refused, Errc::builder_agreement, "0 of the required 1");
  CHECK_THAT(refused.error->message, Catch::Matchers::Contains("entry 1: builder-1: for another release"));
  CHECK_THAT(refused.error->message, Catch::Matchers::Contains("entry 2: builder-1: for another release"));
  CHECK_THAT(refused.error->message, Catch::Matchers::Contains("entry 3: builder-2: product"));
  CHECK_THAT(refused.error->message, Catch::Matchers::Contains("entry 4: builder-3: version"));
}

TEST_CASE("rebuilds: a verdict logged before the release's entry does not count, one after it does") {
  RebuildWorld w;
  // The targets bytes are known before they are logged (signing is deterministic): a verdict naming the
  // entry the release will have (index 1, these bytes) is logged ahead of it, by someone who knew what
  // would be published. It must not count: nobody rebuilt what was published after it was published.
  Bytes predicted = w.r.make_targets(1, {{"app/app.tar", "app bytes 1"}, {"app/app.cfg", "config"}});
  w.targets = predicted;
  w.release_index = 1;
  w.targets_version = 1;
  auto model = must(release::parse_targets(
      must(release::parse_envelope_text(to_string(predicted), "targets")).signed_part));
  w.labels = must(release::products_of(model)).at("app").labels;
  w.files = must(release::products_of(model)).at("app").files;
  Bytes ahead = w.signed_verdict(w.verdict(rebuild::Outcome::reproduced, "builder-1"), w.r.builders[0]);
  w.publish(1, {ahead});
  REQUIRE(w.targets == predicted);
  REQUIRE(w.release_index == 1);
  REQUIRE(ahead == w.reproduced_by(0));  // the very verdict an honest builder would log afterwards
  w.serve(w.write_log({}));
  REQUIRE_REFUSED(w.update_over_http(1), Errc::builder_agreement, "0 of the required 1");
  w.log_server.reset();
  w.witness_servers.clear();

  // Logged after the release, the same builder's verdict counts. (The very same bytes again would stay
  // at index 0: the log deduplicates entries, so a builder's later verdict has its own finish time.)
  auto after = w.verdict(rebuild::Outcome::reproduced, "builder-1");
  after.finished = "2027-01-15T07:40:00Z";
  w.serve(w.write_log({w.signed_verdict(after, w.r.builders[0])}, "log-later"));
  auto accepted = w.update_over_http(1, "state-later");
  REQUIRE_ACCEPTED(accepted);
  CHECK_THAT(w.rebuilds_line(accepted), Catch::Matchers::Contains("(required 1): builder-1"));
}

TEST_CASE("rebuilds: a mismatch from a listed builder is a warning line, in the text and in --json") {
  RebuildWorld w;
  w.publish(1);
  w.serve(w.write_log({w.reproduced_by(0),
                       w.signed_verdict(w.verdict(rebuild::Outcome::mismatch, "builder-3"), w.r.builders[2]),
                       w.reproduced_by(1)}));
  auto report = w.update_over_http(2);
  REQUIRE_ACCEPTED(report);
  REQUIRE(report.warnings.size() == 1);
  CHECK_THAT(report.warnings[0],
             Catch::Matchers::Contains(
                 "builder builder-3 logged a mismatch for app 1.0 (entry 2): app.cfg: byte 3 differs"));

  // The tool, as an operator runs it: a WARN line, then ACCEPT; in --json a warnings list.
  auto root = w.r.scratch() / "root-v1.json";
  REQUIRE(write_file_atomic(root, w.r.root_v1).ok());
  std::string cmd = kVerify + " update --repo " + shell_quote(w.r.repo().string()) + " --root " +
                    shell_quote(root.string()) +
                    " --product app --target app.tar --require-rebuilds 2 --log " +
                    shell_quote(w.log_server->url());
  for (const auto& url : w.witness_urls()) cmd += " --witness " + shell_quote(url);
  auto text = run_shell(cmd + " --state " + shell_quote((w.r.scratch() / "cli-state").string()));
  INFO(text.output);
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.output,
             Catch::Matchers::Contains("WARN   rebuilds         builder builder-3 logged a mismatch"));
  CHECK_THAT(text.output,
             Catch::Matchers::Contains("ok     rebuilds         2 builder(s) reproduced app 1.0"));
  CHECK_THAT(text.output, Catch::Matchers::Contains("\nACCEPT\n"));
  auto json = run_shell(cmd + " --json --state " + shell_quote((w.r.scratch() / "cli-state-json").string()));
  INFO(json.output);
  CHECK(json.exit_code == 0);
  auto doc = must(parse_json(json.output.substr(0, json.output.rfind('}') + 1)));
  REQUIRE(doc["warnings"].size() == 1);
  CHECK_THAT(doc["warnings"][0].get<std::string>(), Catch::Matchers::Contains("mismatch"));
  bool flagged = false;
  for (const auto& c : doc["checks"]) flagged = flagged || (c.contains("warning") && c["warning"] == true);
  CHECK(flagged);

  // Too few: exit 8 (builder agreement), REJECT naming the count.
  auto few = run_shell(
      kVerify + " update --repo " + shell_quote(w.r.repo().string()) + " --root " +
      shell_quote(root.string()) + " --product app --target app.tar --require-rebuilds 3 --log " +
      shell_quote(w.log_server->url()) + " --witness " + shell_quote(w.witness_urls()[0]) + " --witness " +
      shell_quote(w.witness_urls()[1]) + " --state " + shell_quote((w.r.scratch() / "cli-state-3").string()));
  INFO(few.output);
  CHECK(few.exit_code == 8);
  CHECK_THAT(few.output,
             Catch::Matchers::Contains("REJECT (exit 8, builder agreement): 2 of the required 3"));
}

TEST_CASE("rebuilds: a log that does not extend the release's checkpoint, or is smaller, is refused") {
  RebuildWorld w;
  w.publish(1);
  w.publish(2);  // the release is targets v2, entry 1 of a log of size 2
  REQUIRE(w.release_index == 1);
  // A fork: another first entry, the same release entry, and verdicts that would count.
  std::vector<Bytes> forked = {to_bytes("another history"), w.r.entries[1]};
  w.serve(w.write_log({w.reproduced_by(0), w.reproduced_by(1)}, "fork", forked));
  auto refused = w.update_over_http(1);
  REQUIRE_REFUSED(refused, Errc::log_inconsistent, "is not an extension");
  w.log_server.reset();
  w.witness_servers.clear();

  // A log that is behind the release: it cannot hold verdicts logged after it.
  fs::path shrunk = w.write_log({}, "shrunk", std::vector<Bytes>{w.r.entries[0]});
  tlog::DirFetcher dir(shrunk);
  auto behind = w.update(1, &dir, "state-shrunk", /*witnesses=*/false);
  REQUIRE_REFUSED(behind, Errc::rollback, "smaller than the release's checkpoint size 2");
}

TEST_CASE(
    "rebuilds: an offline bundle carries the verdicts with their proofs, and a node applies K offline") {
  RebuildWorld w;
  w.publish(1);
  fs::path log_dir = w.write_log({w.reproduced_by(0), w.reproduced_by(2)});
  w.serve(log_dir);
  auto root = w.r.scratch() / "root-v1.json";
  REQUIRE(write_file_atomic(root, w.r.root_v1).ok());
  auto bundle = w.r.scratch() / "update.bundle";
  // The bundle is made from the log directory (a machine with the log at hand), the witnesses over HTTP.
  auto made =
      run_shell(kVerify + " bundle --repo " + shell_quote(w.r.repo().string()) + " --root " +
                shell_quote(root.string()) + " --target app/app.tar --log " + shell_quote(log_dir.string()) +
                " --witness " + shell_quote(w.witness_urls()[0]) + " --witness " +
                shell_quote(w.witness_urls()[1]) + " --out " + shell_quote(bundle.string()));
  INFO(made.output);
  REQUIRE(made.exit_code == 0);
  w.log_server.reset();
  w.witness_servers.clear();  // the offline node reaches neither

  auto offline = [&](int k, const std::string& state) {
    return run_shell(kVerify + " update --bundle " + shell_quote(bundle.string()) + " --root " +
                     shell_quote(root.string()) + " --product app --target app.tar --require-rebuilds " +
                     std::to_string(k) + " --state " + shell_quote((w.r.scratch() / state).string()));
  };
  auto ok = offline(2, "offline");
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.output,
             Catch::Matchers::Contains("2 builder(s) reproduced app 1.0 (required 2): builder-1, builder-3"));
  auto few = offline(3, "offline-3");
  INFO(few.output);
  CHECK(few.exit_code == 8);

  // The bundle's verdicts are checked like a log's: a verdict whose bytes were changed is not in the log.
  auto files = must(parse_offline_bundle(must(read_file(bundle))));
  auto evidence = must(parse_rebuild_evidence(files.at(kRebuildEvidencePath)));
  REQUIRE(evidence.verdicts.size() == 2);
  evidence.verdicts[1].entry = w.reproduced_by(1);  // another builder's verdict, at entry 2's place
  files[kRebuildEvidencePath] = to_bytes(format_rebuild_evidence(evidence));
  REQUIRE(write_file_atomic(bundle, format_offline_bundle(files)).ok());
  auto forged = offline(2, "offline-forged");
  INFO(forged.output);
  CHECK(forged.exit_code == 7);
  CHECK_THAT(forged.output,
             Catch::Matchers::Contains("rebuild verdict at index 2 is not in the log of size 3"));
}
