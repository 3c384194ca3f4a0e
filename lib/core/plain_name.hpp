#pragma once
// The one rule for names that become a file name or start a line of output: recipe, artifact and
// step names, key names.
#include <cstddef>
#include <string_view>

#include "core/result.hpp"

namespace cocoon {

inline constexpr std::size_t kMaxPlainNameBytes = 255;  // Linux NAME_MAX

// A plain file name: 1..255 bytes of valid UTF-8, not "." or "..", no '/', no '\', no leading '-'
// (it would read as an option), and nothing printable() escapes (NUL and other control characters,
// DEL, C1 and bidirectional controls). Refused with Errc::invalid_input and a message starting with
// `what`, showing the name escaped.
// Example: check_plain_name("sample-node.tar.zst", "artifact name") passes; "a\n0000  x" does not.
Status check_plain_name(std::string_view name, std::string_view what);

}  // namespace cocoon
