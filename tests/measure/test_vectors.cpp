// shared/vectors/tdx-measure.json, byte for byte. Tests that need the Debian OVMF.fd or vmlinuz check
// their sha256 first and skip, naming the package, when ci/fetch-tdx-inputs could not fetch them.
#include <catch2/catch.hpp>

#include "crypto/hash.hpp"
#include "measure/authenticode.hpp"
#include "measure/boot_events.hpp"
#include "measure/bzimage.hpp"
#include "measure/image_hash.hpp"
#include "measure/spec_tree.hpp"
#include "measure/tdvf.hpp"
#include "support.hpp"

using namespace cocoon;
using namespace cocoon::measure;
using measure_test::debian_input;
using measure_test::vector_json;

namespace {

Json fk() {
  return vector_json()["firmware_and_kernel"];
}

std::string cmdline_text() {
  return fk()["inputs"]["cmdline"]["text"].get<std::string>();
}

Bytes vector_initrd() {
  auto j = fk()["inputs"]["initrd"];
  Bytes initrd = measure_test::shake_initrd(j["size"].get<size_t>());
  REQUIRE(crypto::sha256_hex(initrd) == j["sha256"].get<std::string>());
  return initrd;
}

std::string rtmr1_hex(const Bytes& authenticode, OvmfLayout layout) {
  return to_hex(replay(rtmr1_events(authenticode, layout)));
}

}  // namespace

TEST_CASE("vector: TDVF metadata and MRTD in both page orders") {
  std::string why;
  auto fw = debian_input("OVMF.fd", why);
  if (!fw) MEASURE_SKIP(why);
  auto md = parse_tdvf(*fw);
  REQUIRE(md.ok());
  auto v = fk();
  CHECK(md->descriptor_offset == v["tdvf"]["descriptor_offset"].get<std::uint64_t>());
  REQUIRE(md->sections.size() == v["tdvf"]["sections"].size());
  for (size_t i = 0; i < md->sections.size(); ++i) {
    const auto& s = md->sections[i];
    const auto& e = v["tdvf"]["sections"][i];
    CHECK(s.data_offset == e["data_offset"].get<std::uint32_t>());
    CHECK(s.raw_data_size == e["raw_data_size"].get<std::uint32_t>());
    CHECK(s.gpa == e["gpa"].get<std::uint64_t>());
    CHECK(s.memory_size == e["memory_size"].get<std::uint64_t>());
    CHECK(s.type == e["type"].get<std::uint32_t>());
    CHECK(s.attributes == e["attributes"].get<std::uint32_t>());
    CHECK(std::string(tdvf_section_type_name(s.type)) == e["type_name"].get<std::string>());
  }
  CHECK(to_hex(compute_mrtd(*fw, *md, PageOrder::single_pass)) ==
        v["mrtd"]["single_pass"].get<std::string>());
  CHECK(to_hex(compute_mrtd(*fw, *md, PageOrder::two_pass)) == v["mrtd"]["two_pass"].get<std::string>());
}

TEST_CASE("vector: kernel Authenticode and RTMR1, unpatched header") {
  std::string why;
  auto kernel = debian_input("vmlinuz", why);
  if (!kernel) MEASURE_SKIP(why);
  auto v = fk();
  auto hdr = parse_setup_header(*kernel);
  REQUIRE(hdr.ok());
  CHECK(hdr->xloadflags == v["inputs"]["kernel"]["xloadflags"].get<int>());
  CHECK(std::to_string(hdr->protocol >> 8) + "." + std::to_string(hdr->protocol & 0xff) ==
        v["inputs"]["kernel"]["boot_protocol"].get<std::string>());
  auto digest = authenticode_digest(*kernel, crypto::HashAlg::sha384);
  REQUIRE(digest.ok());
  CHECK(hex_encode(*digest) == v["events"]["kernel_authenticode_unpatched"].get<std::string>());
  auto expect = v["rtmr1"]["qemu_ge_10_2_unpatched_header"];
  CHECK(rtmr1_hex(*digest, OvmfLayout::ge_202411) == expect["ovmf_ge_202411"].get<std::string>());
  CHECK(rtmr1_hex(*digest, OvmfLayout::from_202302_to_202408) ==
        expect["ovmf_202302_to_202408"].get<std::string>());
  auto expect_noinitrd = v["without_initrd"]["rtmr1"]["qemu_ge_10_2_unpatched_header"];
  CHECK(rtmr1_hex(*digest, OvmfLayout::ge_202411) == expect_noinitrd["ovmf_ge_202411"].get<std::string>());
}

