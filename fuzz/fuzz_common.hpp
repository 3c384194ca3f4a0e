#pragma once
// Shared by the libFuzzer harnesses: a property check that makes libFuzzer keep the input, and the
// conversions every harness needs.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "core/bytes.hpp"

// A failed property is a finding like a crash: abort() makes libFuzzer save the input as crash-*.
#define FUZZ_CHECK(cond)                                                               \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

namespace cocoon::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline ByteView bytes(const std::uint8_t* data, std::size_t size) {
  return {data, size};
}

// For parsers that read a file: the input written to a per-process scratch file, overwritten by each
// run and removed at exit.
class ScratchFile {
 public:
  ScratchFile() {
    const char* base = std::getenv("TMPDIR");
    path_ = std::filesystem::path(base && *base ? base : "/tmp") /
            ("cocoon-fuzz-" + std::to_string(::getpid()) + ".bin");
  }
  ~ScratchFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  const std::filesystem::path& write(ByteView data) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    out.close();
    FUZZ_CHECK(out.good());
    return path_;
  }

 private:
  std::filesystem::path path_;
};

inline const std::filesystem::path& scratch_file(ByteView data) {
  static ScratchFile file;
  return file.write(data);
}

}  // namespace cocoon::fuzz
