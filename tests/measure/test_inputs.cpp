// Synthetic inputs: TDVF parsing and MRTD page orders, the QEMU header rewrite, command lines, the
// measurement document, and refusal of malformed firmware, kernels and command lines.
#include <catch2/catch.hpp>
#include <cstring>

#include "crypto/hash.hpp"
#include "measure/boot_events.hpp"
#include "measure/bzimage.hpp"
#include "measure/measurement.hpp"
#include "measure/tdvf.hpp"
#include "measure/verify.hpp"
#include "support.hpp"

using namespace cocoon;
using namespace cocoon::measure;

TEST_CASE("tdvf: synthetic firmware parses, page orders differ, content is covered") {
  Bytes fw = measure_test::synthetic_ovmf();
  auto md = parse_tdvf(fw);
  REQUIRE(md.ok());
  REQUIRE(md->sections.size() == 2);
  CHECK(md->descriptor_offset == fw.size() - 0x1000);
  CHECK(md->sections[0].mr_extend());
  Register single = compute_mrtd(fw, *md, PageOrder::single_pass);
  Register two = compute_mrtd(fw, *md, PageOrder::two_pass);
  CHECK(single != two);
  Bytes changed = fw;
  changed[100] ^= 1;
  CHECK(compute_mrtd(changed, *md, PageOrder::single_pass) != single);
}

TEST_CASE("tdvf: malformed firmware is refused") {
  Bytes good = measure_test::synthetic_ovmf();
  auto refused = [](const Bytes& fw, const char* fragment) {
    auto r = parse_tdvf(fw);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::invalid_input);
    CHECK(r.error().message.find(fragment) != std::string::npos);
  };
  refused(Bytes(good.begin(), good.begin() + 20), "too small");
  refused(Bytes(good.begin(), good.end() - 100), "footer");  // truncated
  refused(Bytes(4096, 0), "footer");                         // not OVMF at all
  Bytes no_tdvf = good;
  std::memcpy(no_tdvf.data() + good.size() - 0x1000, "XXXX", 4);
  refused(no_tdvf, "TDVF");
  Bytes bad_offset = good;
  bad_offset[good.size() - 72 + 3] = 0x7f;  // descriptor offset beyond the file
  refused(bad_offset, "outside");
  Bytes bad_section = good;
  bad_section[good.size() - 0x1000 + 16 + 7] = 0x7f;  // raw size beyond the file
  refused(bad_section, "outside the file");
  Bytes bad_len = good;
  bad_len[good.size() - 50] = 0xff;
  bad_len[good.size() - 49] = 0xff;
  refused(bad_len, "length");
}

TEST_CASE("bzimage: q35 memory split and the initrd placement") {
  CHECK(q35_below_4g_mem_size(1ull << 30) == 1ull << 30);
  CHECK(q35_below_4g_mem_size(0xafffffffull) == 0xafffffffull);
  CHECK(q35_below_4g_mem_size(0xb0000000ull) == 0x80000000ull);
  CHECK(q35_below_4g_mem_size(100ull << 30) == 0x80000000ull);
  Bytes k = measure_test::synthetic_kernel();
  QemuHeaderFields f;
  auto p = qemu_patch_kernel(k, 1ull << 30, 100000, &f);
  REQUIRE(p.ok());
  CHECK(*f.initrd_max == (1ull << 30) - kQemuAcpiDataSize - 1);
  CHECK(*f.ramdisk_image == (((1ull << 30) - kQemuAcpiDataSize - 1 - 100000) & ~4095ull));
  CHECK((*p)[0x210] == 0xb0);
  CHECK((*p)[0x211] == 0x81);
  auto too_big = qemu_patch_kernel(k, 64ull << 20, 80ull << 20);
  CHECK_FALSE(too_big.ok());
}

TEST_CASE("bzimage: kernel without the boot header is refused") {
  Bytes k = measure_test::synthetic_kernel();
  std::memcpy(k.data() + 0x202, "NoHd", 4);
  auto r = parse_setup_header(k);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::invalid_input);
  CHECK(r.error().message.find("HdrS") != std::string::npos);
  CHECK_FALSE(parse_setup_header(Bytes(100, 0)).ok());
}

