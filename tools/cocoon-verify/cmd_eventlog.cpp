// cocoon-verify eventlog LOG --measurement FILE: replay a CC event log (CCEL data, or cocoon-init's
// plain-text RTMR3 log) and show, per register, the first event that differs from the prediction.
// --record-host-profile NAME writes the log's RTMR0 as a host profile instead of (or besides) checking.
#include <cstdio>

#include "cocoon-verify/commands.hpp"
#include "cocoon-verify/measurement_file.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "measure/bzimage.hpp"

namespace cocoon::tools::verify {
namespace {

struct EventLogArgs {
  std::string log, measurement, record_name, qemu_version, memory, profile_out;
  std::uint32_t vcpus = 0;
  std::vector<std::string> devices;
  bool json = false;
};

std::string describe(const measure::Event& e) {
  return "#" + std::to_string(e.index) + " " + e.description + " " + hex_encode(e.digest);
}

void print_text(const measure::EventLogReport& r) {
  for (const auto& reg : r.registers) {
    const char* verdict = measure::verdict_name(reg.verdict);
    std::printf("%-6s %-10s %s (%zu events)%s%s\n", printable(reg.name).c_str(), verdict,
                printable(measure::to_hex(reg.replayed)).c_str(), reg.event_count,
                reg.matched.empty() ? "" : " = ", printable(reg.matched).c_str());
    if (reg.verdict == measure::Verdict::unverified && reg.name == "RTMR0")
      std::printf("       unverified: host-dependent (no host profile in the measurement)\n");
    if (reg.divergence) {
      const auto& d = *reg.divergence;
      std::printf("       first divergence at event %u (closest candidate: %s)\n", d.index,
                  printable(d.candidate).c_str());
      std::printf("         expected %s\n",
                  d.expected ? printable(describe(*d.expected)).c_str() : "(no more events)");
      std::printf("         actual   %s\n",
                  d.actual ? printable(describe(*d.actual)).c_str() : "(the log ends here)");
    }
  }
  std::printf("result: %s\n", r.ok() ? "MATCH" : "MISMATCH");
}

int eventlog_command(const EventLogArgs& a) {
  if (a.measurement.empty() && a.record_name.empty())
    return report("cocoon-verify",
                  make_error(Errc::invalid_input, "give --measurement, --record-host-profile or both"));
  auto bytes = read_file(a.log, 64u << 20);
  if (!bytes) return report("cocoon-verify", bytes.error());
  auto log = measure::parse_event_log(*bytes);
  if (!log) return report("cocoon-verify", log.error());
  int rc = kExitOk;
  if (!a.measurement.empty()) {
    auto m = load_measurement_file(a.measurement);
    if (!m) return report("cocoon-verify", m.error());
    auto rep = measure::verify_eventlog(*log, *m);
    if (a.json)
      std::printf("%s", pretty_json(measure::eventlog_report_to_json(rep)).c_str());
    else
      print_text(rep);
    rc = rep.ok() ? kExitOk : kExitNegative;
  }
  if (!a.record_name.empty()) {
    if (log->plain_text_rtmr3)
      return report("cocoon-verify",
                    make_error(Errc::invalid_input, "a plain-text RTMR3 log has no RTMR0 to record"));
    if (a.qemu_version.empty() || a.memory.empty() || a.vcpus == 0)
      return report("cocoon-verify",
                    make_error(Errc::invalid_input,
                               "--record-host-profile needs --qemu-version, --memory and --vcpus"));
    auto memory = measure::parse_memory_size(a.memory);
    if (!memory) return report("cocoon-verify", memory.error());
    auto profile =
        measure::host_profile_from_log(*log, a.record_name, a.qemu_version, *memory, a.vcpus, a.devices);
    if (profile.rtmr0_events.empty())
      return report("cocoon-verify",
                    make_error(Errc::invalid_input, "the log has no RTMR0 events to record"));
    // Validate what we write the same way measure will read it.
    Json j = measure::host_profile_to_json(profile);
    if (auto back = measure::host_profile_from_json(j); !back) return report("cocoon-verify", back.error());
    std::string out = a.profile_out.empty() ? a.record_name + ".host-profile.json" : a.profile_out;
    if (auto st = write_file_atomic(out, pretty_json(j)); !st) return report("cocoon-verify", st.error());
    std::fprintf(stderr, "recorded host profile %s (RTMR0 %s, %zu events) in %s\n",
                 printable(a.record_name).c_str(), printable(measure::to_hex(profile.rtmr0)).c_str(),
                 profile.rtmr0_events.size(), printable(out).c_str());
  }
  return rc;
}

}  // namespace

void add_eventlog_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<EventLogArgs>();
  auto* cmd = app.add_subcommand("eventlog",
                                 "Replay a CC event log and line it up with a release's predicted events");
  cmd->add_option("log", args->log, "CCEL event log data (or cocoon-init's plain-text RTMR3 log)")
      ->required();
  cmd->add_option("--measurement", args->measurement, "cocoon-measurement/v1 file of the release");
  cmd->add_option("--record-host-profile", args->record_name,
                  "Write the log's RTMR0 as a host profile with this name");
  cmd->add_option("--qemu-version", args->qemu_version, "Host profile: QEMU version, e.g. 10.1.0");
  cmd->add_option("--memory", args->memory, "Host profile: guest memory size, e.g. 100G");
  cmd->add_option("--vcpus", args->vcpus, "Host profile: number of vCPUs");
  cmd->add_option("--device", args->devices,
                  "Host profile: a device on the QEMU command line (repeatable, in order)");
  cmd->add_option("--profile-out", args->profile_out,
                  "Host profile output file (default NAME.host-profile.json)");
  cmd->add_flag("--json", args->json, "Machine-readable output");
  cmd->callback([args, &exit_code] { exit_code = eventlog_command(*args); });
}

}  // namespace cocoon::tools::verify
