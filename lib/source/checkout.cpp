#include "source/checkout.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/bytes.hpp"
#include "crypto/hash.hpp"
#include "source/git_handles.hpp"

namespace cocoon::source {
namespace fs = std::filesystem;
namespace {

std::string oid_hex(const git_oid* oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, oid);
  return buf;
}

// One bare repository per URL, named by the URL's digest so different URLs never share refs.
fs::path cache_repo_path(const fs::path& cache_dir, const std::string& url) {
  return cache_dir / (crypto::sha256_hex(url).substr(0, 32) + ".git");
}

Result<RepositoryPtr> open_or_init_cache(const fs::path& path) {
  git_repository* raw = nullptr;
  if (fs::exists(path / "HEAD")) {
    if (git_repository_open_bare(&raw, path.c_str()) != 0)
      return libgit2_error(Errc::io, "cannot open cache repository " + path.string());
  } else {
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec)
      return make_error(Errc::io, "cannot create cache directory " + path.string() + ": " + ec.message());
    if (git_repository_init(&raw, path.c_str(), /*is_bare=*/1) != 0)
      return libgit2_error(Errc::io, "cannot create cache repository " + path.string());
  }
  return RepositoryPtr(raw);
}

bool has_commit(git_repository* repo, const git_oid& oid) {
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo, &oid) != 0) return false;
  git_commit_free(c);
  return true;
}

Status fetch_all(git_repository* repo, const std::string& url) {
  git_remote* raw = nullptr;
  if (git_remote_create_anonymous(&raw, repo, url.c_str()) != 0)
    return libgit2_error(Errc::invalid_input, "cannot use source url " + url);
  RemotePtr remote(raw);
  // Every branch and tag, under our own namespace, so a pinned commit on any of them is found.
  char heads[] = "+refs/heads/*:refs/cocoon/heads/*";
  char tags[] = "+refs/tags/*:refs/cocoon/tags/*";
  char* specs[] = {heads, tags};
  git_strarray refspecs{specs, 2};
  // The function rather than GIT_FETCH_OPTIONS_INIT: clang's -Wmissing-field-initializers flags the macro.
  git_fetch_options opts;
  if (git_fetch_options_init(&opts, GIT_FETCH_OPTIONS_VERSION) != 0)
    return libgit2_error(Errc::internal, "cannot initialise libgit2 fetch options");
  opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  if (git_remote_fetch(remote.get(), &refspecs, &opts, nullptr) != 0)
    return libgit2_error(Errc::network, "cannot fetch " + url);
  return Ok{};
}

Status write_blob(git_repository* repo, const git_tree_entry* entry, const fs::path& path, unsigned mode) {
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, repo, git_tree_entry_id(entry)) != 0)
    return libgit2_error(Errc::io, "cannot read blob for " + path.string());
  BlobPtr blob(raw);
  const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  auto size = static_cast<size_t>(git_blob_rawsize(blob.get()));
  if (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK) {
    std::string target(data, size);
    if (::symlink(target.c_str(), path.c_str()) != 0)
      return make_error(Errc::io, "cannot create symlink " + path.string() + ": " + std::strerror(errno));
    return Ok{};
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return make_error(Errc::io, "cannot create " + path.string() + ": " + std::strerror(errno));
  size_t off = 0;
  while (off < size) {
    ssize_t n = ::write(fd, data + off, size - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return make_error(Errc::io, "cannot write " + path.string() + ": " + std::strerror(err));
    }
    off += static_cast<size_t>(n);
  }
  // The caller's umask must not leak into the tree.
  ::fchmod(fd, mode);
  if (::close(fd) != 0)
    return make_error(Errc::io, "cannot close " + path.string() + ": " + std::strerror(errno));
  return Ok{};
}

