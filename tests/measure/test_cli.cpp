// The measure commands as users run them: cocoon-build measure, cocoon-verify quote and eventlog. Bad input
// exits 2 with exactly one line on stderr, a mismatch exits 1.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "measure/verify.hpp"
#include "support.hpp"

using namespace cocoon;
using namespace cocoon::measure;
namespace fs = std::filesystem;
using measure_test::run;
using measure_test::tool;

namespace {

std::string q(const fs::path& p) {
  return "'" + p.string() + "'";
}

struct CliImage {
  measure_test::SyntheticImage img = measure_test::synthetic_image();
  fs::path dir = img.dir.path();
  fs::path profile = dir / "lab.host-profile.json";
  fs::path measurement = dir / "measurement.json";
  CliImage() {
    REQUIRE(write_file_atomic(profile, pretty_json(host_profile_to_json(img.inputs.host_profiles[0]))).ok());
  }
  // Overrides replace one input file: "ovmf", "kernel", "cmdline" or "worker_spec".
  std::string measure_cmd(const std::string& extra = "", const std::string& which = "",
                          const fs::path& file = {}) const {
    auto pick = [&](const char* name, const fs::path& normal) { return q(which == name ? file : normal); };
    return tool("cocoon-build") + " measure --ovmf " + pick("ovmf", dir / "OVMF.fd") + " --kernel " +
           pick("kernel", dir / "image.vmlinuz") + " --initrd " + q(dir / "image.initrd") + " --cmdline " +
           pick("cmdline", dir / "image.cmdline") +
           " --role worker=cocoon_gpu --role-spec worker=" + pick("worker_spec", dir / "spec/spec-worker") +
           " --role proxy=" + " --role-spec proxy=" + q(dir / "spec/spec-proxy") +
           " --memory 1G --host-profile " + q(profile) + extra;
  }
  Json measure() const {
    auto r = run(measure_cmd(" --out " + q(measurement)));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    auto text = read_text_file(measurement);
    REQUIRE(text.ok());
    auto j = parse_json(*text);
    REQUIRE(j.ok());
    return *j;
  }
};

RegisterSet worker_registers(const Json& doc) {
  for (const auto& res : doc["host_profiles"][0]["results"])
    if (res["role"] == "worker" && res["ovmf_layout"] == "ovmf_ge_202411") {
      RegisterSet r;
      auto reg = [&](const char* k) { return *register_from_hex(res["registers"][k].get<std::string>(), k); };
      r.mrtd = reg("mrtd");
      r.rtmr = {reg("rtmr0"), reg("rtmr1"), reg("rtmr2"), reg("rtmr3")};
      return r;
    }
  FAIL("no worker result");
  return {};
}

void expect_bad_input(const std::string& cmd, const std::string& fragment) {
  auto r = run(cmd);
  INFO(cmd << "\n" << r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find(fragment) != std::string::npos);
  CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  CHECK(r.output.rfind("cocoon-", 0) == 0);
}

}  // namespace

TEST_CASE("cli: measure writes a cocoon-measurement/v1 document with image hashes") {
  CliImage c;
  Json doc = c.measure();
  CHECK(doc["schema"] == "cocoon-measurement/v1");
  CHECK(doc["image_hashes"].size() == 4);
  CHECK(doc["candidates"]["rtmr2"][0]["role"] == "worker");
  auto direct = compute_measurement(c.img.inputs);
  REQUIRE(direct.ok());
  CHECK(doc["candidates"] == (*direct)["candidates"]);
}

