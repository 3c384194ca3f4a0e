#include "tlog/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>

namespace cocoon::tlog {

struct HttpFetcher::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl) curl_easy_cleanup(curl);
  }
};

namespace {

// Bytes of an error page kept: enough for the server's one-line reason.
constexpr std::size_t kMaxErrorBody = 4096;

struct Sink {
  CURL* curl;
  Bytes* out;
  bool too_big = false;
  bool error_cut = false;  // an error page cut at kMaxErrorBody
};

size_t write_cb(char* data, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * nmemb;
  // The status line came before the body: an error page is kept only as far as its reason, so
  // that a long one is reported by its status, not as an oversized response.
  long status = 0;
  curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) {
    std::size_t room = kMaxErrorBody - std::min(kMaxErrorBody, sink->out->size());
    sink->out->insert(sink->out->end(), reinterpret_cast<std::uint8_t*>(data),
                      reinterpret_cast<std::uint8_t*>(data) + std::min(room, n));
    if (n <= room) return n;
    sink->error_cut = true;
    return 0;  // makes libcurl abort the transfer
  }
  if (sink->out->size() + n > kMaxHttpResponse) {
    sink->too_big = true;
    return 0;  // makes libcurl abort the transfer
  }
  sink->out->insert(sink->out->end(), reinterpret_cast<std::uint8_t*>(data),
                    reinterpret_cast<std::uint8_t*>(data) + n);
  return n;
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
};

}  // namespace

HttpFetcher::HttpFetcher(std::string base, long timeout, std::unique_ptr<Handle> h)
    : base_(std::move(base)), timeout_(timeout), h_(std::move(h)) {}
HttpFetcher::HttpFetcher(HttpFetcher&&) noexcept = default;
HttpFetcher& HttpFetcher::operator=(HttpFetcher&&) noexcept = default;
HttpFetcher::~HttpFetcher() = default;

Result<HttpFetcher> HttpFetcher::create(std::string base_url, long timeout_seconds) {
  if (!base_url.starts_with("http://") && !base_url.starts_with("https://"))
    return make_error(Errc::invalid_input, "log URL must start with http:// or https://: " + base_url);
  if (!base_url.ends_with("/")) base_url += "/";
  auto h = std::make_unique<Handle>();
  h->curl = curl_easy_init();
  if (!h->curl) return make_error(Errc::internal, "curl_easy_init failed");
  return HttpFetcher(std::move(base_url), timeout_seconds, std::move(h));
}

Result<HttpResponse> HttpFetcher::request(const std::string& method, const std::string& path, ByteView body,
                                          const std::string& content_type) {
  CURL* c = h_->curl;
  curl_easy_reset(c);
  std::string url = base_ + path;
  HttpResponse resp;
  Sink sink{c, &resp.body};
  HeaderList headers;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  if (method == "POST") {
    headers.list = curl_slist_append(headers.list, ("Content-Type: " + content_type).c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.list);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else if (method != "GET") {
    return make_error(Errc::invalid_input, "unsupported HTTP method " + method);
  }
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
  if (sink.too_big) return make_error(Errc::network, url + ": response larger than the limit");
  if (rc != CURLE_OK && !sink.error_cut)
    return make_error(Errc::network, url + ": " + curl_easy_strerror(rc));
  char* ct = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) resp.content_type = ct;
  return resp;
}

Result<Bytes> HttpFetcher::fetch(const std::string& path) {
  COCOON_ASSIGN(HttpResponse r, request("GET", path, {}));
  if (r.status == 404) return make_error(Errc::not_found, base_ + path + ": 404 not found");
  if (r.status < 200 || r.status > 299) {
    std::string first = to_string(r.body).substr(0, 200);
    first = first.substr(0, first.find('\n'));
    return make_error(Errc::network, base_ + path + ": HTTP " + std::to_string(r.status) + " " + first);
  }
  return std::move(r.body);
}

}  // namespace cocoon::tlog
