// Readers never need our server: Debian's nginx serving the log directory as static files, on a
// loopback port, is enough for the libcurl client to verify checkpoint, proofs and entries.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tlog/http_client.hpp"
#include "tlog/log_client.hpp"
#include "tlog/log_writer.hpp"
#include "tlog_test_util.hpp"

using namespace cocoon;
using namespace cocoon::tlog;
using namespace cocoon::tlog::testing;

namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";

// A free loopback port: bind to port 0, read it, release it (nginx binds it right after).
std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
  socklen_t len = sizeof sa;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  ::close(fd);
  return ntohs(sa.sin_port);
}

bool can_connect(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  ::close(fd);
  return ok;
}

// nginx in the foreground as a child; killed and reaped on destruction.
struct NginxChild {
  pid_t pid = -1;
  ~NginxChild() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      int st;
      ::waitpid(pid, &st, 0);
    }
  }
};

}  // namespace

TEST_CASE("nginx: a plain nginx serving the log directory is a complete read interface") {
  INFO("nginx-light is required (ci/setup installs it)");
  REQUIRE(std::filesystem::exists(kNginx));
  TempDir tmp = temp_dir();
  auto logdir = tmp.path() / "log";
  NoteSigner key = test_signer();
  REQUIRE(LogWriter::create(logdir, key).ok());
  {
    auto w = LogWriter::open(logdir, key);
    REQUIRE(w.ok());
    std::vector<Bytes> es;
    for (std::uint64_t i = 0; i < 1000; ++i) es.push_back(entry(i));
    REQUIRE(w->append(es).ok());
  }

  auto prefix = tmp.path() / "nginx";
  std::filesystem::create_directories(prefix / "logs");
  std::uint16_t port = free_port();
  std::string conf = "daemon off;\nmaster_process off;\nworker_processes 1;\npid " +
                     (prefix / "nginx.pid").string() + ";\nerror_log " +
                     (prefix / "logs/error.log").string() +
                     ";\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n"
                     "  client_body_temp_path " +
                     (prefix / "body").string() +
                     ";\n"
                     "  default_type application/octet-stream;\n"
                     "  server {\n    listen 127.0.0.1:" +
                     std::to_string(port) +
                     ";\n"
                     "    root " +
                     logdir.string() +
                     ";\n"
                     "    location ~ ^/(log\\.db|lock|log\\.json) { return 404; }\n  }\n}\n";
  REQUIRE(write_file_atomic(prefix / "nginx.conf", conf).ok());

  NginxChild nginx;
  nginx.pid = ::fork();
  REQUIRE(nginx.pid >= 0);
  if (nginx.pid == 0) {
    std::string p = prefix.string() + "/", c = (prefix / "nginx.conf").string(),
                e = (prefix / "logs/error.log").string();
    ::execl(kNginx, kNginx, "-p", p.c_str(), "-e", e.c_str(), "-c", c.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {
    up = can_connect(port);
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto error_log = read_text_file(prefix / "logs/error.log");
  INFO("nginx error log: " << (error_log.ok() ? *error_log : std::string("(none)")));
  REQUIRE(up);

  auto http = HttpFetcher::create("http://127.0.0.1:" + std::to_string(port));
  REQUIRE(http.ok());
  LogClient reader(*http, key.verifier());
  auto cp = reader.checkpoint();
  REQUIRE(cp.ok());
  CHECK(cp->checkpoint.size == 1000);
  for (std::uint64_t i : {0, 255, 256, 999}) {
    auto p = reader.inclusion_proof(i, 1000);
    REQUIRE(p.ok());
    CHECK(check_inclusion(*p, 1000, i, leaf_hash(entry(i)), cp->checkpoint.root).ok());
  }
  auto es = reader.entries(990, 1000, 1000);
  REQUIRE(es.ok());
  CHECK(es->back() == entry(999));
  auto root = reader.root(1000);
  REQUIRE(root.ok());
  CHECK(*root == cp->checkpoint.root);
  // The private parts of the directory are not served.
  CHECK(http->fetch("log.db").error().code == Errc::not_found);
}
