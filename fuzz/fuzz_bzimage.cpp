// Linux bzImage setup headers (kernels the measurer is given) and QEMU's rewrite of them. A header that
// parses can be patched for any memory size; the patched kernel has the input's length and differs only
// inside the setup header.
#include "fuzz_common.hpp"
#include "measure/bzimage.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace m = cocoon::measure;
  auto kernel = cocoon::fuzz::bytes(data, size);
  auto header = m::parse_setup_header(kernel);
  if (!header) return 0;
  FUZZ_CHECK(header->protocol >= 0x0202);
  for (std::uint64_t memory : {std::uint64_t{512} << 20, std::uint64_t{100} << 30}) {
    for (auto initrd : {std::optional<std::uint64_t>{}, std::optional<std::uint64_t>{1052897}}) {
      m::QemuHeaderFields fields;
      auto patched = m::qemu_patch_kernel(kernel, memory, initrd, &fields);
      if (!patched) continue;
      FUZZ_CHECK(patched->size() == size);
      for (std::size_t i = 0x300; i < size; ++i) FUZZ_CHECK((*patched)[i] == data[i]);
      (void)m::qemu_header_fields_to_json(fields);
    }
  }
  return 0;
}
