#include "rebuild/payload_fields.hpp"

#include "core/escape.hpp"
#include "core/plain_name.hpp"
#include "core/time.hpp"

namespace cocoon::rebuild::detail {

Error invalid(std::string_view what, const std::string& message) {
  return make_error(Errc::invalid_input, std::string(what) + ": " + message);
}

Status check_members(const Json& obj, std::string_view what, std::string_view where,
                     std::initializer_list<std::string_view> allowed,
                     std::initializer_list<std::string_view> required) {
  if (!obj.is_object()) return invalid(what, std::string(where) + " is not a JSON object");
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (auto a : allowed) known |= it.key() == a;
    if (!known)
      return invalid(what, "unknown member \"" + printable(it.key(), 64) + "\" in " + std::string(where));
  }
  for (auto r : required)
    if (!obj.contains(r))
      return invalid(what, "missing member \"" + std::string(r) + "\" in " + std::string(where));
  return Ok{};
}

Result<std::string> string_member(const Json& obj, std::string_view what, std::string_view name) {
  auto it = obj.find(name);
  if (it == obj.end()) return invalid(what, "missing member \"" + std::string(name) + "\"");
  if (!it->is_string()) return invalid(what, "\"" + std::string(name) + "\" is not a string");
  return it->get<std::string>();
}

Result<std::uint64_t> unsigned_member(const Json& obj, std::string_view what, std::string_view name) {
  auto it = obj.find(name);
  if (it == obj.end()) return invalid(what, "missing member \"" + std::string(name) + "\"");
  if (!it->is_number_unsigned())
    return invalid(what, "\"" + std::string(name) + "\" is not a non-negative integer");
  return it->get<std::uint64_t>();
}

Result<std::string> name_member(const Json& obj, std::string_view what, std::string_view name) {
  COCOON_ASSIGN(std::string value, string_member(obj, what, name));
  if (auto st = check_plain_name(value, "\"" + std::string(name) + "\""); !st)
    return invalid(what, st.error().message);
  return value;
}

bool is_lower_hex(std::string_view s, std::size_t digits) {
  if (s.size() != digits) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Result<std::string> hex_member(const Json& obj, std::string_view what, std::string_view name,
                               std::size_t digits) {
  COCOON_ASSIGN(std::string value, string_member(obj, what, name));
  if (!is_lower_hex(value, digits))
    return invalid(what, "\"" + std::string(name) + "\" \"" + printable(value, 80) + "\" is not " +
                             std::to_string(digits) + " lower-case hex digits");
  return value;
}

bool is_one_line(std::string_view s) {
  return is_valid_utf8(s) && printable(s) == s;
}

Result<std::string> line_member(const Json& obj, std::string_view what, std::string_view name,
                                std::size_t max_bytes) {
  COCOON_ASSIGN(std::string value, string_member(obj, what, name));
  if (value.empty()) return invalid(what, "\"" + std::string(name) + "\" is empty");
  if (value.size() > max_bytes)
    return invalid(what,
                   "\"" + std::string(name) + "\" is longer than " + std::to_string(max_bytes) + " bytes");
  if (!is_one_line(value))
    return invalid(what, "\"" + std::string(name) + "\" \"" + printable(value, 80) +
                             "\" holds control characters (it must be one printable line)");
  return value;
}

Result<std::string> time_member(const Json& obj, std::string_view what, std::string_view name) {
  COCOON_ASSIGN(std::string value, string_member(obj, what, name));
  if (!parse_rfc3339(value).ok())
    return invalid(what, "\"" + std::string(name) + "\" \"" + printable(value, 80) +
                             "\" is not an RFC 3339 UTC time like 2026-12-05T08:00:00Z");
  return value;
}

Result<Json> parse_canonical(ByteView payload, std::string_view what) {
  auto doc = parse_json(to_string(payload), std::string(what) + " payload");
  if (!doc.ok()) return invalid(what, doc.error().message);
  auto canonical = canonical_json(*doc);
  if (!canonical.ok() || as_bytes(*canonical).size() != payload.size() ||
      !std::equal(payload.begin(), payload.end(), as_bytes(*canonical).begin()))
    return invalid(what,
                   "the payload is not canonical JSON (sorted keys, no whitespace, integers only, "
                   "minimal escapes)");
  return std::move(doc).value();
}

Bytes canonical_or_compact(const Json& doc) {
  auto canonical = canonical_json(doc);
  return to_bytes(canonical.ok() ? *canonical : compact_json(doc));
}

}  // namespace cocoon::rebuild::detail
