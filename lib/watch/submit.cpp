#include "watch/submit.hpp"

#include <charconv>

#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "tlog/http_client.hpp"

namespace cocoon::watch {

bool is_http_url(const std::string& location) {
  return location.starts_with("http://") || location.starts_with("https://");
}

Result<Destination> parse_destination(const std::string& value, const std::string& log_location,
                                      long timeout_seconds) {
  Destination d;
  d.timeout_seconds = timeout_seconds;
  if (value.empty() || value == "log") {
    if (!is_http_url(log_location))
      return make_error(Errc::invalid_input,
                        "--submit log needs --log to be the log server's URL (a log directory is read-only "
                        "here): give --submit DIR or --submit URL");
    d.kind = Destination::Kind::log;
    d.location = log_location;
  } else if (is_http_url(value)) {
    d.kind = Destination::Kind::url;
    d.location = value;
  } else {
    d.kind = Destination::Kind::directory;
    d.location = value;
  }
  return d;
}

Result<std::optional<std::uint64_t>> submit_entry(const Destination& d, ByteView entry,
                                                  const std::string& kind) {
  if (d.kind == Destination::Kind::directory) {
    std::error_code ec;
    std::filesystem::create_directories(d.location, ec);
    if (ec) return make_error(Errc::io, "cannot create " + d.location + ": " + ec.message());
    std::filesystem::path file =
        std::filesystem::path(d.location) / (crypto::sha256_hex(entry) + "." + kind + ".json");
    COCOON_TRY(write_file_atomic(file, entry));
    return std::optional<std::uint64_t>{};
  }
  std::string base = d.location;
  std::string path;
  if (d.kind == Destination::Kind::log) {
    if (base.back() != '/') base += '/';
    path = "add";
  } else {
    // POST to the URL itself: split off its last component as the request path.
    auto slash = base.rfind('/');
    path = base.substr(slash + 1);
    base = base.substr(0, slash + 1);
  }
  COCOON_ASSIGN(tlog::HttpFetcher http, tlog::HttpFetcher::create(base, d.timeout_seconds));
  COCOON_ASSIGN(tlog::HttpResponse answer, http.request("POST", path, entry));
  std::string body = to_string(answer.body).substr(0, 200);
  if (answer.status < 200 || answer.status > 299) {
    std::string first = body.substr(0, body.find('\n'));
    // 4xx: the destination refuses this entry, retrying will not help; 5xx and others: try again later.
    Errc code = answer.status >= 400 && answer.status < 500 ? Errc::invalid_input : Errc::network;
    return make_error(code,
                      "POST " + base + path + " answered " + std::to_string(answer.status) + ": " + first);
  }
  if (d.kind != Destination::Kind::log) return std::optional<std::uint64_t>{};
  std::uint64_t index = 0;
  auto nl = body.find('\n');
  std::string_view digits(body.data(), nl == std::string::npos ? body.size() : nl);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty())
    return make_error(Errc::network, "the log's answer to POST /add does not start with an index");
  return std::optional<std::uint64_t>(index);
}

}  // namespace cocoon::watch
