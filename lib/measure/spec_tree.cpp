#include "measure/spec_tree.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <system_error>

#include "core/bytes.hpp"
#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "measure/gitignore.hpp"

namespace cocoon::measure {
namespace fs = std::filesystem;
namespace {

constexpr int kMaxDepth = 64;
constexpr size_t kMaxEntries = 200000;

struct TreeEntry {
  std::string name;
  bool is_dir = false;
  std::string mode;
  Bytes id;  // 32 bytes
};

Error bad(const std::string& rel, const std::string& what) {
  return make_error(Errc::invalid_input, "spec: " + (rel.empty() ? std::string(".") : rel) + ": " + what);
}

Bytes git_object_id(std::string_view type, ByteView content) {
  crypto::Hasher h(crypto::HashAlg::sha256);
  std::string header = std::string(type) + " " + std::to_string(content.size());
  h.update(as_bytes(header));
  const std::uint8_t nul = 0;
  h.update(ByteView(&nul, 1));
  h.update(content);
  return h.finish();
}

// git orders tree entries by name bytes, a directory's name compared as if followed by '/'.
bool git_order(const TreeEntry& a, const TreeEntry& b) {
  std::string ka = a.name + (a.is_dir ? "/" : "");
  std::string kb = b.name + (b.is_dir ? "/" : "");
  return ka < kb;  // std::string compares chars as unsigned via char_traits<char>::lt
}

Result<struct stat> lstat_path(const fs::path& p) {
  struct stat st;
  if (::lstat(p.c_str(), &st) != 0) return make_error(Errc::io, "spec: cannot stat " + p.string());
  return st;
}

Status check_permissions(const std::string& rel, mode_t mode, bool is_dir) {
  if (mode & (S_ISUID | S_ISGID | S_ISVTX)) return bad(rel, "has setuid, setgid or sticky bits");
  if (mode & (S_IWGRP | S_IWOTH))
    return bad(
        rel, "is group- or world-writable (mode " + [&] {
          char buf[8];
          std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
          return std::string(buf);
        }() + "); only 644 and 755 modes are allowed");
  if (!is_dir) {
    mode_t x = mode & (S_IXUSR | S_IXGRP | S_IXOTH);
    if (x != 0 && x != (S_IXUSR | S_IXGRP | S_IXOTH))
      return bad(rel, "has execute bits for some users only; only 644 and 755 modes are allowed");
  }
  return Ok{};
}

class Walker {
 public:
  Result<Bytes> tree(const fs::path& abs, const std::string& rel, int depth, SpecTree& out) {
    if (depth > kMaxDepth) return bad(rel, "directories nested too deeply");
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(abs, ec), end; !ec && it != end; it.increment(ec)) {
      names.push_back(it->path().filename().string());
      if (++entries_ > kMaxEntries) return bad(rel, "too many files");
    }
    if (ec) return make_error(Errc::io, "spec: cannot list " + abs.string() + ": " + ec.message());
    std::sort(names.begin(), names.end());
    if (std::find(names.begin(), names.end(), ".gitignore") != names.end()) {
      fs::path gi = abs / ".gitignore";
      COCOON_ASSIGN(struct stat st, lstat_path(gi));
      if (!S_ISREG(st.st_mode)) return bad(join(rel, ".gitignore"), "is not a regular file");
      COCOON_ASSIGN(std::string text, read_text_file(gi, kSpecMaxFileSize));
      ignore_.add_file(rel, text);
    }
    std::vector<TreeEntry> entries;
    for (const auto& name : names) {
      std::string child_rel = join(rel, name);
      fs::path child = abs / name;
      if (name == ".git") return bad(child_rel, "nested .git is not allowed in a spec directory");
      if (name == ".gitignore") continue;
      if (depth == 0 && (name == "runtime" || name == "spec.tree" || name == "spec.meta")) continue;
      COCOON_ASSIGN(struct stat st, lstat_path(child));
      bool is_dir = S_ISDIR(st.st_mode);
      if (ignore_.ignored(child_rel, is_dir)) continue;
      if (S_ISLNK(st.st_mode))
        return bad(child_rel, "is a symlink; spec directories hold regular files only");
      if (!is_dir && !S_ISREG(st.st_mode)) return bad(child_rel, "is neither a regular file nor a directory");
      COCOON_TRY(check_permissions(child_rel, st.st_mode, is_dir));
      TreeEntry e;
      e.name = name;
      e.is_dir = is_dir;
      if (is_dir) {
        COCOON_ASSIGN(Bytes sub, tree(child, child_rel, depth + 1, out));
        if (sub.empty()) continue;  // git does not record empty directories
        e.mode = "40000";
        e.id = std::move(sub);
      } else {
        if (static_cast<std::uint64_t>(st.st_size) > kSpecMaxFileSize)
          return bad(child_rel, "is larger than 10 MiB");
        COCOON_ASSIGN(Bytes content, read_file(child, kSpecMaxFileSize));
        e.mode = (st.st_mode & S_IXUSR) ? "100755" : "100644";
        e.id = git_object_id("blob", content);
        out.files.push_back(SpecFile{child_rel, e.mode, hex_encode(e.id), content.size()});
      }
      entries.push_back(std::move(e));
    }
    if (entries.empty() && depth > 0) return Bytes{};
    std::sort(entries.begin(), entries.end(), git_order);
    Bytes body;
    for (const auto& e : entries) {
      std::string head = e.mode + " " + e.name;
      body.insert(body.end(), head.begin(), head.end());
      body.push_back(0);
      body.insert(body.end(), e.id.begin(), e.id.end());
    }
    return git_object_id("tree", body);
  }

 private:
  static std::string join(const std::string& rel, const std::string& name) {
    return rel.empty() ? name : rel + "/" + name;
  }
  GitIgnore ignore_;
  size_t entries_ = 0;
};

}  // namespace

Result<SpecTree> compute_spec_tree(const fs::path& dir) {
  COCOON_ASSIGN(struct stat st, lstat_path(dir));
  if (S_ISLNK(st.st_mode)) return bad(dir.string(), "is a symlink");
  if (!S_ISDIR(st.st_mode))
    return make_error(Errc::invalid_input, "spec: " + dir.string() + " is not a directory");
  SpecTree out;
  Walker w;
  COCOON_ASSIGN(Bytes id, w.tree(dir, "", 0, out));
  out.tree = hex_encode(id);
  std::sort(out.files.begin(), out.files.end(),
            [](const SpecFile& a, const SpecFile& b) { return a.path < b.path; });
  return out;
}

}  // namespace cocoon::measure
