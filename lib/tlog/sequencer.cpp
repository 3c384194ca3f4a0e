#include "tlog/sequencer.hpp"

namespace cocoon::tlog {

Sequencer::Sequencer(LogWriter writer, SequencerOptions options)
    : writer_(std::move(writer)), options_(options), checkpoint_(writer_.checkpoint_note()) {}

Result<std::unique_ptr<Sequencer>> Sequencer::start(LogWriter writer, SequencerOptions options) {
  if (options.max_batch == 0) return make_error(Errc::invalid_input, "batch size must be at least 1");
  std::unique_ptr<Sequencer> s(new Sequencer(std::move(writer), options));
  try {
    s->worker_ = std::thread([p = s.get()] { p->run(); });
  } catch (const std::system_error& e) {
    return make_error(Errc::internal, std::string("cannot start sequencer thread: ") + e.what());
  }
  return s;
}

Sequencer::~Sequencer() {
  {
    std::lock_guard g(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

std::string Sequencer::checkpoint() {
  std::lock_guard g(mu_);
  return checkpoint_;
}

Result<Submission> Sequencer::submit(Bytes entry) {
  std::future<Result<Submission>> done;
  {
    std::lock_guard g(mu_);
    if (stopping_) return make_error(Errc::unsupported, "the log is shutting down");
    queue_.push_back(Pending{std::move(entry), {}});
    done = queue_.back().done.get_future();
  }
  wake_.notify_all();
  return done.get();
}

void Sequencer::run() {
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping with nothing left
      auto deadline = std::chrono::steady_clock::now() + options_.max_wait;
      wake_.wait_until(lock, deadline, [&] { return stopping_ || queue_.size() >= options_.max_batch; });
      size_t take = std::min(queue_.size(), options_.max_batch);
      for (size_t i = 0; i < take; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<Bytes> entries;
    entries.reserve(batch.size());
    for (auto& p : batch) entries.push_back(std::move(p.entry));
    auto result = writer_.append(entries);
    if (!result.ok()) {
      for (auto& p : batch) p.done.set_value(result.error());
      continue;
    }
    {
      std::lock_guard g(mu_);
      checkpoint_ = result->checkpoint;
    }
    for (size_t i = 0; i < batch.size(); ++i)
      batch[i].done.set_value(Submission{result->entries[i], result->size, result->checkpoint});
  }
}

}  // namespace cocoon::tlog
