#pragma once
// JSON parsing that reports errors as values, and OLPC canonical JSON (the encoding TUF signs).
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace cocoon {

using Json = nlohmann::json;

// Deepest nesting of arrays and objects parse_json accepts. Real documents (TUF metadata, recipes,
// measurement files) nest fewer than 10 levels; the bound keeps every recursive walk over a parsed
// value (canonical_json, copies, comparisons) far from the end of the stack.
inline constexpr std::size_t kMaxJsonDepth = 64;

// Parses one JSON document. Refuses trailing garbage, invalid UTF-8, nesting deeper than
// kMaxJsonDepth and duplicate object keys (two parsers could otherwise disagree on which value a
// signed document holds), with Errc::invalid_input. `what` names the input in the error message;
// bytes of the input quoted there are escaped with printable().
Result<Json> parse_json(std::string_view text, std::string_view what = "JSON");

// parse_json for files holding a secret (key seeds, FROST shares): the same checks, but an error
// names only the byte offset and never quotes the content.
Result<Json> parse_secret_json(std::string_view text, std::string_view what);

// OLPC canonical JSON: object keys sorted by their bytes, no whitespace, integers only, strings with
// only `"` and `\` escaped and every other byte written as is. Refuses floats.
// Example: {"b":1,"a":"x\"y"} -> {"a":"x\"y","b":1}
Result<std::string> canonical_json(const Json& value);

// Pretty, stable output for files people read (2-space indent, trailing newline). Never throws:
// bytes of strings that are not UTF-8 (e.g. a path or a message quoting a mirror's bytes) become
// U+FFFD, so the output is valid JSON whatever the input bytes were.
std::string pretty_json(const Json& value);

// The same, on one line without a trailing newline.
std::string compact_json(const Json& value);

}  // namespace cocoon
