#pragma once
// Shared helpers for the measure tests: the vector file, the downloaded Debian inputs (skipped by name
// when absent), synthetic TDVF firmware and bzImage/PE kernels, and running the CLI tools.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/json.hpp"

namespace measure_test {

cocoon::Json vector_json();
std::filesystem::path spec_example_dir();

// The Debian file (OVMF.fd or vmlinuz) fetched by ci/fetch-tdx-inputs, if present with the sha256 the
// vector pins; otherwise nullopt and `why` names the package.
std::optional<cocoon::Bytes> debian_input(const std::string& name, std::string& why);

// SHAKE-256("tdx-judge initrd v1"), first n bytes (the vector's initrd).
cocoon::Bytes shake_initrd(size_t n);

// A small firmware image with an OVMF GUIDed table and a TDVF descriptor: a BFV of `bfv_size` bytes (with
// MR_EXTEND) mapped just below 4 GiB and a TEMP_MEM section.
cocoon::Bytes synthetic_ovmf(size_t bfv_size = 64 * 1024);

// A bzImage-shaped PE32+ image: boot header (protocol 2.15, loaded high), two sections, and optionally a
// certificate table at the end.
cocoon::Bytes synthetic_kernel(bool with_cert_table = true);

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};
RunResult run(const std::string& command);
std::string tool(const std::string& name);  // path of a built tool

}  // namespace measure_test

// Catch2 v2 has no SKIP: print a visible WARN (ctest marks the test Skipped via SKIP_REGULAR_EXPRESSION).
#define MEASURE_SKIP(why)       \
  do {                          \
    WARN("skipped: " << (why)); \
    return;                     \
  } while (0)

#include "core/file_io.hpp"
#include "measure/measurement.hpp"

namespace measure_test {

// Synthetic image files on disk (firmware, kernel, initrd, cmdline, two spec dirs), two roles and one
// host profile ("lab", QEMU 10.1, 4 GiB, RTMR0 from three made-up events).
struct SyntheticImage {
  cocoon::TempDir dir;
  cocoon::measure::MeasureInputs inputs;
};
SyntheticImage synthetic_image();
cocoon::measure::HostProfile synthetic_host_profile(const std::string& name, const std::string& qemu_version);

}  // namespace measure_test

#include "measure/image_hash.hpp"
#include "measure/quote.hpp"

namespace measure_test {
// A TD report body, a v4 quote around it (signature data: sig_len filler bytes), and a TCG2 crypto-agile
// CCEL log of the given events (SHA-384 only, or SHA-256 + SHA-384), padded with 0xff like the ACPI area.
cocoon::Bytes body_from(const cocoon::measure::RegisterSet& r, std::uint64_t td_attributes,
                        size_t body_size = cocoon::measure::kTdReportBody10Size);
cocoon::Bytes quote_v4(const cocoon::measure::RegisterSet& r, std::uint64_t td_attributes = 0,
                       size_t sig_len = 1000);
cocoon::Bytes write_ccel(const std::vector<cocoon::measure::Event>& events, bool with_sha256_too = false);
}  // namespace measure_test
