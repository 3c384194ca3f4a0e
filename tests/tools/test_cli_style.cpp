// docs/cli.md through the binaries: one meaning per flag name (an old spelling is an error that names
// the new one), durations in seconds, per-secret passphrase sources in cocoon-log and the FROST
// commands, and --json output that stays valid JSON whatever bytes the inputs hold.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "../support/shell.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/key_file.hpp"
#include "tlog/note.hpp"

namespace {

namespace fs = std::filesystem;
using cocoon::test::shell_quote;

const std::string kSign = COCOON_BINARY_DIR "/tools/cocoon-sign/cocoon-sign";
const std::string kLog = COCOON_BINARY_DIR "/tools/cocoon-log/cocoon-log";

struct Out {
  int code = -1;
  std::string out, err;
};

// Runs in `dir` with no passphrase variable and no controlling terminal; stdout and stderr apart.
Out run_in(const fs::path& dir, const std::string& command, const std::string& env = "") {
  auto r = cocoon::test::run_shell("cd " + shell_quote(dir.string()) +
                                   " && env -u COCOON_PASSPHRASE -u COCOON_KEY_PASSPHRASE " + env +
                                   " setsid -w " + command + " 2>stderr.txt");
  auto err = cocoon::read_text_file(dir / "stderr.txt");
  Out o{r.exit_code, r.output, err.ok() ? *err : std::string()};
  return o;
}

cocoon::crypto::SecretKey make_key(const std::string& name) {
  auto pair = cocoon::crypto::ed25519_generate();
  REQUIRE(pair.ok());
  return cocoon::crypto::SecretKey{name, *pair};
}

void write_private(const fs::path& path, const std::string& text) {
  REQUIRE(cocoon::write_file_atomic(path, text).ok());
  REQUIRE(::chmod(path.c_str(), 0600) == 0);
}

cocoon::Json json_of(const Out& o) {
  auto doc = cocoon::parse_json(o.out);
  INFO(o.out << o.err);
  REQUIRE(doc.ok());
  return *doc;
}

}  // namespace

TEST_CASE("cli: an old flag spelling is refused naming the new one", "[tools][cli][flags]") {
  auto dir = cocoon::TempDir::create("cli-flags-").value();
  struct Case {
    std::string command, replacement;
  };
  for (const Case& c : {
           Case{kSign + " root init --maintainer a.pub --threshold 1 --online-key online.pub --out r.json",
                "--online-pub"},
           Case{kSign + " root rotate --root root.json --online-key online.pub --out r.json", "--online-pub"},
           Case{
               kSign +
                   " root init --maintainer a.pub --threshold 1 --online-pub o.pub --log-key log.pub --out r",
               "--log-vkey"},
           Case{kSign +
                    " root init --maintainer a.pub --threshold 1 --online-pub o.pub --witness w.vkey --out r",
                "--witness-vkey"},
           Case{kLog + " check-proof --log-key log.pub --checkpoint cp --proof p --index 0 --entry e",
                "--log-vkey"},
           Case{kLog + " monitor --dir d --state s --log-key log.pub", "--log-vkey"},
           Case{kLog + " prove --dir d --index 0 --log-key log.pub", "--log-vkey"},
           Case{kLog + " serve --dir d --timeout-ms 500", "--timeout SECONDS"},
           Case{kLog + " serve --dir d --batch-ms 5", "--batch-wait SECONDS"},
       }) {
    Out o = run_in(dir.path(), c.command);
    INFO(c.command << "\n" << o.err);
    CHECK(o.code == 2);
    CHECK(o.err.find("error: ") != std::string::npos);
    CHECK(o.err.find(c.replacement) != std::string::npos);
    // The old spelling is named too (a hidden option once printed as ": renamed").
    CHECK(o.err.find(" was renamed: use ") != std::string::npos);
    CHECK(o.err.find("error: : ") == std::string::npos);
  }
}

