#include "archive/tree_paths.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "core/escape.hpp"

namespace cocoon::archive {
namespace {

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

}  // namespace

bool is_valid_utf8(std::string_view s) {
  return cocoon::is_valid_utf8(s);
}

std::string printable(std::string_view s) {
  return cocoon::printable(s, 200);
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

// The links being resolved (a link met again inside its own resolution is a loop) and the results
// of those already resolved, valid while the model does not change.
struct TreeModel::Memo {
  std::unordered_map<std::uint32_t, std::optional<Outcome>> links;  // nullopt: in progress
};

namespace {

std::string child_key(std::uint32_t parent, std::string_view name) {
  std::string key(sizeof parent + name.size(), '\0');
  std::memcpy(key.data(), &parent, sizeof parent);
  std::memcpy(key.data() + sizeof parent, name.data(), name.size());
  return key;
}

}  // namespace

TreeModel::TreeModel() {
  nodes_.push_back(Node{MemberType::directory, false, kNone, {}, {}});
}

std::uint32_t TreeModel::find_child(std::uint32_t parent, std::string_view name) const {
  ++lookups_;
  auto it = children_.find(child_key(parent, name));
  return it == children_.end() ? kNone : it->second;
}

Status TreeModel::add(const std::string& path, MemberType type, const std::string& link_target) {
  std::vector<std::string_view> parts = split_components(path);
  std::uint32_t node = 0;
  std::size_t prefix_len = 0;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    prefix_len += (i ? 1 : 0) + parts[i].size();
    std::string key = child_key(node, parts[i]);
    auto it = children_.find(key);
    if (it == children_.end()) {
      if (nodes_.size() >= kNone) return make_error(Errc::invalid_input, "too many members");
      auto id = static_cast<std::uint32_t>(nodes_.size());
      nodes_.push_back(Node{MemberType::directory, true, node, {}, {}});
      children_.emplace(std::move(key), id);
      node = id;
      continue;
    }
    const Node& n = nodes_[it->second];
    if (n.type == MemberType::symlink)
      return make_error(Errc::invalid_input,
                        "member " + path + " lies below symlink " + path.substr(0, prefix_len));
    if (n.type == MemberType::file)
      return make_error(Errc::invalid_input,
                        "member " + path + " lies below regular file " + path.substr(0, prefix_len));
    node = it->second;
  }
  std::string key = child_key(node, parts.back());
  auto it = children_.find(key);
  if (it != children_.end()) {
    Node& existing = nodes_[it->second];
    if (existing.implied && type == MemberType::directory) {
      existing.implied = false;
      return Ok{};
    }
    if (existing.implied)
      return make_error(Errc::invalid_input,
                        "member " + path + " conflicts with the directory implied by earlier members");
    return make_error(Errc::invalid_input, "duplicate member: " + path);
  }
  if (nodes_.size() >= kNone) return make_error(Errc::invalid_input, "too many members");
  auto id = static_cast<std::uint32_t>(nodes_.size());
  Node n{type, false, node, {}, {}};
  if (type == MemberType::symlink) {
    n.target = link_target;
    n.path = path;
  }
  nodes_.push_back(std::move(n));
  children_.emplace(std::move(key), id);
  return Ok{};
}

TreeModel::Outcome TreeModel::walk(Position from, std::string_view target, int hops_before,
                                   std::uint64_t components_before, Memo& memo) const {
  Outcome out;
  Position& pos = out.end;
  pos = from;
  std::size_t start = 0;
  while (start <= target.size()) {
    std::size_t slash = target.find('/', start);
    if (slash == std::string_view::npos) slash = target.size();
    std::string_view comp = target.substr(start, slash - start);
    start = slash + 1;
    if (components_before + ++out.components > kMaxResolveComponents) {
      out.walk = Walk::too_long;
      return out;
    }
    if (comp.empty() || comp == ".") continue;
    if (comp == "..") {
      if (pos.missing > 0) {
        --pos.missing;
      } else if (pos.node == 0) {
        out.walk = Walk::escapes;
        return out;
      } else {
        pos.node = nodes_[pos.node].parent;
      }
      continue;
    }
    // Below a missing directory nothing exists; only the depth matters for later "..".
    if (pos.missing > 0) {
      ++pos.missing;
      continue;
    }
    std::uint32_t child = find_child(pos.node, comp);
    if (child == kNone) {
      pos.missing = 1;
      continue;
    }
    if (nodes_[child].type != MemberType::symlink) {
      pos.node = child;
      continue;
    }
    // The kernel continues from the link's directory with the link's own target.
    if (hops_before + out.hops + 1 > kMaxSymlinkHops) {
      out.walk = Walk::too_deep;
      return out;
    }
    Outcome sub = follow(child, hops_before + out.hops + 1, components_before + out.components, memo);
    out.hops += 1 + sub.hops;
    out.components += sub.components;
    if (sub.walk == Walk::inside && hops_before + out.hops > kMaxSymlinkHops) sub.walk = Walk::too_deep;
    if (sub.walk == Walk::inside && components_before + out.components > kMaxResolveComponents)
      sub.walk = Walk::too_long;
    if (sub.walk != Walk::inside) {
      out.walk = sub.walk;
      return out;
    }
    pos = sub.end;
  }
  return out;
}

TreeModel::Outcome TreeModel::follow(std::uint32_t link, int hops_before, std::uint64_t components_before,
                                     Memo& memo) const {
  auto [it, fresh] = memo.links.try_emplace(link);
  if (!fresh) {
    // A link inside its own resolution starts that resolution again, from the same directory:
    // it never ends, and the kernel says ELOOP.
    if (!it->second) return Outcome{Walk::too_deep, {}, kMaxSymlinkHops + 1, 0};
    return *it->second;
  }
  const Node& n = nodes_[link];
  Outcome out;
  if (!n.target.empty() && n.target.front() == '/')
    out.walk = Walk::escapes;
  else
    out = walk(Position{n.parent, 0}, n.target, hops_before, components_before, memo);
  // Only a completed resolution is independent of where it was reached from; a refusal ends the
  // check anyway.
  if (out.walk == Walk::inside)
    memo.links[link] = out;
  else
    memo.links.erase(link);
  return out;
}

Status TreeModel::check_link_target(const std::string& link_path, const std::string& target) {
  if (target.empty()) return make_error(Errc::invalid_input, "symlink " + link_path + " has an empty target");
  if (target.size() > kMaxPathBytes)
    return make_error(Errc::invalid_input, "symlink " + link_path + " has a target longer than " +
                                               std::to_string(kMaxPathBytes) + " bytes");
  if (target.front() == '/')
    return make_error(Errc::invalid_input,
                      "symlink " + link_path + " has an absolute target: " + printable(target));
  return Ok{};
}

Status TreeModel::refusal(const std::string& link_path, const std::string& target, Walk walk) {
  std::string link = "symlink " + link_path + " -> " + printable(target);
  switch (walk) {
    case Walk::inside:
      return Ok{};
    case Walk::escapes:
      return make_error(Errc::invalid_input, link + " leaves the archive tree");
    case Walk::too_deep:
      return make_error(Errc::invalid_input, link + " needs more than " + std::to_string(kMaxSymlinkHops) +
                                                 " symlink hops (a loop?)");
    case Walk::too_long:
      return make_error(Errc::invalid_input, link + " walks more than " +
                                                 std::to_string(kMaxResolveComponents) +
                                                 " path components through other symlinks");
  }
  return make_error(Errc::internal, "unreachable");
}

Status TreeModel::check_link(const std::string& link_path, const std::string& target) const {
  COCOON_TRY(check_link_target(link_path, target));
  // Resolution starts in the link's directory; a directory the model lacks is a plain one.
  std::vector<std::string_view> parts = split_components(link_path);
  Position dir;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (dir.missing > 0) {
      ++dir.missing;
      continue;
    }
    std::uint32_t child = find_child(dir.node, parts[i]);
    if (child == kNone)
      dir.missing = 1;
    else
      dir.node = child;
  }
  Memo memo;
  return refusal(link_path, target, walk(dir, target, 0, 0, memo).walk);
}

Status TreeModel::check_all_links() const {
  // Sorted, so the same archive always reports the same offending link.
  std::vector<std::uint32_t> links;
  for (std::uint32_t i = 1; i < nodes_.size(); ++i)
    if (nodes_[i].type == MemberType::symlink) links.push_back(i);
  std::sort(links.begin(), links.end(),
            [&](std::uint32_t a, std::uint32_t b) { return nodes_[a].path < nodes_[b].path; });
  Memo memo;
  for (std::uint32_t id : links) {
    const Node& n = nodes_[id];
    COCOON_TRY(check_link_target(n.path, n.target));
    COCOON_TRY(refusal(n.path, n.target, follow(id, 0, 0, memo).walk));
  }
  return Ok{};
}

}  // namespace cocoon::archive
