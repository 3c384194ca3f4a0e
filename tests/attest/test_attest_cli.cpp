// End-to-end checks of `cocoon-build key|compare|diff` as a user runs them.
#include <sys/stat.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>

#include "archive/archive.hpp"
#include "attest_fixtures.hpp"
#include "core/file_io.hpp"

using namespace cocoon;
using namespace cocoon::attest;
using namespace cocoon::attest::testing;
namespace fs = std::filesystem;

namespace {

const std::string kTool = COCOON_BINARY_DIR "/tools/cocoon-build/cocoon-build";

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs the tool without a controlling terminal (setsid), so a passphrase prompt can never block.
Run run(const fs::path& dir, const std::string& args, const std::string& env = "COCOON_PASSPHRASE=") {
  std::string err_file = (dir / "stderr.txt").string();
  std::string cmd = "cd '" + dir.string() + "' && env " + (env.empty() ? "-u COCOON_PASSPHRASE" : env) +
                    " /usr/bin/setsid -w " + kTool + " " + args + " 2>'" + err_file + "' </dev/null";
  Run r;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) r.out.append(buf, n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_text_file(err_file).value();
  return r;
}

void put(const fs::path& p, std::string_view content) {
  fs::create_directories(p.parent_path());
  REQUIRE(write_file_atomic(p, content).ok());
}

}  // namespace

