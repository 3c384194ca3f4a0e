#include "verify/http_fetcher.hpp"

#include <curl/curl.h>

namespace cocoon::verify {

namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

// The body being received and the cap it may not exceed.
struct Sink {
  CURL* curl = nullptr;
  Bytes body;
  std::uint64_t max_bytes = 0;
  bool too_large = false;
  long refused_status = 0;  // a non-2xx status seen before the body: the body is not read
};

bool is_success(long status) {
  return status >= 200 && status <= 299;
}

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  // The status line came before any body byte. A 404 page is not the file asked for: its size or
  // its content must not be judged as if it were.
  long status = 0;
  curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &status);
  if (!is_success(status)) {
    sink->refused_status = status;
    return 0;  // makes libcurl abort the transfer with CURLE_WRITE_ERROR
  }
  if (sink->body.size() + n > sink->max_bytes) {
    sink->too_large = true;
    return 0;
  }
  sink->body.insert(sink->body.end(), reinterpret_cast<const std::uint8_t*>(data),
                    reinterpret_cast<const std::uint8_t*>(data) + n);
  return n;
}

}  // namespace

struct HttpRepoFetcher::Handle {
  std::unique_ptr<CURL, CurlDeleter> curl;
};

bool is_http_url(const std::string& text) {
  return text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0;
}

Result<std::unique_ptr<HttpRepoFetcher>> HttpRepoFetcher::create(std::string base_url, HttpLimits limits) {
  if (!is_http_url(base_url)) return make_error(Errc::invalid_input, "not an http(s) URL: " + base_url);
  if (base_url.back() != '/') base_url.push_back('/');
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return make_error(Errc::internal, "curl_easy_init failed");
  auto handle = std::make_unique<Handle>();
  handle->curl = std::move(curl);
  return std::unique_ptr<HttpRepoFetcher>(
      new HttpRepoFetcher(std::move(base_url), limits, std::move(handle)));
}

HttpRepoFetcher::HttpRepoFetcher(std::string base, HttpLimits limits, std::unique_ptr<Handle> handle)
    : base_(std::move(base)), limits_(limits), handle_(std::move(handle)) {}

HttpRepoFetcher::~HttpRepoFetcher() = default;

Result<Bytes> HttpRepoFetcher::fetch(const std::string& path, std::uint64_t max_bytes) {
  COCOON_TRY(check_relative_path(path));
  CURL* c = handle_->curl.get();
  curl_easy_reset(c);
  std::string url = base_ + path;
  Sink sink;
  sink.curl = c;
  sink.max_bytes = max_bytes;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, limits_.connect_timeout_seconds);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, limits_.total_timeout_seconds);
  // Below 1 byte/s for stall_seconds: the mirror is stalling.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, limits_.stall_seconds);
  // A declared Content-Length above the cap is refused before any byte is stored.
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  CURLcode rc = curl_easy_perform(c);
  // The status first, whatever happened to the body: a missing file on a mirror is reported like the
  // same file missing from a directory repository. A Content-Length above the cap on an error page
  // stops the transfer before any body byte, so the status also comes from the headers received.
  long status = sink.refused_status;
  if (status == 0) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status == 404 || status == 403 || status == 410)
    return make_error(Errc::not_found,
                      url + ": HTTP " + std::to_string(status) + " (no such file on the mirror)");
  if (status != 0 && !is_success(status))
    return make_error(Errc::network, url + ": HTTP " + std::to_string(status));
  std::string too_long =
      url + " is longer than the " + std::to_string(max_bytes) + " bytes allowed (endless data)";
  if (sink.too_large || rc == CURLE_FILESIZE_EXCEEDED) return make_error(Errc::hash_mismatch, too_long);
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return make_error(Errc::network, url + ": timed out (the mirror stalled or is too slow)");
  }
  if (rc != CURLE_OK) return make_error(Errc::network, url + ": " + curl_easy_strerror(rc));
  return std::move(sink.body);
}

}  // namespace cocoon::verify
