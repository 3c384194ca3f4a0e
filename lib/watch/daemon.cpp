#include "watch/daemon.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>
#include <map>
#include <memory>
#include <mutex>

#include "core/file_io.hpp"
#include "core/time.hpp"
#include "crypto/hash.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/http_client.hpp"
#include "tlog/log_client.hpp"
#include "watch/discover.hpp"
#include "watch/follow.hpp"
#include "watch/state.hpp"

namespace cocoon::watch {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::uint64_t kMaxRecipeBytes = 1 << 20;

double backoff(double interval, unsigned failures, double cap) {
  double d = interval * std::pow(2.0, static_cast<double>(std::min(failures, 30u)));
  return std::min(std::max(d, 1.0), cap);
}

// Recipes a builder keeps by hand, by the sha256 of their bytes (what a release names).
std::map<std::string, Bytes> scan_recipes(const fs::path& dir) {
  std::map<std::string, Bytes> out;
  if (dir.empty()) return out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec) || e.path().extension() != ".json") continue;
    auto bytes = read_file(e.path(), kMaxRecipeBytes);
    if (bytes.ok()) out.emplace(crypto::sha256_hex(*bytes), std::move(*bytes));
  }
  return out;
}

struct Running {
  Job job;
  std::future<JobResult> result;
};

class Daemon {
 public:
  Daemon(const WatchConfig& c, const crypto::SecretKey& key, const WatchHooks& hooks)
      : c_(c), key_(key), hooks_(hooks) {}

  Status run() {
    COCOON_ASSIGN(WatchState st, WatchState::open(c_.build.state_dir));
    state_.emplace(std::move(st));
    if (!c_.root.policy)
      return make_error(Errc::invalid_input, "the root has no x-cocoon-policy: it names no log");
    trust_.root = c_.root;
    trust_.maintainers = targets_role_keys(c_.root);
    trust_.builder = key_.public_key();
    COCOON_ASSIGN(tlog::NoteVerifier log_key, tlog::parse_verifier_key(c_.root.policy->log_verifier_key));
    if (is_http_url(c_.log)) {
      std::string base = c_.log.back() == '/' ? c_.log : c_.log + "/";
      COCOON_ASSIGN(tlog::HttpFetcher http, tlog::HttpFetcher::create(base, c_.timeout_seconds));
      fetcher_ = std::make_unique<tlog::HttpFetcher>(std::move(http));
    } else {
      fetcher_ = std::make_unique<tlog::DirFetcher>(c_.log);
    }
    client_ = std::make_unique<tlog::LogClient>(*fetcher_, log_key);

    COCOON_ASSIGN(int requeued, state_->requeue_interrupted());
    if (requeued > 0) say(std::to_string(requeued) + " build(s) interrupted by the last stop: queued again");

    Status outcome = loop();
    // Whatever ended the loop, builds already running are finished and recorded: their jobs stay
    // consistent, and a kill -9 is the only way to leave one `building`.
    if (!running_.empty())
      say("stopping: waiting for " + std::to_string(running_.size()) + " running build(s)");
    for (auto& r : running_) {
      JobResult res = r.result.get();
      if (auto s = record(r.job, res); !s.ok() && outcome.ok()) outcome = s;
    }
    running_.clear();
    if (outcome.ok() || is_log_fatal(outcome.error())) (void)submit_outbox();
    return outcome;
  }

 private:
  void say(const std::string& line) {
    std::lock_guard lock(report_mu_);
    if (hooks_.report) hooks_.report(line);
  }

  std::string job_label(const Job& j) const {
    return "job " + std::to_string(j.id) + " (" + job_kind_name(j.kind) + " " + j.product + " " + j.version +
           ")";
  }

