#pragma once
// The --out directory of `run`, `verify` and `check`: after a run it holds exactly what that run
// wrote, never files left over from an earlier one.
//
// A run writes into a staging directory beside OUT and swaps it in with one rename (RENAME_EXCHANGE
// when OUT exists). OUT/.cocoon-build-out lists every file the run wrote; it is how the next run
// knows that OUT is its own and may be replaced. OUT is replaced only when it does not exist, is an
// empty directory, or holds nothing but the files its manifest lists: a directory with anything else
// in it (a user's notes, the output of another tool) is refused, so a run never deletes a file it did
// not write.
#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "core/file_io.hpp"
#include "core/result.hpp"

namespace cocoon::build {

inline constexpr const char* kOutputManifestName = ".cocoon-build-out";

// Errc::invalid_input (naming the first offending entry) when `out` may not be replaced: a symbolic
// link, not a directory, a non-empty directory without a manifest, an unparsable manifest, or a file
// or directory the manifest does not list. Errc::io when `out` cannot be inspected.
Status check_output_replaceable(const std::filesystem::path& out);

// The files listed in `dir`'s manifest (relative paths with '/' separators).
// Errc::not_found when there is none; Errc::invalid_input when it is malformed (not JSON, wrong schema,
// an entry that is absolute, empty, or has a "." or ".." component, more than 100000 entries).
Result<std::set<std::string>> read_output_manifest(const std::filesystem::path& dir);

class StagedOutput {
 public:
  // Checks check_output_replaceable(out), creates OUT's missing parent directories and an empty
  // staging directory in OUT's parent (mode 0777 minus the umask, like a directory mkdir makes).
  static Result<StagedOutput> begin(const std::filesystem::path& out);

  const std::filesystem::path& dir() const { return dir_; }        // write the run's files here
  const std::filesystem::path& target() const { return target_; }  // OUT, absolute

  // Writes the manifest of every regular file under dir(), checks again that OUT may be replaced (a
  // build takes minutes) and swaps dir() in as OUT. The previous OUT is deleted when it still holds
  // only what its manifest lists; otherwise it is kept, and its new path returned, so nothing that
  // appeared there during the build is lost.
  Result<std::optional<std::filesystem::path>> commit();

  // Keeps the staging directory on disk (for its logs, when commit() failed) and returns its path.
  std::filesystem::path keep();

 private:
  StagedOutput(TempDir holder, std::filesystem::path dir, std::filesystem::path target)
      : holder_(std::move(holder)), dir_(std::move(dir)), target_(std::move(target)) {}
  std::optional<TempDir> holder_;  // hidden sibling of OUT; dir_ is holder/out
  std::filesystem::path dir_;
  std::filesystem::path target_;
};

}  // namespace cocoon::build