Status write_tree(git_repository* repo, const git_tree* tree, const fs::path& dir, const std::string& prefix,
                  std::vector<std::string>& submodules) {
  size_t n = git_tree_entrycount(tree);
  for (size_t i = 0; i < n; ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(tree, i);
    std::string name = git_tree_entry_name(e);
    // git refuses such names too; a hostile repository must not write outside dest.
    if (name.empty() || name == "." || name == ".." || name == ".git" || name.find('/') != std::string::npos)
      return make_error(Errc::invalid_input,
                        "source tree has an unsafe entry name \"" + prefix + name + "\"");
    fs::path path = dir / name;
    switch (git_tree_entry_filemode(e)) {
      case GIT_FILEMODE_TREE: {
        if (::mkdir(path.c_str(), 0755) != 0)
          return make_error(Errc::io, "cannot create " + path.string() + ": " + std::strerror(errno));
        ::chmod(path.c_str(), 0755);
        git_tree* sub = nullptr;
        if (git_tree_lookup(&sub, repo, git_tree_entry_id(e)) != 0)
          return libgit2_error(Errc::io, "cannot read tree " + prefix + name);
        TreePtr subtree(sub);
        COCOON_TRY(write_tree(repo, subtree.get(), path, prefix + name + "/", submodules));
        break;
      }
      case GIT_FILEMODE_BLOB:
        COCOON_TRY(write_blob(repo, e, path, 0644));
        break;
      case GIT_FILEMODE_BLOB_EXECUTABLE:
        COCOON_TRY(write_blob(repo, e, path, 0755));
        break;
      case GIT_FILEMODE_LINK:
        COCOON_TRY(write_blob(repo, e, path, 0));
        break;
      case GIT_FILEMODE_COMMIT:
        ::mkdir(path.c_str(), 0755);
        submodules.push_back(prefix + name);
        break;
      default:
        return make_error(Errc::invalid_input, "source tree entry " + prefix + name + " has an unknown mode");
    }
  }
  return Ok{};
}

}  // namespace

fs::path default_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg) return fs::path(xdg) / "cocoon-release" / "git";
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : "/tmp") / ".cache" / "cocoon-release" / "git";
}

Result<SourceTree> fetch_and_checkout(const std::string& url, const std::string& commit,
                                      const fs::path& cache_dir, const fs::path& dest) {
  LibGit2 lib;
  git_oid oid;
  if (commit.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oid, commit.c_str()) != 0)
    return make_error(Errc::invalid_input, "commit \"" + commit + "\" is not 40 hex digits");

  COCOON_ASSIGN(RepositoryPtr repo, open_or_init_cache(cache_repo_path(cache_dir, url)));
  // A pinned commit never changes, so a cache hit needs no network at all.
  if (!has_commit(repo.get(), oid)) {
    COCOON_TRY(fetch_all(repo.get(), url));
    if (!has_commit(repo.get(), oid))
      return make_error(Errc::not_found, "commit " + commit + " is not in " + url);
  }

  git_commit* raw_commit = nullptr;
  if (git_commit_lookup(&raw_commit, repo.get(), &oid) != 0)
    return libgit2_error(Errc::not_found, "commit " + commit + " is not in " + url);
  CommitPtr c(raw_commit);
  git_tree* raw_tree = nullptr;
  if (git_commit_tree(&raw_tree, c.get()) != 0)
    return libgit2_error(Errc::io, "cannot read the tree of " + commit);
  TreePtr tree(raw_tree);

  std::error_code ec;
  if (fs::exists(dest, ec) && !fs::is_empty(dest, ec))
    return make_error(Errc::invalid_input, "work tree " + dest.string() + " exists and is not empty");
  fs::create_directories(dest, ec);
  if (ec) return make_error(Errc::io, "cannot create " + dest.string() + ": " + ec.message());

  SourceTree out;
  out.commit = commit;
  out.tree = oid_hex(git_tree_id(tree.get()));
  out.committer_time = static_cast<std::int64_t>(git_commit_time(c.get()));
  COCOON_TRY(write_tree(repo.get(), tree.get(), dest, "", out.submodules));
  return out;
}

}  // namespace cocoon::source
