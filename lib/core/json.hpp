#pragma once
// JSON parsing that reports errors as values, and OLPC canonical JSON (the encoding TUF signs).
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace cocoon {

using Json = nlohmann::json;

// Parses one JSON document. Refuses trailing garbage, invalid UTF-8 and duplicate object keys (two
// parsers could otherwise disagree on which value a signed document holds). `what` names the input in
// the error message.
Result<Json> parse_json(std::string_view text, std::string_view what = "JSON");

// OLPC canonical JSON: object keys sorted by their bytes, no whitespace, integers only, strings with
// only `"` and `\` escaped and every other byte written as is. Refuses floats.
// Example: {"b":1,"a":"x\"y"} -> {"a":"x\"y","b":1}
Result<std::string> canonical_json(const Json& value);

// Pretty, stable output for files people read (2-space indent, trailing newline).
std::string pretty_json(const Json& value);

}  // namespace cocoon
