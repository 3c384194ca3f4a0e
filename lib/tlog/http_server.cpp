#include "tlog/http_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

namespace cocoon::tlog {

namespace {

class Socket {
 public:
  explicit Socket(int fd = -1) : fd_(fd) {}
  Socket(Socket&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Socket& operator=(Socket&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 422:
      return "Unprocessable Content";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
  }
  return "Status";
}

using Clock = std::chrono::steady_clock;

// Sends everything before the deadline; false if the peer went away, stopped reading or the time ran
// out. Never blocks past the deadline: poll() waits for room, send() never waits.
bool send_all(int fd, std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return false;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      pollfd p{fd, POLLOUT, 0};
      int rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
      if (rc < 0 && errno == EINTR) continue;
      if (rc <= 0) return false;
      break;
    }
  }
  return true;
}

std::string reply_head(const HttpReply& r, std::uint64_t length) {
  return "HTTP/1.1 " + std::to_string(r.status) + " " + reason(r.status) + "\r\n" +
         "Content-Type: " + r.content_type + "\r\nContent-Length: " + std::to_string(length) +
         "\r\nConnection: close\r\n\r\n";
}

// Reads more bytes before the deadline. 0 = peer closed, -1 = timeout or error.
ssize_t read_some(int fd, char* buf, size_t len, Clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return -1;
    pollfd p{fd, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) return -1;
    ssize_t n = ::recv(fd, buf, len, 0);
    if (n < 0 && errno == EINTR) continue;
    return n < 0 ? -1 : n;
  }
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// Parses the request head (without the final CRLFCRLF). Returns an error reply when it is malformed.
std::optional<HttpReply> parse_head(std::string_view head, HttpRequest& req) {
  size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return text_reply(400, "malformed request line\n");
  req.method = std::string(line.substr(0, sp1));
  req.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  std::string_view version = line.substr(sp2 + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return text_reply(400, "unsupported HTTP version\n");
  if (req.method.empty() || req.target.empty() || req.target[0] != '/')
    return text_reply(400, "malformed request line\n");
  for (char c : req.method)
    if (c < 'A' || c > 'Z') return text_reply(400, "malformed method\n");
  for (char c : req.target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return text_reply(400, "malformed request target\n");
  std::string_view rest = eol == std::string_view::npos ? std::string_view{} : head.substr(eol + 2);
  while (!rest.empty()) {
    size_t e = rest.find("\r\n");
    std::string_view h = rest.substr(0, e);
    rest = e == std::string_view::npos ? std::string_view{} : rest.substr(e + 2);
    size_t colon = h.find(':');
    if (colon == std::string_view::npos || colon == 0) return text_reply(400, "malformed header line\n");
    std::string name = lower(std::string(h.substr(0, colon)));
    for (char c : name)
      if (c == ' ' || c == '\t') return text_reply(400, "malformed header name\n");
    if (req.headers.count(name) && (name == "content-length" || name == "transfer-encoding"))
      return text_reply(400, "repeated " + name + " header\n");
    req.headers[name] = trim(h.substr(colon + 1));
  }
  return std::nullopt;
}

}  // namespace

HttpReply text_reply(int status, std::string body) {
  return HttpReply{status, "text/plain; charset=utf-8", std::move(body), nullptr};
}

Result<std::shared_ptr<const FileBody>> FileBody::open(const std::filesystem::path& path,
                                                       std::uint64_t max_bytes) {
  Socket fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      return make_error(Errc::not_found, "no such file: " + path.string());
    return make_error(Errc::io, "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0)
    return make_error(Errc::io, "cannot stat " + path.string() + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return make_error(Errc::invalid_input, path.string() + " is not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
    return make_error(Errc::invalid_input,
                      path.string() + " is larger than the limit of " + std::to_string(max_bytes) + " bytes");
  int raw = fd.release();
  return std::shared_ptr<const FileBody>(new FileBody(raw, static_cast<std::uint64_t>(st.st_size)));
}

FileBody::~FileBody() {
  ::close(fd_);
}

std::optional<HttpReply> parse_request_head(std::string_view head, HttpRequest& req) {
  return parse_head(head, req);
}

struct HttpServer::State : std::enable_shared_from_this<HttpServer::State> {
  HttpServerOptions options;
  HttpHandler handler;
  Socket listener;
  Socket wake_read, wake_write;  // a self-pipe that interrupts poll() on stop
  std::uint16_t port = 0;
  std::thread acceptor;
  std::mutex mu;
  std::condition_variable idle;
  int active = 0;
  bool stopped = false;
  std::atomic<std::uint64_t> reply_bytes{0}, peak_reply_bytes{0};

  void serve_connection(Socket conn);
  void send_reply(int fd, const HttpReply& r);
  void accept_loop();
};

namespace {

constexpr std::size_t kFileChunk = 64 * 1024;

// Counts bytes of reply held in memory for as long as it lives.
class ReplyBytes {
 public:
  ReplyBytes(HttpServer::State& s, std::uint64_t n) : s_(s), n_(n) {
    std::uint64_t now = s_.reply_bytes += n_;
    std::uint64_t peak = s_.peak_reply_bytes.load();
    while (now > peak && !s_.peak_reply_bytes.compare_exchange_weak(peak, now)) {
    }
  }
  ~ReplyBytes() { s_.reply_bytes -= n_; }
  ReplyBytes(const ReplyBytes&) = delete;
  ReplyBytes& operator=(const ReplyBytes&) = delete;

 private:
  HttpServer::State& s_;
  std::uint64_t n_;
};

}  // namespace

// A reply that could not be sent in time is cut off with a reset, so the kernel does not keep
// trying to deliver what is left in the socket's buffer to a client that does not read.
void abort_connection(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

void HttpServer::State::send_reply(int fd, const HttpReply& r) {
  const auto deadline = Clock::now() + options.reply_timeout;
  if (!r.file) {
    ReplyBytes held(*this, r.body.size());
    if (!send_all(fd, reply_head(r, r.body.size()), deadline) || !send_all(fd, r.body, deadline))
      abort_connection(fd);
    return;
  }
  const FileBody& f = *r.file;
  if (!send_all(fd, reply_head(r, f.size()), deadline)) return abort_connection(fd);
  std::string chunk(static_cast<size_t>(std::min<std::uint64_t>(kFileChunk, f.size())), '\0');
  ReplyBytes held(*this, chunk.size());
  std::uint64_t offset = 0;
  while (offset < f.size()) {
    size_t want = static_cast<size_t>(std::min<std::uint64_t>(chunk.size(), f.size() - offset));
    ssize_t n = ::pread(f.fd(), chunk.data(), want, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    // A file that shrank cannot deliver the promised length: closing tells the client it is short.
    if (n <= 0) return abort_connection(fd);
    if (!send_all(fd, std::string_view(chunk.data(), static_cast<size_t>(n)), deadline))
      return abort_connection(fd);
    offset += static_cast<std::uint64_t>(n);
  }
}

void HttpServer::State::serve_connection(Socket conn) {
  const auto deadline = Clock::now() + options.request_timeout;
  std::string buf;
  char chunk[8192];
  size_t head_end;
  for (;;) {
    head_end = buf.find("\r\n\r\n");
    if (head_end != std::string::npos) break;
    if (buf.size() > options.max_header_bytes)
      return send_reply(conn.get(), text_reply(431, "request head too large\n"));
    ssize_t n = read_some(conn.get(), chunk, sizeof chunk, deadline);
    if (n < 0) return send_reply(conn.get(), text_reply(408, "request not received in time\n"));
    if (n == 0) return;  // closed before a full request: nothing to answer
    buf.append(chunk, static_cast<size_t>(n));
  }
  if (head_end > options.max_header_bytes)
    return send_reply(conn.get(), text_reply(431, "request head too large\n"));
  HttpRequest req;
  if (auto err = parse_head(std::string_view(buf).substr(0, head_end), req))
    return send_reply(conn.get(), *err);
  if (req.headers.count("transfer-encoding"))
    return send_reply(conn.get(),
                      text_reply(501, "chunked request bodies are not supported; send Content-Length\n"));
  std::uint64_t length = 0;
  if (auto it = req.headers.find("content-length"); it != req.headers.end()) {
    const std::string& v = it->second;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), length);
    if (v.empty() || ec != std::errc() || ptr != v.data() + v.size())
      return send_reply(conn.get(), text_reply(400, "malformed Content-Length\n"));
  } else if (req.method == "POST") {
    return send_reply(conn.get(), text_reply(411, "POST needs a Content-Length\n"));
  }
  if (length > options.max_body_bytes)
    return send_reply(conn.get(), text_reply(413, "request body of " + std::to_string(length) +
                                                      " bytes exceeds the limit of " +
                                                      std::to_string(options.max_body_bytes) + "\n"));
  std::string body = buf.substr(head_end + 4);
  if (body.size() > length)
    return send_reply(conn.get(), text_reply(400, "more bytes than Content-Length\n"));
  while (body.size() < length) {
    ssize_t n = read_some(conn.get(), chunk, std::min<size_t>(sizeof chunk, length - body.size()), deadline);
    if (n < 0) return send_reply(conn.get(), text_reply(408, "request body not received in time\n"));
    if (n == 0) return;
    body.append(chunk, static_cast<size_t>(n));
  }
  req.body.assign(body.begin(), body.end());
  HttpReply reply;
  try {
    reply = handler(req);
  } catch (const std::exception& e) {
    // An exception must not escape a detached thread (it would terminate the server).
    reply = text_reply(500, std::string("internal error: ") + e.what() + "\n");
  }
  send_reply(conn.get(), reply);
}

void HttpServer::State::accept_loop() {
  for (;;) {
    pollfd fds[2] = {{listener.get(), POLLIN, 0}, {wake_read.get(), POLLIN, 0}};
    int rc = ::poll(fds, 2, -1);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0 || (fds[1].revents & POLLIN)) break;
    Socket conn(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (conn.get() < 0) continue;
    std::unique_lock lock(mu);
    if (stopped) break;
    if (active >= options.max_connections) {
      lock.unlock();
      // Answered without waiting: the acceptor must never block on a client. Slots come back as
      // connections end, at the latest when their deadlines pass.
      std::string busy = "too many connections\n";
      std::string answer = reply_head(text_reply(503, busy), busy.size()) + busy;
      (void)!::send(conn.get(), answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      continue;
    }
    ++active;
    lock.unlock();
    try {
      // The thread owns a reference to the state, so the state outlives its last unlock.
      std::thread([self = shared_from_this(), c = std::move(conn)]() mutable {
        self->serve_connection(std::move(c));
        std::lock_guard g(self->mu);
        if (--self->active == 0) self->idle.notify_all();
      }).detach();
    } catch (const std::system_error&) {
      std::lock_guard g(mu);
      if (--active == 0) idle.notify_all();
    }
  }
}

Result<std::pair<std::string, std::uint16_t>> parse_listen_address(std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos)
    return make_error(Errc::invalid_input, "listen address must be HOST:PORT");
  std::string host(text.substr(0, colon));
  std::string_view port_s = text.substr(colon + 1);
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(port_s.data(), port_s.data() + port_s.size(), port);
  if (port_s.empty() || ec != std::errc() || ptr != port_s.data() + port_s.size() || port > 65535)
    return make_error(Errc::invalid_input, "bad port in listen address '" + std::string(text) + "'");
  in_addr a{};
  if (::inet_pton(AF_INET, host.c_str(), &a) != 1)
    return make_error(Errc::invalid_input, "listen host must be an IPv4 address: '" + host + "'");
  return std::make_pair(host, static_cast<std::uint16_t>(port));
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(const HttpServerOptions& options, HttpHandler handler) {
  COCOON_ASSIGN(auto addr, parse_listen_address(options.listen));
  auto s = std::make_shared<State>();
  s->options = options;
  s->handler = std::move(handler);
  s->listener = Socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (s->listener.get() < 0) return make_error(Errc::io, std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(s->listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(addr.second);
  ::inet_pton(AF_INET, addr.first.c_str(), &sa.sin_addr);
  if (::bind(s->listener.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
    return make_error(Errc::io, "cannot listen on " + options.listen + ": " + std::strerror(errno));
  if (::listen(s->listener.get(), 128) != 0)
    return make_error(Errc::io, std::string("listen: ") + std::strerror(errno));
  socklen_t len = sizeof sa;
  ::getsockname(s->listener.get(), reinterpret_cast<sockaddr*>(&sa), &len);
  s->port = ntohs(sa.sin_port);
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0)
    return make_error(Errc::io, std::string("pipe: ") + std::strerror(errno));
  s->wake_read = Socket(pipefd[0]);
  s->wake_write = Socket(pipefd[1]);
  try {
    s->acceptor = std::thread([st = s.get()] { st->accept_loop(); });
  } catch (const std::system_error& e) {
    return make_error(Errc::internal, std::string("cannot start server thread: ") + e.what());
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(s)));
}

std::uint16_t HttpServer::port() const {
  return s_->port;
}

HttpServerStats HttpServer::stats() const {
  HttpServerStats out;
  out.reply_bytes = s_->reply_bytes.load();
  out.peak_reply_bytes = s_->peak_reply_bytes.load();
  std::lock_guard g(s_->mu);
  out.connections = s_->active;
  return out;
}

void HttpServer::stop() {
  {
    std::lock_guard g(s_->mu);
    if (s_->stopped) return;
    s_->stopped = true;
  }
  char b = 1;
  (void)!::write(s_->wake_write.get(), &b, 1);
  if (s_->acceptor.joinable()) s_->acceptor.join();
  std::unique_lock lock(s_->mu);
  s_->idle.wait(lock, [&] { return s_->active == 0; });
}

HttpServer::~HttpServer() {
  stop();
}

}  // namespace cocoon::tlog
