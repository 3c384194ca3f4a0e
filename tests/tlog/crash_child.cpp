// Appends to a log in a loop until killed; used by test_crash.cpp. After each append returns (its
// checkpoint is durable) it records "<index> <entry>\n" for every entry in the ack file, so the
// parent knows exactly what was acknowledged before the SIGKILL.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "tlog/log_writer.hpp"

using namespace cocoon;
using namespace cocoon::tlog;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: tlog_crash_child LOGDIR ACKFILE TRIAL\n");
    return 2;
  }
  auto pair = crypto::ed25519_from_seed(Bytes(32, 7));
  auto signer = pair.ok() ? make_signer("example.org/crash-log", *pair) : Result<NoteSigner>(pair.error());
  if (!signer.ok()) return 3;
  auto writer = LogWriter::open(argv[1], *signer);
  if (!writer.ok()) {
    std::fprintf(stderr, "open: %s\n", writer.error().message.c_str());
    return 4;
  }
  int ack = ::open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (ack < 0) return 5;
  for (std::uint64_t round = 0;; ++round) {
    std::vector<Bytes> batch;
    std::size_t n = 1 + round % 37;  // batch sizes vary so tile boundaries fall at every offset
    for (std::size_t i = 0; i < n; ++i)
      batch.push_back(to_bytes("trial " + std::string(argv[3]) + " round " + std::to_string(round) +
                               " item " + std::to_string(i)));
    auto r = writer->append(batch);
    if (!r.ok()) {
      std::fprintf(stderr, "append: %s\n", r.error().message.c_str());
      return 6;
    }
    std::string lines;
    for (std::size_t i = 0; i < n; ++i)
      lines += std::to_string(r->entries[i].index) + " " + to_string(batch[i]) + "\n";
    // One write() per batch: a kill leaves at most a torn last line, which the parent ignores.
    if (::write(ack, lines.data(), lines.size()) != static_cast<ssize_t>(lines.size())) return 7;
  }
}
