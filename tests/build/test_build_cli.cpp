// The builder's day-to-day through the real binaries: what --out holds after each run, where a failed
// step's log stays, what compare says about the builders, key files in a new ~/.cocoon, vkeys, and
// the trusted-builders list.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "../attest/attest_fixtures.hpp"
#include "../support/shell.hpp"
#include "build/out_dir.hpp"
#include "core/file_io.hpp"
#include "crypto/key_file.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/note.hpp"

using namespace cocoon;
using cocoon::test::run_shell;
using cocoon::test::shell_quote;
namespace fs = std::filesystem;

namespace {

const std::string kSource = COCOON_SOURCE_DIR;
const std::string kBin = COCOON_BINARY_DIR;
const std::string kTool = kBin + "/tools/cocoon-build/cocoon-build";
const std::string kSign = kBin + "/tools/cocoon-sign/cocoon-sign";
// The commit tests/fixtures/make-repo.sh gives the sample-node fixture (manifests/sample-node.json).
const std::string kCommit = "90755cf1c8492e3b0426c1b01e34752271364fc5";

std::string q(const fs::path& p) {
  return shell_quote(p.string());
}

std::string read(const fs::path& p) {
  auto t = read_text_file(p);
  REQUIRE(t.ok());
  return *t;
}

void put(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  REQUIRE(write_file_atomic(p, text).ok());
}

// A sample-node repository and quick recipes over it (no compiler: the steps are shell one-liners).
struct Fixture {
  TempDir tmp = TempDir::create("build-cli-").value();
  fs::path repo = tmp.path() / "sample-node.git-src";
  Fixture() {
    auto r = run_shell(kSource + "/tests/fixtures/make-repo.sh " +
                       q(kSource + "/tests/fixtures/sample-node") + " " + q(repo));
    REQUIRE(r.exit_code == 0);
  }
  fs::path recipe(const std::string& name, const std::string& steps) {
    fs::path p = tmp.path() / (name + ".json");
    put(p, R"({"schema":"cocoon-recipe/v1","name":")" + name + R"(","version":"1","source":{"url":")" +
               repo.string() + R"(","commit":")" + kCommit + R"("},"steps":)" + steps +
               R"(,"artifacts":[{"name":"readme","file":"CMakeLists.txt"}]})");
    return p;
  }
  test::CommandResult run(const std::string& args) {
    return run_shell("cd " + q(tmp.path()) + " && " + kTool + " " + args);
  }
  std::string build_flags(const fs::path& out) const {
    return " --cache " + q(tmp.path() / "cache") + " --out " + q(out);
  }
};

}  // namespace

TEST_CASE(
    "run: --out holds only what this run wrote, a stale attestation does not survive a run without --sign") {
  Fixture f;
  auto key = f.run("key generate --unencrypted --name alice --out alice.key");
  REQUIRE(key.exit_code == 0);
  fs::path recipe = f.recipe("quick", R"([{"name":"ok","run":["true"]}])");
  fs::path out = f.tmp.path() / "out";
  auto signed_run = f.run("run -q " + q(recipe) + f.build_flags(out) + " --sign alice.key");
  INFO(signed_run.output);
  REQUIRE(signed_run.exit_code == 0);
  CHECK(fs::exists(out / "attestation.dsse.json"));
  auto listed = build::read_output_manifest(out);
  REQUIRE(listed.ok());
  CHECK(*listed == std::set<std::string>{"SHA256SUMS", "attestation.dsse.json", "buildinfo.json", "readme"});

  auto plain = f.run("run -q " + q(recipe) + f.build_flags(out));
  INFO(plain.output);
  REQUIRE(plain.exit_code == 0);
  CHECK_FALSE(fs::exists(out / "attestation.dsse.json"));
  CHECK(fs::exists(out / "readme"));
  CHECK(run_shell("cd " + q(out) + " && sha256sum -c SHA256SUMS").exit_code == 0);
}

TEST_CASE("run: a failed step's log stays at the printed path and no earlier artifact is left beside it") {
  Fixture f;
  fs::path out = f.tmp.path() / "out";
  REQUIRE(f.run("run -q " + q(f.recipe("quick", R"([{"name":"ok","run":["true"]}])")) + f.build_flags(out))
              .exit_code == 0);
  REQUIRE(fs::exists(out / "SHA256SUMS"));
  fs::path failing = f.recipe(
      "failing", R"([{"name":"prepare","run":["true"]},)"
                 R"({"name":"compile","run":["sh","-c","echo first-line; echo boom-line >&2; exit 7"]}])");
  auto r = f.run("run -q " + q(failing) + f.build_flags(out));
  INFO(r.output);
  CHECK(r.exit_code == 3);
  auto at = r.output.find("full log: ");
  REQUIRE(at != std::string::npos);
  std::string printed = r.output.substr(at + 10, r.output.find('\n', at) - at - 10);
  CHECK(printed == out.string() + "/logs/2-compile.log");
  std::string log = read(printed);
  CHECK(log.find("first-line") != std::string::npos);
  CHECK(log.find("boom-line") != std::string::npos);
  CHECK(fs::exists(out / "logs" / "1-prepare.log"));
  CHECK_FALSE(fs::exists(out / "SHA256SUMS"));
  CHECK_FALSE(fs::exists(out / "readme"));
  // The next good run replaces the failed run's logs.
  REQUIRE(f.run("run -q " + q(f.recipe("quick", R"([{"name":"ok","run":["true"]}])")) + f.build_flags(out))
              .exit_code == 0);
  CHECK_FALSE(fs::exists(out / "logs"));
}

