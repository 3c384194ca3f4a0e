#pragma once
// A host profile (schema cocoon-host-profile/v1): one host configuration's facts and the RTMR0 recorded
// from a reference boot's event log on that configuration. RTMR0 covers QEMU's ACPI tables, the TD HOB and
// the firmware's variables, so it cannot be predicted from the image files: a host operator records it once
// (cocoon-verify eventlog --record-host-profile) and builders fold it into measurement.json.
// Example:
//   {"schema":"cocoon-host-profile/v1","name":"h100-qemu10.1","qemu_version":"10.1.0",
//    "memory_bytes":107374182400,"vcpus":32,"devices":["vfio-pci 0000:1b:00.0"],
//    "rtmr0":"0dbb...","rtmr0_events":[...]}
// Optional: "mrtd_page_order" ("single_pass"/"two_pass", default from the QEMU version: < 9 two_pass),
// "kernel_header" ("qemu_le_10_1_patched_header"/"qemu_ge_10_2_unpatched_header", default from the QEMU
// version: <= 10.1 patched), "mrconfigid", "mrowner", "mrownerconfig" (hex, default zero).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/result.hpp"
#include "measure/boot_events.hpp"
#include "measure/register.hpp"
#include "measure/tdvf.hpp"

namespace cocoon::measure {

struct HostProfile {
  std::string name;
  std::string qemu_version;  // "10.1.0"
  std::uint64_t memory_bytes = 0;
  std::uint32_t vcpus = 0;
  std::vector<std::string> devices;
  Register rtmr0{};
  std::vector<Event> rtmr0_events;
  PageOrder page_order = PageOrder::single_pass;
  QemuClass qemu_class = QemuClass::le_10_1_patched;
  Register mrconfigid{}, mrowner{}, mrownerconfig{};
};

Result<HostProfile> host_profile_from_json(const Json& j);
Result<HostProfile> load_host_profile(const std::filesystem::path& path);
Json host_profile_to_json(const HostProfile& p);

}  // namespace cocoon::measure
