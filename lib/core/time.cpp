#include "core/time.hpp"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace cocoon {

std::string format_rfc3339(UnixSeconds t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

Result<UnixSeconds> parse_rfc3339(std::string_view s) {
  auto bad = [&] {
    return make_error(Errc::invalid_input, "time \"" + std::string(s) + "\" is not YYYY-MM-DDTHH:MM:SSZ");
  };
  if (s.size() != 20) return bad();
  static constexpr char kShape[] = "dddd-dd-ddTdd:dd:ddZ";
  for (size_t i = 0; i < 20; ++i) {
    if (kShape[i] == 'd') {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return bad();
    } else if (s[i] != kShape[i]) {
      return bad();
    }
  }
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = 0; i < len; ++i) v = v * 10 + (s[pos + i] - '0');
    return v;
  };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(5, 2) - 1;
  tm.tm_mday = num(8, 2);
  tm.tm_hour = num(11, 2);
  tm.tm_min = num(14, 2);
  tm.tm_sec = num(17, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60)
    return bad();
  std::tm check = tm;
  std::time_t t = timegm(&tm);
  // timegm normalises 31 February into March; refuse dates that do not exist.
  if (tm.tm_mday != check.tm_mday || tm.tm_mon != check.tm_mon) return bad();
  return static_cast<UnixSeconds>(t);
}

UnixSeconds now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace cocoon
