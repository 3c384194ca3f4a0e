#include "measure/tdvf.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "crypto/hash.hpp"
#include "measure/le.hpp"

namespace cocoon::measure {
namespace {

// GUIDs in their in-memory (mixed-endian) byte order.
constexpr std::array<std::uint8_t, 16> kTableFooterGuid = {0xde, 0x82, 0xb5, 0x96, 0xb2, 0x1f, 0xf7, 0x45,
                                                           0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d};
constexpr std::array<std::uint8_t, 16> kTdxMetadataGuid = {0x35, 0x65, 0x7a, 0xe4, 0x4a, 0x98, 0x98, 0x47,
                                                           0x86, 0x5e, 0x46, 0x85, 0xa7, 0xbf, 0x8e, 0xc2};
constexpr size_t kPage = 4096;
constexpr size_t kChunk = 256;
constexpr size_t kFooterFromEnd = 48;

bool guid_at(ByteView b, size_t off, const std::array<std::uint8_t, 16>& guid) {
  return std::memcmp(b.data() + off, guid.data(), guid.size()) == 0;
}

Error bad(const std::string& what) {
  return make_error(Errc::invalid_input, "firmware: " + what);
}

// Finds the TDX metadata entry in the GUIDed table; returns its data (offset field) position.
Result<size_t> find_metadata_entry(ByteView fw) {
  if (fw.size() < kFooterFromEnd + 2) return bad("too small to hold an OVMF GUIDed table");
  size_t footer = fw.size() - kFooterFromEnd;
  if (!guid_at(fw, footer, kTableFooterGuid))
    return bad("no OVMF GUIDed table footer 48 bytes before the end (not an OVMF/TDVF image)");
  size_t table_len = le::u16(fw, footer - 2);
  if (table_len < 18 || table_len - 18 > footer - 2) return bad("GUIDed table length is out of range");
  size_t table_start = footer - 2 - (table_len - 18);
  size_t end = footer - 2;  // entries are walked backwards from here
  while (end - table_start >= 18) {
    size_t entry_guid = end - 16;
    size_t entry_len = le::u16(fw, entry_guid - 2);
    if (entry_len < 18 || entry_len > end - table_start)
      return bad("GUIDed table entry length is out of range");
    if (guid_at(fw, entry_guid, kTdxMetadataGuid)) {
      if (entry_len < 18 + 4) return bad("TDX metadata entry too short");
      return end - entry_len;
    }
    end -= entry_len;
  }
  return bad("no TDX metadata entry in the GUIDed table (not a TDVF image)");
}

}  // namespace

const char* tdvf_section_type_name(std::uint32_t type) {
  switch (type) {
    case 0:
      return "BFV";
    case 1:
      return "CFV";
    case 2:
      return "TD_HOB";
    case 3:
      return "TEMP_MEM";
    case 4:
      return "PERM_MEM";
    case 5:
      return "PAYLOAD";
    case 6:
      return "PAYLOAD_PARAM";
    default:
      return "UNKNOWN";
  }
}

const char* page_order_name(PageOrder order) {
  return order == PageOrder::single_pass ? "single_pass" : "two_pass";
}

Result<TdvfMetadata> parse_tdvf(ByteView fw) {
  COCOON_ASSIGN(size_t entry, find_metadata_entry(fw));
  std::uint32_t from_end = le::u32(fw, entry);
  if (from_end > fw.size() || from_end < 16) return bad("TDVF descriptor offset points outside the file");
  TdvfMetadata md;
  md.descriptor_offset = fw.size() - from_end;
  size_t d = md.descriptor_offset;
  if (std::memcmp(fw.data() + d, "TDVF", 4) != 0) return bad("no 'TDVF' signature at the descriptor offset");
  std::uint32_t length = le::u32(fw, d + 4);
  std::uint32_t version = le::u32(fw, d + 8);
  std::uint32_t count = le::u32(fw, d + 12);
  if (version != 1) return bad("TDVF descriptor version " + std::to_string(version) + " is not 1");
  if (count == 0 || count > 1024)
    return bad("TDVF section count " + std::to_string(count) + " is out of range");
  std::uint64_t need = 16 + std::uint64_t{count} * 32;
  if (length < need || d + need > fw.size()) return bad("TDVF descriptor runs past the end of the file");
  for (std::uint32_t i = 0; i < count; ++i) {
    size_t s = d + 16 + size_t{i} * 32;
    TdvfSection sec;
    sec.data_offset = le::u32(fw, s);
    sec.raw_data_size = le::u32(fw, s + 4);
    sec.gpa = le::u64(fw, s + 8);
    sec.memory_size = le::u64(fw, s + 16);
    sec.type = le::u32(fw, s + 24);
    sec.attributes = le::u32(fw, s + 28);
    std::string name = "TDVF section " + std::to_string(i) + ": ";
    if (std::uint64_t{sec.data_offset} + sec.raw_data_size > fw.size())
      return bad(name + "data lies outside the file");
    if (sec.gpa % kPage != 0 || sec.memory_size % kPage != 0)
      return bad(name + "address or size not 4 KiB aligned");
    if (sec.raw_data_size > sec.memory_size) return bad(name + "raw data larger than its memory");
    if (sec.memory_size > (std::uint64_t{1} << 40)) return bad(name + "memory size is implausibly large");
    if (sec.gpa + sec.memory_size < sec.gpa) return bad(name + "address range wraps around");
    md.sections.push_back(sec);
  }
  return md;
}

namespace {

class MrtdBuilder {
 public:
  MrtdBuilder() : h_(crypto::HashAlg::sha384) {}
  void page_add(std::uint64_t gpa) { block("MEM.PAGE.ADD", gpa); }
  void extend_chunk(std::uint64_t gpa, const std::uint8_t* data) {
    block("MR.EXTEND", gpa);
    h_.update(ByteView(data, kChunk));
  }
  Register finish() { return register_from_bytes(h_.finish()); }

