#include "measure/host_profile.hpp"

#include <cstdio>

#include "core/file_io.hpp"

namespace cocoon::measure {
namespace {

Error bad(const std::string& what) {
  return make_error(Errc::invalid_input, "host profile: " + what);
}

// "10.1.0" -> {10, 1}; refuses anything that does not start with two numbers.
Result<std::pair<int, int>> qemu_major_minor(const std::string& v) {
  int major = 0, minor = 0;
  char dot = 0;
  if (std::sscanf(v.c_str(), "%d%c%d", &major, &dot, &minor) != 3 || dot != '.' || major < 0 || minor < 0)
    return bad("qemu_version '" + v + "' is not MAJOR.MINOR[.PATCH]");
  return std::make_pair(major, minor);
}

Result<Register> optional_register(const Json& j, const char* key) {
  if (!j.contains(key)) return zero_register();
  if (!j[key].is_string()) return bad(std::string(key) + " is not a hex string");
  return register_from_hex(j[key].get<std::string>(), std::string("host profile ") + key);
}

}  // namespace

Result<HostProfile> host_profile_from_json(const Json& j) {
  if (!j.is_object()) return bad("not a JSON object");
  static const char* kKnown[] = {"schema",     "name",    "qemu_version", "memory_bytes",    "vcpus",
                                 "devices",    "rtmr0",   "rtmr0_events", "mrtd_page_order", "kernel_header",
                                 "mrconfigid", "mrowner", "mrownerconfig"};
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
    for (const char* k : kKnown) known = known || it.key() == k;
    if (!known) return bad("unknown field '" + it.key() + "'");
  }
  HostProfile p;
  try {
    if (j.at("schema").get<std::string>() != "cocoon-host-profile/v1")
      return bad("schema is not cocoon-host-profile/v1");
    p.name = j.at("name").get<std::string>();
    p.qemu_version = j.at("qemu_version").get<std::string>();
    p.memory_bytes = j.at("memory_bytes").get<std::uint64_t>();
    p.vcpus = j.at("vcpus").get<std::uint32_t>();
    for (const auto& d : j.at("devices")) p.devices.push_back(d.get<std::string>());
    COCOON_ASSIGN(p.rtmr0, register_from_hex(j.at("rtmr0").get<std::string>(), "host profile rtmr0"));
    if (j.contains("rtmr0_events")) {
      COCOON_ASSIGN(p.rtmr0_events, events_from_json(j["rtmr0_events"]));
      if (replay(p.rtmr0_events) != p.rtmr0) return bad("rtmr0_events do not replay to rtmr0");
    }
    COCOON_ASSIGN(auto mm, qemu_major_minor(p.qemu_version));
    p.page_order = mm.first < 9 ? PageOrder::two_pass : PageOrder::single_pass;
    p.qemu_class = (mm.first < 10 || (mm.first == 10 && mm.second <= 1)) ? QemuClass::le_10_1_patched
                                                                         : QemuClass::ge_10_2_unpatched;
    if (j.contains("mrtd_page_order")) {
      std::string o = j["mrtd_page_order"].get<std::string>();
      if (o == "single_pass")
        p.page_order = PageOrder::single_pass;
      else if (o == "two_pass")
        p.page_order = PageOrder::two_pass;
      else
        return bad("mrtd_page_order '" + o + "' is not single_pass or two_pass");
    }
    if (j.contains("kernel_header")) {
      std::string c = j["kernel_header"].get<std::string>();
      if (c == qemu_class_name(QemuClass::le_10_1_patched))
        p.qemu_class = QemuClass::le_10_1_patched;
      else if (c == qemu_class_name(QemuClass::ge_10_2_unpatched))
        p.qemu_class = QemuClass::ge_10_2_unpatched;
      else
        return bad("kernel_header '" + c + "' is not a known QEMU class");
    }
    COCOON_ASSIGN(p.mrconfigid, optional_register(j, "mrconfigid"));
    COCOON_ASSIGN(p.mrowner, optional_register(j, "mrowner"));
    COCOON_ASSIGN(p.mrownerconfig, optional_register(j, "mrownerconfig"));
  } catch (const Json::exception& e) {
    return bad(std::string("missing or mistyped field: ") + e.what());
  }
  if (p.name.empty() || p.name.size() > 128) return bad("name must be 1..128 characters");
  if (p.memory_bytes == 0) return bad("memory_bytes must be positive");
  return p;
}

Result<HostProfile> load_host_profile(const std::filesystem::path& path) {
  COCOON_ASSIGN(std::string text, read_text_file(path, 16 << 20));
  COCOON_ASSIGN(Json j, parse_json(text, path.string()));
  auto p = host_profile_from_json(j);
  if (!p.ok()) return make_error(p.error().code, path.string() + ": " + p.error().message);
  return p;
}

Json host_profile_to_json(const HostProfile& p) {
  Json j{{"schema", "cocoon-host-profile/v1"},
         {"name", p.name},
         {"qemu_version", p.qemu_version},
         {"memory_bytes", p.memory_bytes},
         {"vcpus", p.vcpus},
         {"devices", p.devices},
         {"rtmr0", to_hex(p.rtmr0)},
         {"mrtd_page_order", page_order_name(p.page_order)},
         {"kernel_header", qemu_class_name(p.qemu_class)}};
  // Absent rather than empty: an empty list replays to the zero register and would not read back.
  if (!p.rtmr0_events.empty()) j["rtmr0_events"] = events_to_json(p.rtmr0_events);
  if (p.mrconfigid != zero_register()) j["mrconfigid"] = to_hex(p.mrconfigid);
  if (p.mrowner != zero_register()) j["mrowner"] = to_hex(p.mrowner);
  if (p.mrownerconfig != zero_register()) j["mrownerconfig"] = to_hex(p.mrownerconfig);
  return j;
}

}  // namespace cocoon::measure
