#include "core/plain_name.hpp"

#include <string>

#include "core/escape.hpp"

namespace cocoon {

Status check_plain_name(std::string_view name, std::string_view what) {
  auto refuse = [&](const char* why) {
    return make_error(Errc::invalid_input, std::string(what) + " \"" + printable(name, 100) +
                                               "\" is not a plain file name: it " + why);
  };
  if (name.empty()) return make_error(Errc::invalid_input, std::string(what) + " is empty");
  if (name.size() > kMaxPlainNameBytes)
    return refuse(("is longer than " + std::to_string(kMaxPlainNameBytes) + " bytes").c_str());
  if (name == "." || name == "..") return refuse("is a directory reference");
  if (name.find('/') != std::string_view::npos) return refuse("contains '/'");
  if (name.front() == '-') return refuse("starts with '-'");
  if (!is_valid_utf8(name)) return refuse("is not valid UTF-8");
  // sha256sum marks a line whose name holds '\' or a newline with a leading '\'.
  if (name.find('\\') != std::string_view::npos) return refuse("contains '\\'");
  if (printable(name) != name) return refuse("contains a control character");
  return Ok{};
}

}  // namespace cocoon
