#pragma once
// Reads a repository over HTTP(S) with libcurl, bounded in size and time: a mirror that sends more
// than the metadata allows is cut off at that length (endless data), one that stops sending for
// `stall_seconds` is abandoned (slow retrieval), and no request outlives `total_timeout_seconds`.
//
// Example: HttpRepoFetcher::create("http://127.0.0.1:8080/repo") fetches "metadata/timestamp.json" from
// http://127.0.0.1:8080/repo/metadata/timestamp.json; 404 and 403 are Errc::not_found (what ends the
// root chain, as in python-tuf), other statuses and transport failures Errc::network.
#include <memory>
#include <string>

#include "verify/fetcher.hpp"

namespace cocoon::verify {

struct HttpLimits {
  long connect_timeout_seconds = 10;
  long stall_seconds = 10;  // no byte received for this long: the mirror is stalling
  long total_timeout_seconds = 600;
};

// Invariant: base_url starts with http:// or https:// and ends with '/'; redirects are not followed
// (a mirror is the URL the operator named).
class HttpRepoFetcher : public Fetcher {
 public:
  static Result<std::unique_ptr<HttpRepoFetcher>> create(std::string base_url, HttpLimits limits = {});
  ~HttpRepoFetcher() override;
  HttpRepoFetcher(const HttpRepoFetcher&) = delete;
  HttpRepoFetcher& operator=(const HttpRepoFetcher&) = delete;

  Result<Bytes> fetch(const std::string& path, std::uint64_t max_bytes) override;
  std::string locate(const std::string& path) const override { return base_ + path; }

 private:
  struct Handle;
  HttpRepoFetcher(std::string base, HttpLimits limits, std::unique_ptr<Handle> handle);
  std::string base_;
  HttpLimits limits_;
  std::unique_ptr<Handle> handle_;
};

bool is_http_url(const std::string& text);

}  // namespace cocoon::verify