TEST_CASE("cli: cocoon-log --json from init to monitor, valid whatever the bytes", "[tools][cli][json]") {
  auto tmp = cocoon::TempDir::create("cli-json-").value();
  const fs::path d = tmp.path();
  REQUIRE(cocoon::crypto::init_sodium().ok());
  REQUIRE(cocoon::crypto::save_secret_key(d / "log.key", make_key("example.org/log"), std::string("log pw"))
              .ok());
  write_private(d / "log.pw", "log pw\n");

  // An encrypted key, its passphrase from the --key option's file: no prompt, no variable.
  Out init = run_in(
      d, kLog + " init --dir log --origin example.org/log --key log.key --key-passphrase-file log.pw --json");
  INFO(init.err);
  REQUIRE(init.code == 0);
  cocoon::Json ij = json_of(init);
  CHECK(ij["origin"] == "example.org/log");
  std::string vkey = ij["vkey"].get<std::string>();
  CHECK(vkey.starts_with("example.org/log+"));
  REQUIRE(cocoon::write_file_atomic(d / "log.vkey", vkey + "\n").ok());

  // Entry files whose names are not UTF-8; one given twice.
  const std::string odd = std::string("entry-\xff\xfe-") + "\x1b[2J.bin";
  REQUIRE(cocoon::write_file_atomic(d / odd, std::string("first\n")).ok());
  REQUIRE(cocoon::write_file_atomic(d / "b.bin", std::string("\xc3\x28 not utf-8\n")).ok());
  // Without a passphrase source (and no terminal) the log key cannot be opened: exit 2, no prompt.
  Out locked = run_in(d, kLog + " add --dir log b.bin");
  CHECK(locked.code == 2);
  CHECK(locked.err.find("--key-passphrase-file") != std::string::npos);
  Out add = run_in(d, kLog + " add --dir log --json " + shell_quote(odd) + " b.bin " + shell_quote(odd),
                   "COCOON_KEY_PASSPHRASE='log pw'");
  INFO(add.err);
  REQUIRE(add.code == 0);
  cocoon::Json aj = json_of(add);
  CHECK(aj["size"] == 2);
  CHECK(aj["new_entries"] == 2);
  CHECK(aj["entries"][2]["duplicate"] == true);
  CHECK(aj["entries"][2]["index"] == 0);
  CHECK(aj["checkpoint"].get<std::string>().starts_with("example.org/log\n2\n"));
  REQUIRE(cocoon::write_file_atomic(d / "cp", aj["checkpoint"].get<std::string>()).ok());

  Out prove = run_in(d, kLog + " prove --dir log --index 1 --json");
  REQUIRE(prove.code == 0);
  cocoon::Json pj = json_of(prove);
  CHECK(pj["kind"] == "inclusion");
  CHECK(pj["size"] == 2);
  REQUIRE(pj["proof"].size() == 1);
  Out plain = run_in(d, kLog + " prove --dir log --index 1");
  REQUIRE(plain.code == 0);
  REQUIRE(cocoon::write_file_atomic(d / "proof", plain.out).ok());
  CHECK(plain.out == pj["proof"][0].get<std::string>() + "\n");

  Out valid = run_in(
      d,
      kLog + " check-proof --log-vkey log.vkey --checkpoint cp --proof proof --index 1 --entry b.bin --json");
  REQUIRE(valid.code == 0);
  CHECK(json_of(valid)["verdict"] == "VALID");
  // A refused proof is still a JSON verdict on stdout, with the class and the exit code, and the
  // usual error line on stderr.
  Out invalid =
      run_in(d, kLog + " check-proof --log-vkey log.vkey --checkpoint cp --proof proof --index 1 --entry " +
                    shell_quote(odd) + " --json");
  CHECK(invalid.code == 7);
  cocoon::Json vj = json_of(invalid);
  CHECK(vj["verdict"] == "INVALID");
  CHECK(vj["exit_code"] == 7);
  CHECK(vj["reason"]["class"].is_string());
  CHECK(invalid.err.starts_with("cocoon-log: error: "));

  Out first = run_in(d, kLog + " monitor --dir log --state mon.json --log-vkey log.vkey --json");
  INFO(first.err);
  REQUIRE(first.code == 0);
  cocoon::Json mj = json_of(first);
  CHECK(mj["verdict"] == "CONSISTENT");
  CHECK(mj["old_size"] == 0);
  CHECK(mj["size"] == 2);
  CHECK(mj["entries"].size() == 2);
  Out again = run_in(d, kLog + " monitor --dir log --state mon.json --json");
  REQUIRE(again.code == 0);
  CHECK(json_of(again)["entries"].empty());
}

