#pragma once
// The subset of gitignore(5) that decides what a spec directory's tree contains: per-directory
// .gitignore files, last match wins, deeper files override shallower ones, "!" negation, trailing "/" for
// directories only, a "/" elsewhere anchoring the pattern to the .gitignore's directory, and the glob
// forms "*", "?", "[...]", "**/", "/**" and "/**/". Example: "*.log" in spec/.gitignore ignores
// spec/debug.log and spec/models/x.log; "/build/" ignores only the directory spec/build.
#include <string>
#include <string_view>
#include <vector>

namespace cocoon::measure {

class GitIgnore {
 public:
  // Adds the patterns of one .gitignore file found in directory `base` ("" for the top, "a/b" below it).
  void add_file(std::string_view base, std::string_view content);
  // path is relative to the top ("models/x.log"). Parent directories are assumed not ignored (callers
  // do not descend into ignored directories, as git does not).
  bool ignored(std::string_view path, bool is_dir) const;

 private:
  struct Pattern {
    std::string base;
    std::string glob;
    bool negate = false;
    bool dir_only = false;
    bool anchored = false;
  };
  std::vector<Pattern> patterns_;
};

// Glob match with FNM_PATHNAME semantics plus git's "**" rules.
bool git_glob_match(std::string_view pattern, std::string_view path);

}  // namespace cocoon::measure
