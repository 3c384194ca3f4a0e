#include "measure/bzimage.hpp"

#include <cstring>
#include <string>

#include "measure/le.hpp"

namespace cocoon::measure {
namespace {

constexpr size_t kHdrSignature = 0x202;
constexpr size_t kProtocol = 0x206;
constexpr size_t kTypeOfLoader = 0x210;
constexpr size_t kLoadflags = 0x211;
constexpr size_t kRamdiskImage = 0x218;
constexpr size_t kRamdiskSize = 0x21c;
constexpr size_t kHeapEndPtr = 0x224;
constexpr size_t kCmdLinePtr = 0x228;
constexpr size_t kInitrdAddrMax = 0x22c;
constexpr size_t kXloadflags = 0x236;
constexpr std::uint8_t kLoadedHigh = 0x01;
constexpr std::uint8_t kCanUseHeap = 0x80;
constexpr std::uint16_t kXlfCanBeLoadedAbove4g = 0x02;
// QEMU loads a high kernel's real-mode part at 0x10000 and its command line at 0x20000.
constexpr std::uint32_t kRealAddr = 0x10000;
constexpr std::uint32_t kCmdlineAddr = 0x20000;

}  // namespace

Result<SetupHeader> parse_setup_header(ByteView k) {
  if (k.size() < 0x268 || std::memcmp(k.data() + kHdrSignature, "HdrS", 4) != 0)
    return make_error(Errc::invalid_input, "kernel: no Linux boot header ('HdrS' at 0x202); not a bzImage");
  SetupHeader h;
  h.protocol = le::u16(k, kProtocol);
  h.loadflags = k[kLoadflags];
  h.xloadflags = le::u16(k, kXloadflags);
  h.initrd_addr_max = le::u32(k, kInitrdAddrMax);
  if (h.protocol < 0x202)
    return make_error(Errc::unsupported, "kernel: boot protocol " + std::to_string(h.protocol >> 8) + "." +
                                             std::to_string(h.protocol & 0xff) + " is older than 2.02");
  if (!(h.loadflags & kLoadedHigh)) return make_error(Errc::unsupported, "kernel: not a loaded-high bzImage");
  return h;
}

std::uint64_t q35_below_4g_mem_size(std::uint64_t memory) {
  // pc_q35_init: keep 0xb0000000 and up for PCI/MMCONFIG; larger guests split at 2 GiB for 1 GiB alignment.
  std::uint64_t lowmem = memory >= 0xb0000000ull ? 0x80000000ull : 0xb0000000ull;
  return memory >= lowmem ? lowmem : memory;
}

Json qemu_header_fields_to_json(const QemuHeaderFields& f) {
  Json j{{"cmd_line_ptr", f.cmd_line_ptr},
         {"type_of_loader", f.type_of_loader},
         {"loadflags", f.loadflags},
         {"heap_end_ptr", f.heap_end_ptr},
         {"below_4g_mem_size", f.below_4g_mem_size}};
  if (f.ramdisk_image) j["ramdisk_image"] = *f.ramdisk_image;
  if (f.ramdisk_size) j["ramdisk_size"] = *f.ramdisk_size;
  if (f.initrd_max) j["initrd_max"] = *f.initrd_max;
  return j;
}

Result<Bytes> qemu_patch_kernel(ByteView kernel, std::uint64_t memory,
                                std::optional<std::uint64_t> initrd_size, QemuHeaderFields* fields_out) {
  COCOON_ASSIGN(SetupHeader h, parse_setup_header(kernel));
  Bytes k(kernel.begin(), kernel.end());
  QemuHeaderFields f;
  f.below_4g_mem_size = q35_below_4g_mem_size(memory);
  f.cmd_line_ptr = kCmdlineAddr;
  le::put_u32(k, kCmdLinePtr, f.cmd_line_ptr);
  f.type_of_loader = 0xb0;
  k[kTypeOfLoader] = f.type_of_loader;
  f.loadflags = static_cast<std::uint8_t>(k[kLoadflags] | kCanUseHeap);
  k[kLoadflags] = f.loadflags;
  f.heap_end_ptr = static_cast<std::uint16_t>(kCmdlineAddr - kRealAddr - 0x200);
  le::put_u16(k, kHeapEndPtr, f.heap_end_ptr);
  if (initrd_size) {
    std::uint64_t initrd_max;
    if (h.protocol >= 0x20c && (h.xloadflags & kXlfCanBeLoadedAbove4g))
      initrd_max = 0xffffffffull;
    else if (h.protocol >= 0x203)
      initrd_max = h.initrd_addr_max;
    else
      initrd_max = 0x37ffffff;
    if (f.below_4g_mem_size <= kQemuAcpiDataSize)
      return make_error(Errc::invalid_input,
                        "memory size " + std::to_string(memory) + " is too small for a guest");
    if (initrd_max >= f.below_4g_mem_size - kQemuAcpiDataSize)
      initrd_max = f.below_4g_mem_size - kQemuAcpiDataSize - 1;
    if (*initrd_size > initrd_max)
      return make_error(Errc::invalid_input, "initrd of " + std::to_string(*initrd_size) +
                                                 " bytes does not fit below the initrd limit for memory " +
                                                 std::to_string(memory));
    f.initrd_max = initrd_max;
    f.ramdisk_image = static_cast<std::uint32_t>((initrd_max - *initrd_size) & ~std::uint64_t{4095});
    f.ramdisk_size = static_cast<std::uint32_t>(*initrd_size);
    le::put_u32(k, kRamdiskImage, *f.ramdisk_image);
    le::put_u32(k, kRamdiskSize, *f.ramdisk_size);
  }
  if (fields_out) *fields_out = f;
  return k;
}

Result<std::uint64_t> parse_memory_size(std::string_view text) {
  if (text.empty()) return make_error(Errc::invalid_input, "memory size is empty");
  std::uint64_t unit = 1;
  char last = text.back();
  if (last == 'K' || last == 'k') unit = 1ull << 10;
  if (last == 'M' || last == 'm') unit = 1ull << 20;
  if (last == 'G' || last == 'g') unit = 1ull << 30;
  if (last == 'T' || last == 't') unit = 1ull << 40;
  std::string_view digits = unit == 1 ? text : text.substr(0, text.size() - 1);
  if (digits.empty() || digits.size() > 15)
    return make_error(Errc::invalid_input,
                      "memory size '" + std::string(text) + "' is not a number with an optional K/M/G/T");
  std::uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9')
      return make_error(Errc::invalid_input,
                        "memory size '" + std::string(text) + "' is not a number with an optional K/M/G/T");
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v == 0 || v > (std::uint64_t{1} << 50) / unit)
    return make_error(Errc::invalid_input, "memory size '" + std::string(text) + "' is out of range");
  return v * unit;
}

}  // namespace cocoon::measure