TEST_CASE("run: an --out that holds files cocoon-build did not write is refused before building") {
  Fixture f;
  fs::path recipe = f.recipe("quick", R"([{"name":"ok","run":["touch","/nonexistent/should-not-run"]}])");
  fs::path mine = f.tmp.path() / "mine";
  put(mine / "notes.txt", "keep me");
  auto r = f.run("run " + q(recipe) + f.build_flags(mine));
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("is not empty and was not written by cocoon-build") != std::string::npos);
  CHECK(r.output.find("fetching") == std::string::npos);
  CHECK(read(mine / "notes.txt") == "keep me");
  // verify and check use the same rule.
  put(f.tmp.path() / "SUMS", std::string(64, '0') + "  readme\n");
  CHECK(f.run("verify -q " + q(recipe) + " --expect SUMS" + f.build_flags(mine)).exit_code == 2);
  put(mine / "a" / "x", "mine too");
  CHECK(f.run("check -q " + q(recipe) + " --cache " + q(f.tmp.path() / "cache") + " --out " + q(mine))
            .exit_code == 2);
  CHECK(read(mine / "notes.txt") == "keep me");
  CHECK(read(mine / "a" / "x") == "mine too");
}

TEST_CASE("compare: says how many of the trusted builders agree") {
  using namespace cocoon::attest::testing;
  auto dir = TempDir::create("build-compare-").value();
  auto a = make_key("alice"), b = make_key("bob"), c = make_key("carol");
  Json builders = Json::array();
  for (const auto* k : {&a, &b, &c}) builders.push_back(crypto::public_key_json(k->public_key()));
  put(dir.path() / "builders.json", pretty_json(builders));
  std::vector<std::pair<std::string, std::string>> good{{"app.tar.zst", digest_of("n")},
                                                        {"SHA256SUMS", digest_of("s")}};
  std::vector<std::pair<std::string, std::string>> other{{"app.tar.zst", digest_of("patched")},
                                                         {"SHA256SUMS", digest_of("s")}};
  auto write = [&](const std::string& name, const attest::AttestationInput& in) {
    put(dir.path() / "att" / name, pretty_json(attest::dsse_envelope_json(in.envelope)));
  };
  write("alice.json", signed_by(good, a));
  write("bob.json", signed_by(good, b));
  write("carol.json", signed_by(other, c));
  auto cmd = "cd " + q(dir.path()) + " && " + kTool + " compare att --builders builders.json --threshold 2";
  auto r = run_shell(cmd);
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(
      r.output.find("PASS: 2 of 3 trusted builder(s) agree on all 2 artifact(s), threshold 2 (3 attested)") !=
      std::string::npos);
  auto j = run_shell(cmd + " --json");
  auto doc = parse_json(j.output);
  REQUIRE(doc.ok());
  CHECK((*doc)["trusted_builders"] == 3);
  CHECK((*doc)["agreeing_builders"] == 2);
  fs::remove(dir.path() / "att" / "bob.json");
  auto short_of = run_shell(cmd);
  CHECK(short_of.exit_code == 1);
  CHECK(short_of.output.find(
            "FAIL: 1 of 3 trusted builder(s) agree on all 2 artifact(s), threshold 2 (2 attested)") !=
        std::string::npos);
}

