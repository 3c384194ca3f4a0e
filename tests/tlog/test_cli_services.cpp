// cocoon-log serve, witness cosign and monitor from the command line, with their exit codes.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "cli_util.hpp"
#include "core/file_io.hpp"
#include "tlog/http_client.hpp"
#include "tlog/log_writer.hpp"
#include "tlog/proof.hpp"
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

// `cocoon-log serve` as a child process; its first output line names the port.
struct ServeChild {
  pid_t pid = -1;
  std::string url;
  ~ServeChild() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      int st;
      ::waitpid(pid, &st, 0);
    }
  }
};

}  // namespace

TEST_CASE("cli: serve answers POST /add and stops cleanly on SIGTERM") {
  TempDir tmp = temp_dir();
  NoteSigner s = test_signer("example.org/served", 4);
  std::string key = write(tmp, "skey", format_signer_key(s));
  std::string dir = (tmp.path() / "log").string();
  REQUIRE(run_tool("init --dir " + dir + " --origin example.org/served --key " + key).code == 0);
  int out[2];
  REQUIRE(::pipe(out) == 0);
  ServeChild child;
  child.pid = ::fork();
  REQUIRE(child.pid >= 0);
  if (child.pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::execl(kCocoonLog.c_str(), kCocoonLog.c_str(), "serve", "--dir", dir.c_str(), "--listen", "127.0.0.1:0",
            "--batch-wait", "0.001", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::string line;
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
  ::close(out[0]);
  REQUIRE(line.starts_with("listening on http://127.0.0.1:"));
  child.url = line.substr(std::string("listening on ").size());
  auto http = HttpFetcher::create(child.url);
  REQUIRE(http.ok());
  auto r = http->request("POST", "add", as_bytes("hello"));
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(to_string(r->body).starts_with("0\nexample.org/served\n1\n"));
  for (const char* e : {"two", "three"}) REQUIRE(http->request("POST", "add", as_bytes(e))->status == 200);
  // Readers use the same URL: prove and monitor over HTTP.
  Run prove = run_tool("prove --url " + child.url + " --index 1 --log-vkey " + dir + "/log.pub");
  CHECK(prove.code == 0);
  CHECK(std::count(prove.out.begin(), prove.out.end(), '\n') == 2);
  Run monitor = run_tool("monitor --url " + child.url + " --log-vkey " + dir + "/log.pub --state " +
                         (tmp.path() / "m.json").string());
  CHECK(monitor.code == 0);
  CHECK(monitor.out.find("size 0 -> 3, consistent") != std::string::npos);
  Run no_key = run_tool("monitor --url " + child.url + " --state " + (tmp.path() / "m2.json").string());
  CHECK(no_key.code == 2);
  ::kill(child.pid, SIGTERM);
  int st = 0;
  ::waitpid(child.pid, &st, 0);
  child.pid = -1;
  CHECK(WIFEXITED(st));
  CHECK(WEXITSTATUS(st) == 0);
  // The entry acknowledged over HTTP is in the log on disk.
  Run again = run_tool("add --dir " + dir + " " + write(tmp, "hello", "hello"));
  CHECK(again.out.find("0 ") == 0);
  CHECK(again.out.find("(already in the log)") != std::string::npos);
}

TEST_CASE("cli: witness cosign offline, and monitor runs") {
  TempDir tmp = temp_dir();
  NoteSigner log = test_signer("example.org/wit-log", 5);
  NoteSigner wit = test_signer("example.org/cli-witness", 6);
  std::string log_key = write(tmp, "log.skey", format_signer_key(log));
  std::string wit_key = write(tmp, "wit.skey", format_signer_key(wit));
  std::string dir = (tmp.path() / "log").string();
  REQUIRE(run_tool("init --dir " + dir + " --origin example.org/wit-log --key " + log_key).code == 0);
  std::string files;
  for (int i = 0; i < 3; ++i)
    files += " " + write(tmp, "e" + std::to_string(i), "entry " + std::to_string(i));
  REQUIRE(run_tool("add --dir " + dir + files).code == 0);
  std::string cp3 = write(tmp, "cp3", *read_text_file(dir + "/checkpoint"));
  std::string logs = write(tmp, "logs", format_verifier_key(log.verifier()) + "\n");
  std::string common = " --key " + wit_key + " --state " + (tmp.path() / "w.db").string() + " --logs " + logs;

  Run first = run_tool("witness cosign" + common + " --checkpoint " + cp3 + " --old 0");
  REQUIRE(first.code == 0);
  CHECK(first.out.find("\xE2\x80\x94 example.org/cli-witness ") != std::string::npos);
  REQUIRE(run_tool("add --dir " + dir + " " + write(tmp, "e3", "entry 3")).code == 0);
  std::string cp4 = write(tmp, "cp4", *read_text_file(dir + "/checkpoint"));
  Run stale = run_tool("witness cosign" + common + " --checkpoint " + cp4 + " --old 0");
  CHECK(stale.code == 1);
  CHECK(stale.out.find("witness holds size 3") != std::string::npos);
  Run no_proof = run_tool("witness cosign" + common + " --checkpoint " + cp4 + " --old 3");
  CHECK(no_proof.code == 7);
  std::string proof = write(tmp, "proof", run_tool("prove --dir " + dir + " --from 3").out);
  Run ok = run_tool("witness cosign" + common + " --checkpoint " + cp4 + " --old 3 --proof " + proof);
  CHECK(ok.code == 0);
  Run back = run_tool("witness cosign" + common + " --checkpoint " + cp3 + " --old 4");
  CHECK(back.code == 2);
  CHECK(back.out.find("larger than the checkpoint size") != std::string::npos);

  std::string state = (tmp.path() / "monitor.json").string();
  Run m1 = run_tool("monitor --dir " + dir + " --state " + state);
  REQUIRE(m1.code == 0);
  CHECK(m1.out.find("3 entry 7 bytes sha256:") != std::string::npos);
  CHECK(m1.out.find("size 0 -> 4, consistent") != std::string::npos);
  REQUIRE(run_tool("add --dir " + dir + " " + write(tmp, "e4", "entry 4")).code == 0);
  Run m2 = run_tool("monitor --dir " + dir + " --state " + state);
  REQUIRE(m2.code == 0);
  CHECK(m2.out.find("0 entry") == std::string::npos);
  CHECK(m2.out.find("size 4 -> 5, consistent") != std::string::npos);
  // Roll the log back to size 4: the monitor refuses, exit code 6, and keeps its state.
  REQUIRE(write_file_atomic(dir + "/checkpoint", *read_text_file(cp4)).ok());
  Run m3 = run_tool("monitor --dir " + dir + " --state " + state);
  CHECK(m3.code == 6);
  Run m4 = run_tool("monitor --dir " + dir + " --state " + state + " --log-vkey " +
                    format_verifier_key(wit.verifier()));
  CHECK(m4.code == 4);
}