TEST_CASE("cli: measure on the vector's Debian inputs reproduces the vector") {
  std::string why_fw, why_k;
  auto fw = measure_test::debian_input("OVMF.fd", why_fw);
  if (!fw) MEASURE_SKIP(why_fw);
  auto kernel = measure_test::debian_input("vmlinuz", why_k);
  if (!kernel) MEASURE_SKIP(why_k);
  auto v = measure_test::vector_json();
  auto fk = v["firmware_and_kernel"];
  auto t = TempDir::create("measure-cli-");
  REQUIRE(t.ok());
  fs::path d = t->path();
  REQUIRE(write_file_atomic(d / "OVMF.fd", *fw).ok());
  REQUIRE(write_file_atomic(d / "vmlinuz", *kernel).ok());
  REQUIRE(write_file_atomic(d / "initrd",
                            measure_test::shake_initrd(fk["inputs"]["initrd"]["size"].get<size_t>()))
              .ok());
  REQUIRE(write_file_atomic(d / "cmdline", fk["inputs"]["cmdline"]["text"].get<std::string>() + "\n").ok());
  auto r = run(tool("cocoon-build") + " measure --ovmf " + q(d / "OVMF.fd") + " --kernel " +
               q(d / "vmlinuz") + " --initrd " + q(d / "initrd") + " --cmdline " + q(d / "cmdline") +
               " --spec " + q(measure_test::spec_example_dir()) +
               " --memory 100G --memory 2560M --memory 1G --out " + q(d / "m.json"));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  auto doc = parse_json(*read_text_file(d / "m.json"));
  REQUIRE(doc.ok());
  const Json& c = (*doc)["candidates"];
  CHECK(c["mrtd"][0]["value"] == fk["mrtd"]["single_pass"]);
  CHECK(c["mrtd"][1]["value"] == fk["mrtd"]["two_pass"]);
  size_t rtmr1_checked = 0;
  for (const auto& cand : c["rtmr1"]) {
    std::string layout = cand["ovmf_layout"].get<std::string>();
    std::string qemu = cand["qemu"].get<std::string>();
    Json expected = qemu == "qemu_ge_10_2_unpatched_header"
                        ? fk["rtmr1"][qemu][layout]
                        : fk["rtmr1"][qemu]
                            ["memory_" + std::to_string(cand["memory_bytes"].get<std::uint64_t>())][layout];
    CHECK(cand["value"] == expected);
    ++rtmr1_checked;
  }
  CHECK(rtmr1_checked == 8);
  CHECK(c["rtmr2"][0]["value"] == fk["rtmr2"]);
  CHECK(c["rtmr3"][0]["value"] == v["cocoon_rtmr3"]["rtmr3"]);
  CHECK(c["rtmr3"][0]["spec_tree"] == v["cocoon_rtmr3"]["spec_tree_sha256"]);
}

TEST_CASE("cli: measure refuses bad inputs with exit 2 and one line") {
  CliImage c;
  fs::path d = c.dir;
  std::string out = " --out " + q(d / "never.json");
  auto with = [&](const std::string& name, ByteView data) {
    REQUIRE(write_file_atomic(d / name, data).ok());
    return d / name;
  };
  Bytes fw = measure_test::synthetic_ovmf();
  Bytes kernel = measure_test::synthetic_kernel();
  auto measure_with = [&](const std::string& which, const fs::path& file) {
    return c.measure_cmd(out, which, file);
  };
  expect_bad_input(measure_with("ovmf", with("trunc.fd", ByteView(fw.data(), fw.size() - 100))), "firmware");
  expect_bad_input(measure_with("ovmf", with("plain.fd", Bytes(65536, 0x11))), "not an OVMF/TDVF image");
  Bytes outside = kernel;
  outside[0x280 + 24 + 240 + 20 + 1] = 0x4f;  // .text raw offset 0x4f00: runs past the end
  expect_bad_input(measure_with("kernel", with("outside.efi", outside)), "outside the file");
  Bytes overlap = kernel;
  overlap[0x280 + 24 + 240 + 40 + 20 + 1] = 0x30;  // .data at 0x3000, inside .text
  expect_bad_input(measure_with("kernel", with("overlap.efi", overlap)), "overlap");
  Bytes no_hdr = kernel;
  std::memcpy(no_hdr.data() + 0x202, "NoHd", 4);
  expect_bad_input(measure_with("kernel", with("nohdr.efi", no_hdr)), "boot header");
  expect_bad_input(measure_with("cmdline", with("nul.cmdline", as_bytes(std::string("a\0b", 3)))), "NUL");
  auto bad_spec = [&](const std::string& name) {
    fs::path s = d / name;
    fs::create_directories(s);
    REQUIRE(write_file_atomic(s / "ok.json", std::string("{}")).ok());
    return s;
  };
  fs::path link = bad_spec("spec-link");
  fs::create_symlink("ok.json", link / "alias.json");
  expect_bad_input(measure_with("worker_spec", link), "symlink");
  fs::path open = bad_spec("spec-777");
  REQUIRE(write_file_atomic(open / "open.sh", std::string("x"), 0777).ok());
  REQUIRE(::chmod((open / "open.sh").c_str(), 0777) == 0);
  expect_bad_input(measure_with("worker_spec", open), "0777");
  fs::path git = bad_spec("spec-git");
  fs::create_directories(git / "vendor/.git");
  expect_bad_input(measure_with("worker_spec", git), "nested .git");
  expect_bad_input(c.measure_cmd(" --memory lots" + out), "memory size");
  expect_bad_input(c.measure_cmd(" --role bad" + out), "NAME=VALUE");
  CHECK_FALSE(fs::exists(d / "never.json"));
}

