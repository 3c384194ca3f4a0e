#pragma once
// Text from outside (a mirror, a log client, an archive, a file) made safe to print on a terminal as
// part of one line.
#include <concepts>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace cocoon {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view s);

// `s` with every byte that could move the cursor, change the terminal's state, start a new line or
// reorder what is shown written as \xNN: C0 controls, DEL, the C1 controls U+0080..U+009F, the line
// and paragraph separators U+2028 and U+2029, the bidirectional controls (U+061C, U+200E, U+200F,
// U+202A..U+202E, U+2066..U+2069) and bytes that are not valid UTF-8. Printable UTF-8, '\' included,
// stays as it is, so escaping twice changes nothing: a library may escape what it quotes in a
// message and the tool printing the message escapes it again safely.
// At most `max_bytes` input bytes are shown, then "...".
// Example: printable("ok\n\x1b[8mACCEPT") == "ok\\x0a\\x1b[8mACCEPT"; printable("café") == "café".
std::string printable(std::string_view s, std::size_t max_bytes = std::string_view::npos);

// A path's bytes, escaped the same way. A template so that a std::string argument still picks the
// string_view overload instead of being ambiguous.
template <typename Path>
requires std::same_as<Path, std::filesystem::path> std::string printable(
    const Path& path, std::size_t max_bytes = std::string_view::npos) {
  return printable(std::string_view(path.native()), max_bytes);
}

}  // namespace cocoon
