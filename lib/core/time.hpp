#pragma once
// Instants as seconds since the Unix epoch (UTC) and their RFC 3339 text form. Decisions take the
// current time as a parameter; only tools read the clock.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace cocoon {

using UnixSeconds = std::int64_t;

// "2026-11-25T12:00:00Z": whole seconds, always UTC with a Z (what TUF clients accept).
std::string format_rfc3339(UnixSeconds t);
// Accepts exactly the form format_rfc3339 writes.
Result<UnixSeconds> parse_rfc3339(std::string_view text);

UnixSeconds now_unix();

}  // namespace cocoon