TEST_CASE("cli: verify quote matches, names a mismatch, refuses DEBUG and truncated quotes") {
  CliImage c;
  Json doc = c.measure();
  RegisterSet worker = worker_registers(doc);
  auto write_quote = [&](const std::string& name, const Bytes& quote) {
    REQUIRE(write_file_atomic(c.dir / name, quote).ok());
    return tool("cocoon-verify") + " quote " + q(c.dir / name) + " --measurement " + q(c.measurement);
  };
  auto good = run(write_quote("good.quote", measure_test::quote_v4(worker)));
  INFO(good.output);
  CHECK(good.exit_code == 0);
  CHECK(good.output.find("NOT checked") != std::string::npos);
  CHECK(good.output.find("listed in the release") != std::string::npos);
  CHECK(good.output.find("result: MATCH") != std::string::npos);
  auto named = run(write_quote("good.quote", measure_test::quote_v4(worker)) + " --host-profile lab --json");
  CHECK(named.exit_code == 0);
  auto j = parse_json(named.output);
  REQUIRE(j.ok());
  CHECK((*j)["ok"] == true);
  CHECK((*j)["signature_checked"] == false);

  RegisterSet bad = worker;
  bad.rtmr[2][0] ^= 1;
  auto mism = run(write_quote("bad.quote", measure_test::quote_v4(bad)));
  INFO(mism.output);
  CHECK(mism.exit_code == 1);
  CHECK(mism.output.find("RTMR2          MISMATCH") != std::string::npos);
  CHECK(mism.output.find("expected") != std::string::npos);
  CHECK(mism.output.find("NOT listed") != std::string::npos);

  auto debug = run(write_quote("debug.quote", measure_test::quote_v4(worker, 1)));
  CHECK(debug.exit_code == 1);
  CHECK(debug.output.find("REFUSED") != std::string::npos);

  Bytes full = measure_test::quote_v4(worker);
  expect_bad_input(write_quote("trunc.quote", Bytes(full.begin(), full.begin() + 300)), "truncated");
  Bytes longer = full;
  longer.push_back(0);
  expect_bad_input(write_quote("long.quote", longer), "after the signature");
  expect_bad_input(write_quote("good.quote", full) + " --host-profile nobody", "no host profile named");
}

TEST_CASE("cli: verify eventlog matches, names the first divergence, records a host profile") {
  CliImage c;
  Json doc = c.measure();
  std::vector<Event> events = c.img.inputs.host_profiles[0].rtmr0_events;
  auto add = [&](const Json& cand) {
    auto ev = events_from_json(cand["events"]);
    REQUIRE(ev.ok());
    events.insert(events.end(), ev->begin(), ev->end());
  };
  for (const auto& cand : doc["candidates"]["rtmr1"])
    if (cand["label"] == "qemu_le_10_1_patched_header memory_4294967296 ovmf_ge_202411") add(cand);
  add(doc["candidates"]["rtmr2"][0]);
  add(doc["candidates"]["rtmr3"][0]);
  REQUIRE(write_file_atomic(c.dir / "ccel.bin", measure_test::write_ccel(events)).ok());
  std::string base = tool("cocoon-verify") + " eventlog ";
  auto good = run(base + q(c.dir / "ccel.bin") + " --measurement " + q(c.measurement));
  INFO(good.output);
  CHECK(good.exit_code == 0);
  CHECK(good.output.find("result: MATCH") != std::string::npos);

  std::vector<Event> changed = events;
  changed.back().digest = crypto::sha384(as_bytes(std::string("cocoon:something_else")));
  REQUIRE(write_file_atomic(c.dir / "changed.bin", measure_test::write_ccel(changed)).ok());
  auto bad = run(base + q(c.dir / "changed.bin") + " --measurement " + q(c.measurement));
  INFO(bad.output);
  CHECK(bad.exit_code == 1);
  CHECK(bad.output.find("RTMR3  MISMATCH") != std::string::npos);
  CHECK(bad.output.find("first divergence at event 1") != std::string::npos);
  CHECK(bad.output.find("expected #1 cocoon:tdx_inited") != std::string::npos);

  // A host operator records a new host, and measure then predicts its image hashes.
  auto rec = run(base + q(c.dir / "ccel.bin") +
                 " --record-host-profile rack7 --qemu-version 10.1.0 --memory 4G "
                 "--vcpus 16 --device vfio-pci --profile-out " +
                 q(c.dir / "rack7.json"));
  INFO(rec.output);
  REQUIRE(rec.exit_code == 0);
  auto profile = load_host_profile(c.dir / "rack7.json");
  REQUIRE(profile.ok());
  CHECK(profile->rtmr0 == c.img.inputs.host_profiles[0].rtmr0);
  auto m2 =
      run(c.measure_cmd(" --host-profile " + q(c.dir / "rack7.json") + " --out " + q(c.dir / "m2.json")));
  INFO(m2.output);
  CHECK(m2.exit_code == 0);
  CHECK(m2.output.find("host rack7, role worker") != std::string::npos);

  expect_bad_input(base + q(c.dir / "ccel.bin"), "--measurement");
  REQUIRE(write_file_atomic(c.dir / "junk.bin", Bytes{0x01, 0x02, 0x03}).ok());
  expect_bad_input(base + q(c.dir / "junk.bin") + " --measurement " + q(c.measurement), "event log");
}