 private:
  void block(const char* op, std::uint64_t gpa) {
    std::array<std::uint8_t, 128> b{};
    std::memcpy(b.data(), op, std::strlen(op));
    for (int i = 0; i < 8; ++i) b[16 + i] = static_cast<std::uint8_t>(gpa >> (8 * i));
    h_.update(ByteView(b.data(), b.size()));
  }
  crypto::Hasher h_;
};

// The page contents as loaded: the section's raw data, zero-filled to its memory size.
void extend_page(MrtdBuilder& b, ByteView fw, const TdvfSection& s, std::uint64_t page_off) {
  std::array<std::uint8_t, kPage> page{};
  if (page_off < s.raw_data_size) {
    size_t n = static_cast<size_t>(std::min<std::uint64_t>(kPage, s.raw_data_size - page_off));
    std::memcpy(page.data(), fw.data() + s.data_offset + page_off, n);
  }
  for (size_t c = 0; c < kPage; c += kChunk) b.extend_chunk(s.gpa + page_off + c, page.data() + c);
}

}  // namespace

Register compute_mrtd(ByteView fw, const TdvfMetadata& md, PageOrder order) {
  MrtdBuilder b;
  for (const auto& s : md.sections) {
    if (order == PageOrder::single_pass) {
      for (std::uint64_t off = 0; off < s.memory_size; off += kPage) {
        b.page_add(s.gpa + off);
        if (s.mr_extend()) extend_page(b, fw, s, off);
      }
    } else {
      for (std::uint64_t off = 0; off < s.memory_size; off += kPage) b.page_add(s.gpa + off);
      if (s.mr_extend())
        for (std::uint64_t off = 0; off < s.memory_size; off += kPage) extend_page(b, fw, s, off);
    }
  }
  return b.finish();
}

}  // namespace cocoon::measure