  Status loop() {
    auto next_poll = Clock::now();
    auto next_submit = Clock::now();
    unsigned poll_failures = 0, submit_failures = 0;
    bool caught_up = false;
    for (;;) {
      auto now = Clock::now();
      if (now >= next_poll) {
        Status polled = poll();
        if (!polled.ok()) {
          if (is_log_fatal(polled.error())) return polled;
          ++poll_failures;
          if (c_.max_log_failures && poll_failures >= c_.max_log_failures)
            return make_error(Errc::network, "the log could not be read " + std::to_string(poll_failures) +
                                                 " times in a row: " + polled.error().message);
          double wait = backoff(c_.interval_seconds, poll_failures, c_.max_backoff_seconds);
          say("log: " + polled.error().message + " (retry in " + std::to_string(static_cast<long>(wait)) +
              "s)");
          next_poll = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait));
        } else {
          poll_failures = 0;
          caught_up = true;
          next_poll = now + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(c_.interval_seconds));
        }
      }
      COCOON_TRY(collect(false));
      COCOON_TRY(start_jobs());
      if (Clock::now() >= next_submit) {
        Status sent = submit_outbox();
        if (!sent.ok()) {
          if (sent.error().code != Errc::network && sent.error().code != Errc::invalid_input) return sent;
          ++submit_failures;
          double wait = backoff(c_.interval_seconds, submit_failures, c_.max_backoff_seconds);
          say("submit: " + sent.error().message + " (retry in " + std::to_string(static_cast<long>(wait)) +
              "s)");
          next_submit =
              Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait));
        } else {
          submit_failures = 0;
        }
      }
      if (c_.once && caught_up && running_.empty()) {
        COCOON_ASSIGN(bool idle, nothing_left());
        if (idle) return Ok{};
      }
      // While builds run, look at them often; otherwise sleep until the next poll.
      double until_poll = std::chrono::duration<double>(next_poll - Clock::now()).count();
      double nap = running_.empty() ? std::max(0.05, until_poll) : std::min(0.25, std::max(0.05, until_poll));
      if (c_.once && running_.empty()) nap = std::min(nap, 0.5);
      if (hooks_.wait(nap)) {
        say("stop requested");
        stopping_ = true;
        return Ok{};
      }
    }
  }

  Result<bool> nothing_left() {
    COCOON_ASSIGN(auto jobs, state_->jobs());
    for (const auto& j : jobs)
      if (j.state == JobState::queued || j.state == JobState::building || j.state == JobState::submitting)
        return false;
    COCOON_ASSIGN(auto out, state_->outbox());
    return out.empty();
  }

  // One round of following the log, in one transaction with the jobs it finds.
  Status poll() {
    recipes_ = scan_recipes(c_.recipes_dir);
    COCOON_ASSIGN(std::optional<LogPosition> previous, state_->position());
    std::vector<std::string> lines;
    COCOON_TRY(state_->begin());
    auto sink = [&](std::uint64_t index, ByteView entry) -> Status {
      Finding f = examine_entry(index, entry, trust_);
      if (!f.ignored.empty())
        lines.push_back("ignored log entry " + std::to_string(index) + ": " + f.ignored);
      if (f.candidate) {
        const StoredCandidate& c = *f.candidate;
        COCOON_TRY(state_->add_candidate(c));
        Job j;
        j.kind = JobKind::candidate;
        j.key = candidate_job_key(c.recipe_sha256);
        j.log_index = index;
        j.entry_sha256 = c.entry_sha256;
        j.product = c.product;
        j.version = c.version;
        j.recipe_sha256 = c.recipe_sha256;
        j.source_commit = c.source_commit;
        COCOON_ASSIGN(bool added, state_->add_job(j));
        COCOON_TRY(state_->wake_waiting(c.recipe_sha256));
        if (added)
          lines.push_back("log entry " + std::to_string(index) + ": candidate " + c.product + " " +
                          c.version + " from " + c.signer);
      }
      for (Job j : f.releases) {
        COCOON_ASSIGN(auto cand, state_->candidate_by_recipe(j.recipe_sha256));
        if (!cand && !recipes_.count(j.recipe_sha256)) {
          j.state = JobState::waiting;
          j.detail = "no candidate or --recipes file with recipe sha256 " + j.recipe_sha256 + " yet";
        }
        COCOON_ASSIGN(bool added, state_->add_job(j));
        if (added)
          lines.push_back("log entry " + std::to_string(index) + ": release " + j.product + " " + j.version +
                          " (targets version " + std::to_string(j.targets_version) + ")");
      }
      if (f.own_verdict_key) COCOON_TRY(state_->mark_verified(*f.own_verdict_key, f.own_verdict_outcome));
      return Ok{};
    };
    auto step = follow_step(*client_, *c_.root.policy, c_.witnesses, previous, now_unix(), sink);
    if (!step.ok()) {
      state_->rollback();
      return step.error();
    }
    Status saved = state_->set_position(step->next);
    if (saved.ok()) saved = state_->commit();
    if (!saved.ok()) {
      state_->rollback();
      return saved;
    }
    if (step->next.range.size != step->old_size) {
      std::string w;
      for (const auto& name : step->witnesses) w += (w.empty() ? "" : ", ") + name;
      say("log: size " + std::to_string(step->old_size) + " -> " + std::to_string(step->next.range.size) +
          ", consistent" + (w.empty() ? std::string() : ", cosigned by " + w));
    }
    for (const auto& l : lines) say(l);
    return Ok{};
  }

  std::optional<Bytes> recipe_for(const Job& j) {
    auto cand = j.kind == JobKind::candidate ? state_->candidate_at(j.log_index)
                                             : state_->candidate_by_recipe(j.recipe_sha256);
    if (cand.ok() && *cand) return (*cand)->recipe;
    if (auto it = recipes_.find(j.recipe_sha256); it != recipes_.end()) return it->second;
    return std::nullopt;
  }

  Status start_jobs() {
    while (running_.size() < std::max(1u, c_.jobs)) {
      COCOON_ASSIGN(auto next, state_->next_runnable(now_unix()));
      if (!next) return Ok{};
      Job job = *next;
      auto recipe = recipe_for(job);
      if (!recipe) {
        COCOON_TRY(
            state_->set_job_state(job.id, JobState::waiting,
                                  "no candidate or --recipes file with recipe sha256 " + job.recipe_sha256));
        continue;
      }
      // The job is `building` on disk before the build starts: a crash from here on builds it again.
      COCOON_TRY(state_->start_job(job.id));
      job.attempts += 1;
      say(job_label(job) + ": building (attempt " + std::to_string(job.attempts) + ")");
      auto progress = [this, label = job_label(job)](const build::ProgressEvent& e) {
        using K = build::ProgressEvent::Kind;
        if (e.kind == K::step_done) say(label + ": step " + e.step + " done");
        if (e.kind == K::step_failed)
          say(label + ": step " + e.step + " failed (exit " + std::to_string(e.exit_code) + ")");
        if (e.kind == K::warning) say(label + ": warning: " + e.message);
      };
      Running r{job, std::async(std::launch::async, [this, job, bytes = std::move(*recipe), progress] {
                  return run_job(job, bytes, key_, c_.build, progress);
                })};
      running_.push_back(std::move(r));
    }
    return Ok{};
  }

  Status collect(bool wait_all) {
    for (auto it = running_.begin(); it != running_.end();) {
      if (!wait_all && it->result.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        ++it;
        continue;
      }
      JobResult res = it->result.get();
      Job job = it->job;
      it = running_.erase(it);
      COCOON_TRY(record(job, res));
    }
    return Ok{};
  }

  Status record(const Job& job, const JobResult& res) {
    // A step that died while the daemon was being stopped was most likely killed by the same signal
    // (a terminal's ^C, systemd's stop): it is built again on the next start, not judged.
    if (stopping_ && res.kind == JobResult::Kind::build_failure) {
      say(job_label(job) + ": interrupted by the stop, queued again");
      return state_->set_job_state(job.id, JobState::queued, "interrupted by a stop: " + res.detail);
    }
    if (res.kind == JobResult::Kind::retry) {
      if (job.attempts >= c_.max_job_attempts) {
        say(job_label(job) + ": giving up after " + std::to_string(job.attempts) +
            " attempts: " + res.detail);
        return state_->set_job_state(job.id, JobState::error, res.detail);
      }
      double wait = backoff(c_.interval_seconds, static_cast<unsigned>(job.attempts), c_.max_backoff_seconds);
      say(job_label(job) + ": " + res.detail + " (retry in " + std::to_string(static_cast<long>(wait)) +
          "s)");
      return state_->set_job_state(job.id, JobState::queued, res.detail,
                                   now_unix() + static_cast<std::int64_t>(std::ceil(wait)));
    }
    COCOON_TRY(state_->finish_job(job.id, job_result_name(res.kind), res.detail, res.entries));
    say(job_label(job) + ": " + job_result_name(res.kind) + (res.detail.empty() ? "" : ": " + res.detail));
    prune_outputs(c_.build.state_dir, c_.keep_outputs);
    return Ok{};
  }

  Status submit_outbox() {
    COCOON_ASSIGN(auto pending, state_->outbox());
    for (const auto& e : pending) {
      const Destination& d = e.kind == "verdict" ? c_.verdicts : c_.attestations;
      COCOON_ASSIGN(auto index, submit_entry(d, e.entry, e.kind));
      COCOON_TRY(state_->mark_submitted(e.id, index));
      say("job " + std::to_string(e.job_id) + ": " + e.kind + " submitted" +
          (index ? " as log entry " + std::to_string(*index) : " to " + d.location));
    }
    return Ok{};
  }

  const WatchConfig& c_;
  const crypto::SecretKey& key_;
  const WatchHooks& hooks_;
  std::optional<WatchState> state_;
  Trust trust_;
  std::unique_ptr<tlog::TileFetcher> fetcher_;
  std::unique_ptr<tlog::LogClient> client_;
  std::map<std::string, Bytes> recipes_;
  std::vector<Running> running_;
  std::mutex report_mu_;
  bool stopping_ = false;
};

}  // namespace

Status run_watch(const WatchConfig& config, const crypto::SecretKey& key, const WatchHooks& hooks) {
  Daemon d(config, key, hooks);
  return d.run();
}

}  // namespace cocoon::watch
