#pragma once
// A small HTTP/1.1 server on POSIX sockets for the log and the witness: one request per connection
// (answers carry "Connection: close"), bounded header and body sizes, a deadline for receiving the
// request and one for sending the reply, and a cap on concurrent connections. Anything it cannot
// parse gets a 4xx answer, never a crash. A client that stops reading holds its slot and one chunk
// of memory until the reply deadline passes, then it is disconnected.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
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

// A reply body read from a file while it is sent, one chunk at a time, so a large file costs one
// chunk of memory per connection whatever its size. Owns the open descriptor: the bytes sent are
// those of the file opened, even if the path is replaced meanwhile.
class FileBody {
 public:
  // Errc::not_found if absent; Errc::invalid_input if not a regular file or larger than max_bytes.
  static Result<std::shared_ptr<const FileBody>> open(const std::filesystem::path& path,
                                                      std::uint64_t max_bytes);
  ~FileBody();
  FileBody(const FileBody&) = delete;
  FileBody& operator=(const FileBody&) = delete;
  int fd() const { return fd_; }
  std::uint64_t size() const { return size_; }

 private:
  FileBody(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  int fd_;
  std::uint64_t size_;
};

struct HttpReply {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::shared_ptr<const FileBody> file;  // if set, the body is this file's content and `body` is unused
};
HttpReply text_reply(int status, std::string body);

using HttpHandler = std::function<HttpReply(const HttpRequest&)>;

struct HttpServerOptions {
  std::string listen = "127.0.0.1:0";  // host:port; port 0 picks a free one
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds request_timeout{10000};  // receiving the request, from accept
  // Sending the whole reply. Generous for the largest tile over a slow link; what it bounds is how
  // long a client that never reads holds a connection slot.
  std::chrono::milliseconds reply_timeout{60000};
  int max_connections = 256;  // beyond it new clients get 503 at once
};

// Bytes of reply bodies the server holds in memory now and at most so far (a string body counts
// whole, a file body one chunk), and the connections being served.
struct HttpServerStats {
  std::uint64_t reply_bytes = 0;
  std::uint64_t peak_reply_bytes = 0;
  int connections = 0;
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
  HttpServerStats stats() const;

  struct State;

 private:
  explicit HttpServer(std::shared_ptr<State> s) : s_(std::move(s)) {}
  std::shared_ptr<State> s_;
};

// Parses a request head (request line and header lines, without the final CRLFCRLF) into `req`; returns
// the error reply to send when it is malformed. Pure, so the fuzz harness reaches it without sockets.
std::optional<HttpReply> parse_request_head(std::string_view head, HttpRequest& req);

// "127.0.0.1:8080" -> {"127.0.0.1", 8080}; IPv4 literals only.
Result<std::pair<std::string, std::uint16_t>> parse_listen_address(std::string_view text);

}  // namespace cocoon::tlog
