#pragma once
// Helpers for the archive tests: building trees, running commands, and writing raw tar bytes by hand
// (so malicious archives can be made without any tar implementation).
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <zstd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/bytes.hpp"

namespace archive_test {
namespace fs = std::filesystem;

inline void write_text(const fs::path& p, const std::string& content, mode_t mode = 0644) {
  fs::create_directories(p.parent_path());
  {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f << content;
  }
  ::chmod(p.c_str(), mode);
}

inline std::string read_text(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

inline void write_bytes(const fs::path& p, const cocoon::Bytes& b) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

// Runs a shell command; returns its exit status and stdout.
struct CommandResult {
  int status = -1;
  std::string out;
};
inline CommandResult run(const std::string& cmd) {
  CommandResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  r.status = ::pclose(p);
  return r;
}

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// A hand-written tar stream. Each header is a ustar block whose fields the test chooses freely.
class RawTar {
 public:
  struct Header {
    std::string name;
    char type = '0';
    std::uint64_t size = 0;
    unsigned mode = 0644;
    std::string linkname;
    std::string prefix;
    std::string raw_size;  // if set, copied into the size field verbatim
    bool corrupt_checksum = false;
    std::string magic = std::string(
        "ustar\0"
        "00",
        8);
  };

  RawTar& header(const Header& h) {
    std::uint8_t b[512] = {};
    auto put = [&](std::size_t off, std::size_t width, const std::string& s) {
      std::memcpy(b + off, s.data(), std::min(width, s.size()));
    };
    auto octal = [&](std::size_t off, std::size_t width, std::uint64_t v) {
      char tmp[32];
      std::snprintf(tmp, sizeof tmp, "%0*llo", static_cast<int>(width - 1),
                    static_cast<unsigned long long>(v));
      put(off, width - 1, tmp);
    };
    put(0, 100, h.name);
    octal(100, 8, h.mode);
    octal(108, 8, 0);
    octal(116, 8, 0);
    if (h.raw_size.empty())
      octal(124, 12, h.size);
    else
      put(124, 12, h.raw_size);
    octal(136, 12, 1700000000);
    b[156] = static_cast<std::uint8_t>(h.type);
    put(157, 100, h.linkname);
    put(257, 8, h.magic);
    put(345, 155, h.prefix);
    std::memset(b + 148, ' ', 8);
    unsigned sum = 0;
    for (std::uint8_t c : b) sum += c;
    if (h.corrupt_checksum) sum += 1;
    char tmp[16];
    std::snprintf(tmp, sizeof tmp, "%06o", sum);
    std::memcpy(b + 148, tmp, 6);
    b[154] = 0;
    bytes_.insert(bytes_.end(), b, b + 512);
    return *this;
  }
  // Content plus zero padding to the block size.
  RawTar& data(const std::string& content) {
    bytes_.insert(bytes_.end(), content.begin(), content.end());
    bytes_.resize(bytes_.size() + (512 - content.size() % 512) % 512, 0);
    return *this;
  }
  RawTar& file(const std::string& name, const std::string& content, unsigned mode = 0644) {
    Header h;
    h.name = name;
    h.size = content.size();
    h.mode = mode;
    return header(h).data(content);
  }
  RawTar& dir(const std::string& name) {
    Header h;
    h.name = name;
    h.type = '5';
    h.mode = 0755;
    return header(h);
  }
  RawTar& symlink(const std::string& name, const std::string& target) {
    Header h;
    h.name = name;
    h.type = '2';
    h.mode = 0777;
    h.linkname = target;
    return header(h);
  }
  RawTar& pax(const std::string& key, const std::string& value) {
    std::string body = " " + key + "=" + value + "\n";
    std::size_t len = body.size() + 1;
    while (std::to_string(len).size() + body.size() != len) len = std::to_string(len).size() + body.size();
    std::string rec = std::to_string(len) + body;
    Header h;
    h.name = "PaxHeader";
    h.type = 'x';
    h.size = rec.size();
    return header(h).data(rec);
  }
  RawTar& end() {
    bytes_.resize(bytes_.size() + 1024, 0);
    return *this;
  }
  RawTar& raw(const std::string& s) {
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    return *this;
  }
  const cocoon::Bytes& bytes() const { return bytes_; }
  cocoon::Bytes truncated(std::size_t drop) const {
    return cocoon::Bytes(bytes_.begin(), bytes_.end() - static_cast<std::ptrdiff_t>(drop));
  }

 private:
  cocoon::Bytes bytes_;
};

inline cocoon::Bytes zstd_compress(const cocoon::Bytes& in) {
  cocoon::Bytes out(ZSTD_compressBound(in.size()));
  std::size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

}  // namespace archive_test
