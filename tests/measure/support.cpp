#include "support.hpp"

#include <openssl/evp.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/file_io.hpp"
#include "crypto/hash.hpp"

namespace measure_test {
namespace fs = std::filesystem;
using cocoon::Bytes;

cocoon::Json vector_json() {
  auto text = cocoon::read_text_file(fs::path(COCOON_SHARED_DIR) / "vectors/tdx-measure.json");
  if (!text.ok()) throw std::runtime_error("cannot read tdx-measure.json");
  auto j = cocoon::parse_json(*text);
  if (!j.ok()) throw std::runtime_error("cannot parse tdx-measure.json");
  return *j;
}

fs::path spec_example_dir() {
  return fs::path(COCOON_SHARED_DIR) / "vectors/tdx-spec-example/spec";
}

static fs::path inputs_dir() {
  if (const char* d = std::getenv("COCOON_TDX_INPUTS")) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "cocoon-release/tdx";
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : "/root") / ".cache/cocoon-release/tdx";
}

std::optional<Bytes> debian_input(const std::string& name, std::string& why) {
  auto fk = vector_json()["firmware_and_kernel"];
  std::string key = name == "OVMF.fd" ? "ovmf" : "kernel";
  std::string package = fk["provenance"][key + "_package"].get<std::string>();
  std::string want = fk["inputs"][key]["sha256"].get<std::string>();
  auto data = cocoon::read_file(inputs_dir() / name);
  if (!data.ok()) {
    why = package + " not available (" + (inputs_dir() / name).string() + " absent; run ci/fetch-tdx-inputs)";
    return std::nullopt;
  }
  if (cocoon::crypto::sha256_hex(*data) != want) {
    why = package + " not available (" + name + " has the wrong sha256)";
    return std::nullopt;
  }
  return std::move(*data);
}

Bytes shake_initrd(size_t n) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  Bytes out(n);
  const char* seed = "tdx-judge initrd v1";
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_shake256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), seed, std::strlen(seed)) != 1 ||
      EVP_DigestFinalXOF(ctx.get(), out.data(), out.size()) != 1)
    throw std::runtime_error("SHAKE-256 failed");
  return out;
}

