#pragma once
// The Linux x86 boot-protocol setup header, and the rewrite QEMU 8.0 .. 10.1 applies to it before the
// firmware receives the kernel (hw/i386/x86.c; QEMU 10.2 stopped doing so for confidential guests).
//
// Example: a 100 GiB q35 guest has 2 GiB of RAM below 4 GiB; with 160 KiB of ACPI data the initrd limit is
// 2147483648 - 163840 - 1 = 2147319807, so a 1052897-byte initrd lands at (2147319807 - 1052897) & ~4095 =
// 2146263040, which QEMU writes into ramdisk_image.
#include <cstdint>
#include <optional>

#include "core/bytes.hpp"
#include "core/json.hpp"
#include "core/result.hpp"

namespace cocoon::measure {

struct SetupHeader {
  std::uint16_t protocol = 0;  // e.g. 0x020f for 2.15
  std::uint8_t loadflags = 0;
  std::uint16_t xloadflags = 0;
  std::uint32_t initrd_addr_max = 0;
};

// Refuses (Errc::invalid_input) an image without the "HdrS" boot header, and (Errc::unsupported) boot
// protocols older than 2.02 or kernels not loaded high (QEMU would load them differently).
Result<SetupHeader> parse_setup_header(ByteView kernel);

// q35 with max-ram-below-4g unset: RAM below 4 GiB for a given guest memory size.
std::uint64_t q35_below_4g_mem_size(std::uint64_t memory_bytes);

// The values QEMU writes (for the record in measurement.json).
struct QemuHeaderFields {
  std::uint32_t cmd_line_ptr = 0;
  std::uint8_t type_of_loader = 0;
  std::uint8_t loadflags = 0;
  std::uint16_t heap_end_ptr = 0;
  std::optional<std::uint32_t> ramdisk_image;  // only with an initrd
  std::optional<std::uint32_t> ramdisk_size;
  std::uint64_t below_4g_mem_size = 0;
  std::optional<std::uint64_t> initrd_max;
};
Json qemu_header_fields_to_json(const QemuHeaderFields& f);

constexpr std::uint64_t kQemuAcpiDataSize = 0x28000;  // q35 acpi_data_size (160 KiB)

// Returns the kernel as OVMF receives it from QEMU <= 10.1 and the fields written. initrd_size is absent
// when no initrd is passed. Refuses an initrd that does not fit below the initrd limit.
Result<Bytes> qemu_patch_kernel(ByteView kernel, std::uint64_t memory_bytes,
                                std::optional<std::uint64_t> initrd_size, QemuHeaderFields* fields = nullptr);

// Parses "107374182400", "100G", "2560M", "512K" (binary units).
Result<std::uint64_t> parse_memory_size(std::string_view text);

}  // namespace cocoon::measure
