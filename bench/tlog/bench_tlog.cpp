// Transparency log benchmarks (bench/tlog/run.sh runs them next to Go's tlog):
//   append   N entries to a log directory on disk in batches (entries per second, durable)
//   hash     the RFC 6962 stored hashes of N entries in memory (what Go's tlog.StoredHashes does)
//   verify   inclusion and consistency proof verification in a tree of N entries (µs per check)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "core/file_io.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/log_client.hpp"
#include "tlog/log_writer.hpp"

using namespace cocoon;
using namespace cocoon::tlog;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}
// Process CPU time: on a shared machine the wall clock also measures everyone else's load.
double cpu_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

Bytes bench_entry(std::uint64_t i) {
  return to_bytes("bench entry " + std::to_string(i));
}

int fail(const Error& e) {
  std::fprintf(stderr, "bench_tlog: %s\n", e.message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  std::uint64_t batch = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 16384;
  if (!crypto::init_sodium().ok()) return 1;

  // hash: leaf and interior hashes of n entries, all kept (like tlog.StoredHashes into a memory store).
  {
    auto t0 = Clock::now();
    double c0 = cpu_seconds();
    MemoryTree tree;
    for (std::uint64_t i = 0; i < n; ++i) tree.append_entry(bench_entry(i));
    double s = seconds_since(t0), cpu = cpu_seconds() - c0;
    std::printf("hash %llu entries: %.3f s wall, %.3f s cpu, %.0f entries/cpu-s, %.0f entries/s\n",
                static_cast<unsigned long long>(n), s, cpu, n / cpu, n / s);
  }

  auto tmp = TempDir::create("cocoon-bench-tlog-");
  if (!tmp.ok()) return fail(tmp.error());
  auto pair = crypto::ed25519_from_seed(Bytes(32, 1));
  auto signer = make_signer("example.org/bench", *pair);
  auto dir = tmp->path() / "log";
  if (auto st = LogWriter::create(dir, *signer); !st.ok()) return fail(st.error());
  auto writer = LogWriter::open(dir, *signer);
  if (!writer.ok()) return fail(writer.error());
  {
    std::vector<std::vector<Bytes>> batches;
    for (std::uint64_t i = 0; i < n; i += batch) {
      std::vector<Bytes> b;
      for (std::uint64_t j = i; j < std::min(n, i + batch); ++j) b.push_back(bench_entry(j));
      batches.push_back(std::move(b));
    }
    auto t0 = Clock::now();
    double c0 = cpu_seconds();
    for (const auto& b : batches)
      if (auto r = writer->append(b); !r.ok()) return fail(r.error());
    double s = seconds_since(t0), cpu = cpu_seconds() - c0;
    std::printf(
        "append %llu entries in batches of %llu: %.3f s wall, %.3f s cpu, %.0f entries/cpu-s, %.0f "
        "entries/s\n",
        static_cast<unsigned long long>(n), static_cast<unsigned long long>(batch), s, cpu, n / cpu, n / s);
  }

  DirFetcher files(dir);
  LogClient client(files, signer->verifier());
  auto cp = client.checkpoint();
  if (!cp.ok()) return fail(cp.error());
  const Checkpoint& c = cp->checkpoint;
  std::uint64_t index = n / 3, old_size = n / 2 + 1;
  auto incl = client.inclusion_proof(index, c.size);
  auto cons = client.consistency_proof(old_size, c.size);
  auto old_root = client.root(old_size);
  if (!incl.ok() || !cons.ok() || !old_root.ok())
    return fail(make_error(Errc::internal, "proof generation failed"));
  Hash leaf = leaf_hash(bench_entry(index));
  constexpr int kIters = 20000;
  auto t0 = Clock::now();
  for (int i = 0; i < kIters; ++i)
    if (!check_inclusion(*incl, c.size, index, leaf, c.root).ok())
      return fail(make_error(Errc::internal, "bad proof"));
  double incl_us = seconds_since(t0) / kIters * 1e6;
  t0 = Clock::now();
  for (int i = 0; i < kIters; ++i)
    if (!check_consistency(*cons, old_size, c.size, *old_root, c.root).ok())
      return fail(make_error(Errc::internal, "bad proof"));
  double cons_us = seconds_since(t0) / kIters * 1e6;
  std::printf("verify inclusion (%zu hashes): %.2f us\n", incl->size(), incl_us);
  std::printf("verify consistency (%zu hashes): %.2f us\n", cons->size(), cons_us);
  t0 = Clock::now();
  constexpr int kProofs = 200;
  for (int i = 0; i < kProofs; ++i)
    if (!client.inclusion_proof((index + static_cast<std::uint64_t>(i) * 4099) % c.size, c.size).ok())
      return fail(make_error(Errc::internal, "proof failed"));
  std::printf("prove inclusion from tiles on disk: %.1f us\n", seconds_since(t0) / kProofs * 1e6);
  return 0;
}