TEST_CASE(
    "cli: a recipe with a measure section makes cocoon-build run write measurement.json as an artifact") {
  CliImage c;
  Json direct = c.measure();
  // The image files become a git repository, as a real image build's outputs would sit in its tree.
  fs::path repo = c.dir / "repo";
  fs::create_directories(repo);
  for (const char* f : {"OVMF.fd", "image.vmlinuz", "image.initrd", "image.cmdline"})
    fs::copy_file(c.dir / f, repo / f);
  fs::copy(c.dir / "spec", repo / "spec", fs::copy_options::recursive);
  auto git = run(
      "cd " + q(repo) +
      " && export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t "
      "GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t GIT_AUTHOR_DATE=2025-01-01T00:00:00Z "
      "GIT_COMMITTER_DATE=2025-01-01T00:00:00Z && git init -q . && git add -A . && "
      "git commit -q -m image && git rev-parse HEAD");
  REQUIRE(git.exit_code == 0);
  std::string commit = git.output.substr(0, 40);
  Json recipe = {
      {"schema", "cocoon-recipe/v1"},
      {"name", "synthetic-image"},
      {"version", "1.0.0"},
      {"source", {{"url", repo.string()}, {"commit", commit}}},
      {"steps", Json::array({{{"name", "noop"}, {"run", Json::array({"true"})}}})},
      {"artifacts", Json::array({{{"name", "OVMF.fd"}, {"file", "OVMF.fd"}}})},
      {"measure",
       {{"ovmf", "OVMF.fd"},
        {"kernel", "image.vmlinuz"},
        {"initrd", "image.initrd"},
        {"cmdline", "image.cmdline"},
        {"memory", Json::array({"1G"})},
        {"roles", Json::array({{{"name", "worker"}, {"append", "cocoon_gpu"}, {"spec", "spec/spec-worker"}},
                               {{"name", "proxy"}, {"spec", "spec/spec-proxy"}}})}}}};
  REQUIRE(write_file_atomic(c.dir / "recipe.json", pretty_json(recipe)).ok());
  for (const char* out : {"out1", "out2"}) {
    auto r = run(tool("cocoon-build") + " run -q " + q(c.dir / "recipe.json") + " --cache " +
                 q(c.dir / "cache") + " --out " + q(c.dir / out));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(r.output.find("  measurement.json") != std::string::npos);
  }
  auto a = read_text_file(c.dir / "out1/measurement.json");
  auto b = read_text_file(c.dir / "out2/measurement.json");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a == *b);  // no absolute path or time leaks into it: every builder gets the same bytes
  auto doc = parse_json(*a);
  REQUIRE(doc.ok());
  // The same inputs measured by `cocoon-build measure` (which also had a host profile, adding its memory
  // size to the RTMR1 candidates) give the same MRTD, RTMR2 and RTMR3 candidates.
  for (const char* reg : {"mrtd", "rtmr2", "rtmr3"}) {
    INFO(reg);
    CHECK((*doc)["candidates"][reg] == direct["candidates"][reg]);
  }
  CHECK((*doc)["candidates"]["rtmr1"].size() > 0);
  auto sums = read_text_file(c.dir / "out1/SHA256SUMS");
  REQUIRE(sums.ok());
  CHECK(sums->find(crypto::sha256_hex(std::string_view(*a)) + "  measurement.json") != std::string::npos);
}

TEST_CASE("cli: verify eventlog refuses 16 MiB of short plain-text lines with exit 2") {
  TempDir tmp = TempDir::create("cocoon-eventlog-").value();
  std::string text;
  while (text.size() < (16u << 20)) text += "a\n";
  REQUIRE(write_file_atomic(tmp.path() / "rtmr3.log", text).ok());
  REQUIRE(write_file_atomic(tmp.path() / "m.json", std::string("{}")).ok());
  auto r = run(tool("cocoon-verify") + " eventlog " + q(tmp.path() / "rtmr3.log") + " --measurement " +
               q(tmp.path() / "m.json"));
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("event log: more than 100000 events") != std::string::npos);
}
