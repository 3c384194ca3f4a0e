#pragma once
// Predicting every measurement of an image from its files: the cocoon-measurement/v1 document
// (docs/formats.md, "Measurements"). Each register has a list of candidates, one per host-dependent
// variant, each with its value and the events behind it:
//   candidates.mrtd:  one per page order (single_pass, two_pass)
//   candidates.rtmr1: per QEMU class (patched at each memory size, unpatched) x OVMF layout
//   candidates.rtmr2, candidates.rtmr3: one per role
//   candidates.rtmr0: one per host profile (recorded, never predicted)
// and for each host profile the full register set and image hash per role and OVMF layout.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/result.hpp"
#include "measure/boot_events.hpp"
#include "measure/host_profile.hpp"

namespace cocoon::measure {

// A role: the words Cocoon's launcher appends to image.cmdline, and the spec directory cocoon-init
// measures into RTMR3. Example: {"worker", "cocoon_gpu", "spec/spec-worker"}.
struct Role {
  std::string name;
  std::string append;                         // appended after one space; empty for none
  std::optional<std::filesystem::path> spec;  // no RTMR3 candidate without one
};

struct MeasureInputs {
  std::filesystem::path ovmf, kernel, cmdline;
  std::optional<std::filesystem::path> initrd;
  std::vector<Role> roles;                    // empty: one role "default" with no additions
  std::optional<std::filesystem::path> spec;  // for roles without their own
  std::vector<std::uint64_t> memory_sizes;    // QEMU <= 10.1 header patch; host profiles add theirs
  std::vector<OvmfLayout> ovmf_layouts;       // empty: both
  std::vector<HostProfile> host_profiles;
  bool debug_image = false;
};

constexpr const char* kMeasurementSchema = "cocoon-measurement/v1";

// Refuses bad inputs with Errc::invalid_input (non-TDVF firmware, broken PE, no boot header, NUL in the
// command line, a spec directory breaking the rules, two roles or host profiles with one name).
Result<Json> compute_measurement(const MeasureInputs& in);

// The recipe's "measure" section (docs/formats.md): paths relative to the build's work tree.
// Example: {"ovmf":"OVMF.fd","kernel":"image.vmlinuz","initrd":"image.initrd","cmdline":"image.cmdline",
//           "memory":["100G"],"roles":[{"name":"worker","append":"cocoon_gpu","spec":"spec/spec-worker"}],
//           "host_profiles":["hosts/h100.json"]}
Result<MeasureInputs> measure_inputs_from_recipe_section(const Json& section,
                                                         const std::filesystem::path& work_tree);
Result<Json> measure_from_recipe_section(const Json& section, const std::filesystem::path& work_tree);

}  // namespace cocoon::measure
