#include "build/run.hpp"

#include <sys/stat.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>

#include "archive/archive.hpp"
#include "build/out_dir.hpp"
#include "build/process.hpp"
#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "measure/measurement.hpp"
#include "source/checkout.hpp"

namespace cocoon::build {
namespace fs = std::filesystem;
namespace {

constexpr const char* kDefaultPath = "/usr/local/bin:/usr/bin:/bin";

// Path independence: GCC and Clang rewrite the work-tree prefix in debug info, __FILE__ and
// assertion messages to ".". (A canonical build path would also work, but would forbid two builds at
// once on one machine.)
void add_prefix_map(Environment& env, const fs::path& work_tree) {
  std::string flag = "-ffile-prefix-map=" + work_tree.string() + "=.";
  for (const char* var : {"CFLAGS", "CXXFLAGS"}) {
    auto& v = env[var];
    v = v.empty() ? flag : v + " " + flag;
  }
}

Environment make_environment(const Recipe& recipe, const Variation& var, const fs::path& work_tree,
                             const fs::path& home, std::int64_t sde) {
  Environment env;
  const char* path = std::getenv("PATH");
  env["PATH"] = path && *path ? path : kDefaultPath;
  env["TZ"] = var.tz;
  env["LC_ALL"] = var.locale;
  env["HOME"] = home.string();
  env["SOURCE_DATE_EPOCH"] = std::to_string(sde);
  for (const auto& [k, v] : recipe.env) env[k] = v;
  if (var.jobs > 0) {
    env["CMAKE_BUILD_PARALLEL_LEVEL"] = std::to_string(var.jobs);
    env["MAKEFLAGS"] = "-j" + std::to_string(var.jobs);
  }
  for (const auto& [k, v] : var.extra_env) env[k] = v;
  add_prefix_map(env, work_tree);
  return env;
}

// Replaces the per-run paths so the recorded environment is the same for every builder.
std::string normalise_paths(std::string v, const fs::path& work_tree, const fs::path& home) {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    if (from.empty()) return;
    for (size_t pos = v.find(from); pos != std::string::npos; pos = v.find(from, pos + to.size()))
      v.replace(pos, from.size(), to);
  };
  replace_all(work_tree.string(), "<worktree>");
  replace_all(home.string(), "<home>");
  return v;
}

std::string first_line(const std::string& text) {
  size_t start = text.find_first_not_of("\r\n \t");
  if (start == std::string::npos) return {};
  size_t end = text.find('\n', start);
  std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

// The tools the steps call and the compilers they reach, each with the first line of `--version`.
std::vector<ToolVersion> detect_toolchain(const Recipe& recipe, const Environment& env, const fs::path& cwd) {
  std::vector<std::string> names;
  auto add = [&](const std::string& n) {
    if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  for (const auto& s : recipe.steps) add(s.argv[0]);
  auto cc = env.find("CC");
  add(cc != env.end() ? cc->second : "cc");
  auto cxx = env.find("CXX");
  add(cxx != env.end() ? cxx->second : "c++");
  std::vector<ToolVersion> out;
  for (const auto& n : names) {
    // Shells and coreutils print nothing useful for --version or do not support it; skip silently.
    ProcessSpec spec{{n, "--version"}, env, cwd, 022, {}, std::nullopt};
    auto text = capture_output(spec, 4096);
    if (!text) continue;
    std::string line = first_line(*text);
    if (line.empty() || line.find("illegal option") != std::string::npos) continue;
    out.push_back({n, line});
  }
  return out;
}

Status copy_file_atomic(const fs::path& from, const fs::path& to) {
  fs::path tmp = to.parent_path() / hidden_sibling_name(to, ".partial");
  std::error_code ec;
  fs::remove(tmp, ec);
  if (!fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec))
    return make_error(Errc::io, "cannot copy " + from.string() + ": " + ec.message());
  // Only the executable bit carries meaning; everything else is normalised like archive members.
  auto perms = fs::status(from, ec).permissions();
  bool exec =
      (perms & (fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec)) != fs::perms::none;
  ::chmod(tmp.c_str(), exec ? 0755 : 0644);
  fs::rename(tmp, to, ec);
  if (ec) return make_error(Errc::io, "cannot rename " + tmp.string() + ": " + ec.message());
  return Ok{};
}

// Hashes the given files on up to hardware_concurrency threads.
Status hash_files_parallel(std::vector<ArtifactResult*>& todo) {
  if (todo.empty()) return Ok{};
  std::atomic<size_t> next{0};
  std::vector<Result<crypto::FileDigest>> results(todo.size(), make_error(Errc::internal, "not hashed"));
  unsigned n = std::max(
      1u, std::min<unsigned>(std::thread::hardware_concurrency(), static_cast<unsigned>(todo.size())));
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < n; ++t)
    threads.emplace_back([&] {
      for (size_t i = next++; i < todo.size(); i = next++)
        results[i] = crypto::digest_file(crypto::HashAlg::sha256, todo[i]->path);
    });
  for (auto& th : threads) th.join();
  for (size_t i = 0; i < todo.size(); ++i) {
    if (!results[i]) return results[i].error();
    todo[i]->size = results[i]->size;
    todo[i]->sha256 = hex_encode(results[i]->digest);
  }
  return Ok{};
}

Status produce_artifacts(const Recipe& recipe, const fs::path& work_tree, std::int64_t sde,
                         BuildResult& result) {
  std::vector<ArtifactResult*> to_hash;
  result.artifacts.reserve(recipe.artifacts.size());
  for (const auto& art : recipe.artifacts) {
    fs::path src = work_tree / art.path;
    fs::path dst = result.out_dir / art.name;
    std::error_code ec;
    auto st = fs::symlink_status(src, ec);
    ArtifactResult ar{art.name, dst, 0, {}};
    if (art.kind == RecipeArtifact::Kind::file) {
      if (ec || !fs::is_regular_file(st))
        return make_error(Errc::invalid_input, "artifact \"" + art.name + "\": " + art.path +
                                                   " is not a regular file after the build");
      COCOON_TRY(copy_file_atomic(src, dst));
      if (dst.extension() == ".a") COCOON_TRY(archive::normalize_ar(dst));
      result.artifacts.push_back(ar);
    } else {
      if (ec || !fs::is_directory(st))
        return make_error(Errc::invalid_input, "artifact \"" + art.name + "\": " + art.path +
                                                   " is not a directory after the build");
      COCOON_TRY(archive::normalize_static_libraries(src));
      archive::PackOptions opts;
      opts.mtime = sde;
      COCOON_ASSIGN(archive::PackSummary sum, archive::pack_directory(src, dst, opts));
      ar.size = sum.size;
      ar.sha256 = sum.sha256;
      result.artifacts.push_back(ar);
    }
  }
  if (recipe.measure) {
    // The predicted TDX measurements become one more artifact, so every builder's attestation covers
    // them and `compare` checks them like any other output.
    COCOON_ASSIGN(Json measurement, measure::measure_from_recipe_section(*recipe.measure, work_tree));
    fs::path dst = result.out_dir / "measurement.json";
    COCOON_TRY(write_file_atomic(dst, std::string_view(pretty_json(measurement))));
    result.artifacts.push_back({"measurement.json", dst, 0, {}});
  }
  for (auto& a : result.artifacts)
    if (a.sha256.empty()) to_hash.push_back(&a);
  return hash_files_parallel(to_hash);
}

// Keeps only logs/ in the staging directory and swaps it in as OUT, so the failed run's logs stay at
// OUT/logs/ and no artifact of an earlier run is left beside them. Returns where the logs are.
fs::path commit_logs_only(StagedOutput& staged, const fs::path& out_dir,
                          const std::function<void(ProgressEvent)>& notify) {
  std::error_code ec, rm;
  for (fs::directory_iterator it(staged.dir(), ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename() != "logs") fs::remove_all(it->path(), rm);
  auto committed = staged.commit();
  if (!committed) {
    notify({ProgressEvent::Kind::warning,
            {},
            0,
            0,
            {},
            {},
            "could not replace " + out_dir.string() + " (" + committed.error().message + "); logs kept"});
    return staged.keep() / "logs";
  }
  if (*committed)
    notify({ProgressEvent::Kind::warning,
            {},
            0,
            0,
            {},
            {},
            "the previous " + out_dir.string() + " held files cocoon-build did not write; kept at " +
                (*committed)->string()});
  return out_dir / "logs";
}

}  // namespace

Result<BuildResult> run_recipe(const Recipe& recipe, const RunOptions& options) {
  auto notify = [&](ProgressEvent e) {
    if (options.on_progress) options.on_progress(e);
  };
  BuildResult result;
  result.recipe = recipe;
  result.started = now_unix();
  result.source_url = options.source_override.value_or(recipe.source_url);
  const Variation& var = options.variation;

  // Refuses an --out that is not ours before minutes of building, not after.
  COCOON_ASSIGN(StagedOutput staged, StagedOutput::begin(options.out_dir));
  result.out_dir = staged.dir();
  std::error_code ec;
  fs::path work_root = options.work_root;
  if (work_root.empty()) {
    const char* t = std::getenv("TMPDIR");
    work_root = t && *t ? t : "/tmp";
  }
  fs::create_directories(work_root, ec);
  // The prefix map must name the path the compiler sees, which is absolute.
  work_root = fs::absolute(work_root, ec);
  COCOON_ASSIGN(TempDir base, TempDir::create_in(work_root, "cocoon-build-"));
  fs::path work_tree = base.path();
  if (!var.path_component.empty()) work_tree /= var.path_component;
  work_tree /= "src";
  fs::path home = base.path() / "home";
  if (!var.home_component.empty()) home /= var.home_component;
  fs::path logs = staged.dir() / "logs";
  fs::create_directories(home, ec);
  if (!ec) fs::create_directories(logs, ec);
  if (ec) return make_error(Errc::io, "cannot prepare " + base.path().string() + ": " + ec.message());

  notify({ProgressEvent::Kind::fetch, {}, 0, 0, {}, {}, {}});
  fs::path cache = options.cache_dir.empty() ? source::default_cache_dir() : options.cache_dir;
  COCOON_ASSIGN(source::SourceTree src,
                source::fetch_and_checkout(result.source_url, recipe.source_commit, cache, work_tree));
  result.source_commit = src.commit;
  result.source_tree = src.tree;
  result.source_date_epoch = src.committer_time;

  Environment env = make_environment(recipe, var, work_tree, home, src.committer_time);
  result.toolchain = detect_toolchain(recipe, env, work_tree);
  for (const auto& [k, v] : env) result.environment[k] = normalise_paths(v, work_tree, home);

  std::optional<fs::path> faketime;
  if (!var.faketime.empty()) {
    faketime = find_program("faketime", env["PATH"]);
    if (!faketime)
      return make_error(Errc::not_found, "the time variation needs faketime, which is not installed");
  }

  for (size_t i = 0; i < recipe.steps.size(); ++i) {
    const RecipeStep& step = recipe.steps[i];
    ProcessSpec spec;
    if (faketime) spec.argv = {faketime->string(), "-f", var.faketime};
    spec.argv.insert(spec.argv.end(), step.argv.begin(), step.argv.end());
    spec.env = env;
    spec.cwd = work_tree;
    spec.umask = var.umask;
    fs::path log_name = std::to_string(i + 1) + "-" + step.name + ".log";
    spec.log = logs / log_name;
    if (!var.hostname.empty()) spec.hostname = var.hostname;
    notify({ProgressEvent::Kind::step_start, step.name, 0, 0, {}, spec.log, {}});
    auto t0 = std::chrono::steady_clock::now();
    auto outcome = run_process(spec);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!outcome) {
      Error e = std::move(outcome).error();
      e.message = "step \"" + step.name + "\": " + e.message;
      commit_logs_only(staged, options.out_dir, notify);
      return e;
    }
    if (outcome->exit_code != 0) {
      auto tail = tail_lines(spec.log, 20);
      fs::path kept = commit_logs_only(staged, options.out_dir, notify) / log_name;
      notify({ProgressEvent::Kind::step_failed, step.name, secs, outcome->exit_code, tail, kept, {}});
      return make_error(Errc::build_failed, "step \"" + step.name + "\" failed with exit code " +
                                                std::to_string(outcome->exit_code) +
                                                (tail.empty() ? std::string() : ": " + tail.back()));
    }
    notify({ProgressEvent::Kind::step_done, step.name, secs, 0, {}, spec.log, {}});
  }

