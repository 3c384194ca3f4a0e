#pragma once
// Hands byte chunks from one producer thread to one consumer thread (internal). Lets pack_directory
// read files while the previous chunks are being compressed and written.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::archive {

// Invariant: chunks leave in the order they entered; at most `depth` filled chunks wait at a time
// (the producer blocks beyond that), buffers are reused instead of reallocated, and after cancel()
// no call blocks. Example: producer push(A), push(B), close({}); consumer pop() -> A, pop() -> B,
// pop() -> nullopt with producer_error() empty.
class ChunkPipe {
 public:
  ChunkPipe(std::size_t depth, std::size_t chunk_size) : depth_(depth), chunk_size_(chunk_size) {}

  // Producer: an empty buffer of chunk_size bytes.
  Bytes acquire() {
    std::lock_guard lock(mu_);
    if (free_.empty()) return Bytes(chunk_size_);
    Bytes b = std::move(free_.back());
    free_.pop_back();
    b.resize(chunk_size_);
    return b;
  }
  // Producer: queues a filled chunk; false once the consumer cancelled.
  bool push(Bytes chunk) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return cancelled_ || full_.size() < depth_; });
    if (cancelled_) return false;
    full_.push_back(std::move(chunk));
    cv_.notify_all();
    return true;
  }
  // Producer: nothing more will come; `error` if producing failed.
  void close(std::optional<Error> error) {
    std::lock_guard lock(mu_);
    closed_ = true;
    error_ = std::move(error);
    cv_.notify_all();
  }
  // Consumer: the next chunk, or nullopt once closed and drained.
  std::optional<Bytes> pop() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !full_.empty() || closed_ || cancelled_; });
    if (full_.empty() || cancelled_) return std::nullopt;
    Bytes b = std::move(full_.front());
    full_.pop_front();
    cv_.notify_all();
    return b;
  }
  void recycle(Bytes chunk) {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(chunk));
  }
  // Consumer: stop the producer (its next push returns false).
  void cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    cv_.notify_all();
  }
  std::optional<Error> producer_error() {
    std::lock_guard lock(mu_);
    return error_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Bytes> full_;
  std::vector<Bytes> free_;
  std::size_t depth_;
  std::size_t chunk_size_;
  bool closed_ = false;
  bool cancelled_ = false;
  std::optional<Error> error_;
};

}  // namespace cocoon::archive
