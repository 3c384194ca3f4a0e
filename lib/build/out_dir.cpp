#include "build/out_dir.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/json.hpp"

namespace cocoon::build {
namespace fs = std::filesystem;
namespace {

constexpr const char* kManifestSchema = "cocoon-build-out/v1";
constexpr std::size_t kMaxManifestEntries = 100000;
constexpr std::uint64_t kMaxManifestBytes = 16u << 20;

Error errno_error(const std::string& what, const fs::path& p) {
  return make_error(Errc::io, what + " " + p.string() + ": " + std::strerror(errno));
}

bool valid_entry(const std::string& rel) {
  if (rel.empty() || rel.size() > 4096 || rel.front() == '/') return false;
  if (std::any_of(rel.begin(), rel.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    return false;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t end = rel.find('/', start);
    if (end == std::string::npos) end = rel.size();
    std::string_view part(rel.data() + start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

// Every regular file under `dir` (relative, '/'-separated, sorted), refusing anything but files and
// directories. Stops with an error as soon as more than `limit` entries were seen.
Result<std::vector<std::string>> list_files(const fs::path& dir, std::size_t limit) {
  std::vector<std::string> files;
  std::error_code ec;
  std::size_t seen = 0;
  fs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (++seen > limit) return make_error(Errc::invalid_input, dir.string() + " holds too many entries");
    auto st = it->symlink_status(ec);
    if (ec) break;
    std::string rel = fs::relative(it->path(), dir, ec).generic_string();
    if (ec) break;
    if (fs::is_regular_file(st))
      files.push_back(rel);
    else if (!fs::is_directory(st))
      return make_error(Errc::invalid_input, (dir / rel).string() + " is neither a file nor a directory");
  }
  if (ec) return make_error(Errc::io, "cannot list " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

// Whether `dir` holds only the files `listed` names and the directories leading to them.
Status only_listed(const fs::path& dir, const std::set<std::string>& listed, const fs::path& shown) {
  std::set<std::string> dirs;
  for (const auto& f : listed)
    for (size_t p = f.find('/'); p != std::string::npos; p = f.find('/', p + 1)) dirs.insert(f.substr(0, p));
  auto foreign = [&](const std::string& rel) {
    return make_error(Errc::invalid_input, "--out " + shown.string() + " holds " + rel +
                                               ", which cocoon-build did not write; move it away or "
                                               "choose another --out");
  };
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    auto st = it->symlink_status(ec);
    if (ec) break;
    std::string rel = fs::relative(it->path(), dir, ec).generic_string();
    if (ec) break;
    if (rel == kOutputManifestName && fs::is_regular_file(st)) continue;
    bool ok = fs::is_regular_file(st) ? listed.count(rel) > 0 : fs::is_directory(st) && dirs.count(rel) > 0;
    // An unlisted directory is not entered: its first entry would be reported instead of it.
    if (!ok) return foreign(rel);
  }
  if (ec) return make_error(Errc::io, "cannot list " + dir.string() + ": " + ec.message());
  return Ok{};
}

Status write_manifest(const fs::path& dir) {
  COCOON_ASSIGN(auto files, list_files(dir, kMaxManifestEntries));
  files.erase(std::remove(files.begin(), files.end(), std::string(kOutputManifestName)), files.end());
  Json doc{{"schema", kManifestSchema}, {"files", files}};
  return write_file_atomic(dir / kOutputManifestName, std::string_view(pretty_json(doc)));
}

// The directory the user named, absolute and without a trailing "/" or "/.".
fs::path normalise_target(const fs::path& out) {
  std::error_code ec;
  fs::path p = fs::absolute(out, ec).lexically_normal();
  if (ec) return out.lexically_normal();
  while (p.has_parent_path() && p.filename().empty()) p = p.parent_path();
  return p;
}

}  // namespace

Result<std::set<std::string>> read_output_manifest(const fs::path& dir) {
  fs::path path = dir / kOutputManifestName;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return make_error(Errc::not_found, path.string() + " does not exist");
    return errno_error("cannot stat", path);
  }
  auto bad = [&](const std::string& why) {
    return make_error(Errc::invalid_input, path.string() + " is not a cocoon-build manifest: " + why);
  };
  if (!S_ISREG(st.st_mode)) return bad("not a regular file");
  auto text = read_text_file(path, kMaxManifestBytes);
  if (!text) return bad(text.error().message);
  auto doc = parse_json(*text, path.string());
  if (!doc) return bad(doc.error().message);
  if (!doc->is_object() || !doc->contains("schema") || (*doc)["schema"] != kManifestSchema)
    return bad(std::string("schema is not ") + kManifestSchema);
  if (!doc->contains("files") || !(*doc)["files"].is_array()) return bad("\"files\" is not an array");
  const Json& files = (*doc)["files"];
  if (files.size() > kMaxManifestEntries)
    return bad("more than " + std::to_string(kMaxManifestEntries) + " entries");
  std::set<std::string> out;
  for (const auto& f : files) {
    if (!f.is_string() || !valid_entry(f.get<std::string>()))
      return bad("entry " + std::to_string(out.size()) + " is not a relative path inside the directory");
    out.insert(f.get<std::string>());
  }
  return out;
}

Status check_output_replaceable(const fs::path& out) {
  struct stat st {};
  if (::lstat(out.c_str(), &st) != 0) {
    if (errno == ENOENT) return Ok{};
    return errno_error("cannot stat", out);
  }
  if (S_ISLNK(st.st_mode))
    return make_error(Errc::invalid_input,
                      "--out " + out.string() + " is a symbolic link; give the directory it points to");
  if (!S_ISDIR(st.st_mode))
    return make_error(Errc::invalid_input, "--out " + out.string() + " exists and is not a directory");
  auto listed = read_output_manifest(out);
  if (!listed) {
    if (listed.error().code != Errc::not_found) return listed.error();
    std::error_code ec;
    bool empty = fs::is_empty(out, ec);
    if (ec) return make_error(Errc::io, "cannot list " + out.string() + ": " + ec.message());
    if (empty) return Ok{};
    return make_error(Errc::invalid_input, "--out " + out.string() +
                                               " is not empty and was not written by cocoon-build (no " +
                                               kOutputManifestName + "); choose a new or empty directory");
  }
  return only_listed(out, *listed, out);
}

Result<StagedOutput> StagedOutput::begin(const fs::path& out) {
  fs::path target = normalise_target(out);
  if (target == target.root_path())
    return make_error(Errc::invalid_input, "--out " + out.string() + " is the root directory");
  COCOON_TRY(check_output_replaceable(target));
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) return make_error(Errc::io, "cannot create " + target.parent_path().string() + ": " + ec.message());
  COCOON_ASSIGN(TempDir holder,
                TempDir::create_in(target.parent_path(), "." + target.filename().string() + ".cocoon-run-"));
  // mkdtemp's 0700 would outlive the swap; mkdir(0777) gives OUT the mode the user's umask asks for.
  fs::path dir = holder.path() / "out";
  if (::mkdir(dir.c_str(), 0777) != 0) return errno_error("cannot create", dir);
  return StagedOutput(std::move(holder), std::move(dir), std::move(target));
}

fs::path StagedOutput::keep() {
  fs::path kept = dir_;
  if (holder_) holder_->release();
  holder_.reset();
  return kept;
}

Result<std::optional<fs::path>> StagedOutput::commit() {
  if (!holder_) return make_error(Errc::internal, "staged output committed twice");
  COCOON_TRY(write_manifest(dir_));
  COCOON_TRY(check_output_replaceable(target_));
  fs::path old = holder_->path() / "old";
  bool had_old = true;
  if (::renameat2(AT_FDCWD, dir_.c_str(), AT_FDCWD, target_.c_str(), RENAME_NOREPLACE) == 0) {
    had_old = false;
  } else if (errno == EEXIST) {
    if (::renameat2(AT_FDCWD, dir_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
      old = dir_;
    } else if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) {
      // A file system without RENAME_EXCHANGE: two renames, with OUT briefly absent between them.
      if (::rename(target_.c_str(), old.c_str()) != 0) return errno_error("cannot move aside", target_);
      if (::rename(dir_.c_str(), target_.c_str()) != 0) {
        Error e = errno_error("cannot rename onto", target_);
        if (::rename(old.c_str(), target_.c_str()) != 0) holder_->release();
        return e;
      }
    } else {
      return errno_error("cannot swap the new output into", target_);
    }
  } else if (errno == EINVAL || errno == ENOSYS) {
    if (::rename(dir_.c_str(), target_.c_str()) != 0) return errno_error("cannot rename onto", target_);
    had_old = false;
  } else {
    return errno_error("cannot rename the new output onto", target_);
  }
  (void)fsync_dir(target_.parent_path());
  std::optional<fs::path> kept;
  if (had_old) {
    // Something may have been put into the old OUT while the build ran: then keep it all.
    auto listed = read_output_manifest(old);
    bool ours = false;
    if (listed) {
      ours = only_listed(old, *listed, target_).ok();
    } else {
      std::error_code ec;
      ours = listed.error().code == Errc::not_found && fs::is_empty(old, ec) && !ec;
    }
    if (!ours) {
      kept = old;
      holder_->release();
    }
  }
  holder_.reset();
  return kept;
}

}  // namespace cocoon::build