  notify({ProgressEvent::Kind::artifacts, {}, 0, 0, {}, {}, {}});
  auto finish = [&]() -> Status {
    COCOON_TRY(produce_artifacts(recipe, work_tree, src.committer_time, result));
    result.finished = now_unix();
    COCOON_TRY(write_run_outputs(result));
    // The logs of a successful build differ between builders (paths, timings): they are not outputs.
    std::error_code rm;
    fs::remove_all(logs, rm);
    if (options.before_commit) COCOON_TRY(options.before_commit(result));
    return Ok{};
  };
  if (auto st = finish(); !st) {
    commit_logs_only(staged, options.out_dir, notify);
    return st.error();
  }
  COCOON_ASSIGN(std::optional<fs::path> kept, staged.commit());
  if (kept)
    notify({ProgressEvent::Kind::warning,
            {},
            0,
            0,
            {},
            {},
            "the previous " + options.out_dir.string() + " held files cocoon-build did not write; kept at " +
                kept->string()});
  for (auto& a : result.artifacts) a.path = options.out_dir / a.path.lexically_relative(result.out_dir);
  result.out_dir = options.out_dir;
  if (options.keep_work) base.release();
  notify({ProgressEvent::Kind::done, {}, 0, 0, {}, {}, {}});
  return result;
}

}  // namespace cocoon::build
