#include "measure/measurement.hpp"

#include <algorithm>
#include <set>

#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "measure/authenticode.hpp"
#include "measure/bzimage.hpp"
#include "measure/image_hash.hpp"
#include "measure/spec_tree.hpp"
#include "measure/tdvf.hpp"

namespace cocoon::measure {
namespace fs = std::filesystem;
namespace {

constexpr std::uint64_t kMaxFirmware = 64ull << 20;
constexpr std::uint64_t kMaxKernel = 256ull << 20;
constexpr std::uint64_t kMaxCmdline = 64ull << 10;

Json file_json(const fs::path& p, ByteView content) {
  return Json{
      {"file", p.filename().string()}, {"size", content.size()}, {"sha256", crypto::sha256_hex(content)}};
}

std::string memory_key(std::uint64_t m) {
  return "memory_" + std::to_string(m);
}

struct Rtmr1Candidate {
  std::string label;
  QemuClass qemu;
  std::optional<std::uint64_t> memory;
  OvmfLayout layout;
  std::vector<Event> events;
  Register value;
};

Json candidate_json(const std::string& label, const Register& value, const std::vector<Event>& events) {
  return Json{{"label", label}, {"value", to_hex(value)}, {"events", events_to_json(events)}};
}

}  // namespace

Result<Json> compute_measurement(const MeasureInputs& in) {
  // Inputs.
  COCOON_ASSIGN(Bytes fw, read_file(in.ovmf, kMaxFirmware));
  COCOON_ASSIGN(Bytes kernel, read_file(in.kernel, kMaxKernel));
  COCOON_ASSIGN(Bytes cmdline_bytes, read_file(in.cmdline, kMaxCmdline));
  COCOON_ASSIGN(std::string cmdline, cmdline_from_file(cmdline_bytes));
  std::optional<crypto::FileDigest> initrd384;
  Json inputs{{"ovmf", file_json(in.ovmf, fw)}, {"kernel", file_json(in.kernel, kernel)}};
  if (in.initrd) {
    COCOON_ASSIGN(auto d384, crypto::digest_file(crypto::HashAlg::sha384, *in.initrd));
    COCOON_ASSIGN(auto d256, crypto::digest_file(crypto::HashAlg::sha256, *in.initrd));
    inputs["initrd"] = Json{{"file", in.initrd->filename().string()},
                            {"size", d384.size},
                            {"sha256", hex_encode(d256.digest)},
                            {"sha384", hex_encode(d384.digest)}};
    initrd384 = std::move(d384);
  } else {
    inputs["initrd"] = nullptr;
  }
  inputs["cmdline"] = file_json(in.cmdline, cmdline_bytes);
  inputs["cmdline"]["text"] = cmdline;

  std::vector<Role> roles = in.roles;
  if (roles.empty()) roles.push_back(Role{"default", "", std::nullopt});
  std::set<std::string> names;
  for (const auto& r : roles)
    if (r.name.empty() || !names.insert(r.name).second)
      return make_error(Errc::invalid_input, "role name '" + r.name + "' is empty or given twice");
  names.clear();
  for (const auto& p : in.host_profiles)
    if (!names.insert(p.name).second)
      return make_error(Errc::invalid_input, "host profile '" + p.name + "' is given twice");
  std::vector<OvmfLayout> layouts = in.ovmf_layouts;
  if (layouts.empty()) layouts = {OvmfLayout::ge_202411, OvmfLayout::from_202302_to_202408};
  std::set<std::uint64_t> memories(in.memory_sizes.begin(), in.memory_sizes.end());
  for (const auto& p : in.host_profiles)
    if (p.qemu_class == QemuClass::le_10_1_patched) memories.insert(p.memory_bytes);

  Json out{{"schema", kMeasurementSchema}, {"inputs", inputs}};
  Json candidates = Json::object();

  // MRTD.
  COCOON_ASSIGN(TdvfMetadata md, parse_tdvf(fw));
  Json sections = Json::array();
  for (const auto& s : md.sections)
    sections.push_back(Json{{"data_offset", s.data_offset},
                            {"raw_data_size", s.raw_data_size},
                            {"gpa", s.gpa},
                            {"memory_size", s.memory_size},
                            {"type", s.type},
                            {"attributes", s.attributes},
                            {"type_name", tdvf_section_type_name(s.type)}});
  out["tdvf"] = Json{{"descriptor_offset", md.descriptor_offset}, {"sections", sections}};
  Register mrtd_by_order[2];
  candidates["mrtd"] = Json::array();
  for (PageOrder order : {PageOrder::single_pass, PageOrder::two_pass}) {
    Register v = compute_mrtd(fw, md, order);
    mrtd_by_order[static_cast<int>(order)] = v;
    candidates["mrtd"].push_back(Json{{"label", page_order_name(order)},
                                      {"page_order", page_order_name(order)},
                                      {"value", to_hex(v)},
                                      {"events", Json::array()}});
  }

  // RTMR1: the kernel as OVMF receives it, per QEMU class and memory size.
  COCOON_TRY(parse_setup_header(kernel));
  std::vector<Rtmr1Candidate> rtmr1;
  Json kernel_json{{"authenticode_sha384_unpatched", nullptr}, {"patched", Json::array()}};
  {
    COCOON_ASSIGN(Bytes digest, authenticode_digest(kernel, crypto::HashAlg::sha384));
    kernel_json["authenticode_sha384_unpatched"] = hex_encode(digest);
    for (OvmfLayout layout : layouts) {
      Rtmr1Candidate c{
          std::string(qemu_class_name(QemuClass::ge_10_2_unpatched)) + " " + ovmf_layout_name(layout),
          QemuClass::ge_10_2_unpatched,
          std::nullopt,
          layout,
          rtmr1_events(digest, layout),
          {}};
      c.value = replay(c.events);
      rtmr1.push_back(std::move(c));
    }
  }
  std::optional<std::uint64_t> initrd_size;
  if (initrd384) initrd_size = initrd384->size;
  for (std::uint64_t mem : memories) {
    QemuHeaderFields fields;
    COCOON_ASSIGN(Bytes patched, qemu_patch_kernel(kernel, mem, initrd_size, &fields));
    COCOON_ASSIGN(Bytes digest, authenticode_digest(patched, crypto::HashAlg::sha384));
    kernel_json["patched"].push_back(Json{{"memory_bytes", mem},
                                          {"header_fields", qemu_header_fields_to_json(fields)},
                                          {"authenticode_sha384", hex_encode(digest)}});
    for (OvmfLayout layout : layouts) {
      Rtmr1Candidate c{std::string(qemu_class_name(QemuClass::le_10_1_patched)) + " " + memory_key(mem) +
                           " " + ovmf_layout_name(layout),
                       QemuClass::le_10_1_patched,
                       mem,
                       layout,
                       rtmr1_events(digest, layout),
                       {}};
      c.value = replay(c.events);
      rtmr1.push_back(std::move(c));
    }
  }
  out["kernel"] = kernel_json;
  candidates["rtmr1"] = Json::array();
  for (const auto& c : rtmr1) {
    Json j = candidate_json(c.label, c.value, c.events);
    j["qemu"] = qemu_class_name(c.qemu);
    j["memory_bytes"] = c.memory ? Json(*c.memory) : Json(nullptr);
    j["ovmf_layout"] = ovmf_layout_name(c.layout);
    candidates["rtmr1"].push_back(std::move(j));
  }

  // RTMR2 and RTMR3 per role.
  std::optional<Bytes> initrd_digest;
  if (initrd384) initrd_digest = initrd384->digest;
  candidates["rtmr2"] = Json::array();
  candidates["rtmr3"] = Json::array();
  Json specs = Json::object();
  std::vector<std::pair<Register, std::optional<Register>>> role_values;  // rtmr2, rtmr3
  for (const auto& role : roles) {
    std::string append = role.append;
    while (!append.empty() && append.front() == ' ') append.erase(0, 1);
    std::string role_cmdline = append.empty() ? cmdline : cmdline + " " + append;
    COCOON_ASSIGN(auto ev2, rtmr2_events(role_cmdline, initrd_digest));
    Register r2 = replay(ev2);
    Json c2 = candidate_json("role " + role.name, r2, ev2);
    c2["role"] = role.name;
    c2["cmdline"] = role_cmdline;
    candidates["rtmr2"].push_back(std::move(c2));
    std::optional<fs::path> spec = role.spec ? role.spec : in.spec;
    std::optional<Register> r3;
    if (spec) {
      COCOON_ASSIGN(SpecTree tree, compute_spec_tree(*spec));
      auto ev3 = rtmr3_events(tree.tree, in.debug_image);
      r3 = replay(ev3);
      Json c3 = candidate_json("role " + role.name, *r3, ev3);
      c3["role"] = role.name;
      c3["spec_tree"] = tree.tree;
      candidates["rtmr3"].push_back(std::move(c3));
      Json files = Json::array();
      for (const auto& f : tree.files)
        files.push_back(Json{{"path", f.path}, {"mode", f.mode}, {"blob", f.blob}, {"size", f.size}});
      // Only the directory's own name: an absolute path would differ between builders.
      fs::path name = spec->lexically_normal();
      if (name.filename().empty()) name = name.parent_path();
      specs[role.name] = Json{{"dir", name.filename().string()}, {"tree", tree.tree}, {"files", files}};
    }
    role_values.emplace_back(r2, r3);
  }
  out["inputs"]["specs"] = specs;

  // RTMR0 per host profile, and each profile's full register sets.
  candidates["rtmr0"] = Json::array();
  Json profiles = Json::array();
  Json image_hashes = Json::array();
  for (const auto& p : in.host_profiles) {
    Json c0 = candidate_json("host profile " + p.name, p.rtmr0, p.rtmr0_events);
    c0["host_profile"] = p.name;
    candidates["rtmr0"].push_back(std::move(c0));
    Json pj = host_profile_to_json(p);
    pj.erase("schema");
    pj.erase("rtmr0_events");
    pj["results"] = Json::array();
    for (size_t ri = 0; ri < roles.size(); ++ri) {
      if (!role_values[ri].second) continue;  // no spec, no RTMR3: no image hash for this role
      for (OvmfLayout layout : layouts) {
        const Rtmr1Candidate* r1 = nullptr;
        for (const auto& c : rtmr1)
          if (c.qemu == p.qemu_class && c.layout == layout &&
              (p.qemu_class == QemuClass::ge_10_2_unpatched || c.memory == p.memory_bytes))
            r1 = &c;
        if (!r1) return make_error(Errc::internal, "no RTMR1 candidate for host profile " + p.name);
        RegisterSet regs;
        regs.mrtd = mrtd_by_order[static_cast<int>(p.page_order)];
        regs.mrconfigid = p.mrconfigid;
        regs.mrowner = p.mrowner;
        regs.mrownerconfig = p.mrownerconfig;
        regs.rtmr = {p.rtmr0, r1->value, role_values[ri].first, *role_values[ri].second};
        std::string hash = image_hash_hex(regs);
        pj["results"].push_back(Json{{"role", roles[ri].name},
                                     {"ovmf_layout", ovmf_layout_name(layout)},
                                     {"rtmr1_candidate", r1->label},
                                     {"registers", register_set_to_json(regs)},
                                     {"image_hash", hash}});
        image_hashes.push_back(Json{{"image_hash", hash},
                                    {"host_profile", p.name},
                                    {"role", roles[ri].name},
                                    {"ovmf_layout", ovmf_layout_name(layout)}});
      }
    }
    profiles.push_back(std::move(pj));
  }
  out["candidates"] = candidates;
  out["host_profiles"] = profiles;
  out["image_hashes"] = image_hashes;
  return out;
}

Result<MeasureInputs> measure_inputs_from_recipe_section(const Json& s, const fs::path& work_tree) {
  auto bad = [](const std::string& what) {
    return make_error(Errc::invalid_input, "recipe measure: " + what);
  };
  if (!s.is_object()) return bad("section is not an object");
  static const char* kKnown[] = {"ovmf",   "kernel", "initrd",       "cmdline",       "spec",
                                 "memory", "roles",  "ovmf_layouts", "host_profiles", "debug_image"};
  for (auto it = s.begin(); it != s.end(); ++it) {
    bool known = false;
    for (const char* k : kKnown) known = known || it.key() == k;
    if (!known) return bad("unknown field '" + it.key() + "'");
  }
  // Paths stay inside the work tree: relative, no "..".
  auto path_field = [&](const Json& v, const std::string& name) -> Result<fs::path> {
    if (!v.is_string()) return bad(name + " is not a string");
    fs::path p(v.get<std::string>());
    if (p.empty() || p.is_absolute()) return bad(name + " must be a relative path");
    for (const auto& part : p)
      if (part == "..") return bad(name + " must not contain '..'");
    return work_tree / p;
  };
  MeasureInputs in;
  for (const char* req : {"ovmf", "kernel", "cmdline"})
    if (!s.contains(req)) return bad(std::string("missing field '") + req + "'");
  COCOON_ASSIGN(in.ovmf, path_field(s["ovmf"], "ovmf"));
  COCOON_ASSIGN(in.kernel, path_field(s["kernel"], "kernel"));
  COCOON_ASSIGN(in.cmdline, path_field(s["cmdline"], "cmdline"));
  if (s.contains("initrd")) {
    COCOON_ASSIGN(fs::path p, path_field(s["initrd"], "initrd"));
    in.initrd = p;
  }
  if (s.contains("spec")) {
    COCOON_ASSIGN(fs::path p, path_field(s["spec"], "spec"));
    in.spec = p;
  }
  if (s.contains("memory")) {
    if (!s["memory"].is_array()) return bad("memory is not an array");
    for (const auto& m : s["memory"]) {
      if (m.is_number_unsigned()) {
        in.memory_sizes.push_back(m.get<std::uint64_t>());
      } else if (m.is_string()) {
        COCOON_ASSIGN(std::uint64_t v, parse_memory_size(m.get<std::string>()));
        in.memory_sizes.push_back(v);
      } else {
        return bad("memory entries are sizes like \"100G\" or byte counts");
      }
    }
  }
  if (s.contains("roles")) {
    if (!s["roles"].is_array()) return bad("roles is not an array");
    for (const auto& r : s["roles"]) {
      if (!r.is_object() || !r.contains("name") || !r["name"].is_string())
        return bad("each role needs a name");
      for (auto it = r.begin(); it != r.end(); ++it)
        if (it.key() != "name" && it.key() != "append" && it.key() != "spec")
          return bad("unknown role field '" + it.key() + "'");
      Role role{r["name"].get<std::string>(), "", std::nullopt};
      if (r.contains("append")) {
        if (!r["append"].is_string()) return bad("role append is not a string");
        role.append = r["append"].get<std::string>();
      }
      if (r.contains("spec")) {
        COCOON_ASSIGN(fs::path p, path_field(r["spec"], "role spec"));
        role.spec = p;
      }
      in.roles.push_back(std::move(role));
    }
  }
  if (s.contains("ovmf_layouts")) {
    if (!s["ovmf_layouts"].is_array()) return bad("ovmf_layouts is not an array");
    for (const auto& l : s["ovmf_layouts"]) {
      if (!l.is_string()) return bad("ovmf_layouts entries are strings");
      COCOON_ASSIGN(OvmfLayout layout, ovmf_layout_from_name(l.get<std::string>()));
      in.ovmf_layouts.push_back(layout);
    }
  }
  if (s.contains("host_profiles")) {
    if (!s["host_profiles"].is_array()) return bad("host_profiles is not an array");
    for (const auto& h : s["host_profiles"]) {
      COCOON_ASSIGN(fs::path p, path_field(h, "host profile"));
      COCOON_ASSIGN(HostProfile profile, load_host_profile(p));
      in.host_profiles.push_back(std::move(profile));
    }
  }
  if (s.contains("debug_image")) {
    if (!s["debug_image"].is_boolean()) return bad("debug_image is not a boolean");
    in.debug_image = s["debug_image"].get<bool>();
  }
  return in;
}

Result<Json> measure_from_recipe_section(const Json& section, const fs::path& work_tree) {
  COCOON_ASSIGN(MeasureInputs in, measure_inputs_from_recipe_section(section, work_tree));
  return compute_measurement(in);
}

}  // namespace cocoon::measure
