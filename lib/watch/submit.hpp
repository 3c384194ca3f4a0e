#pragma once
// Where a watching builder sends what it signed. Three kinds of destination, chosen by --submit:
//   "log"       POST /add to the followed log (which must then be an http(s) URL); the answer names the
//               entry's index, and an entry sent twice keeps its first index, so resubmitting is safe;
//   a directory  the entry written atomically as <dir>/<sha256 of the entry>.<kind>.json (a drop box
//               maintainers collect with propose --attestations);
//   an http(s) URL other than the log  POST of the entry's bytes to that URL (any 2xx is success).
// Example: Destination{kind log, url "http://127.0.0.1:8080/"} + a verdict -> POST
// http://127.0.0.1:8080/add, answer "12\n<checkpoint>" -> index 12.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::watch {

struct Destination {
  enum class Kind { log, directory, url } kind = Kind::log;
  std::string location;  // the log's base URL, the directory, or the URL to POST to
  long timeout_seconds = 30;
};

// Parses a --submit value given the followed log's location ("log" needs an http(s) log).
Result<Destination> parse_destination(const std::string& value, const std::string& log_location,
                                      long timeout_seconds);

// The log index when the destination is the log. Errors: network (transport, non-2xx), io (directory).
Result<std::optional<std::uint64_t>> submit_entry(const Destination& destination, ByteView entry,
                                                  const std::string& kind);

bool is_http_url(const std::string& location);

}  // namespace cocoon::watch
