#pragma once
// HTTP client side of the log (libcurl): reads a log's files from a base URL, so a log served by our
// server, by nginx from the log directory, or by any static host is read the same way.
#include <cstdint>
#include <memory>
#include <string>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "tlog/tile.hpp"

namespace cocoon::tlog {

struct HttpResponse {
  long status = 0;
  std::string content_type;
  Bytes body;
};

// One libcurl easy handle (connections are reused between requests). Not thread-safe: one per thread.
// Invariant: base_url ends with '/'. Example: create("http://127.0.0.1:8080/log") fetches
// "tile/0/000" from http://127.0.0.1:8080/log/tile/0/000.
class HttpFetcher : public TileFetcher {
 public:
  static Result<HttpFetcher> create(std::string base_url, long timeout_seconds = 30);
  HttpFetcher(HttpFetcher&&) noexcept;
  HttpFetcher& operator=(HttpFetcher&&) noexcept;
  ~HttpFetcher();

  // GET base_url + path. 404 -> not_found; other non-2xx -> network with the status and body's first line.
  Result<Bytes> fetch(const std::string& path) override;
  // Any method: returns the status and body whatever the status (transport failures are errors).
  Result<HttpResponse> request(const std::string& method, const std::string& path, ByteView body,
                               const std::string& content_type = "application/octet-stream");
  const std::string& base_url() const { return base_; }

 private:
  struct Handle;
  HttpFetcher(std::string base, long timeout, std::unique_ptr<Handle> h);
  std::string base_;
  long timeout_;
  std::unique_ptr<Handle> h_;
};

// Responses larger than this are refused (tiles are 8 KiB, bundles at most 16 MiB).
inline constexpr std::size_t kMaxHttpResponse = 64u << 20;

}  // namespace cocoon::tlog
