#pragma once
// RAII owners for libgit2 handles, and the library's init/shutdown pair (libgit2 counts calls, so
// nesting LibGit2 objects is safe).
#include <git2.h>

#include <memory>
#include <string>

#include "core/result.hpp"

namespace cocoon::source {

class LibGit2 {
 public:
  LibGit2() { git_libgit2_init(); }
  ~LibGit2() { git_libgit2_shutdown(); }
  LibGit2(const LibGit2&) = delete;
  LibGit2& operator=(const LibGit2&) = delete;
};

template <typename T, void (*Free)(T*)>
struct GitFree {
  void operator()(T* p) const { Free(p); }
};

using RepositoryPtr = std::unique_ptr<git_repository, GitFree<git_repository, git_repository_free>>;
using RemotePtr = std::unique_ptr<git_remote, GitFree<git_remote, git_remote_free>>;
using CommitPtr = std::unique_ptr<git_commit, GitFree<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, GitFree<git_tree, git_tree_free>>;
using BlobPtr = std::unique_ptr<git_blob, GitFree<git_blob, git_blob_free>>;
using ObjectPtr = std::unique_ptr<git_object, GitFree<git_object, git_object_free>>;

// The last libgit2 error as one line, prefixed with what we were doing.
inline Error libgit2_error(Errc code, const std::string& what) {
  const ::git_error* e = git_error_last();
  return make_error(code, what + (e && e->message ? std::string(": ") + e->message : std::string()));
}

}  // namespace cocoon::source