static void put32(Bytes& b, size_t off, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
static void put16(Bytes& b, size_t off, std::uint16_t v) {
  b[off] = static_cast<std::uint8_t>(v);
  b[off + 1] = static_cast<std::uint8_t>(v >> 8);
}
static void put64(Bytes& b, size_t off, std::uint64_t v) {
  put32(b, off, static_cast<std::uint32_t>(v));
  put32(b, off + 4, static_cast<std::uint32_t>(v >> 32));
}

Bytes synthetic_ovmf(size_t bfv_size) {
  Bytes fw(bfv_size, 0);
  for (size_t i = 0; i < fw.size(); ++i) fw[i] = static_cast<std::uint8_t>((i * 31) ^ (i >> 8));
  // Descriptor 4 KiB before the end, GUIDed table in the last bytes.
  size_t desc = fw.size() - 0x1000;
  std::memcpy(fw.data() + desc, "TDVF", 4);
  put32(fw, desc + 4, 16 + 2 * 32);
  put32(fw, desc + 8, 1);
  put32(fw, desc + 12, 2);
  size_t s = desc + 16;
  put32(fw, s, 0);
  put32(fw, s + 4, static_cast<std::uint32_t>(bfv_size));
  put64(fw, s + 8, 0x100000000ull - bfv_size);
  put64(fw, s + 16, bfv_size);
  put32(fw, s + 24, 0);
  put32(fw, s + 28, 1);
  s += 32;
  put32(fw, s, 0);
  put32(fw, s + 4, 0);
  put64(fw, s + 8, 0x800000);
  put64(fw, s + 16, 0x2000);
  put32(fw, s + 24, 3);
  put32(fw, s + 28, 0);
  const std::uint8_t footer[16] = {0xde, 0x82, 0xb5, 0x96, 0xb2, 0x1f, 0xf7, 0x45,
                                   0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d};
  const std::uint8_t tdx[16] = {0x35, 0x65, 0x7a, 0xe4, 0x4a, 0x98, 0x98, 0x47,
                                0x86, 0x5e, 0x46, 0x85, 0xa7, 0xbf, 0x8e, 0xc2};
  size_t end = fw.size();
  std::memcpy(fw.data() + end - 48, footer, 16);
  put16(fw, end - 50, 18 + 22);
  std::memcpy(fw.data() + end - 66, tdx, 16);
  put16(fw, end - 68, 22);
  put32(fw, end - 72, static_cast<std::uint32_t>(fw.size() - desc));
  return fw;
}

Bytes synthetic_kernel(bool with_cert_table) {
  const size_t pe = 0x280, opt = pe + 24, opt_size = 240, sections = opt + opt_size;
  Bytes k(0x5000 + (with_cert_table ? 0x100 : 0), 0);
  for (size_t i = 0x1000; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(i * 7 + 3);
  k[0] = 'M', k[1] = 'Z';
  put32(k, 0x3c, pe);
  k[0x1f1] = 7;  // setup_sects
  std::memcpy(k.data() + 0x202, "HdrS", 4);
  put16(k, 0x206, 0x020f);
  k[0x211] = 0x01;              // LOADED_HIGH
  put32(k, 0x22c, 0x7fffffff);  // initrd_addr_max
  put16(k, 0x236, 0x7f);        // xloadflags
  std::memcpy(k.data() + pe, "PE\0\0", 4);
  put16(k, pe + 4, 0x8664);
  put16(k, pe + 6, 2);
  put16(k, pe + 20, opt_size);
  put16(k, opt, 0x20b);
  put32(k, opt + 60, 0x1000);      // SizeOfHeaders
  put32(k, opt + 64, 0x12345678);  // CheckSum (skipped by Authenticode)
  put32(k, opt + 108, 16);         // NumberOfRvaAndSizes
  if (with_cert_table) {
    put32(k, opt + 112 + 4 * 8, 0x5000);
    put32(k, opt + 112 + 4 * 8 + 4, 0x100);
  }
  const char* names[2] = {".text", ".data"};
  const std::uint32_t offs[2] = {0x1000, 0x4000}, sizes[2] = {0x3000, 0x1000};
  for (int i = 0; i < 2; ++i) {
    size_t s = sections + static_cast<size_t>(i) * 40;
    std::memcpy(k.data() + s, names[i], std::strlen(names[i]));
    put32(k, s + 16, sizes[i]);
    put32(k, s + 20, offs[i]);
  }
  return k;
}

RunResult run(const std::string& command) {
  RunResult r;
  std::string full = command + " 2>&1";
  FILE* p = ::popen(full.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string tool(const std::string& name) {
  return std::string(COCOON_BINARY_DIR) + "/tools/" + name + "/" + name;
}

}  // namespace measure_test

namespace measure_test {

cocoon::measure::HostProfile synthetic_host_profile(const std::string& name,
                                                    const std::string& qemu_version) {
  using namespace cocoon::measure;
  HostProfile p;
  p.name = name;
  p.qemu_version = qemu_version;
  p.memory_bytes = 4ull << 30;
  p.vcpus = 8;
  p.devices = {"virtio-net", "vfio-pci 0000:1b:00.0"};
  for (const char* what : {"TD HOB", "ACPI tables of ", "Secure Boot variables"}) {
    std::string d = std::string(what) + name;
    append_event(p.rtmr0_events, RegisterId::rtmr0, kEvEventTag, d,
                 cocoon::crypto::sha384(cocoon::as_bytes(d)));
  }
  p.rtmr0 = replay(p.rtmr0_events);
  auto version = qemu_version;
  p.qemu_class = (version.rfind("10.2", 0) == 0 || version.rfind("11", 0) == 0) ? QemuClass::ge_10_2_unpatched
                                                                                : QemuClass::le_10_1_patched;
  p.page_order = version.rfind("8.", 0) == 0 ? PageOrder::two_pass : PageOrder::single_pass;
  return p;
}

SyntheticImage synthetic_image() {
  auto dir = cocoon::TempDir::create("measure-image-");
  if (!dir.ok()) throw std::runtime_error("no temp dir");
  fs::path d = dir->path();
  auto write = [](const fs::path& p, cocoon::ByteView data, unsigned mode = 0644) {
    fs::create_directories(p.parent_path());
    if (!cocoon::write_file_atomic(p, data, mode).ok()) throw std::runtime_error("write failed");
  };
  write(d / "OVMF.fd", synthetic_ovmf());
  write(d / "image.vmlinuz", synthetic_kernel());
  write(d / "image.initrd", shake_initrd(100000));
  write(d / "image.cmdline", cocoon::as_bytes(std::string("console=hvc0 root=/dev/vda1 rd.shell=0\n")));
  write(d / "spec/spec-worker/worker.json", cocoon::as_bytes(std::string("{\"role\":\"worker\"}\n")));
  write(d / "spec/spec-worker/start.sh", cocoon::as_bytes(std::string("#!/bin/sh\n")), 0755);
  write(d / "spec/spec-proxy/proxy.json", cocoon::as_bytes(std::string("{\"role\":\"proxy\"}\n")));
  cocoon::measure::MeasureInputs in;
  in.ovmf = d / "OVMF.fd";
  in.kernel = d / "image.vmlinuz";
  in.initrd = d / "image.initrd";
  in.cmdline = d / "image.cmdline";
  in.roles = {{"worker", "cocoon_gpu", d / "spec/spec-worker"}, {"proxy", "", d / "spec/spec-proxy"}};
  in.memory_sizes = {1ull << 30};
  in.host_profiles = {synthetic_host_profile("lab", "10.1.0")};
  return SyntheticImage{std::move(*dir), std::move(in)};
}

}  // namespace measure_test

namespace measure_test {
using namespace cocoon::measure;
using cocoon::Bytes;
static void put(Bytes& b, size_t off, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) b[off + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

Bytes body_from(const RegisterSet& r, std::uint64_t td_attributes, size_t body_size) {
  Bytes body(body_size, 0);
  put(body, td_body::kTdAttributes, td_attributes, 8);
  auto copy = [&](size_t off, const Register& reg) {
    std::memcpy(body.data() + off, reg.data(), reg.size());
  };
  copy(td_body::kMrtd, r.mrtd);
  copy(td_body::kMrconfigid, r.mrconfigid);
  copy(td_body::kMrowner, r.mrowner);
  copy(td_body::kMrownerconfig, r.mrownerconfig);
  for (size_t i = 0; i < 4; ++i) copy(td_body::kRtmr0 + i * 48, r.rtmr[i]);
  return body;
}

Bytes quote_v4(const RegisterSet& r, std::uint64_t td_attributes, size_t sig_len) {
  Bytes q(kQuoteHeaderSize, 0);
  put(q, 0, 4, 2);
  put(q, 2, 2, 2);
  put(q, 4, kTeeTypeTdx, 4);
  Bytes body = body_from(r, td_attributes);
  q.insert(q.end(), body.begin(), body.end());
  Bytes len(4);
  put(len, 0, sig_len, 4);
  q.insert(q.end(), len.begin(), len.end());
  q.resize(q.size() + sig_len, 0x5a);
  return q;
}

// Writes a TCG2 crypto-agile log (the CCEL table's data) with SHA-384 digests only.
Bytes write_ccel(const std::vector<Event>& events, bool with_sha256_too) {
  Bytes log;
  auto u32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) log.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  auto u16 = [&](std::uint16_t v) {
    log.push_back(static_cast<std::uint8_t>(v)), log.push_back(static_cast<std::uint8_t>(v >> 8));
  };
  Bytes spec;
  const char sig[16] = "Spec ID Event03";
  spec.insert(spec.end(), sig, sig + 16);
  spec.resize(spec.size() + 8, 0);  // platform class, version, errata, uintn size
  spec[16 + 5] = 2;                 // spec version major
  spec[16 + 7] = 2;                 // uintn size
  std::uint32_t nalgs = with_sha256_too ? 2 : 1;
  for (int i = 0; i < 4; ++i) spec.push_back(static_cast<std::uint8_t>(nalgs >> (8 * i)));
  if (with_sha256_too) spec.insert(spec.end(), {0x0b, 0x00, 32, 0});
  spec.insert(spec.end(), {0x0c, 0x00, 48, 0});
  spec.push_back(0);  // vendor info size
  u32(0);
  u32(kEvNoAction);
  log.resize(log.size() + 20, 0);
  u32(static_cast<std::uint32_t>(spec.size()));
  log.insert(log.end(), spec.begin(), spec.end());
  // An EV_NO_ACTION event in the middle must not be replayed.
  u32(1);
  u32(kEvNoAction);
  u32(1);
  u16(0x0c);
  log.resize(log.size() + 48, 0);
  u32(3);
  log.insert(log.end(), {'x', 'y', 'z'});
  for (const auto& e : events) {
    u32(mr_index(e.reg));
    u32(e.type);
    u32(with_sha256_too ? 2 : 1);
    if (with_sha256_too) {
      u16(0x0b);
      Bytes d256 = cocoon::crypto::sha256(e.digest);
      log.insert(log.end(), d256.begin(), d256.end());
    }
    u16(0x0c);
    log.insert(log.end(), e.digest.begin(), e.digest.end());
    u32(static_cast<std::uint32_t>(e.description.size()));
    log.insert(log.end(), e.description.begin(), e.description.end());
  }
  log.resize(log.size() + 256, 0xff);  // the rest of the CCEL area
  return log;
}

}  // namespace measure_test
