#pragma once
// zstd streaming compression/decompression over RAII-owned ZSTD_CCtx/ZSTD_DCtx (internal).
#include <zstd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "archive/unique_fd.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::archive {

// Where produced bytes go.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status write(ByteView data) = 0;
};

// Where consumed bytes come from. read() returns 0 only at the end of the stream.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual Result<std::size_t> read(std::uint8_t* buf, std::size_t n) = 0;
};

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxDeleter {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};
using CCtxPtr = std::unique_ptr<ZSTD_CCtx, CCtxDeleter>;
using DCtxPtr = std::unique_ptr<ZSTD_DCtx, DCtxDeleter>;

// The multi-threaded zstd format is used even for one worker: zstd's output differs between
// nbWorkers=0 and nbWorkers>=1 but is identical for every nbWorkers>=1, so the thread count can
// never change the bytes. The job size is pinned rather than left to the library's heuristic.
inline constexpr std::size_t kZstdJobSize = 8u << 20;
// Decompression refuses frames wanting a window above 2^27 bytes (128 MiB), bounding memory.
inline constexpr int kZstdWindowLogMax = 27;

// Compresses everything written into one zstd frame sent to `sink`.
// Invariant: data is only ever fed with ZSTD_e_continue and the frame closed by finish() with an
// empty ZSTD_e_end, so the library never switches to its one-shot path (which would write a
// different frame header for small inputs).
class ZstdCompressor {
 public:
  static Result<ZstdCompressor> create(int level, int workers, ByteSink& sink);
  Status write(ByteView data);
  Status finish();
  // The parameters fixing the output bytes, e.g. "zstd 1.5.4 level=3 nbWorkers>=1 jobSize=8388608
  // checksum=1 dictID=0".
  static std::string describe(int level);

 private:
  ZstdCompressor(CCtxPtr cctx, ByteSink& sink)
      : cctx_(std::move(cctx)), sink_(&sink), out_(ZSTD_CStreamOutSize()) {}
  CCtxPtr cctx_;
  ByteSink* sink_;
  std::vector<std::uint8_t> out_;
};

// Reads a file descriptor.
class FdSource : public ByteSource {
 public:
  FdSource(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  Result<std::size_t> read(std::uint8_t* buf, std::size_t n) override;

 private:
  int fd_;
  std::string name_;
};

// Decompresses one or more concatenated zstd frames from `input`; a stream ending inside a frame
// is an error ("truncated zstd stream").
class ZstdSource : public ByteSource {
 public:
  static Result<std::unique_ptr<ZstdSource>> create(ByteSource& input);
  Result<std::size_t> read(std::uint8_t* buf, std::size_t n) override;

 private:
  ZstdSource(DCtxPtr dctx, ByteSource& input)
      : dctx_(std::move(dctx)), input_(&input), in_buf_(ZSTD_DStreamInSize()) {}
  DCtxPtr dctx_;
  ByteSource* input_;
  std::vector<std::uint8_t> in_buf_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool input_ended_ = false;
  bool frame_open_ = false;      // the decoder is inside a frame
  bool output_pending_ = false;  // the last call filled the caller's buffer; more may be buffered
};

}  // namespace cocoon::archive
