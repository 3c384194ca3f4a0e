// cocoon-log init / add / prove / check-proof end to end, with the exit code of each refusal.
#include <catch2/catch.hpp>

#include "cli_util.hpp"
#include "core/file_io.hpp"
#include "crypto/key_file.hpp"
#include "tlog/log_writer.hpp"
#include "tlog_test_util.hpp"

using namespace cocoon;
using namespace cocoon::tlog;
using namespace cocoon::tlog::testing;

namespace {

std::string write(const TempDir& d, const std::string& name, const std::string& content) {
  auto p = d.path() / name;
  REQUIRE(write_file_atomic(p, content).ok());
  return p.string();
}

}  // namespace

TEST_CASE("cli: init, add, prove and check-proof with an encrypted cocoon key file") {
  REQUIRE(crypto::init_sodium().ok());
  TempDir tmp = temp_dir();
  auto key = crypto::generate_secret_key("log-operator");
  REQUIRE(key.ok());
  std::string key_path = (tmp.path() / "log.key").string();
  // Cheapest Argon2 cost the loader accepts would need a custom writer; the default cost is fine here.
  REQUIRE(crypto::save_secret_key(key_path, *key, std::string("correct horse")).ok());
  std::string dir = (tmp.path() / "log").string();
  const std::string env = "COCOON_PASSPHRASE='correct horse'";

  Run init = run_tool("init --dir " + dir + " --origin example.org/cli-log --key " + key_path, env);
  REQUIRE(init.code == 0);
  CHECK(init.out.starts_with("example.org/cli-log+"));
  Run bad_pass = run_tool("init --dir " + dir + "2 --origin example.org/cli-log --key " + key_path,
                          "COCOON_PASSPHRASE=wrong");
  CHECK(bad_pass.code == 13);  // crypto
  Run again = run_tool("init --dir " + dir + " --origin example.org/cli-log --key " + key_path, env);
  CHECK(again.code == 2);

  std::string files;
  for (int i = 0; i < 5; ++i)
    files += " " + write(tmp, "e" + std::to_string(i), "entry number " + std::to_string(i));
  Run add = run_tool("add --dir " + dir + files, env);
  INFO(add.out);
  REQUIRE(add.code == 0);
  CHECK(add.out.find("4 " + (tmp.path() / "e4").string()) != std::string::npos);
  Run dup = run_tool("add --dir " + dir + " " + (tmp.path() / "e2").string(), env);
  REQUIRE(dup.code == 0);
  CHECK(dup.out.find("2 " + (tmp.path() / "e2").string() + " (already in the log)") != std::string::npos);

  std::string cp5 = write(tmp, "cp5", *read_text_file(dir + "/checkpoint"));
  REQUIRE(run_tool("add --dir " + dir + " " + write(tmp, "e5", "entry number 5"), env).code == 0);
  std::string cp6 = write(tmp, "cp6", *read_text_file(dir + "/checkpoint"));

  Run prove = run_tool("prove --dir " + dir + " --index 3");
  REQUIRE(prove.code == 0);
  std::string proof = write(tmp, "proof", prove.out);
  std::string pub = dir + "/log.pub";
  Run ok = run_tool("check-proof --log-vkey " + pub + " --checkpoint " + cp6 + " --proof " + proof +
                    " --index 3 --entry " + (tmp.path() / "e3").string());
  CHECK(ok.code == 0);
  CHECK(ok.out.starts_with("OK: entry 3"));
  // Wrong entry for the index: the proof does not lead to the root.
  Run wrong = run_tool("check-proof --log-vkey " + pub + " --checkpoint " + cp6 + " --proof " + proof +
                       " --index 3 --entry " + (tmp.path() / "e4").string());
  CHECK(wrong.code == 7);
  // The same proof against the older checkpoint has the wrong shape for that size.
  Run wrong_size = run_tool("check-proof --log-vkey " + pub + " --checkpoint " + cp5 + " --proof " + proof +
                            " --index 3 --entry " + (tmp.path() / "e3").string());
  CHECK(wrong_size.code != 0);

  Run cons = run_tool("prove --dir " + dir + " --from 5");
  REQUIRE(cons.code == 0);
  std::string cproof = write(tmp, "cproof", cons.out);
  Run cok = run_tool("check-proof --log-vkey " + pub + " --checkpoint " + cp6 + " --proof " + cproof +
                     " --old-checkpoint " + cp5);
  CHECK(cok.code == 0);
  // Swapped checkpoints: the size went backwards.
  Run back = run_tool("check-proof --log-vkey " + pub + " --checkpoint " + cp5 + " --proof " + cproof +
                      " --old-checkpoint " + cp6);
  CHECK(back.code == 6);

  // A forged checkpoint (size changed after signing) is refused with the signature exit code.
  std::string forged_text = *read_text_file(cp6);
  forged_text.replace(forged_text.find("\n6\n"), 3, "\n7\n");
  std::string forged = write(tmp, "forged", forged_text);
  Run f = run_tool("check-proof --log-vkey " + pub + " --checkpoint " + forged + " --proof " + cproof +
                   " --old-checkpoint " + cp5);
  CHECK(f.code == 4);
  CHECK(f.out.find("does not verify") != std::string::npos);
  // Another log's key: no known signature.
  NoteSigner other = test_signer("example.org/cli-log", 9);
  Run wrong_key = run_tool("check-proof --log-vkey " + format_verifier_key(other.verifier()) +
                           " --checkpoint " + cp6 + " --proof " + cproof + " --old-checkpoint " + cp5);
  CHECK(wrong_key.code == 4);
  Run usage = run_tool("prove --dir " + dir);
  CHECK(usage.code == 2);
}

TEST_CASE("cli: a C2SP signer key string works as the log key and must match the origin") {
  TempDir tmp = temp_dir();
  NoteSigner s = test_signer("example.org/skey-log", 3);
  std::string key_path = write(tmp, "skey", format_signer_key(s) + "\n");
  std::string dir = (tmp.path() / "log").string();
  Run mismatch = run_tool("init --dir " + dir + " --origin example.org/other --key " + key_path);
  CHECK(mismatch.code == 2);
  CHECK(mismatch.out.find("expected 'example.org/other'") != std::string::npos);
  Run init = run_tool("init --dir " + dir + " --origin example.org/skey-log --key " + key_path);
  REQUIRE(init.code == 0);
  CHECK(init.out == format_verifier_key(s.verifier()) + "\n");
  Run big = run_tool("add --dir " + dir + " " + write(tmp, "big", std::string(70000, 'x')));
  CHECK(big.code == 2);
  Run missing = run_tool("add --dir " + dir + " " + (tmp.path() / "nope").string());
  CHECK(missing.code == 12);
}
