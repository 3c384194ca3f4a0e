#include "archive/tree_paths.hpp"

#include <algorithm>

namespace cocoon::archive {
namespace {

constexpr int kMaxSymlinkHops = 40;  // Linux's MAXSYMLINKS

std::vector<std::string_view> split_components(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len;
    std::uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF have no canonical meaning.
    static constexpr std::uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

std::string printable(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char ch : s.substr(0, 200)) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7f || c == '\\') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
  if (s.size() > 200) out += "...";
  return out;
}

Status check_representable(std::string_view name, std::string_view what) {
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f)
      return make_error(Errc::invalid_input,
                        std::string(what) + " contains a control character: " + printable(name));
  }
  if (!is_valid_utf8(name))
    return make_error(Errc::invalid_input, std::string(what) + " is not valid UTF-8: " + printable(name));
  return Ok{};
}

Status check_member_path(std::string_view path) {
  if (path.empty()) return make_error(Errc::invalid_input, "member path is empty");
  if (path.size() > kMaxPathBytes)
    return make_error(Errc::invalid_input, "member path longer than " + std::to_string(kMaxPathBytes) +
                                               " bytes: " + std::string(path.substr(0, 200)) + "...");
  if (path.front() == '/')
    return make_error(Errc::invalid_input, "member path is absolute: " + std::string(path));
  for (std::string_view comp : split_components(path)) {
    if (comp == "..")
      return make_error(Errc::invalid_input, "member path has a '..' component: " + std::string(path));
    if (comp.empty() || comp == ".")
      return make_error(Errc::invalid_input,
                        "member path has an empty or '.' component: " + std::string(path));
    if (comp.size() > kMaxComponentBytes)
      return make_error(Errc::invalid_input, "member path component longer than " +
                                                 std::to_string(kMaxComponentBytes) +
                                                 " bytes: " + std::string(path));
  }
  return Ok{};
}

Status TreeModel::add(const std::string& path, MemberType type, const std::string& link_target) {
  std::size_t slash = 0;
  while ((slash = path.find('/', slash)) != std::string::npos) {
    std::string parent = path.substr(0, slash);
    auto it = entries_.find(parent);
    if (it == entries_.end()) {
      entries_.emplace(parent, Entry{MemberType::directory, true, {}});
    } else if (it->second.type == MemberType::symlink) {
      return make_error(Errc::invalid_input, "member " + path + " lies below symlink " + parent);
    } else if (it->second.type == MemberType::file) {
      return make_error(Errc::invalid_input, "member " + path + " lies below regular file " + parent);
    }
    ++slash;
  }
  auto it = entries_.find(path);
  if (it != entries_.end()) {
    if (it->second.implied && type == MemberType::directory) {
      it->second.implied = false;
      return Ok{};
    }
    if (it->second.implied)
      return make_error(Errc::invalid_input,
                        "member " + path + " conflicts with the directory implied by earlier members");
    return make_error(Errc::invalid_input, "duplicate member: " + path);
  }
  entries_.emplace(path, Entry{type, false, link_target});
  return Ok{};
}

TreeModel::Walk TreeModel::resolve(std::vector<std::string>& stack, std::string_view target,
                                   int& hops) const {
  for (std::string_view comp : split_components(target)) {
    if (comp.empty() || comp == ".") continue;
    if (comp == "..") {
      if (stack.empty()) return Walk::escapes;
      stack.pop_back();
      continue;
    }
    stack.emplace_back(comp);
    auto it = entries_.find(join(stack));
    if (it == entries_.end() || it->second.type != MemberType::symlink) continue;
    // The kernel continues from the link's directory with the link's own target.
    if (++hops > kMaxSymlinkHops) return Walk::too_deep;
    stack.pop_back();
    if (!it->second.target.empty() && it->second.target.front() == '/') return Walk::escapes;
    Walk w = resolve(stack, it->second.target, hops);
    if (w != Walk::inside) return w;
  }
  return Walk::inside;
}

Status TreeModel::check_link(const std::string& link_path, const std::string& target) const {
  if (target.empty()) return make_error(Errc::invalid_input, "symlink " + link_path + " has an empty target");
  if (target.size() > kMaxPathBytes)
    return make_error(Errc::invalid_input, "symlink " + link_path + " has a target longer than " +
                                               std::to_string(kMaxPathBytes) + " bytes");
  if (target.front() == '/')
    return make_error(Errc::invalid_input, "symlink " + link_path + " has an absolute target: " + target);
  std::vector<std::string> stack;
  for (std::string_view comp : split_components(link_path)) stack.emplace_back(comp);
  stack.pop_back();  // resolution starts in the link's directory
  int hops = 0;
  switch (resolve(stack, target, hops)) {
    case Walk::inside:
      return Ok{};
    case Walk::escapes:
      return make_error(Errc::invalid_input,
                        "symlink " + link_path + " -> " + target + " leaves the archive tree");
    case Walk::too_deep:
      return make_error(Errc::invalid_input, "symlink " + link_path + " -> " + target +
                                                 " needs more than 40 symlink hops (a loop?)");
  }
  return make_error(Errc::internal, "unreachable");
}

Status TreeModel::check_all_links() const {
  // Sorted, so the same archive always reports the same offending link.
  std::vector<const std::string*> links;
  for (const auto& [path, entry] : entries_)
    if (entry.type == MemberType::symlink) links.push_back(&path);
  std::sort(links.begin(), links.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
  for (const std::string* path : links) COCOON_TRY(check_link(*path, entries_.at(*path).target));
  return Ok{};
}

}  // namespace cocoon::archive
