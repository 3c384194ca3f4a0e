// The log's HTTP server and the libcurl client: reading, appending, limits and malformed requests,
// and 64 concurrent submitters.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <thread>

#include "tlog/http_client.hpp"
#include "tlog/log_client.hpp"
#include "tlog/log_server.hpp"
#include "tlog_test_util.hpp"

using namespace cocoon;
using namespace cocoon::tlog;
using namespace cocoon::tlog::testing;

namespace {

// A log served on a free loopback port for the lifetime of the object.
struct ServedLog {
  TempDir tmp = temp_dir();
  NoteSigner key = test_signer();
  std::unique_ptr<Sequencer> seq;
  std::unique_ptr<HttpServer> server;
  std::string url;

  explicit ServedLog(HttpServerOptions opts = {},
                     SequencerOptions seq_opts = {64, std::chrono::milliseconds(5)}) {
    REQUIRE(LogWriter::create(tmp.path(), key).ok());
    auto w = LogWriter::open(tmp.path(), key);
    REQUIRE(w.ok());
    auto s = Sequencer::start(std::move(*w), seq_opts);
    REQUIRE(s.ok());
    seq = std::move(*s);
    opts.listen = "127.0.0.1:0";
    auto srv = HttpServer::start(opts, make_log_handler(tmp.path(), *seq, {}));
    REQUIRE(srv.ok());
    server = std::move(*srv);
    url = "http://127.0.0.1:" + std::to_string(server->port()) + "/";
  }
  ~ServedLog() {
    server->stop();
    seq.reset();
  }
};

HttpFetcher client(const std::string& url) {
  auto c = HttpFetcher::create(url);
  REQUIRE(c.ok());
  return std::move(*c);
}

// Sends raw bytes to the port and returns the status code of the answer (0 if none).
int raw_status(std::uint16_t port, const std::string& bytes, bool half_close = true) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
  ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  if (half_close) ::shutdown(fd, SHUT_WR);
  std::string answer;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) answer.append(buf, static_cast<size_t>(n));
  ::close(fd);
  if (answer.size() < 12 || !answer.starts_with("HTTP/1.1 ")) return 0;
  return std::stoi(answer.substr(9, 3));
}

}  // namespace

TEST_CASE("http: add over HTTP, then verify proofs and entries read over HTTP") {
  ServedLog log;
  // Six submitters at once, so batches form; 300 entries cross a tile boundary.
  constexpr int kThreads = 6, kEach = 50;
  std::vector<std::vector<std::pair<std::uint64_t, std::uint64_t>>> acked(kThreads);  // (entry number, index)
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto http = HttpFetcher::create(log.url);
      if (!http.ok()) return;
      for (int k = 0; k < kEach; ++k) {
        std::uint64_t e = static_cast<std::uint64_t>(t * kEach + k);
        auto r = http->request("POST", "add", entry(e));
        if (!r.ok() || r->status != 200) continue;
        acked[t].emplace_back(e, std::stoull(to_string(r->body)));
      }
    });
  }
  for (auto& th : threads) th.join();
  HttpFetcher http = client(log.url);
  LogClient reader(http, log.key.verifier());
  auto cp = reader.checkpoint();
  REQUIRE(cp.ok());
  REQUIRE(cp->checkpoint.size == 300);
  auto all = reader.entries(0, 300, 300);
  REQUIRE(all.ok());
  std::uint64_t index_of_17 = 300;
  for (const auto& per_thread : acked) {
    REQUIRE(per_thread.size() == kEach);
    for (auto [e, idx] : per_thread) {
      REQUIRE(idx < 300);
      CHECK((*all)[idx] == entry(e));
      if (e == 17) index_of_17 = idx;
      if (idx == 257 || idx == 3) {
        auto p = reader.inclusion_proof(idx, 300);
        REQUIRE(p.ok());
        CHECK(check_inclusion(*p, 300, idx, leaf_hash(entry(e)), cp->checkpoint.root).ok());
      }
    }
  }
  auto dup = http.request("POST", "add", entry(17));
  REQUIRE(dup.ok());
  CHECK(to_string(dup->body).starts_with(std::to_string(index_of_17) + "\n"));
  auto pub = http.fetch("log.pub");
  REQUIRE(pub.ok());
  CHECK(to_string(*pub) == format_verifier_key(log.key.verifier()) + "\n");
}

