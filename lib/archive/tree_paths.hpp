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

bool is_valid_utf8(std::string_view s);

// `s` safe to put in a one-line message: control bytes, '\\' and bytes >= 0x80 as \xNN, cut at 200 bytes.
// Example: printable("a\nb") == "a\\x0ab".
std::string printable(std::string_view s);

// A name we can represent the same way on every machine: valid UTF-8 without control characters
// (0x00-0x1f, 0x7f). `what` names the thing in the message ("file name", "symlink target").
Status check_representable(std::string_view name, std::string_view what);

// A member path without its directory '/' suffix: non-empty, relative, no empty/"."/".." components,
// at most kMaxPathBytes. Example: "lib/libc.so.6" passes; "a//b", "./a", "../a" and "/a" do not.
Status check_member_path(std::string_view path);

// The member set of an archive (or a tree being packed), keyed by path without trailing '/'.
// Directories implied by deeper members count as directories. Invariant: no member lies below a
// symlink member, and every key is a valid member path. Example: adding "a/b/c" (file) implies "a"
// and "a/b"; adding "a" as a symlink afterwards is refused.
class TreeModel {
 public:
  // Records a member; refuses duplicates, members below a symlink or a file, and a non-directory
  // where earlier members implied a directory.
  Status add(const std::string& path, MemberType type, const std::string& link_target = {});

  // Whether the symlink at `link_path` (target `target`) stays inside the tree when resolved from the
  // link's directory, expanding symlinks of this model (up to 40 hops, like Linux) and treating
  // every other component as a directory. Refuses absolute and empty targets.
  Status check_link(const std::string& link_path, const std::string& target) const;

  // check_link for every symlink (after the model is complete: links may point at later members).
  Status check_all_links() const;

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    MemberType type;
    bool implied;  // a directory only known from deeper members
    std::string target;
  };
  enum class Walk { inside, escapes, too_deep };
  Walk resolve(std::vector<std::string>& stack, std::string_view target, int& hops) const;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace cocoon::archive
