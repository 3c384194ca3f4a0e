// bench_archive generate DIR MEGABYTES   writes a deterministic mixed tree of about MEGABYTES MB
// bench_archive pack DIR OUT [THREADS]     packs it with pack_directory and prints seconds and bytes
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "archive/archive.hpp"

namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
}

// Text-like content: words from a small vocabulary, compresses well.
std::string text_blob(std::mt19937_64& rng, std::size_t size) {
  static const char* kWords[] = {"cocoon", "release", "build",       "attest",    "void", "int", "return",
                                 "struct", "const",   "std::string", "namespace", "{",    "}",   ";",
                                 "\n",     "if",      "for",         "(",         ")"};
  std::string s;
  while (s.size() < size) {
    s += kWords[rng() % (sizeof kWords / sizeof *kWords)];
    s += ' ';
  }
  s.resize(size);
  return s;
}

// Binary content whose compressibility is `random_share` (0 = all repeated pattern, 1 = random).
std::string binary_blob(std::mt19937_64& rng, std::size_t size, double random_share) {
  std::string s(size, '\0');
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  for (std::size_t page = 0; page < size; page += 4096) {
    std::size_t n = std::min<std::size_t>(4096, size - page);
    if (coin(rng) < random_share) {
      for (std::size_t i = 0; i + 8 <= n; i += 8) {
        std::uint64_t v = rng();
        std::memcpy(s.data() + page + i, &v, 8);
      }
    } else {
      for (std::size_t i = 0; i < n; ++i) s[page + i] = static_cast<char>((i * 7 + page / 4096) & 0x3f);
    }
  }
  return s;
}

int generate(const fs::path& dir, std::size_t megabytes) {
  std::mt19937_64 rng(20260101);
  std::size_t budget = megabytes << 20;
  std::size_t text_budget = budget / 5, used = 0;
  for (int i = 0; used < text_budget; ++i) {
    std::size_t size = 200 + rng() % 12000;
    write_file(dir / ("src/module" + std::to_string(i % 97)) / ("file" + std::to_string(i) + ".cpp"),
               text_blob(rng, size));
    used += size;
  }
  const double shares[] = {1.0, 0.5, 0.1, 0.8};
  for (int i = 0; used < budget; ++i) {
    std::size_t size = std::min<std::size_t>(budget - used, (40u << 20) + rng() % (40u << 20));
    write_file(dir / "bin" / ("blob" + std::to_string(i) + ".bin"), binary_blob(rng, size, shares[i % 4]));
    used += size;
  }
  std::printf("generated %zu MB in %s\n", used >> 20, dir.c_str());
  return 0;
}

int pack(const fs::path& dir, const fs::path& out, int threads) {
  auto start = std::chrono::steady_clock::now();
  auto r = cocoon::archive::pack_directory(dir, out, {.mtime = 0, .zstd_level = 3, .threads = threads});
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!r.ok()) {
    std::fprintf(stderr, "bench_archive: %s\n", r.error().message.c_str());
    return 1;
  }
  std::printf("ours: %.3f s, %llu bytes, %llu entries, %s\n", secs, static_cast<unsigned long long>(r->size),
              static_cast<unsigned long long>(r->entries), r->compressor.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::strcmp(argv[1], "generate") == 0) return generate(argv[2], std::stoul(argv[3]));
  if (argc >= 4 && std::strcmp(argv[1], "pack") == 0)
    return pack(argv[2], argv[3], argc >= 5 ? std::stoi(argv[4]) : 0);
  std::fprintf(stderr, "usage: bench_archive generate DIR MB | pack DIR OUT [THREADS]\n");
  return 2;
}
