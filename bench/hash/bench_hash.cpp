// Hashes the files named on the command line with cocoon's streaming SHA-256 (one thread per file,
// as `cocoon-build run` does) and prints "<hex>  <name>" like sha256sum, so run.sh can check that all
// three tools agree before comparing their times.
#include <cstdio>
#include <thread>
#include <vector>

#include "crypto/hash.hpp"

int main(int argc, char** argv) {
  std::vector<cocoon::Result<cocoon::crypto::FileDigest>> results(
      argc > 1 ? argc - 1 : 0, cocoon::make_error(cocoon::Errc::internal, ""));
  std::vector<std::thread> threads;
  for (int i = 1; i < argc; ++i)
    threads.emplace_back(
        [&, i] { results[i - 1] = cocoon::crypto::digest_file(cocoon::crypto::HashAlg::sha256, argv[i]); });
  for (auto& t : threads) t.join();
  for (int i = 1; i < argc; ++i) {
    if (!results[i - 1]) {
      std::fprintf(stderr, "bench_hash: %s\n", results[i - 1].error().message.c_str());
      return 1;
    }
    std::printf("%s  %s\n", cocoon::hex_encode(results[i - 1]->digest).c_str(), argv[i]);
  }
  return 0;
}
