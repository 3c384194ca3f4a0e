// Times `measure` on Cocoon-sized inputs: a 4 MiB TDVF firmware, a 12 MiB PE kernel, a 64 MiB initrd and a
// 1,000-file spec directory, with two memory sizes and one host profile; and SHA-384 throughput through
// lib/crypto's Hasher (run.sh compares it with `openssl speed -evp sha384`). Prints "key value" lines.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>

#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "measure/measurement.hpp"

using namespace cocoon;
namespace fs = std::filesystem;

namespace {

void put32(Bytes& b, size_t off, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put64(Bytes& b, size_t off, std::uint64_t v) {
  put32(b, off, static_cast<std::uint32_t>(v));
  put32(b, off + 4, static_cast<std::uint32_t>(v >> 32));
}

Bytes noise(size_t n, unsigned seed) {
  Bytes b(n);
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i + 8 <= n; i += 8) {
    std::uint64_t v = rng();
    std::memcpy(b.data() + i, &v, 8);
  }
  return b;
}

Bytes firmware(size_t size) {
  Bytes fw = noise(size, 1);
  size_t desc = size - 0x1000;
  std::memcpy(fw.data() + desc, "TDVF", 4);
  put32(fw, desc + 4, 16 + 2 * 32);
  put32(fw, desc + 8, 1);
  put32(fw, desc + 12, 2);
  put32(fw, desc + 16, 0);
  put32(fw, desc + 20, static_cast<std::uint32_t>(size));
  put64(fw, desc + 24, 0x100000000ull - size);
  put64(fw, desc + 32, size);
  put32(fw, desc + 40, 0);
  put32(fw, desc + 44, 1);
  std::memset(fw.data() + desc + 48, 0, 32);
  put64(fw, desc + 48 + 8, 0x800000);
  put64(fw, desc + 48 + 16, 0x10000);
  put32(fw, desc + 48 + 24, 3);
  const std::uint8_t footer[16] = {0xde, 0x82, 0xb5, 0x96, 0xb2, 0x1f, 0xf7, 0x45,
                                   0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d};
  const std::uint8_t tdx[16] = {0x35, 0x65, 0x7a, 0xe4, 0x4a, 0x98, 0x98, 0x47,
                                0x86, 0x5e, 0x46, 0x85, 0xa7, 0xbf, 0x8e, 0xc2};
  std::memcpy(fw.data() + size - 48, footer, 16);
  fw[size - 50] = 40, fw[size - 49] = 0;
  std::memcpy(fw.data() + size - 66, tdx, 16);
  fw[size - 68] = 22, fw[size - 67] = 0;
  put32(fw, size - 72, static_cast<std::uint32_t>(size - desc));
  return fw;
}

Bytes kernel(size_t size) {
  Bytes k = noise(size, 2);
  std::memset(k.data(), 0, 0x1000);
  const size_t pe = 0x280, opt = pe + 24;
  k[0] = 'M', k[1] = 'Z';
  put32(k, 0x3c, pe);
  std::memcpy(k.data() + 0x202, "HdrS", 4);
  k[0x206] = 0x0f, k[0x207] = 0x02;
  k[0x211] = 0x01;
  k[0x236] = 0x7f;
  std::memcpy(k.data() + pe, "PE\0\0", 4);
  k[pe + 6] = 1;
  k[pe + 20] = 240;
  k[opt] = 0x0b, k[opt + 1] = 0x02;
  put32(k, opt + 60, 0x1000);
  put32(k, opt + 108, 16);
  size_t s = opt + 240;
  std::memcpy(k.data() + s, ".text", 5);
  put32(k, s + 16, static_cast<std::uint32_t>(size - 0x1000));
  put32(k, s + 20, 0x1000);
  return k;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU time of this process: `openssl speed` divides by user CPU time too, so the two rates stay comparable
// on a machine shared with other jobs.
double cpu_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

int fail(const Error& e) {
  std::fprintf(stderr, "bench_measure: %s\n", e.message.c_str());
  return 1;
}

}  // namespace

int main() {
  auto dir = TempDir::create("bench-measure-");
  if (!dir) return fail(dir.error());
  fs::path d = dir->path();
  if (auto st = write_file_atomic(d / "OVMF.fd", firmware(4u << 20)); !st) return fail(st.error());
  if (auto st = write_file_atomic(d / "image.vmlinuz", kernel(12u << 20)); !st) return fail(st.error());
  if (auto st = write_file_atomic(d / "image.initrd", noise(64u << 20, 3)); !st) return fail(st.error());
  if (auto st =
          write_file_atomic(d / "image.cmdline", std::string("console=hvc0 root=/dev/vda1 rd.shell=0\n"));
      !st)
    return fail(st.error());
  for (int i = 0; i < 1000; ++i) {
    fs::path f = d / "spec" / ("dir" + std::to_string(i % 20)) / ("file" + std::to_string(i) + ".json");
    fs::create_directories(f.parent_path());
    if (auto st = write_file_atomic(f, noise(2048, 100 + i)); !st) return fail(st.error());
  }
  measure::MeasureInputs in;
  in.ovmf = d / "OVMF.fd";
  in.kernel = d / "image.vmlinuz";
  in.initrd = d / "image.initrd";
  in.cmdline = d / "image.cmdline";
  in.spec = d / "spec";
  in.roles = {{"worker", "cocoon_gpu", std::nullopt}};
  in.memory_sizes = {100ull << 30};
  double best = 1e9, best_cpu = 1e9;
  for (int run = 0; run < 3; ++run) {
    auto t0 = std::chrono::steady_clock::now();
    double c0 = cpu_seconds();
    auto m = measure::compute_measurement(in);
    if (!m) return fail(m.error());
    best = std::min(best, seconds_since(t0));
    best_cpu = std::min(best_cpu, cpu_seconds() - c0);
  }
  std::printf("measure_seconds %.3f\n", best);
  std::printf("measure_cpu_seconds %.3f\n", best_cpu);
  // SHA-384 throughput in 16 KiB updates, as `openssl speed -bytes 16384` measures.
  Bytes block = noise(16384, 4);
  crypto::Hasher h(crypto::HashAlg::sha384);
  double c0 = cpu_seconds();
  std::uint64_t bytes = 0;
  while (cpu_seconds() - c0 < 2.0) {
    for (int i = 0; i < 256; ++i) h.update(block);
    bytes += 256 * block.size();
  }
  double mbps = static_cast<double>(bytes) / (cpu_seconds() - c0) / 1e6;
  h.finish();
  std::printf("sha384_mb_per_s %.1f\n", mbps);
  return 0;
}
