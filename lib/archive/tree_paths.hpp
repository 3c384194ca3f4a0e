#pragma once
// Member path rules shared by the writer, the reader and the extractor, and the model of an archive's
// tree used to decide whether a symlink stays inside it.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "archive/archive.hpp"
#include "core/result.hpp"

namespace cocoon::archive {

// Longest accepted member path and symlink target, in bytes (Linux PATH_MAX).
inline constexpr std::size_t kMaxPathBytes = 4096;
// Longest accepted path component (Linux NAME_MAX).
inline constexpr std::size_t kMaxComponentBytes = 255;

// cocoon::is_valid_utf8 (core/escape.hpp).
bool is_valid_utf8(std::string_view s);

// cocoon::printable (core/escape.hpp) cut at 200 bytes: safe to put in a one-line message.
// Example: printable("a\nb") == "a\\x0ab".
std::string printable(std::string_view s);

// A name we can represent the same way on every machine: valid UTF-8 without control characters
// (0x00-0x1f, 0x7f). `what` names the thing in the message ("file name", "symlink target").
Status check_representable(std::string_view name, std::string_view what);

// A member path without its directory '/' suffix: non-empty, relative, no empty/"."/".." components,
// at most kMaxPathBytes. Example: "lib/libc.so.6" passes; "a//b", "./a", "../a" and "/a" do not.
Status check_member_path(std::string_view path);

// Bounds on resolving one symlink, like the kernel's: at most kMaxSymlinkHops links followed in
// one resolution (ELOOP), and at most kMaxResolveComponents path components walked in total,
// counting those of every link followed. A target is at most kMaxPathBytes, so it has at most 2048
// components; the component bound admits four such targets in one chain, far beyond real trees,
// and keeps the work of one resolution small whatever the archive holds.
inline constexpr int kMaxSymlinkHops = 40;
inline constexpr std::uint64_t kMaxResolveComponents = 8192;

// The member set of an archive (or a tree being packed), keyed by path without trailing '/'.
// Directories implied by deeper members count as directories. Invariant: no member lies below a
// symlink member, and every key is a valid member path. Example: adding "a/b/c" (file) implies "a"
// and "a/b"; adding "a" as a symlink afterwards is refused.
// Members are nodes of a tree, each found from its parent by name, so a lookup costs the length of
// one component, not of the whole path.
class TreeModel {
 public:
  TreeModel();

  // Records a member; refuses duplicates, members below a symlink or a file, and a non-directory
  // where earlier members implied a directory.
  Status add(const std::string& path, MemberType type, const std::string& link_target = {});

  // What can be checked of a symlink without the rest of the tree: its target is non-empty,
  // relative and at most kMaxPathBytes.
  static Status check_link_target(const std::string& link_path, const std::string& target);

  // Whether the symlink at `link_path` (target `target`) stays inside the tree when resolved from the
  // link's directory, expanding symlinks of this model (within kMaxSymlinkHops and
  // kMaxResolveComponents) and treating every other component as a directory.
  Status check_link(const std::string& link_path, const std::string& target) const;

  // check_link for every symlink (after the model is complete: links may point at later members).
  // Each link is resolved once: a link met again, as a member or inside another link's target,
  // reuses its result.
  Status check_all_links() const;

  std::size_t size() const { return nodes_.size() - 1; }

  // Component lookups done by the resolutions so far: the work they cost, for tests.
  std::uint64_t lookups() const { return lookups_; }

 private:
  struct Node {
    MemberType type;
    bool implied;  // a directory only known from deeper members
    std::uint32_t parent;
    std::string target;  // symlinks only
    std::string path;    // symlinks only, for messages and a stable order
  };
  enum class Walk { inside, escapes, too_deep, too_long };
  // Where a walk stands: at a node, or `missing` directories below it that the tree does not hold.
  struct Position {
    std::uint32_t node = 0;
    std::uint64_t missing = 0;
  };
  struct Outcome {
    Walk walk = Walk::inside;
    Position end;
    int hops = 0;                  // links followed, nested ones included
    std::uint64_t components = 0;  // components walked, nested ones included
  };
  struct Memo;

  std::uint32_t find_child(std::uint32_t parent, std::string_view name) const;
  Outcome walk(Position from, std::string_view target, int hops_before, std::uint64_t components_before,
               Memo& memo) const;
  Outcome follow(std::uint32_t link, int hops_before, std::uint64_t components_before, Memo& memo) const;
  static Status refusal(const std::string& link_path, const std::string& target, Walk walk);

  static constexpr std::uint32_t kNone = 0xffffffff;
  std::vector<Node> nodes_;  // [0] is the root directory
  // Key: the parent's index (4 bytes) followed by the component.
  std::unordered_map<std::string, std::uint32_t> children_;
  mutable std::uint64_t lookups_ = 0;
};

}  // namespace cocoon::archive
