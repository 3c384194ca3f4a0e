// cocoon-build diff: explain why two builds differ (files, archives, directories or attestations).
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "attest/diff.hpp"
#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"

extern char** environ;

namespace cocoon::tools::build {
namespace {

namespace fs = std::filesystem;

struct DiffCliOptions {
  fs::path a, b;
  bool diffoscope = false;
  bool json = false;
};

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string dirs = path;
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    fs::path candidate = fs::path(dirs.substr(start, end - start)) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

// diffoscope exits 0 (identical) or 1 (different) like we do; anything else is its own failure.
int run_diffoscope(const DiffCliOptions& o) {
  if (!on_path("diffoscope"))
    return report("cocoon-build",
                  make_error(Errc::unsupported, "diffoscope is not installed (apt-get install diffoscope)"));
  std::string a = o.a.string(), b = o.b.string();
  std::vector<char*> argv{const_cast<char*>("diffoscope"), a.data(), b.data(), nullptr};
  pid_t pid;
  if (::posix_spawnp(&pid, "diffoscope", nullptr, nullptr, argv.data(), environ) != 0)
    return report("cocoon-build", make_error(Errc::internal, "cannot start diffoscope"));
  int status = 0;
  if (::waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
    return report("cocoon-build", make_error(Errc::internal, "diffoscope did not exit normally"));
  int rc = WEXITSTATUS(status);
  if (rc == 0 || rc == 1) return rc;
  return report("cocoon-build",
                make_error(Errc::internal, "diffoscope failed with exit code " + std::to_string(rc)));
}

int run_diff(const DiffCliOptions& o) {
  if (o.diffoscope) return run_diffoscope(o);
  auto result = attest::diff_paths(o.a, o.b);
  if (!result.ok()) return report("cocoon-build", result.error());
  if (o.json) {
    std::fputs(pretty_json(attest::diff_report_json(*result)).c_str(), stdout);
  } else {
    for (const auto& line : attest::format_diff_report(*result)) std::printf("%s\n", printable(line).c_str());
  }
  return result->identical() ? kExitOk : kExitNegative;
}

}  // namespace

void add_diff_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<DiffCliOptions>();
  auto* cmd = app.add_subcommand(
      "diff", "Explain how two artifacts, archives, output directories or attestations differ");
  cmd->add_option("A", o->a, "First file or directory")->required();
  cmd->add_option("B", o->b, "Second file or directory")->required();
  cmd->add_flag("--diffoscope", o->diffoscope, "Hand the pair to diffoscope (when installed)");
  cmd->add_flag("--json", o->json, "Print the report as JSON");
  cmd->callback([o, &exit_code] { exit_code = run_diff(*o); });
}

}  // namespace cocoon::tools::build