TEST_CASE("vector: QEMU <= 10.1 header rewrite per memory size, Authenticode and RTMR1") {
  std::string why;
  auto kernel = debian_input("vmlinuz", why);
  if (!kernel) MEASURE_SKIP(why);
  auto v = fk();
  std::uint64_t initrd_size = v["inputs"]["initrd"]["size"].get<std::uint64_t>();
  std::vector<std::uint64_t> memories{v["settings"]["memory_bytes"].get<std::uint64_t>()};
  for (const auto& m : v["settings"]["memory_bytes_also"]) memories.push_back(m.get<std::uint64_t>());
  REQUIRE(memories.size() == 3);
  for (std::uint64_t mem : memories) {
    std::string key = "memory_" + std::to_string(mem);
    INFO(key);
    QemuHeaderFields f;
    auto patched = qemu_patch_kernel(*kernel, mem, initrd_size, &f);
    REQUIRE(patched.ok());
    const auto& hf = v["events"]["qemu_header_fields"][key];
    CHECK(f.cmd_line_ptr == hf["cmd_line_ptr"].get<std::uint32_t>());
    CHECK(f.type_of_loader == hf["type_of_loader"].get<int>());
    CHECK(f.loadflags == hf["loadflags"].get<int>());
    CHECK(f.heap_end_ptr == hf["heap_end_ptr"].get<int>());
    CHECK(*f.ramdisk_image == hf["ramdisk_image"].get<std::uint32_t>());
    CHECK(*f.ramdisk_size == hf["ramdisk_size"].get<std::uint32_t>());
    CHECK(f.below_4g_mem_size == hf["below_4g_mem_size"].get<std::uint64_t>());
    CHECK(*f.initrd_max == hf["initrd_max"].get<std::uint64_t>());
    auto digest = authenticode_digest(*patched, crypto::HashAlg::sha384);
    REQUIRE(digest.ok());
    CHECK(hex_encode(*digest) == v["events"]["kernel_authenticode_patched"][key].get<std::string>());
    const auto& r1 = v["rtmr1"]["qemu_le_10_1_patched_header"][key];
    CHECK(rtmr1_hex(*digest, OvmfLayout::ge_202411) == r1["ovmf_ge_202411"].get<std::string>());
    CHECK(rtmr1_hex(*digest, OvmfLayout::from_202302_to_202408) ==
          r1["ovmf_202302_to_202408"].get<std::string>());
  }
}

TEST_CASE("vector: header rewrite without an initrd") {
  std::string why;
  auto kernel = debian_input("vmlinuz", why);
  if (!kernel) MEASURE_SKIP(why);
  auto v = fk();
  auto patched = qemu_patch_kernel(*kernel, v["settings"]["memory_bytes"].get<std::uint64_t>(), std::nullopt);
  REQUIRE(patched.ok());
  auto digest = authenticode_digest(*patched, crypto::HashAlg::sha384);
  REQUIRE(digest.ok());
  CHECK(hex_encode(*digest) == v["without_initrd"]["kernel_authenticode_patched"].get<std::string>());
  const auto& r1 = v["without_initrd"]["rtmr1"]["qemu_le_10_1_patched_header"];
  CHECK(rtmr1_hex(*digest, OvmfLayout::ge_202411) == r1["ovmf_ge_202411"].get<std::string>());
  CHECK(rtmr1_hex(*digest, OvmfLayout::from_202302_to_202408) ==
        r1["ovmf_202302_to_202408"].get<std::string>());
}

TEST_CASE("vector: RTMR1 fixed events") {
  auto fixed = fk()["events"]["rtmr1_log_fixed_events"];
  auto ev = rtmr1_events(Bytes(48, 0), OvmfLayout::ge_202411);
  REQUIRE(ev.size() == 5);
  REQUIRE(fixed.size() == 4);
  for (size_t i = 0; i < 4; ++i) CHECK(hex_encode(ev[i + 1].digest) == fixed[i]["digest"].get<std::string>());
  auto old = rtmr1_events(Bytes(48, 0), OvmfLayout::from_202302_to_202408);
  REQUIRE(old.size() == 4);
  CHECK(hex_encode(old[2].digest) == fixed[2]["digest"].get<std::string>());
}

