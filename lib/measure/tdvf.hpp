#pragma once
// TDVF metadata of an OVMF image and the MRTD the TDX module builds from it.
//
// OVMF ends with a GUIDed table whose footer GUID sits 48 bytes before the end of the file; one entry
// (GUID e47a6535-...) holds the distance from the end of the file to the "TDVF" descriptor, which lists
// 32-byte section records. Example (Debian 12 OVMF.fd, 2 MiB): descriptor at 2095040, six sections, the
// first BFV {data_offset 131072, raw 1966080, gpa 0xffe20000, size 1966080, type 0, attributes 1}.
#include <cstdint>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "measure/register.hpp"

namespace cocoon::measure {

struct TdvfSection {
  std::uint32_t data_offset = 0;
  std::uint32_t raw_data_size = 0;
  std::uint64_t gpa = 0;
  std::uint64_t memory_size = 0;
  std::uint32_t type = 0;
  std::uint32_t attributes = 0;
  bool mr_extend() const { return attributes & 1u; }
};
const char* tdvf_section_type_name(std::uint32_t type);  // "BFV", "CFV", "TD_HOB", "TEMP_MEM", ...

struct TdvfMetadata {
  std::uint64_t descriptor_offset = 0;
  std::vector<TdvfSection> sections;
};

// Refuses (Errc::invalid_input) a file without the GUIDed table footer, without the TDVF entry, with a
// descriptor or section outside the file, or with unaligned section addresses or sizes.
Result<TdvfMetadata> parse_tdvf(ByteView firmware);

// The order in which the host adds and measures pages (see shared/specs/tdx.md):
// single_pass: each page added, then its 256-byte chunks extended (upstream KVM, QEMU >= 9);
// two_pass: per section all page adds, then all extends (QEMU 8.x TDX trees).
enum class PageOrder { single_pass, two_pass };
const char* page_order_name(PageOrder order);

Register compute_mrtd(ByteView firmware, const TdvfMetadata& metadata, PageOrder order);

}  // namespace cocoon::measure
