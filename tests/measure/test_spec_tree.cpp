// Our spec-tree id against git's own (git init --object-format=sha256, add, write-tree) on generated trees,
// and the cocoon-prepare-spec refusals.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <random>

#include "core/file_io.hpp"
#include "measure/gitignore.hpp"
#include "measure/spec_tree.hpp"
#include "support.hpp"

using namespace cocoon;
using namespace cocoon::measure;
namespace fs = std::filesystem;

namespace {

void put(const fs::path& root, const std::string& rel, const std::string& content, unsigned mode = 0644) {
  fs::path p = root / rel;
  fs::create_directories(p.parent_path());
  REQUIRE(write_file_atomic(p, content, mode).ok());
  REQUIRE(::chmod(p.c_str(), mode) == 0);
}

// git's tree id with cocoon-prepare-spec's drops applied through the index; the repository lives outside
// the spec directory.
std::string git_tree(const fs::path& dir, const fs::path& gitdir) {
  std::string env = "HOME=" + gitdir.parent_path().string() +
                    " GIT_CONFIG_NOSYSTEM=1 GIT_DIR=" + gitdir.string() + " GIT_WORK_TREE=" + dir.string() +
                    " ";
  auto init = measure_test::run(env + "git init -q --object-format=sha256");
  REQUIRE(init.exit_code == 0);
  auto add = measure_test::run(env + "git -c core.excludesFile=/dev/null add -A");
  REQUIRE(add.exit_code == 0);
  auto rm = measure_test::run(env +
                              "git rm -r -q -f --cached --ignore-unmatch -- runtime spec.tree spec.meta "
                              "':(glob)**/.gitignore'");
  INFO(rm.output);
  REQUIRE(rm.exit_code == 0);
  auto tree = measure_test::run(env + "git write-tree");
  REQUIRE(tree.exit_code == 0);
  std::string id = tree.output;
  while (!id.empty() && id.back() == '\n') id.pop_back();
  return id;
}

void check_against_git(const fs::path& dir) {
  auto ours = compute_spec_tree(dir);
  REQUIRE(ours.ok());
  auto scratch = TempDir::create("measure-git-");
  REQUIRE(scratch.ok());
  CHECK(ours->tree == git_tree(dir, scratch->path() / "repo.git"));
}

}  // namespace

TEST_CASE("spec tree: nested dirs, executables, empty files and tricky sort order match git") {
  auto t = TempDir::create("measure-spec-");
  REQUIRE(t.ok());
  fs::path d = t->path() / "spec";
  put(d, "a/x", "in dir a\n");
  put(d, "a.b", "dot sorts before slash\n");
  put(d, "a-b", "dash\n");
  put(d, "a0", "zero sorts after slash\n");
  put(d, "ab/c/d/e/deep.txt", "deep\n");
  put(d, "empty", "");
  put(d, "run.sh", "#!/bin/sh\necho hi\n", 0755);
  put(d, "bin/tool", "binary\x01\x02", 0755);
  put(d, ".hidden", "dotfile\n");
  put(d, "caf\xc3\xa9.txt", "utf-8 name\n");
  put(d, "Z-upper", "upper sorts first\n");
  fs::create_directories(d / "emptydir/inner");  // vanishes, as in git
  check_against_git(d);
}

TEST_CASE("spec tree: ignored files, negation, anchored patterns and dropped names match git") {
  auto t = TempDir::create("measure-spec-");
  REQUIRE(t.ok());
  fs::path d = t->path() / "spec";
  put(d, ".gitignore", "# comment\n*.log\n!keep.log\n/build/\ndocs/**/gen.txt\n*.tmp \n");
  put(d, "x.log", "ignored\n");
  put(d, "keep.log", "re-included\n");
  put(d, "build/out", "ignored dir\n");
  put(d, "sub/build/y", "not anchored here: kept\n");
  put(d, "sub/.gitignore", "tmp*\n!tmpkeep\n");
  put(d, "sub/tmp1", "ignored by sub/.gitignore\n");
  put(d, "sub/tmpkeep", "kept\n");
  put(d, "tmp2", "kept: the pattern lives in sub/\n");
  put(d, "docs/a/b/gen.txt", "ignored by **\n");
  put(d, "docs/gen.txt", "ignored: ** matches zero dirs\n");
  put(d, "docs/other.txt", "kept\n");
  put(d, "notes.tmp", "ignored (trailing space trimmed)\n");
  put(d, "runtime/runtime.vars", "dropped\n");
  put(d, "spec.tree", "dropped\n");
  put(d, "spec.meta", "dropped\n");
  put(d, "sub/runtime/kept", "only the top-level runtime/ is dropped\n");
  put(d, "worker.json", "{}\n");
  check_against_git(d);
}