TEST_CASE("cli: FROST state passphrases come from the same sources, never only the shared variable",
          "[tools][cli][passphrase]") {
  auto tmp = cocoon::TempDir::create("cli-frost-").value();
  const fs::path d = tmp.path();
  // No variable and no terminal: refused with the ways to give the passphrase (it used to require
  // COCOON_PASSPHRASE and never prompted).
  Out none = run_in(d, kSign + " frost keygen --dealer --threshold 2 --participants 3 --out-dir shares");
  CHECK(none.code == 2);
  CHECK(none.err.find("--out-dir-passphrase-file") != std::string::npos);
  CHECK(none.err.find("COCOON_OUT_DIR_PASSPHRASE") != std::string::npos);
  CHECK_FALSE(fs::exists(d / "shares"));

  write_private(d / "frost.pw", "frost state pw\n");
  Out made = run_in(d, kSign +
                           " frost keygen --dealer --threshold 2 --participants 3 --out-dir shares "
                           "--out-dir-passphrase-file frost.pw");
  INFO(made.err);
  REQUIRE(made.code == 0);
  REQUIRE(cocoon::write_file_atomic(d / "msg", std::string("message\n")).ok());
  Out commit = run_in(d, kSign +
                             " frost commit msg --state shares/participant-1 --out c1.json "
                             "--state-passphrase-file frost.pw");
  INFO(commit.err);
  CHECK(commit.code == 0);
  write_private(d / "wrong.pw", "not it\n");
  Out wrong = run_in(d, kSign + " frost commit msg --state shares/participant-2 --out c2.json",
                     "COCOON_STATE_PASSPHRASE='not it'");
  CHECK(wrong.code == 13);
  CHECK(wrong.err.find("not it") == std::string::npos);
}

TEST_CASE("cli: root init warns when a log has no witness quorum", "[tools][cli][root]") {
  auto tmp = cocoon::TempDir::create("cli-quorum-").value();
  const fs::path d = tmp.path();
  REQUIRE(cocoon::crypto::init_sodium().ok());
  for (const char* name : {"alice", "online", "builder"}) {
    auto k = make_key(name);
    REQUIRE(cocoon::write_file_atomic(d / (std::string(name) + ".pub"),
                                      cocoon::pretty_json(cocoon::crypto::public_key_json(k.public_key())))
                .ok());
  }
  auto log_key = make_key("example.org/log");
  auto log_vkey = cocoon::tlog::format_verifier_key(
      cocoon::tlog::make_verifier(log_key.name, cocoon::tlog::kAlgEd25519, log_key.pair.public_key));
  auto witness_key = make_key("witness.example");
  auto witness_vkey = cocoon::tlog::format_verifier_key(cocoon::tlog::make_verifier(
      witness_key.name, cocoon::tlog::kAlgCosignatureV1, witness_key.pair.public_key));
  REQUIRE(cocoon::write_file_atomic(d / "log.vkey", log_vkey + "\n").ok());
  REQUIRE(cocoon::write_file_atomic(d / "w.vkey", witness_vkey + "\n").ok());
  const std::string base = kSign +
                           " root init --maintainer alice.pub --threshold 1 --online-pub online.pub " +
                           "--builder builder.pub --builder-threshold 1 --log-vkey log.vkey ";

  Out bare = run_in(d, base + "--out r1.json");
  INFO(bare.err);
  REQUIRE(bare.code == 0);
  CHECK(bare.err.find("warning: witness quorum 0") != std::string::npos);
  Out witnessed = run_in(d, base + "--witness-vkey w.vkey --witness-quorum 1 --out r2.json");
  INFO(witnessed.err);
  REQUIRE(witnessed.code == 0);
  CHECK(witnessed.err.find("warning") == std::string::npos);
}

TEST_CASE("cli: a mistyped option or command is named, with the nearest name, exit 2",
          "[tools][cli][flags]") {
  auto dir = cocoon::TempDir::create("cli-typos-").value();
  const std::string build = COCOON_BINARY_DIR "/tools/cocoon-build/cocoon-build";
  REQUIRE(cocoon::write_file_atomic(dir.path() / "b.json", std::string("[]\n")).ok());
  struct Case {
    std::string command, expected;
  };
  for (const Case& c : {
           // A required option is missing too: the typo is what the user needs to hear about.
           Case{kSign + " root init --treshold 3",
                "unknown option '--treshold' (did you mean '--threshold'?)"},
           Case{kSign + " propse --help", "unknown command 'propse' (did you mean 'propose'?)"},
           Case{kSign + " root initt", "unknown command 'initt' (did you mean 'init'?)"},
           Case{kLog + " bogus", "unknown command 'bogus'"},
           Case{build + " compare . --builders b.json --threshold 0", "Value 0 not in range 1 to 1000"},
       }) {
    Out o = run_in(dir.path(), c.command);
    INFO(c.command << "\n" << o.out << o.err);
    CHECK(o.code == 2);
    CHECK(o.out.empty());  // no help text on stdout
    CHECK(o.err.find(c.expected) != std::string::npos);
    CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 1);
  }
}
