// PE images and their Authenticode digest (kernels and EFI binaries the measurer hashes). A layout that
// parses has its sections inside the file, sorted and not overlapping; the digest then exists for every
// algorithm with that algorithm's length.
#include "crypto/hash.hpp"
#include "fuzz_common.hpp"
#include "measure/authenticode.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace m = cocoon::measure;
  namespace c = cocoon::crypto;
  auto image = cocoon::fuzz::bytes(data, size);
  auto layout = m::parse_pe(image);
  if (!layout) {
    FUZZ_CHECK(!m::authenticode_digest(image, c::HashAlg::sha256));
    return 0;
  }
  FUZZ_CHECK(layout->size_of_headers <= size);
  std::uint64_t end = layout->size_of_headers;
  for (const auto& s : layout->sections) {
    FUZZ_CHECK(s.raw_offset >= end);
    end = std::uint64_t{s.raw_offset} + s.raw_size;
    FUZZ_CHECK(end <= size);
  }
  FUZZ_CHECK(std::uint64_t{layout->cert_table_offset} + layout->cert_table_size <= size);
  for (auto alg : {c::HashAlg::sha256, c::HashAlg::sha384}) {
    auto digest = m::authenticode_digest(image, alg);
    FUZZ_CHECK(digest);
    FUZZ_CHECK(digest->size() == c::digest_size(alg));
  }
  return 0;
}
