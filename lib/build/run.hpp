#pragma once
// `cocoon-build run`: fetch the pinned commit, run the recipe's steps in a normalised environment,
// turn the outputs into deterministic artifacts, hash them and record how they were made.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "build/build_result.hpp"
#include "build/recipe.hpp"
#include "core/result.hpp"

namespace cocoon::build {

// What a run may be told to do differently from the normalised defaults. `run` uses the defaults;
// `check` builds a second time with a Variation to prove the artifacts do not depend on these.
struct Variation {
  std::string tz = "UTC";
  std::string locale = "C.UTF-8";
  unsigned umask = 022;
  int jobs = 0;                // 0: leave the build tool's default; else CMAKE_BUILD_PARALLEL_LEVEL/MAKEFLAGS
  std::string path_component;  // extra directory level in the work-tree path ("" = none)
  std::string home_component;  // extra directory level in HOME
  std::string faketime;        // e.g. "+397d": steps run under faketime(1) with this offset
  std::string hostname;        // steps run in their own UTS namespace with this host name
  std::vector<std::pair<std::string, std::string>> extra_env;  // e.g. an unrelated variable
};

// Progress reported while a run goes on; the library never prints, the tool decides how to show it.
struct ProgressEvent {
  enum class Kind { fetch, step_start, step_done, step_failed, artifacts, done, warning } kind;
  std::string step;                   // step name for step events
  double elapsed_seconds = 0;         // for step_done / step_failed: the step's time
  int exit_code = 0;                  // for step_failed
  std::vector<std::string> log_tail;  // for step_failed: the last lines of the step's output
  std::filesystem::path log;          // the step's full log (for step_failed: where it stays)
  std::string message;                // for warning
};

struct RunOptions {
  // Replaced as a whole (build/out_dir.hpp): after a successful run it holds the artifacts, SHA256SUMS,
  // buildinfo.json and what before_commit added; after a failed step, only logs/ with every step's log.
  // A run that fails before its first step leaves it untouched.
  std::filesystem::path out_dir;
  std::filesystem::path cache_dir;             // empty: source::default_cache_dir()
  std::optional<std::string> source_override;  // --source PATH_OR_URL
  std::filesystem::path work_root;             // where work trees are made (default: $TMPDIR or /tmp)
  bool keep_work = false;                      // leave the work tree for inspection
  Variation variation;
  std::function<void(const ProgressEvent&)> on_progress;
  // Called after a successful build with result.out_dir set to the staging directory, to add files
  // (the attestation) that must appear in out_dir together with the artifacts or not at all.
  std::function<Status(const BuildResult&)> before_commit;
};

// Errors: Errc::not_found (commit absent), Errc::build_failed (a step exited non-zero: the message
// names the step and exit code), Errc::invalid_input (out_dir may not be replaced, see
// check_output_replaceable; an artifact the recipe names is missing or is the wrong kind), Errc::io.
// On success result.out_dir is options.out_dir and artifact paths point into it.
Result<BuildResult> run_recipe(const Recipe& recipe, const RunOptions& options);

// Writes SHA256SUMS (sha256sum's format, sorted by name) and buildinfo.json into result.out_dir.
Status write_run_outputs(const BuildResult& result);

}  // namespace cocoon::build
