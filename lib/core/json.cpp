#include "core/json.hpp"

#include "core/escape.hpp"

#include <algorithm>
#include <set>
#include <vector>

namespace cocoon {

namespace {

// The deepest nesting of arrays and objects in `text`, counted outside strings, stopping once it
// passes kMaxJsonDepth: one pass, no recursion, so a document of a million '[' costs its length.
// For text the parser accepts this is exactly its nesting; for other text the parser fails anyway.
bool nests_too_deep(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > kMaxJsonDepth) return true;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return false;
}

Result<Json> parse_checked(std::string_view text, std::string_view what, bool quote_content) {
  if (nests_too_deep(text))
    return make_error(Errc::invalid_input, std::string(what) + " nests arrays and objects deeper than " +
                                               std::to_string(kMaxJsonDepth) + " levels");
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
  } catch (const Json::parse_error& e) {
    std::string where = " at byte " + std::to_string(e.byte);
    if (!quote_content)
      return make_error(Errc::invalid_input, std::string(what) + " is not valid JSON" + where);
    std::string msg = e.what();
    // nlohmann prefixes "[json.exception.parse_error.101] "; keep the useful part. It quotes the
    // last bytes read, which may be anything: escape them.
    if (auto pos = msg.find("] "); pos != std::string::npos) msg = msg.substr(pos + 2);
    return make_error(Errc::invalid_input, std::string(what) + " is not valid JSON: " + printable(msg, 300));
  } catch (const Json::exception& e) {
    return make_error(Errc::invalid_input, std::string(what) + " is not valid JSON");
  }
  if (!duplicate.empty()) {
    if (!quote_content) return make_error(Errc::invalid_input, std::string(what) + " has a duplicate key");
    return make_error(Errc::invalid_input,
                      std::string(what) + " has a duplicate key \"" + printable(duplicate, 100) + "\"");
  }
  return j;
}

}  // namespace

Result<Json> parse_json(std::string_view text, std::string_view what) {
  return parse_checked(text, what, /*quote_content=*/true);
}

Result<Json> parse_secret_json(std::string_view text, std::string_view what) {
  return parse_checked(text, what, /*quote_content=*/false);
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
  return value.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string compact_json(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace cocoon