TEST_CASE("http: limits and malformed requests get their 4xx") {
  HttpServerOptions opts;
  opts.request_timeout = std::chrono::milliseconds(300);
  ServedLog log(opts);
  HttpFetcher http = client(log.url);
  auto big = http.request("POST", "add", Bytes(70000, 'x'));
  REQUIRE(big.ok());
  CHECK(big->status == 413);
  CHECK(to_string(big->body).find("exceeds the limit of 65535") != std::string::npos);
  auto huge = http.request("POST", "add", Bytes((1 << 20) + 1, 'x'));
  REQUIRE(huge.ok());
  CHECK(huge->status == 413);
  CHECK(http.request("GET", "add", {})->status == 405);
  CHECK(http.request("GET", "tile/0/5", {})->status == 400);
  CHECK(http.request("GET", "tile/0/000", {})->status == 404);
  CHECK(http.request("GET", "nothing", {})->status == 404);
  CHECK(http.fetch("tile/0/000").error().code == Errc::not_found);

  std::uint16_t port = log.server->port();
  CHECK(raw_status(port, "garbage\r\n\r\n") == 400);
  CHECK(raw_status(port, "GET /checkpoint HTTP/2.0\r\n\r\n") == 400);
  CHECK(raw_status(port, "GET checkpoint HTTP/1.1\r\n\r\n") == 400);
  CHECK(raw_status(port, "GET /checkpoint HTTP/1.1\r\nno colon here\r\n\r\n") == 400);
  CHECK(raw_status(port, "POST /add HTTP/1.1\r\n\r\n") == 411);
  CHECK(raw_status(port, "POST /add HTTP/1.1\r\nContent-Length: x1\r\n\r\n") == 400);
  CHECK(raw_status(port, "POST /add HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx") == 400);
  CHECK(raw_status(port, "POST /add HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n") ==
        501);
  CHECK(raw_status(port, "GET /checkpoint HTTP/1.1\r\nX: " + std::string(20000, 'a') + "\r\n\r\n") == 431);
  // A client that stops sending half-way gets 408 once the deadline passes.
  CHECK(raw_status(port, "POST /add HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", false) == 408);
  CHECK(raw_status(port, "GET /checkpoint HTTP/1.1\r\nHost: x\r\n\r\n") == 200);
}

TEST_CASE("http: 64 concurrent clients - every acknowledged entry appears exactly once") {
  ServedLog log({}, {32, std::chrono::milliseconds(10)});
  constexpr int kClients = 64, kPerClient = 5;
  std::vector<std::vector<std::uint64_t>> acked(kClients);
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      auto http = HttpFetcher::create(log.url);
      if (!http.ok()) return;
      for (int k = 0; k < kPerClient; ++k) {
        // Every client also resubmits one entry of client 0, which must not be logged twice.
        std::string e = k == kPerClient - 1 ? "client 0 entry 0"
                                            : "client " + std::to_string(c) + " entry " + std::to_string(k);
        auto r = http->request("POST", "add", as_bytes(e));
        if (!r.ok() || r->status != 200) continue;
        acked[c].push_back(std::stoull(to_string(r->body)));
      }
    });
  }
  for (auto& t : threads) t.join();

  HttpFetcher http = client(log.url);
  LogClient reader(http, log.key.verifier());
  auto cp = reader.checkpoint();
  REQUIRE(cp.ok());
  const std::uint64_t n = cp->checkpoint.size;
  CHECK(n == kClients * (kPerClient - 1));
  auto all = reader.entries(0, n, n);
  REQUIRE(all.ok());
  // As strings: GCC 12 at -O3 warns falsely (-Wstringop-overread) inside std::set<std::vector<uint8_t>>.
  std::set<std::string> distinct;
  for (const Bytes& entry : *all) distinct.emplace(entry.begin(), entry.end());
  CHECK(distinct.size() == n);
  for (int c = 0; c < kClients; ++c) {
    REQUIRE(acked[c].size() == kPerClient);
    for (int k = 0; k < kPerClient; ++k) {
      std::string e = k == kPerClient - 1 ? "client 0 entry 0"
                                          : "client " + std::to_string(c) + " entry " + std::to_string(k);
      REQUIRE(acked[c][k] < n);
      CHECK((*all)[acked[c][k]] == to_bytes(e));
    }
  }
}