TEST_CASE("key generate: a missing ~/.cocoon is made 0700, existing directories keep their mode") {
  auto home = TempDir::create("build-home-").value();
  ::chmod(home.path().c_str(), 0755);
  auto r = run_shell("export HOME=" + q(home.path()) + " COCOON_PASSPHRASE=pw && " + kTool +
                     " key generate --name alice@example.org --out ~/.cocoon/builder.key");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  struct stat st {};
  REQUIRE(::stat((home.path() / ".cocoon").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(::stat(home.path().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0755);
  REQUIRE(::stat((home.path() / ".cocoon" / "builder.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(fs::exists(home.path() / ".cocoon" / "builder.key.pub"));

  // Several missing levels: each one 0700.
  REQUIRE(run_shell("export HOME=" + q(home.path()) + " && " + kTool +
                    " key generate --unencrypted --name b --out ~/a/b/c.key")
              .exit_code == 0);
  for (const char* d : {"a", "a/b"}) {
    REQUIRE(::stat((home.path() / d).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
  }
}

TEST_CASE("key generate: a directory anyone may write to is refused for a secret key, group-writable warns") {
  auto tmp = TempDir::create("build-keydir-").value();
  fs::path open_dir = tmp.path() / "open";
  fs::create_directories(open_dir);
  ::chmod(open_dir.c_str(), 0777);
  auto r = run_shell(kTool + " key generate --unencrypted --name a --out " + q(open_dir / "a.key"));
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("anyone may replace files there") != std::string::npos);
  CHECK_FALSE(fs::exists(open_dir / "a.key"));
  struct stat st {};
  REQUIRE(::stat(open_dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0777);  // not chmod-ed behind the user's back

  fs::path group_dir = tmp.path() / "group";
  fs::create_directories(group_dir);
  ::chmod(group_dir.c_str(), 0775);
  auto g = run_shell(kTool + " key generate --unencrypted --name g --out " + q(group_dir / "g.key"));
  CHECK(g.exit_code == 0);
  CHECK(g.output.find("is group-writable") != std::string::npos);
}

TEST_CASE(
    "key show --vkey: the printed verifier key checks notes signed by that key, as log and as witness") {
  auto tmp = TempDir::create("build-vkey-").value();
  fs::path key = tmp.path() / "log.key";
  REQUIRE(run_shell(kTool + " key generate --unencrypted --name log --out " + q(key)).exit_code == 0);
  auto secret = crypto::load_secret_key(key, std::nullopt);
  REQUIRE(secret.ok());

  auto shown =
      run_shell(kTool + " key show " + q(key.string() + ".pub") + " --vkey example.org/log --role log");
  REQUIRE(shown.exit_code == 0);
  REQUIRE(shown.output.size() > 1);
  CHECK(shown.output.back() == '\n');
  CHECK(std::count(shown.output.begin(), shown.output.end(), '\n') == 1);
  auto vkey = tlog::parse_verifier_key(shown.output.substr(0, shown.output.size() - 1));
  REQUIRE(vkey.ok());
  CHECK(vkey->name == "example.org/log");

  auto signer = tlog::make_signer("example.org/log", secret->pair);
  REQUIRE(signer.ok());
  tlog::Note note{"example.org/log\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", {}};
  note.signatures.push_back(tlog::sign_note_text(note.text, *signer));
  CHECK(tlog::verify_note(note, {*vkey}).ok());
  // The same key under another name, or another key under this name, does not verify it.
  auto other_name = run_shell(kTool + " key show " + q(key) + " --vkey example.org/other --role log");
  auto other = tlog::parse_verifier_key(other_name.output.substr(0, other_name.output.size() - 1));
  REQUIRE(other.ok());
  CHECK_FALSE(tlog::verify_note(note, {*other}).ok());
  auto mallory = tlog::make_signer("example.org/log", crypto::generate_secret_key("m")->pair);
  tlog::Note forged{note.text, {tlog::sign_note_text(note.text, *mallory)}};
  CHECK_FALSE(tlog::verify_note(forged, {*vkey}).ok());

  // As a witness: cosignature/v1, what `cocoon-log witness serve` prints after "witness ".
  fs::path file = tmp.path() / "witness.vkey";
  auto w =
      run_shell(kTool + " key show " + q(key) + " --vkey witness-1.example --role witness --out " + q(file));
  REQUIRE(w.exit_code == 0);
  CHECK(w.output.empty());
  std::string line = read(file);
  auto wkey = tlog::parse_verifier_key(line.substr(0, line.size() - 1));
  REQUIRE(wkey.ok());
  CHECK(wkey->alg == tlog::kAlgCosignatureV1);
  auto wsigner = tlog::make_signer("witness-1.example", secret->pair);
  REQUIRE(wsigner.ok());
  tlog::Note cosigned{note.text, {tlog::cosign_checkpoint(note.text, 1700000000, *wsigner)}};
  auto t = tlog::verify_cosignature(cosigned, *wkey);
  REQUIRE(t.ok());
  CHECK(*t == 1700000000);
  CHECK_FALSE(tlog::verify_note(note, {*wkey}).ok());  // a witness vkey is not a log vkey

  auto bad = run_shell(kTool + " key show " + q(key) + " --vkey 'two words' --role log");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("is not a note key name") != std::string::npos);
  CHECK(run_shell(kTool + " key show " + q(key) + " --role witness").exit_code == 2);
  auto no_role = run_shell(kTool + " key show " + q(key) + " --vkey example.org/log");
  CHECK(no_role.exit_code == 2);
  CHECK(no_role.output.find("--vkey needs --role log or --role witness") != std::string::npos);
}

TEST_CASE(
    "key builders: writes builders.json from .pub files, refuses duplicates, cocoon-sign root init accepts "
    "it") {
  auto tmp = TempDir::create("build-list-").value();
  auto sh = [&](const std::string& cmd) { return run_shell("cd " + q(tmp.path()) + " && " + cmd); };
  for (const char* n : {"alice", "bob", "carol", "m1", "online", "log", "w1"})
    REQUIRE(sh(kTool + " key generate --unencrypted --name " + n + " --out " + n + ".key").exit_code == 0);
  auto r = sh(kTool + " key builders alice.key.pub bob.key.pub carol.key.pub --out builders.json");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("3 builder(s) written to builders.json") != std::string::npos);
  auto keys = crypto::load_public_keys(tmp.path() / "builders.json");
  REQUIRE(keys.ok());
  REQUIRE(keys->size() == 3);
  CHECK((*keys)[1].name == "bob");

  auto dup = sh(kTool + " key builders alice.key.pub bob.key.pub alice.key --out dup.json");
  CHECK(dup.exit_code == 2);
  CHECK(dup.output.find("alice.key holds the same key as alice.key.pub") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp.path() / "dup.json"));
  CHECK(sh(kTool + " key builders alice.key.pub --out builders.json").exit_code == 2);  // exists
  CHECK(sh(kTool + " key builders missing.pub --out other.json").exit_code != 0);

  REQUIRE(sh(kTool + " key show log.key --vkey example.org/log --role log --out log.vkey").exit_code == 0);
  REQUIRE(sh(kTool + " key show w1.key --vkey w1.example --role witness --out w1.vkey").exit_code == 0);
  auto root =
      sh(kSign +
         " root init --maintainer m1.key.pub --threshold 1 --online-pub online.key.pub --builders "
         "builders.json --builder-threshold 2 --log-vkey log.vkey --witness-vkey w1.vkey --witness-quorum 1 "
         "--out root.draft.json");
  INFO(root.output);
  REQUIRE(root.exit_code == 0);
  std::string draft = read(tmp.path() / "root.draft.json");
  for (const auto& k : *keys) CHECK(draft.find(k.keyid) != std::string::npos);
  CHECK(draft.find("example.org/log") != std::string::npos);
  CHECK(draft.find("w1.example") != std::string::npos);
}

namespace {

// The ```sh blocks of docs/builders.md from its start up to the section titled `until`.
std::vector<std::string> doc_blocks(const std::string& until) {
  std::string doc = read(kSource + "/docs/builders.md");
  doc = doc.substr(0, doc.find(until));
  std::vector<std::string> blocks;
  for (size_t at = doc.find("```sh\n"); at != std::string::npos; at = doc.find("```sh\n", at)) {
    size_t start = at + 6, end = doc.find("```", start);
    REQUIRE(end != std::string::npos);
    blocks.push_back(doc.substr(start, end - start));
    at = end + 3;
  }
  return blocks;
}

}  // namespace

TEST_CASE("docs/builders.md: the set-up and rebuild journey runs as written") {
  auto blocks = doc_blocks("## 3.");
  REQUIRE(blocks.size() == 4);
  // The first block builds the tools; this test already has them and puts them on PATH instead.
  CHECK(blocks[0].find("cmake --build build --target cocoon-build") != std::string::npos);
  blocks.erase(blocks.begin());
  // A clone's layout for the paths the doc uses, without writing into the source tree.
  auto tmp = TempDir::create("build-doc-").value();
  fs::create_directories(tmp.path() / "home");
  fs::create_directory_symlink(kSource + "/tests", tmp.path() / "tests");
  fs::create_directory_symlink(kSource + "/manifests", tmp.path() / "manifests");
  std::string script = "set -e\ncd " + q(tmp.path()) + "\nexport HOME=" + q(tmp.path() / "home") +
                       " COCOON_PASSPHRASE=doc-passphrase XDG_CACHE_HOME=" + q(tmp.path() / "cache") +
                       "\nexport PATH=" + q(kBin + "/tools/cocoon-build") + ":\"$PATH\"\n";
  for (const auto& b : blocks) script += b;
  put(tmp.path() / "journey.sh", script);
  auto r = run_shell("sh " + q(tmp.path() / "journey.sh") + " </dev/null");
  INFO(script);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("90755cf1c8492e3b0426c1b01e34752271364fc5") != std::string::npos);
  CHECK(r.output.find("MATCH     sample-node.tar.zst") != std::string::npos);
  CHECK(r.output.find("attestation: out/attestation.dsse.json") != std::string::npos);
  struct stat st {};
  REQUIRE(::stat((tmp.path() / "home" / ".cocoon").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  CHECK(fs::exists(tmp.path() / "out" / "attestation.dsse.json"));
}
