#include "measure/authenticode.hpp"

#include <algorithm>
#include <string>

#include "measure/le.hpp"

namespace cocoon::measure {
namespace {

Error bad(const std::string& what) {
  return make_error(Errc::invalid_input, "PE image: " + what);
}

constexpr std::uint16_t kPe32Magic = 0x10b;
constexpr std::uint16_t kPe32PlusMagic = 0x20b;
constexpr std::uint32_t kSecurityDirIndex = 4;

}  // namespace

Result<PeLayout> parse_pe(ByteView img) {
  if (img.size() < 64 || img[0] != 'M' || img[1] != 'Z') return bad("no MZ header");
  std::uint32_t pe = le::u32(img, 0x3c);
  if (std::uint64_t{pe} + 24 > img.size()) return bad("PE header offset points outside the file");
  if (!(img[pe] == 'P' && img[pe + 1] == 'E' && img[pe + 2] == 0 && img[pe + 3] == 0))
    return bad("no PE signature");
  std::uint16_t nsections = le::u16(img, pe + 6);
  std::uint16_t opt_size = le::u16(img, pe + 20);
  size_t opt = pe + 24;
  if (opt + opt_size > img.size() || opt_size < 2)
    return bad("optional header runs past the end of the file");
  std::uint16_t magic = le::u16(img, opt);
  size_t nrva_off, dir_off;
  if (magic == kPe32Magic) {
    nrva_off = 92, dir_off = 96;
  } else if (magic == kPe32PlusMagic) {
    nrva_off = 108, dir_off = 112;
  } else {
    return bad("optional header magic is neither PE32 nor PE32+");
  }
  if (opt_size < dir_off) return bad("optional header too small");
  PeLayout out;
  out.checksum_offset = opt + 64;
  std::uint32_t nrva = le::u32(img, opt + nrva_off);
  if (dir_off + std::uint64_t{nrva} * 8 > opt_size)
    return bad("data directories run past the optional header");
  out.size_of_headers = le::u32(img, opt + 60);
  if (out.size_of_headers > img.size()) return bad("SizeOfHeaders is larger than the file");
  if (nrva > kSecurityDirIndex) {
    out.cert_dir_offset = opt + dir_off + kSecurityDirIndex * 8;
    out.cert_table_offset = le::u32(img, out.cert_dir_offset);
    out.cert_table_size = le::u32(img, out.cert_dir_offset + 4);
    if (std::uint64_t{out.cert_table_offset} + out.cert_table_size > img.size())
      return bad("certificate table lies outside the file");
  }
  if (out.cert_dir_offset + 8 > out.size_of_headers || out.checksum_offset + 4 > out.size_of_headers)
    return bad("SizeOfHeaders does not cover the optional header");
  size_t sec_table = opt + opt_size;
  if (sec_table + size_t{nsections} * 40 > out.size_of_headers)
    return bad("section table runs past SizeOfHeaders");
  for (std::uint16_t i = 0; i < nsections; ++i) {
    size_t s = sec_table + size_t{i} * 40;
    PeSection sec{le::u32(img, s + 20), le::u32(img, s + 16)};
    if (sec.raw_size == 0) continue;
    if (std::uint64_t{sec.raw_offset} + sec.raw_size > img.size())
      return bad("section " + std::to_string(i) + " points outside the file");
    out.sections.push_back(sec);
  }
  std::sort(out.sections.begin(), out.sections.end(),
            [](const PeSection& a, const PeSection& b) { return a.raw_offset < b.raw_offset; });
  std::uint64_t covered = out.size_of_headers;
  for (const auto& sec : out.sections) {
    if (sec.raw_offset < covered) return bad("sections overlap each other or the headers");
    covered = std::uint64_t{sec.raw_offset} + sec.raw_size;
  }
  if (out.cert_table_size != 0 && out.cert_table_offset < covered)
    return bad("certificate table overlaps the sections");
  return out;
}

Result<Bytes> authenticode_digest(ByteView img, crypto::HashAlg alg) {
  COCOON_ASSIGN(PeLayout pe, parse_pe(img));
  crypto::Hasher h(alg);
  h.update(img.subspan(0, pe.checksum_offset));
  size_t after_checksum = pe.checksum_offset + 4;
  if (pe.cert_dir_offset != 0) {
    h.update(img.subspan(after_checksum, pe.cert_dir_offset - after_checksum));
    size_t after_dir = pe.cert_dir_offset + 8;
    h.update(img.subspan(after_dir, pe.size_of_headers - after_dir));
  } else {
    h.update(img.subspan(after_checksum, pe.size_of_headers - after_checksum));
  }
  std::uint64_t hashed = pe.size_of_headers;
  for (const auto& sec : pe.sections) {
    h.update(img.subspan(sec.raw_offset, sec.raw_size));
    hashed += sec.raw_size;
  }
  // edk2 hashes what remains past the bytes counted so far, less the certificate table's size.
  if (img.size() > hashed + pe.cert_table_size) {
    h.update(img.subspan(static_cast<size_t>(hashed),
                         static_cast<size_t>(img.size() - pe.cert_table_size - hashed)));
  }
  return h.finish();
}

}  // namespace cocoon::measure