namespace {

// Connects, sends a GET for `target` and never reads; a small receive buffer so the server's sends
// stall early.
int stalled_client(std::uint16_t port, const std::string& target) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
  std::string req = "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
  REQUIRE(::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size()));
  return fd;
}

// Reads until the server closes or resets; the number of bytes received.
std::uint64_t drain(int fd) {
  std::uint64_t total = 0;
  char buf[65536];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) total += static_cast<std::uint64_t>(n);
  ::close(fd);
  return total;
}

// Waits (without a time limit of its own: ctest's timeout bounds it) until `pred` holds.
template <typename Pred>
void wait_until(Pred pred) {
  while (!pred()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

}  // namespace

TEST_CASE("http: clients that never read a 16 MB tile are cut off at the deadline and cost one chunk each") {
  constexpr int kStalled = 6;
  constexpr std::uint64_t kTile = 16u << 20;
  HttpServerOptions opts;
  opts.request_timeout = std::chrono::milliseconds(2000);
  opts.reply_timeout = std::chrono::milliseconds(1500);
  opts.max_connections = kStalled + 2;
  ServedLog log(opts);
  // An entry bundle as large as 16 MB of entries makes it; its bytes do not matter to the server.
  std::filesystem::create_directories(log.tmp.path() / "tile/entries");
  {
    std::ofstream f(log.tmp.path() / "tile/entries/000", std::ios::binary);
    std::string block(1 << 20, 'e');
    for (std::uint64_t i = 0; i < kTile / block.size(); ++i) f << block;
  }
  std::uint16_t port = log.server->port();
  std::vector<int> stalled;
  for (int i = 0; i < kStalled; ++i) stalled.push_back(stalled_client(port, "/tile/entries/000"));
  wait_until([&] { return log.server->stats().connections == kStalled; });

  // Meanwhile a new client is served.
  HttpFetcher http = client(log.url);
  auto cp = http.request("GET", "checkpoint", {});
  REQUIRE(cp.ok());
  CHECK(cp->status == 200);

  // Each stalled reply holds at most one chunk of the file, never the file.
  auto during = log.server->stats();
  CHECK(during.connections >= kStalled);
  CHECK(during.reply_bytes <= kStalled * (64u << 10) + 4096);
  CHECK(during.peak_reply_bytes < kTile);

  // Once the deadline passes, every one is disconnected before it got the whole tile.
  wait_until([&] { return log.server->stats().connections == 0; });
  for (int fd : stalled) CHECK(drain(fd) < kTile);
  CHECK(log.server->stats().reply_bytes == 0);
  CHECK(log.server->stats().peak_reply_bytes < kTile);

  // A reader that does read gets the whole tile.
  auto tile = http.request("GET", "tile/entries/000", {});
  REQUIRE(tile.ok());
  CHECK(tile->status == 200);
  CHECK(tile->body.size() == kTile);
}

TEST_CASE("http: a server at its connection limit answers at once and serves again after the deadline") {
  constexpr int kLimit = 3;
  HttpServerOptions opts;
  opts.request_timeout = std::chrono::milliseconds(2000);
  opts.reply_timeout = std::chrono::milliseconds(1000);
  opts.max_connections = kLimit;
  ServedLog log(opts);
  std::filesystem::create_directories(log.tmp.path() / "tile/entries");
  {
    std::ofstream f(log.tmp.path() / "tile/entries/000", std::ios::binary);
    f << std::string(8u << 20, 'e');
  }
  std::uint16_t port = log.server->port();
  std::vector<int> stalled;
  for (int i = 0; i < kLimit; ++i) stalled.push_back(stalled_client(port, "/tile/entries/000"));
  wait_until([&] { return log.server->stats().connections == kLimit; });
  // Full: a new client is told so instead of waiting.
  CHECK(raw_status(port, "GET /checkpoint HTTP/1.1\r\n\r\n") == 503);
  // The stalled clients' slots come back when their deadline passes.
  wait_until([&] { return log.server->stats().connections == 0; });
  CHECK(raw_status(port, "GET /checkpoint HTTP/1.1\r\n\r\n") == 200);
  for (int fd : stalled) CHECK(drain(fd) < (8u << 20));
}
