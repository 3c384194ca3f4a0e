// TDVF metadata of an OVMF image (a file the measurer is given). Sections that parse lie inside the
// file and are page-aligned; the MRTD is computed for images whose sections are small enough to measure
// in a fuzzing run.
#include "fuzz_common.hpp"
#include "measure/tdvf.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace m = cocoon::measure;
  auto fw = cocoon::fuzz::bytes(data, size);
  auto meta = m::parse_tdvf(fw);
  if (!meta) return 0;
  FUZZ_CHECK(meta->descriptor_offset < size);
  std::uint64_t pages = 0;
  for (const auto& s : meta->sections) {
    FUZZ_CHECK(std::uint64_t{s.data_offset} + s.raw_data_size <= size);
    FUZZ_CHECK(s.gpa % 4096 == 0 && s.memory_size % 4096 == 0);
    (void)m::tdvf_section_type_name(s.type);
    pages += s.memory_size / 4096;
  }
  if (pages <= 256) {
    auto a = m::compute_mrtd(fw, *meta, m::PageOrder::single_pass);
    auto b = m::compute_mrtd(fw, *meta, m::PageOrder::two_pass);
    (void)a;
    (void)b;
  }
  return 0;
}