TEST_CASE("vector: RTMR2 with and without initrd, LoadOptions bytes") {
  auto v = fk();
  std::string cmdline = cmdline_text();
  CHECK(crypto::sha256_hex(cmdline) == v["inputs"]["cmdline"]["sha256"].get<std::string>());
  auto file_text = cmdline_from_file(as_bytes(cmdline + "\n\n"));
  REQUIRE(file_text.ok());
  CHECK(*file_text == cmdline);
  auto opts = load_options(cmdline, true);
  REQUIRE(opts.ok());
  CHECK(hex_encode(*opts) == v["events"]["load_options_utf16le_hex"].get<std::string>());
  Bytes initrd = vector_initrd();
  auto ev = rtmr2_events(cmdline, crypto::sha384(initrd));
  REQUIRE(ev.ok());
  REQUIRE(ev->size() == 2);
  CHECK(hex_encode((*ev)[0].digest) == v["events"]["rtmr2_log"][0]["digest"].get<std::string>());
  CHECK(hex_encode((*ev)[1].digest) == v["events"]["rtmr2_log"][1]["digest"].get<std::string>());
  CHECK(to_hex(replay(*ev)) == v["rtmr2"].get<std::string>());
  auto ev0 = rtmr2_events(cmdline, std::nullopt);
  REQUIRE(ev0.ok());
  REQUIRE(ev0->size() == 1);
  CHECK(hex_encode((*ev0)[0].digest) == v["without_initrd"]["rtmr2_log"][0]["digest"].get<std::string>());
  CHECK(to_hex(replay(*ev0)) == v["without_initrd"]["rtmr2"].get<std::string>());
}

TEST_CASE("vector: spec-tree id and RTMR3 of tdx-spec-example") {
  auto v = vector_json()["cocoon_rtmr3"];
  auto tree = compute_spec_tree(measure_test::spec_example_dir());
  REQUIRE(tree.ok());
  CHECK(tree->tree == v["spec_tree_sha256"].get<std::string>());
  auto ev = rtmr3_events(tree->tree);
  REQUIRE(ev.size() == 2);
  Register r = zero_register();
  for (size_t i = 0; i < 2; ++i) {
    CHECK(ev[i].description == v["events"][i]["message"].get<std::string>());
    CHECK(hex_encode(ev[i].digest) == v["events"][i]["sha384"].get<std::string>());
    r = extend(r, ev[i].digest);
    CHECK(to_hex(r) == v["events"][i]["rtmr3_after"].get<std::string>());
  }
  CHECK(to_hex(r) == v["rtmr3"].get<std::string>());
  // debug.log (ignored), runtime/ and spec.tree are not measured.
  for (const auto& f : tree->files) {
    CHECK(f.path != "debug.log");
    CHECK(f.path.rfind("runtime", 0) != 0);
    CHECK(f.path != "spec.tree");
  }
}

TEST_CASE("vector: worked image hash") {
  auto v = vector_json()["cocoon_image_hash"];
  RegisterSet regs;
  auto reg = [&](const char* k) {
    auto r = register_from_hex(v[k].get<std::string>(), k);
    REQUIRE(r.ok());
    return *r;
  };
  regs.mrtd = reg("mrtd");
  regs.mrconfigid = reg("mrconfigid");
  regs.mrowner = reg("mrowner");
  regs.mrownerconfig = reg("mrownerconfig");
  regs.rtmr = {reg("rtmr0"), reg("rtmr1"), reg("rtmr2"), reg("rtmr3")};
  CHECK(image_hash_hex(regs) == v["image_hash_sha256"].get<std::string>());
}

TEST_CASE("vector: profiles are consistent with the per-variant values") {
  auto v = fk();
  for (auto& [name, p] : v["profiles"].items()) {
    INFO(name);
    bool mrtd_known = p["mrtd"] == v["mrtd"]["single_pass"] || p["mrtd"] == v["mrtd"]["two_pass"];
    CHECK(mrtd_known);
    CHECK(p["rtmr2"] == v["rtmr2"]);
  }
}
