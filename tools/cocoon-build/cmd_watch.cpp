// cocoon-build watch: the builder's daemon (lib/watch/daemon.hpp), and cocoon-build watch-status, what
// its state holds. This file parses options, loads the root and key, turns SIGTERM/SIGINT into a
// clean stop and prints progress to stderr.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "common/signing_key.hpp"
#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "release/metadata.hpp"
#include "release/threshold.hpp"
#include "watch/daemon.hpp"
#include "watch/state.hpp"

namespace cocoon::tools::build {
namespace {

constexpr const char* kTool = "cocoon-build";

struct WatchArgs {
  std::string root, log, key, state, repo, submit = "log", cache, work_root, recipes, name;
  std::vector<std::string> witnesses, sources;
  double interval = 60, max_backoff = 900;
  unsigned jobs = 1, max_log_failures = 0;
  int max_attempts = 5;
  std::size_t keep_outputs = 8;
  long timeout = 30;
  bool once = false;
};

// SIGTERM and SIGINT, blocked in every thread (they are blocked before the first thread starts) and
// read from a signalfd: the daemon's sleep is a poll() on it, so a stop is seen within one nap, with no
// signal handler and no global flag. Build steps unblock them again (lib/build/process.cpp).
class StopSignals {
 public:
  StopSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
    fd_ = signalfd(-1, &set_, SFD_CLOEXEC);
  }
  ~StopSignals() {
    if (fd_ >= 0) ::close(fd_);
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  bool ok() const { return fd_ >= 0; }
  // Sleeps up to `seconds`; true when SIGTERM or SIGINT arrived (now or before).
  bool wait(double seconds) {
    if (stopped_) return true;
    pollfd p{fd_, POLLIN, 0};
    int ms = static_cast<int>(seconds * 1000);
    if (::poll(&p, 1, ms < 0 ? 0 : ms) > 0 && (p.revents & POLLIN)) {
      signalfd_siginfo info;
      if (::read(fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) stopped_ = true;
    }
    return stopped_;
  }

 private:
  sigset_t set_{}, old_{};
  int fd_ = -1;
  bool stopped_ = false;
};

Result<release::Root> load_root(const std::string& path) {
  COCOON_ASSIGN(std::string text, read_text_file(path, 4 << 20));
  COCOON_ASSIGN(release::Envelope envelope, release::parse_envelope_text(text, path));
  COCOON_ASSIGN(release::Root root, release::verify_root_self_signed(envelope));
  if (!root.policy)
    return make_error(Errc::invalid_input, path + " has no x-cocoon-policy: it names no log to follow");
  return root;
}

int watch(const WatchArgs& a) {
  auto root = load_root(a.root);
  if (!root) return report(kTool, root.error());
  // The key first: an encrypted key's passphrase is asked before the daemon starts.
  auto key = load_signing_key(a.key);
  if (!key) return report(kTool, key.error());
  if (a.interval <= 0 || a.interval > 86400)
    return report(kTool, make_error(Errc::invalid_input, "--interval must be within (0, 86400] seconds"));
  if (a.jobs < 1 || a.jobs > 64)
    return report(kTool, make_error(Errc::invalid_input, "--jobs must be within 1..64"));

  watch::WatchConfig c;
  c.root = *root;
  c.log = a.log;
  for (const auto& w : a.witnesses) c.witnesses.push_back({w, a.timeout});
  auto attestations = watch::parse_destination(a.submit, a.log, a.timeout);
  if (!attestations) return report(kTool, attestations.error());
  c.attestations = *attestations;
  // Verdicts belong in the log; a log read from a directory is not ours to write, so they go where the
  // attestations go.
  c.verdicts =
      watch::is_http_url(a.log) ? watch::parse_destination("log", a.log, a.timeout).value() : *attestations;
  c.build.state_dir = a.state;
  c.build.cache_dir = a.cache;
  c.build.work_root = a.work_root;
  c.build.repo = a.repo;
  for (const auto& m : a.sources) {
    auto eq = m.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
      return report(kTool,
                    make_error(Errc::invalid_input, "--source wants URL=PATH_OR_URL, not '" + m + "'"));
    c.build.sources[m.substr(0, eq)] = m.substr(eq + 1);
  }
  c.build.builder_name = a.name;
  c.build.timeout_seconds = a.timeout;
  c.recipes_dir = a.recipes;
  c.interval_seconds = a.interval;
  c.max_backoff_seconds = a.max_backoff;
  c.max_log_failures = a.max_log_failures;
  c.jobs = a.jobs;
  c.max_job_attempts = a.max_attempts;
  c.keep_outputs = a.keep_outputs;
  c.once = a.once;
  c.timeout_seconds = a.timeout;

  bool listed = false;
  for (const auto& b : root->policy->builder_keys) listed = listed || b.key == key->pair.public_key;
  if (!listed)
    std::fprintf(stderr,
                 "%s watch: warning: the root does not list the key of %s as a builder: nodes will not "
                 "count its verdicts\n",
                 kTool, printable(a.key).c_str());

  StopSignals signals;
  if (!signals.ok()) return report(kTool, make_error(Errc::io, "cannot create a signalfd"));
  watch::WatchHooks hooks;
  hooks.wait = [&signals](double s) { return signals.wait(s); };
  hooks.report = [](const std::string& line) {
    char stamp[32];
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::fprintf(stderr, "%s watch: %s %s\n", kTool, stamp, printable(line).c_str());
    std::fflush(stderr);
  };
  hooks.report("watching " + a.log + " as " + key->name + ", state in " + a.state);
  auto st = watch::run_watch(c, *key, hooks);
  if (!st) return report(kTool, st.error());
  hooks.report("stopped cleanly");
  return kExitOk;
}

int watch_status(const std::string& state_dir, bool json) {
  if (!std::filesystem::exists(std::filesystem::path(state_dir) / "watch.db"))
    return report(kTool, make_error(Errc::not_found, "no watch state in " + state_dir + " (no watch.db)"));
  auto state = watch::WatchState::open(state_dir);
  if (!state) return report(kTool, state.error());
  auto position = state->position();
  if (!position) return report(kTool, position.error());
  auto jobs = state->jobs();
  if (!jobs) return report(kTool, jobs.error());
  auto outbox = state->outbox();
  if (!outbox) return report(kTool, outbox.error());
  std::uint64_t size = *position ? (*position)->range.size : 0;
  if (json) {
    Json list = Json::array();
    for (const auto& j : *jobs) list.push_back(watch::job_json(j));
    Json doc{{"state", state_dir}, {"log_size", size}, {"unsubmitted", outbox->size()}, {"jobs", list}};
    std::printf("%s", pretty_json(doc).c_str());
    return kExitOk;
  }
  std::printf("log read up to size %llu; %zu signed entr%s not submitted yet\n",
              static_cast<unsigned long long>(size), outbox->size(), outbox->size() == 1 ? "y" : "ies");
  for (const auto& j : *jobs) {
    std::string what = std::string(watch::job_kind_name(j.kind)) + " " + j.product + " " + j.version;
    std::printf("%4lld  %-10s  %-13s  %s (log %llu, attempts %d)%s%s\n", static_cast<long long>(j.id),
                watch::job_state_name(j.state), j.outcome.empty() ? "-" : j.outcome.c_str(),
                printable(what).c_str(), static_cast<unsigned long long>(j.log_index), j.attempts,
                j.detail.empty() ? "" : "\n      ", printable(j.detail).c_str());
  }
  return kExitOk;
}

}  // namespace

void add_watch_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<WatchArgs>();
  auto* cmd = app.add_subcommand(
      "watch",
      "Follow the log; rebuild release candidates and published releases, log attestations and verdicts");
  cmd->add_option("--root", a->root, "Trusted root.json (its policy names the log, witnesses and builders)")
      ->required();
  cmd->add_option("--log", a->log,
                  "The log: base URL of `cocoon-log serve` (or any static copy), or a directory")
      ->required();
  cmd->add_option("--key", a->key, "This builder's secret key file (signs attestations and verdicts)")
      ->required();
  cmd->add_option("--state", a->state, "State directory (watch.db, per-job logs, diffs and outputs)")
      ->required();
  cmd->add_option("--witness", a->witnesses, "A witness URL to cosign the log's checkpoint (repeatable)");
  cmd->add_option("--repo", a->repo,
                  "TUF repository (directory or URL): published files to diff a mismatch against");
  cmd->add_option("--submit", a->submit,
                  "Where attestations go: log (POST /add, the default), a directory or a URL");
  cmd->add_option("--interval", a->interval, "Seconds between polls of the log (default 60)");
  cmd->add_option("--jobs", a->jobs, "Builds run at the same time (default 1)");
  cmd->add_option(
      "--source", a->sources,
      "URL=PATH_OR_URL: fetch a recipe's source URL from a mirror instead (same commit; repeatable)");
  cmd->add_option("--cache", a->cache, "Git cache directory (default: $XDG_CACHE_HOME/cocoon-release/git)");
  cmd->add_option("--work-root", a->work_root, "Where to create work trees (default: $TMPDIR)");
  cmd->add_option("--recipes", a->recipes,
                  "Directory of recipes, for releases announced without a candidate");
  cmd->add_option("--name", a->name,
                  "Builder display name in attestations and verdicts (default: the key's name)");
  cmd->add_option("--timeout", a->timeout,
                  "Seconds allowed for each log, witness or submit request (default 30)");
  cmd->add_option(
      "--max-attempts", a->max_attempts,
      "Tries of a build that fails for a reason not its own (network, disk) before giving up (default 5)");
  cmd->add_option("--max-backoff", a->max_backoff, "Longest wait between retries, in seconds (default 900)");
  cmd->add_option("--max-log-failures", a->max_log_failures,
                  "Stop after this many failed polls in a row (default 0: never)");
  cmd->add_option("--keep-outputs", a->keep_outputs, "Build outputs kept, newest first (default 8)");
  cmd->add_flag("--once", a->once, "Exit once the log is read, every job finished and everything submitted");
  cmd->callback([a, &exit_code] { exit_code = watch(*a); });

  auto status_state = std::make_shared<std::string>();
  auto status_json = std::make_shared<bool>(false);
  auto* status = app.add_subcommand("watch-status", "Show a watch daemon's jobs, their state and verdicts");
  status->add_option("--state", *status_state, "The daemon's state directory")->required();
  status->add_flag("--json", *status_json, "Print the jobs as JSON on stdout");
  status->callback(
      [status_state, status_json, &exit_code] { exit_code = watch_status(*status_state, *status_json); });
}

}  // namespace cocoon::tools::build
