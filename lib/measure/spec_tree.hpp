#pragma once
// The git tree id (SHA-256 object format) of a Cocoon spec directory under cocoon-prepare-spec's rules,
// computed without git: blob id = SHA-256("blob <size>\0" + content); tree id = SHA-256("tree <size>\0" +
// entries), entry = "<mode> <name>\0" + 32-byte id, entries sorted by name with directories compared as
// "name/". Example: shared/vectors/tdx-spec-example/spec has tree id 6c6398da...ffae0 (runtime/, spec.tree
// and debug.log, ignored by its .gitignore, are not part of it).
//
// Rules: at the top, runtime/, spec.tree and spec.meta are dropped; .gitignore files are dropped
// everywhere, and what they ignore. Refused (Errc::invalid_input): symlinks, files other than regular files
// and directories, a nested .git, group- or world-writable files or directories, setuid/setgid/sticky bits,
// execute bits that are neither all set nor all clear (the git mode would be ambiguous), files over 10 MiB.
// Empty directories vanish, as in git.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace cocoon::measure {

struct SpecFile {
  std::string path;  // relative, '/'-separated
  std::string mode;  // "100644" or "100755"
  std::string blob;  // hex SHA-256 blob id
  std::uint64_t size = 0;
};

struct SpecTree {
  std::string tree;  // hex SHA-256 tree id
  std::vector<SpecFile> files;
};

constexpr std::uint64_t kSpecMaxFileSize = 10ull << 20;

Result<SpecTree> compute_spec_tree(const std::filesystem::path& dir);

}  // namespace cocoon::measure