TEST_CASE("memory sizes parse with binary units") {
  CHECK(*parse_memory_size("100G") == 100ull << 30);
  CHECK(*parse_memory_size("2560M") == 2560ull << 20);
  CHECK(*parse_memory_size("107374182400") == 107374182400ull);
  CHECK_FALSE(parse_memory_size("").ok());
  CHECK_FALSE(parse_memory_size("12X").ok());
  CHECK_FALSE(parse_memory_size("0").ok());
  CHECK_FALSE(parse_memory_size("99999999999999T").ok());
}

TEST_CASE("cmdline: trailing newlines dropped, NUL and invalid UTF-8 refused, UTF-16 surrogates") {
  CHECK(*cmdline_from_file(as_bytes("a b\n\n")) == "a b");
  std::string with_nul("a\0b", 3);
  auto r = cmdline_from_file(as_bytes(with_nul));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("NUL") != std::string::npos);
  CHECK_FALSE(cmdline_from_file(as_bytes("a\xff")).ok());
  CHECK_FALSE(cmdline_from_file(as_bytes("a\xc0\x80")).ok());  // overlong NUL
  auto opts = load_options("\xf0\x9f\x98\x80", false);         // U+1F600
  REQUIRE(opts.ok());
  CHECK(hex_encode(*opts) == "3dd800de0000");
}

TEST_CASE("measurement: document has every candidate with replayable events") {
  auto img = measure_test::synthetic_image();
  auto m = compute_measurement(img.inputs);
  REQUIRE(m.ok());
  CHECK((*m)["schema"] == "cocoon-measurement/v1");
  auto c = load_candidates(*m);
  REQUIRE(c.ok());
  CHECK(c->by_register[0].size() == 2);  // MRTD: two page orders
  CHECK(c->by_register[1].size() == 1);  // RTMR0: one host profile
  CHECK(c->by_register[2].size() ==
        2 * 3);  // RTMR1: unpatched + 2 memory sizes (1 GiB, profile's 4 GiB), 2 layouts
  CHECK(c->by_register[3].size() == 2);    // RTMR2 per role
  CHECK(c->by_register[4].size() == 2);    // RTMR3 per role
  CHECK(c->image_hashes.size() == 2 * 2);  // one profile x two roles x two layouts
  CHECK((*m)["candidates"]["rtmr2"][0]["cmdline"] == "console=hvc0 root=/dev/vda1 rd.shell=0 cocoon_gpu");
  CHECK((*m)["candidates"]["rtmr2"][1]["cmdline"] == "console=hvc0 root=/dev/vda1 rd.shell=0");
  // Deterministic: the same inputs give the same document.
  auto again = compute_measurement(img.inputs);
  REQUIRE(again.ok());
  CHECK(*again == *m);
}

TEST_CASE("measurement: recipe section paths stay inside the work tree") {
  auto img = measure_test::synthetic_image();
  Json section{{"ovmf", "OVMF.fd"},
               {"kernel", "image.vmlinuz"},
               {"initrd", "image.initrd"},
               {"cmdline", "image.cmdline"},
               {"memory", {"1G"}},
               {"roles",
                {{{"name", "worker"}, {"append", "cocoon_gpu"}, {"spec", "spec/spec-worker"}},
                 {{"name", "proxy"}, {"spec", "spec/spec-proxy"}}}}};
  auto m = measure_from_recipe_section(section, img.dir.path());
  REQUIRE(m.ok());
  img.inputs.host_profiles.clear();
  auto direct = compute_measurement(img.inputs);
  REQUIRE(direct.ok());
  CHECK((*m)["candidates"] == (*direct)["candidates"]);
  Json escape = section;
  escape["kernel"] = "../etc/passwd";
  CHECK_FALSE(measure_from_recipe_section(escape, img.dir.path()).ok());
  Json absolute = section;
  absolute["ovmf"] = "/etc/passwd";
  CHECK_FALSE(measure_from_recipe_section(absolute, img.dir.path()).ok());
  Json unknown = section;
  unknown["colour"] = "blue";
  CHECK_FALSE(measure_from_recipe_section(unknown, img.dir.path()).ok());
}
