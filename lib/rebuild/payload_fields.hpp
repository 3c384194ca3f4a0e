#pragma once
// Field checks shared by the candidate and verdict payload parsers: every member of a payload is read
// through these, so both refuse the same things (unknown members, wrong types, bad hex, names that
// would move the cursor) with one message style naming the member.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/json.hpp"
#include "core/result.hpp"

namespace cocoon::rebuild::detail {

// `what` ("release candidate", "rebuild verdict") starts every message.
Error invalid(std::string_view what, const std::string& message);

// Refuses members not in `allowed` and missing members of `required` (a subset of allowed).
Status check_members(const Json& obj, std::string_view what, std::string_view where,
                     std::initializer_list<std::string_view> allowed,
                     std::initializer_list<std::string_view> required);

Result<std::string> string_member(const Json& obj, std::string_view what, std::string_view name);
Result<std::uint64_t> unsigned_member(const Json& obj, std::string_view what, std::string_view name);
// A plain name (core/plain_name.hpp): product, version, artifact and builder names.
Result<std::string> name_member(const Json& obj, std::string_view what, std::string_view name);
// `digits` lower-case hex digits (64 for SHA-256, 40 for a git commit).
Result<std::string> hex_member(const Json& obj, std::string_view what, std::string_view name,
                               std::size_t digits);
// One line of free text: non-empty, at most max_bytes, and nothing printable() would escape.
Result<std::string> line_member(const Json& obj, std::string_view what, std::string_view name,
                                std::size_t max_bytes);
// An RFC 3339 UTC instant in exactly the form format_rfc3339 writes.
Result<std::string> time_member(const Json& obj, std::string_view what, std::string_view name);

bool is_lower_hex(std::string_view s, std::size_t digits);
bool is_one_line(std::string_view s);

// Parses the payload and refuses bytes that are not the canonical JSON of what they hold, so one value
// has exactly one signed encoding.
Result<Json> parse_canonical(ByteView payload, std::string_view what);
// The canonical bytes of `doc`; when doc cannot be canonical (a float in a free-form member) its
// compact form, which parse_canonical then refuses, so the caller learns it from the parser.
Bytes canonical_or_compact(const Json& doc);

}  // namespace cocoon::rebuild::detail