TEST_CASE("cli: key generate writes an encrypted 0600 key and a public key - key show prints the key id") {
  auto dir = TempDir::create("cli-key-").value();
  auto r = run(dir.path(), "key generate --name alice --out alice.key", "COCOON_PASSPHRASE=s3cret");
  INFO(r.err);
  REQUIRE(r.code == 0);
  struct stat st {};
  REQUIRE(::stat((dir.path() / "alice.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto pub = crypto::load_public_key(dir.path() / "alice.key.pub");
  REQUIRE(pub.ok());
  CHECK(r.out.rfind(pub->keyid + "  alice", 0) == 0);
  auto secret = crypto::load_secret_key(dir.path() / "alice.key", std::string("s3cret"));
  REQUIRE(secret.ok());
  CHECK(secret->public_key().keyid == pub->keyid);
  CHECK(run(dir.path(), "key show alice.key").out == pub->keyid + "  alice\n");
  CHECK(run(dir.path(), "key show alice.key.pub").out == pub->keyid + "  alice\n");

  auto again = run(dir.path(), "key generate --name alice --out alice.key", "COCOON_PASSPHRASE=x");
  CHECK(again.code == 2);
  CHECK(again.err.find("exists") != std::string::npos);
  auto no_pass = run(dir.path(), "key generate --name bob --out bob.key", "");
  CHECK(no_pass.code == 2);
  CHECK(no_pass.err.find("COCOON_PASSPHRASE") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / "bob.key"));
  auto plain = run(dir.path(), "key generate --name bob --out bob.key --unencrypted --pub bob.pub", "");
  CHECK(plain.code == 0);
  CHECK(plain.out.find("NOT encrypted") != std::string::npos);
  CHECK(crypto::load_secret_key(dir.path() / "bob.key", std::nullopt).ok());
  CHECK(fs::exists(dir.path() / "bob.pub"));

  put(dir.path() / "broken.key", "{\"schema\":\"cocoon-secret-key/v1\",\"name\":\"x\"");
  CHECK(run(dir.path(), "key show broken.key").code == 2);
}

TEST_CASE("cli: compare passes, fails, and reports dissent, untrusted keys and duplicates") {
  auto dir = TempDir::create("cli-compare-").value();
  auto a = make_key("alice"), b = make_key("bob"), c = make_key("carol"), d = make_key("dave"),
       m = make_key("mallory");
  Json builders = Json::array();
  for (const auto* k : {&a, &b, &c, &d}) builders.push_back(crypto::public_key_json(k->public_key()));
  put(dir.path() / "builders.json", pretty_json(builders));
  std::vector<std::pair<std::string, std::string>> good{{"sample-node.tar.zst", digest_of("n")},
                                                        {"SHA256SUMS", digest_of("s")}};
  std::vector<std::pair<std::string, std::string>> bad{{"sample-node.tar.zst", digest_of("patched")},
                                                       {"SHA256SUMS", digest_of("s")}};
  auto write = [&](const std::string& name, const AttestationInput& in) {
    put(dir.path() / name, pretty_json(dsse_envelope_json(in.envelope)));
  };
  write("att/alice.json", signed_by(good, a));
  write("att/bob.json", signed_by(good, b));
  write("att/carol.json", signed_by(good, c));

  auto pass = run(dir.path(), "compare att --builders builders.json --threshold 3");
  INFO(pass.out << pass.err);
  CHECK(pass.code == 0);
  CHECK(pass.out.find("PASS") != std::string::npos);
  CHECK(run(dir.path(), "compare att --builders builders.json --threshold 4").code == 1);

  write("att/dave.json", signed_by(bad, d));
  auto dissent = run(dir.path(), "compare att --builders builders.json --threshold 3");
  CHECK(dissent.code == 0);
  CHECK(dissent.out.find("DISSENT: sample-node.tar.zst: dave") != std::string::npos);
  auto strict = run(dir.path(), "compare att --builders builders.json --threshold 3 --strict");
  CHECK(strict.code == 1);
  CHECK(strict.out.find("FAIL: sample-node.tar.zst: dissent by dave") != std::string::npos);

  auto json = run(dir.path(),
                  "compare att/alice.json att/bob.json att/alice.json --builders builders.json -k 3 --json");
  CHECK(json.code == 1);  // alice twice counts once: 2 of 3
  auto report = parse_json(json.out);
  REQUIRE(report.ok());
  CHECK((*report)["pass"] == false);
  CHECK((*report)["artifacts"][0]["digests"][0]["builders"].size() == 2);
  CHECK((*report)["warnings"][0]["message"].get<std::string>().find("counted once") != std::string::npos);

  write("untrusted.json", signed_by(bad, m));
  auto untrusted =
      run(dir.path(), "compare att/alice.json untrusted.json --builders builders.json -k 1 --strict");
  CHECK(untrusted.code == 0);
  CHECK(untrusted.out.find("untrusted key " + m.public_key().keyid) != std::string::npos);

  auto tampered = signed_by(good, c);
  std::string payload = to_string(tampered.envelope.payload);
  payload.replace(payload.find(digest_of("n")), 64, digest_of("evil"));
  tampered.envelope.payload = to_bytes(payload);
  write("tampered.json", tampered);
  auto t = run(dir.path(), "compare att/alice.json att/bob.json tampered.json --builders builders.json -k 3");
  CHECK(t.code == 1);
  CHECK(t.out.find("does not verify") != std::string::npos);

  CHECK(run(dir.path(), "compare att --builders missing.json -k 1").code == 12);
  put(dir.path() / "junk.json", "not json");
  CHECK(run(dir.path(), "compare junk.json --builders builders.json -k 1").code == 2);
  CHECK(run(dir.path(), "compare att --builders builders.json -k 0").code == 2);
}

TEST_CASE("cli: diff exits 0 for identical and 1 for different inputs, naming the changed member") {
  auto dir = TempDir::create("cli-diff-").value();
  put(dir.path() / "x", "same\n");
  put(dir.path() / "y", "same\n");
  put(dir.path() / "z", "other\n");
  CHECK(run(dir.path(), "diff x y").code == 0);
  auto r = run(dir.path(), "diff x z");
  CHECK(r.code == 1);
  CHECK(r.out.find("-same") != std::string::npos);
  CHECK(r.out.find("+other") != std::string::npos);

  put(dir.path() / "ta/etc/node.conf", "threads = 4\n");
  put(dir.path() / "tb/etc/node.conf", "threads = 8\n");
  REQUIRE(archive::pack_directory(dir.path() / "ta", dir.path() / "a.tar.zst", {}).ok());
  REQUIRE(archive::pack_directory(dir.path() / "tb", dir.path() / "b.tar.zst", {}).ok());
  auto ar = run(dir.path(), "diff a.tar.zst b.tar.zst");
  INFO(ar.out << ar.err);
  CHECK(ar.code == 1);
  CHECK(ar.out.find("changed: etc/node.conf") != std::string::npos);
  auto js = run(dir.path(), "diff a.tar.zst b.tar.zst --json");
  REQUIRE(parse_json(js.out).ok());
  CHECK(parse_json(js.out).value()["changed"][0]["path"] == "etc/node.conf");
  CHECK(run(dir.path(), "diff x missing").code == 12);
  CHECK(run(dir.path(), "diff ta x").code == 2);
  // diffoscope is optional: handed off when present, a clear "unsupported" error when not.
  auto ds = run(dir.path(), "diff --diffoscope x z", "PATH=/nonexistent");
  CHECK(ds.code == 14);
  CHECK(ds.err.find("diffoscope is not installed") != std::string::npos);
}

TEST_CASE("cli: the passphrase prompt on a terminal does not echo and must be confirmed") {
  auto dir = TempDir::create("cli-tty-").value();
  auto typed = [&](const std::string& out, const std::string& first, const std::string& second) {
    std::string cmd = "/usr/bin/python3 " COCOON_SOURCE_DIR "/tests/attest/pty_key_generate.py " + kTool +
                      " '" + (dir.path() / out).string() + "' " + first + " " + second;
    Run r;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[4096];
    while (size_t n = std::fread(buf, 1, sizeof buf, p)) r.out.append(buf, n);
    int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
  };
  auto ok = typed("tty.key", "hunter2-tty", "hunter2-tty");
  INFO(ok.out);
  CHECK(ok.code == 0);
  CHECK(ok.out.find("Passphrase for new secret key (") !=
        std::string::npos);                                // the one spelling (docs/cli.md)
  CHECK(ok.out.find("hunter2-tty") == std::string::npos);  // never echoed
  CHECK(crypto::load_secret_key(dir.path() / "tty.key", std::string("hunter2-tty")).ok());
  auto differ = typed("tty2.key", "one", "two");
  CHECK(differ.code == 2);
  CHECK(differ.out.find("do not match") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / "tty2.key"));
}
