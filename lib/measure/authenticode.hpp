#pragma once
// PE/COFF Authenticode digest as edk2 measures a boot application (MeasureBootPeCoff / Tcg2MeasurePeImage):
//   headers up to CheckSum, then up to the certificate-table directory entry, then the rest of the headers
//   (up to SizeOfHeaders); then each section's raw data in file-offset order; then the bytes after the last
//   section up to file size minus the certificate table's size. No padding.
// Example: Debian's signed vmlinuz (a PE32+ EFI stub image with an embedded PKCS#7 signature) hashes, with
// SHA-256, to exactly the digest its own signature's SpcIndirectDataContent carries.
#include <cstdint>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "crypto/hash.hpp"

namespace cocoon::measure {

struct PeSection {
  std::uint32_t raw_offset = 0;
  std::uint32_t raw_size = 0;
};

struct PeLayout {
  size_t checksum_offset = 0;
  size_t cert_dir_offset = 0;  // 0 when the image has no certificate-table directory entry
  std::uint32_t size_of_headers = 0;
  std::uint32_t cert_table_offset = 0;
  std::uint32_t cert_table_size = 0;
  std::vector<PeSection> sections;  // sorted by raw_offset, empty ones dropped
};

// Refuses (Errc::invalid_input): no MZ/PE signature, headers or section table outside the file, a section
// whose raw data lies outside the file or overlaps another or the headers, a certificate table outside
// the file.
Result<PeLayout> parse_pe(ByteView image);

Result<Bytes> authenticode_digest(ByteView image, crypto::HashAlg alg);

}  // namespace cocoon::measure
