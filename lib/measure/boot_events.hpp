#pragma once
// The events a measuring OVMF and the Linux EFI stub extend into RTMR1 and RTMR2, and Cocoon's RTMR3 events.
//
// Example RTMR1 for OVMF edk2-stable202411 or later: [Authenticode SHA-384 of the kernel as received,
// "Calling EFI Application from Boot Option", separator 00000000, "Exit Boot Services Invocation",
// "Exit Boot Services Returned with Success"]; older layouts (202302..202408) have no separator here.
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "measure/register.hpp"

namespace cocoon::measure {

enum class OvmfLayout { ge_202411, from_202302_to_202408 };
const char* ovmf_layout_name(OvmfLayout layout);  // "ovmf_ge_202411", "ovmf_202302_to_202408"
Result<OvmfLayout> ovmf_layout_from_name(std::string_view name);

enum class QemuClass { le_10_1_patched, ge_10_2_unpatched };
const char* qemu_class_name(QemuClass c);  // "qemu_le_10_1_patched_header", "qemu_ge_10_2_unpatched_header"

std::vector<Event> rtmr1_events(ByteView kernel_authenticode_sha384, OvmfLayout layout);

// The kernel command line from image.cmdline's bytes: trailing newlines removed (as -append "$(cat F)"
// passes it). Refuses NUL bytes, other control characters than tab, and invalid UTF-8.
Result<std::string> cmdline_from_file(ByteView file);

// UTF-16LE of cmdline (+ " initrd=initrd" when there is an initrd) with a UTF-16 NUL terminator.
Result<Bytes> load_options(std::string_view cmdline, bool has_initrd);

Result<std::vector<Event>> rtmr2_events(std::string_view cmdline, const std::optional<Bytes>& initrd_sha384);

// Cocoon's cocoon-init: "cocoon:spec.tree=<hex>", "cocoon:tdx_inited", plus "cocoon:cocoon_debug" in
// debug images.
std::vector<Event> rtmr3_events(std::string_view spec_tree_hex, bool debug_image = false);

}  // namespace cocoon::measure
