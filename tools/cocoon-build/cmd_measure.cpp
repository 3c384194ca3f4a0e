// cocoon-build measure: predict an image's TDX measurements (docs/measurements.md) and write them as a
// cocoon-measurement/v1 document (docs/formats.md).
#include <cstdio>
#include <map>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "measure/bzimage.hpp"
#include "measure/measurement.hpp"

namespace cocoon::tools::build {
namespace {

struct MeasureArgs {
  std::string ovmf, kernel, initrd, cmdline, spec, out;
  std::vector<std::string> roles, role_specs, memory, layouts, host_profiles;
  bool debug_image = false;
};

Result<std::pair<std::string, std::string>> split_assignment(const std::string& s, const char* option) {
  auto eq = s.find('=');
  if (eq == std::string::npos || eq == 0)
    return make_error(Errc::invalid_input, std::string(option) + " '" + s + "' is not NAME=VALUE");
  return std::make_pair(s.substr(0, eq), s.substr(eq + 1));
}

Result<measure::MeasureInputs> inputs_from_args(const MeasureArgs& a) {
  measure::MeasureInputs in;
  in.ovmf = a.ovmf;
  in.kernel = a.kernel;
  in.cmdline = a.cmdline;
  if (!a.initrd.empty()) in.initrd = a.initrd;
  if (!a.spec.empty()) in.spec = a.spec;
  in.debug_image = a.debug_image;
  std::map<std::string, std::string> role_spec;
  for (const auto& rs : a.role_specs) {
    COCOON_ASSIGN(auto kv, split_assignment(rs, "--role-spec"));
    role_spec[kv.first] = kv.second;
  }
  for (const auto& r : a.roles) {
    COCOON_ASSIGN(auto kv, split_assignment(r, "--role"));
    measure::Role role{kv.first, kv.second, std::nullopt};
    if (auto it = role_spec.find(kv.first); it != role_spec.end()) {
      role.spec = it->second;
      role_spec.erase(it);
    }
    in.roles.push_back(std::move(role));
  }
  if (!role_spec.empty())
    return make_error(Errc::invalid_input,
                      "--role-spec names role '" + role_spec.begin()->first + "', which no --role declares");
  for (const auto& m : a.memory) {
    COCOON_ASSIGN(std::uint64_t bytes, measure::parse_memory_size(m));
    in.memory_sizes.push_back(bytes);
  }
  for (const auto& l : a.layouts) {
    COCOON_ASSIGN(measure::OvmfLayout layout, measure::ovmf_layout_from_name(l));
    in.ovmf_layouts.push_back(layout);
  }
  for (const auto& p : a.host_profiles) {
    COCOON_ASSIGN(measure::HostProfile profile, measure::load_host_profile(p));
    in.host_profiles.push_back(std::move(profile));
  }
  return in;
}

int measure_command(const MeasureArgs& a) {
  auto in = inputs_from_args(a);
  if (!in) return report("cocoon-build", in.error());
  auto doc = measure::compute_measurement(*in);
  if (!doc) return report("cocoon-build", doc.error());
  if (auto st = write_file_atomic(a.out, pretty_json(*doc)); !st) return report("cocoon-build", st.error());
  const Json& c = (*doc)["candidates"];
  for (const auto& m : c["mrtd"])
    std::printf("MRTD  %-60s %s\n", printable(m["label"].get<std::string>()).c_str(),
                printable(m["value"].get<std::string>()).c_str());
  for (const char* reg : {"rtmr1", "rtmr2", "rtmr3"})
    for (const auto& m : c[reg])
      std::printf("%s %-60s %s\n",
                  reg == std::string("rtmr1")   ? "RTMR1"
                  : reg == std::string("rtmr2") ? "RTMR2"
                                                : "RTMR3",
                  printable(m["label"].get<std::string>()).c_str(),
                  printable(m["value"].get<std::string>()).c_str());
  if (c["rtmr0"].empty())
    std::printf("RTMR0 unverified: host-dependent (no --host-profile given, no image hash)\n");
  for (const auto& h : (*doc)["image_hashes"])
    std::printf("image hash %s  host %s, role %s, %s\n",
                printable(h["image_hash"].get<std::string>()).c_str(),
                printable(h["host_profile"].get<std::string>()).c_str(),
                printable(h["role"].get<std::string>()).c_str(),
                printable(h["ovmf_layout"].get<std::string>()).c_str());
  std::printf("wrote %s\n", printable(a.out).c_str());
  return kExitOk;
}

}  // namespace

void add_measure_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<MeasureArgs>();
  auto* cmd =
      app.add_subcommand("measure", "Predict TDX measurements (MRTD, RTMR1-3, image hashes) of an image");
  cmd->add_option("--ovmf", args->ovmf, "OVMF.fd (TDVF firmware)")->required();
  cmd->add_option("--kernel", args->kernel, "Kernel (bzImage with EFI stub)")->required();
  cmd->add_option("--initrd", args->initrd, "Initrd");
  cmd->add_option("--cmdline", args->cmdline, "Kernel command line file (image.cmdline)")->required();
  cmd->add_option("--spec", args->spec, "Spec directory measured into RTMR3 (for roles without --role-spec)");
  cmd->add_option("--role", args->roles,
                  "NAME=APPEND: a role and the words its launcher appends to the cmdline");
  cmd->add_option("--role-spec", args->role_specs, "NAME=DIR: the spec directory of one role");
  cmd->add_option("--memory", args->memory,
                  "Guest memory size (e.g. 100G) for the QEMU <= 10.1 header rewrite");
  cmd->add_option("--ovmf-layout", args->layouts, "ovmf_ge_202411 or ovmf_202302_to_202408 (default: both)");
  cmd->add_option("--host-profile", args->host_profiles, "Host profile JSON (cocoon-host-profile/v1)");
  cmd->add_flag("--debug-image", args->debug_image,
                "The image's cocoon-init also extends cocoon:cocoon_debug");
  cmd->add_option("--out", args->out, "Output file (cocoon-measurement/v1 JSON)")->required();
  cmd->callback([args, &exit_code] { exit_code = measure_command(*args); });
}

}  // namespace cocoon::tools::build