TEST_CASE("spec tree: randomly generated trees match git") {
  std::mt19937 rng(20261125);
  const std::string alphabet = "ab-._0Z";
  for (int round = 0; round < 3; ++round) {
    auto t = TempDir::create("measure-spec-");
    REQUIRE(t.ok());
    fs::path d = t->path() / "spec";
    fs::create_directories(d);
    for (int i = 0; i < 40; ++i) {
      std::string rel;
      int depth = static_cast<int>(rng() % 3);
      for (int k = 0; k <= depth; ++k) {
        std::string part;
        int len = 1 + static_cast<int>(rng() % 3);
        for (int c = 0; c < len; ++c) part += alphabet[rng() % alphabet.size()];
        if (part == "." || part == "..") part += "x";
        rel += (k ? "/" : "") + part;
      }
      std::error_code ec;
      if (fs::exists(d / rel, ec)) continue;
      bool clash = false;
      for (fs::path p = fs::path(rel).parent_path(); !p.empty(); p = p.parent_path())
        if (fs::is_regular_file(d / p, ec)) clash = true;
      if (clash) continue;
      put(d, rel, std::string(rng() % 64, static_cast<char>('a' + rng() % 26)), rng() % 4 == 0 ? 0755 : 0644);
    }
    INFO("round " << round);
    check_against_git(d);
  }
}

TEST_CASE("spec tree: refusals") {
  auto t = TempDir::create("measure-spec-");
  REQUIRE(t.ok());
  auto fresh = [&](const std::string& name) {
    fs::path d = t->path() / name;
    put(d, "ok.txt", "fine\n");
    return d;
  };
  {
    fs::path d = fresh("symlink");
    fs::create_symlink("ok.txt", d / "link");
    auto r = compute_spec_tree(d);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::invalid_input);
    CHECK(r.error().message.find("link: is a symlink") != std::string::npos);
  }
  {
    fs::path d = fresh("mode777");
    put(d, "open.sh", "x\n", 0777);
    auto r = compute_spec_tree(d);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("open.sh") != std::string::npos);
    CHECK(r.error().message.find("0777") != std::string::npos);
  }
  {
    fs::path d = fresh("nestedgit");
    fs::create_directories(d / "sub/.git");
    auto r = compute_spec_tree(d);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("sub/.git") != std::string::npos);
  }
  {
    fs::path d = fresh("setuid");
    put(d, "suid", "x\n", 04755);
    CHECK_FALSE(compute_spec_tree(d).ok());
  }
  {
    fs::path d = fresh("partial-exec");
    put(d, "odd", "x\n", 0744);
    CHECK_FALSE(compute_spec_tree(d).ok());
  }
  {
    fs::path d = fresh("big");
    put(d, "big.bin", "");
    fs::resize_file(d / "big.bin", kSpecMaxFileSize + 1);
    auto r = compute_spec_tree(d);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("10 MiB") != std::string::npos);
  }
  {
    // An ignored symlink is not part of the tree, so it is not refused (git would not see it either).
    fs::path d = fresh("ignored-link");
    put(d, ".gitignore", "*.lnk\n");
    fs::create_symlink("ok.txt", d / "x.lnk");
    CHECK(compute_spec_tree(d).ok());
  }
  CHECK_FALSE(compute_spec_tree(t->path() / "missing").ok());
}

TEST_CASE("gitignore glob rules") {
  CHECK(git_glob_match("*.log", "a.log"));
  CHECK_FALSE(git_glob_match("*.log", "a/b.log"));
  CHECK(git_glob_match("**/x", "x"));
  CHECK(git_glob_match("**/x", "a/b/x"));
  CHECK(git_glob_match("a/**", "a/b/c"));
  CHECK(git_glob_match("a/**/b", "a/b"));
  CHECK(git_glob_match("a/**/b", "a/x/y/b"));
  CHECK(git_glob_match("[a-c]?", "bz"));
  CHECK_FALSE(git_glob_match("[!a-c]?", "bz"));
  CHECK(git_glob_match("\\*lit", "*lit"));
  CHECK_FALSE(git_glob_match("\\*lit", "xlit"));
}
