#include "core/json.hpp"

#include <algorithm>
#include <set>
#include <vector>

namespace cocoon {

Result<Json> parse_json(std::string_view text, std::string_view what) {
  std::vector<std::set<std::string>> seen_keys;
  std::string duplicate;
  auto callback = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        seen_keys.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!seen_keys.empty()) seen_keys.pop_back();
        break;
      case Json::parse_event_t::key:
        if (!seen_keys.empty() && !seen_keys.back().insert(parsed.get<std::string>()).second &&
            duplicate.empty())
          duplicate = parsed.get<std::string>();
        break;
      default:
        break;
    }
    return true;
  };
  Json j;
  try {
    j = Json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/true);
  } catch (const Json::exception& e) {
    std::string msg = e.what();
    // nlohmann prefixes "[json.exception.parse_error.101] "; keep the useful part.
    if (auto pos = msg.find("] "); pos != std::string::npos) msg = msg.substr(pos + 2);
    return make_error(Errc::invalid_input, std::string(what) + " is not valid JSON: " + msg);
  }
  if (!duplicate.empty())
    return make_error(Errc::invalid_input, std::string(what) + " has a duplicate key \"" + duplicate + "\"");
  return j;
}

namespace {

void canonical_string(const std::string& s, std::string& out) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

Status canonical_into(const Json& v, std::string& out) {
  switch (v.type()) {
    case Json::value_t::null:
      out += "null";
      return Ok{};
    case Json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return Ok{};
    case Json::value_t::number_integer:
      out += std::to_string(v.get<std::int64_t>());
      return Ok{};
    case Json::value_t::number_unsigned:
      out += std::to_string(v.get<std::uint64_t>());
      return Ok{};
    case Json::value_t::number_float:
      return make_error(Errc::invalid_input, "canonical JSON has no floating-point numbers");
    case Json::value_t::string:
      canonical_string(v.get_ref<const std::string&>(), out);
      return Ok{};
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v) {
        if (!first) out += ',';
        first = false;
        COCOON_TRY(canonical_into(e, out));
      }
      out += ']';
      return Ok{};
    }
    case Json::value_t::object: {
      std::vector<const std::string*> keys;
      for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(&it.key());
      // Byte order, i.e. unsigned comparison, whatever char's signedness.
      std::sort(keys.begin(), keys.end(), [](const std::string* a, const std::string* b) {
        return std::lexicographical_compare(a->begin(), a->end(), b->begin(), b->end(), [](char x, char y) {
          return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
        });
      });
      out += '{';
      bool first = true;
      for (const auto* k : keys) {
        if (!first) out += ',';
        first = false;
        canonical_string(*k, out);
        out += ':';
        COCOON_TRY(canonical_into(v.at(*k), out));
      }
      out += '}';
      return Ok{};
    }
    case Json::value_t::binary:
    case Json::value_t::discarded:
      break;
  }
  return make_error(Errc::invalid_input, "value cannot be written as canonical JSON");
}

}  // namespace

Result<std::string> canonical_json(const Json& value) {
  std::string out;
  COCOON_TRY(canonical_into(value, out));
  return out;
}

std::string pretty_json(const Json& value) {
  return value.dump(2) + "\n";
}

}  // namespace cocoon
