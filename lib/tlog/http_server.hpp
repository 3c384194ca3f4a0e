#pragma once
// A small HTTP/1.1 server on POSIX sockets for the log and the witness: one request per connection
// (answers carry "Connection: close"), bounded header and body sizes, a deadline per request, and a
// cap on concurrent connections. Anything it cannot parse gets a 4xx answer, never a crash.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::tlog {

struct HttpRequest {
  std::string method;                          // "GET", "POST"
  std::string target;                          // "/tile/0/000"
  std::map<std::string, std::string> headers;  // names lower-cased
  Bytes body;
};

struct HttpReply {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};
HttpReply text_reply(int status, std::string body);

using HttpHandler = std::function<HttpReply(const HttpRequest&)>;

struct HttpServerOptions {
  std::string listen = "127.0.0.1:0";  // host:port; port 0 picks a free one
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds request_timeout{10000};
  int max_connections = 256;
};

// Invariant: while the object lives, a thread accepts on port(); the destructor (or stop()) closes
// the socket and waits for every running handler to return.
class HttpServer {
 public:
  static Result<std::unique_ptr<HttpServer>> start(const HttpServerOptions& options, HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  std::uint16_t port() const;
  void stop();

  struct State;

 private:
  explicit HttpServer(std::shared_ptr<State> s) : s_(std::move(s)) {}
  std::shared_ptr<State> s_;
};

// "127.0.0.1:8080" -> {"127.0.0.1", 8080}; IPv4 literals only.
Result<std::pair<std::string, std::uint16_t>> parse_listen_address(std::string_view text);

}  // namespace cocoon::tlog
