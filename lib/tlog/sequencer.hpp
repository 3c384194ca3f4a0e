#pragma once
// Batches concurrent submissions into one append: a submission waits until up to max_batch entries
// are gathered or max_wait has passed since the first of them, then the batch is appended and every
// submitter gets its index together with the checkpoint that covers it. Nothing is acknowledged
// before that checkpoint is durable (LogWriter::append returns only then).
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "tlog/log_writer.hpp"

namespace cocoon::tlog {

struct Submission {
  AppendedEntry entry;
  std::uint64_t size = 0;
  std::string checkpoint;
};

struct SequencerOptions {
  std::size_t max_batch = 1024;
  std::chrono::milliseconds max_wait{50};
};

class Sequencer {
 public:
  static Result<std::unique_ptr<Sequencer>> start(LogWriter writer, SequencerOptions options);
  ~Sequencer();  // appends what is queued, then stops
  Sequencer(const Sequencer&) = delete;
  Sequencer& operator=(const Sequencer&) = delete;

  // Blocks until the entry's batch is committed (or failed).
  Result<Submission> submit(Bytes entry);
  // The last committed checkpoint.
  std::string checkpoint();

 private:
  Sequencer(LogWriter writer, SequencerOptions options);
  void run();

  struct Pending {
    Bytes entry;
    std::promise<Result<Submission>> done;
  };
  LogWriter writer_;
  SequencerOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  std::string checkpoint_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace cocoon::tlog
