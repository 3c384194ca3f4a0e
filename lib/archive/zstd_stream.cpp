#include "archive/zstd_stream.hpp"

#include <unistd.h>

namespace cocoon::archive {
namespace {

Error zstd_error(std::string_view what, std::size_t code) {
  return make_error(Errc::internal, std::string(what) + ": " + ZSTD_getErrorName(code));
}

}  // namespace

Result<ZstdCompressor> ZstdCompressor::create(int level, int workers, ByteSink& sink) {
  if (level < 1 || level > 19)
    return make_error(Errc::invalid_input, "zstd level must be 1..19, got " + std::to_string(level));
  if (workers < 1) workers = 1;
  CCtxPtr cctx(ZSTD_createCCtx());
  if (!cctx) return make_error(Errc::internal, "ZSTD_createCCtx failed");
  struct Param {
    ZSTD_cParameter name;
    int value;
  };
  const Param params[] = {
      {ZSTD_c_compressionLevel, level},
      {ZSTD_c_checksumFlag, 1},
      {ZSTD_c_dictIDFlag, 0},
      {ZSTD_c_nbWorkers, workers},
      {ZSTD_c_jobSize, static_cast<int>(kZstdJobSize)},
  };
  for (const Param& p : params) {
    std::size_t r = ZSTD_CCtx_setParameter(cctx.get(), p.name, p.value);
    if (ZSTD_isError(r)) {
      if (p.name == ZSTD_c_nbWorkers)
        return make_error(Errc::unsupported, "libzstd was built without multithreading support");
      return zstd_error("cannot set zstd parameter", r);
    }
  }
  return ZstdCompressor(std::move(cctx), sink);
}

Status ZstdCompressor::write(ByteView data) {
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  while (in.pos < in.size) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    std::size_t r = ZSTD_compressStream2(cctx_.get(), &out, &in, ZSTD_e_continue);
    if (ZSTD_isError(r)) return zstd_error("zstd compression failed", r);
    if (out.pos > 0) COCOON_TRY(sink_->write(ByteView(out_.data(), out.pos)));
  }
  return Ok{};
}

Status ZstdCompressor::finish() {
  ZSTD_inBuffer in{nullptr, 0, 0};
  for (;;) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    std::size_t remaining = ZSTD_compressStream2(cctx_.get(), &out, &in, ZSTD_e_end);
    if (ZSTD_isError(remaining)) return zstd_error("zstd compression failed", remaining);
    if (out.pos > 0) COCOON_TRY(sink_->write(ByteView(out_.data(), out.pos)));
    if (remaining == 0) return Ok{};
  }
}

std::string ZstdCompressor::describe(int level) {
  return std::string("zstd ") + ZSTD_versionString() + " level=" + std::to_string(level) +
         " nbWorkers>=1 jobSize=" + std::to_string(kZstdJobSize) + " checksum=1 dictID=0";
}

Result<std::size_t> FdSource::read(std::uint8_t* buf, std::size_t n) {
  for (;;) {
    ssize_t got = ::read(fd_, buf, n);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR) return errno_error("cannot read", name_);
  }
}

Result<std::unique_ptr<ZstdSource>> ZstdSource::create(ByteSource& input) {
  DCtxPtr dctx(ZSTD_createDCtx());
  if (!dctx) return make_error(Errc::internal, "ZSTD_createDCtx failed");
  std::size_t r = ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, kZstdWindowLogMax);
  if (ZSTD_isError(r)) return zstd_error("cannot set zstd window limit", r);
  return std::unique_ptr<ZstdSource>(new ZstdSource(std::move(dctx), input));
}

Result<std::size_t> ZstdSource::read(std::uint8_t* buf, std::size_t n) {
  ZSTD_outBuffer out{buf, n, 0};
  while (out.pos == 0 && n > 0) {
    if (in_.pos == in_.size && !output_pending_) {
      if (input_ended_) {
        if (frame_open_)
          return make_error(Errc::invalid_input, "truncated zstd stream (ends inside a frame)");
        return std::size_t{0};
      }
      COCOON_ASSIGN(std::size_t got, input_->read(in_buf_.data(), in_buf_.size()));
      if (got == 0) {
        input_ended_ = true;
        continue;
      }
      in_ = ZSTD_inBuffer{in_buf_.data(), got, 0};
    }
    std::size_t in_before = in_.pos, out_before = out.pos;
    std::size_t r = ZSTD_decompressStream(dctx_.get(), &out, &in_);
    if (ZSTD_isError(r))
      return make_error(Errc::invalid_input, std::string("corrupt zstd stream: ") + ZSTD_getErrorName(r));
    // A call without progress after a finished frame returns the next header's size hint; only a
    // call that moved data tells whether we are inside a frame.
    if (in_.pos != in_before || out.pos != out_before) frame_open_ = r != 0;
    output_pending_ = out.pos == out.size;
  }
  return out.pos;
}

}  // namespace cocoon::archive
