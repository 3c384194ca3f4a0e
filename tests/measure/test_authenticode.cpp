// Authenticode: our digest of Debian's signed kernel equals the digest inside the kernel's own embedded
// PKCS#7 signature (an independent party's data, parsed with OpenSSL); and malformed PE images are refused.
#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <memory>

#include "crypto/hash.hpp"
#include "measure/authenticode.hpp"
#include "measure/bzimage.hpp"
#include "support.hpp"

using namespace cocoon;
using namespace cocoon::measure;

namespace {

std::uint32_t u32(const Bytes& b, size_t off) {
  return b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (static_cast<std::uint32_t>(b[off + 3]) << 24);
}

struct SignedDigest {
  std::string algorithm;
  Bytes digest;
};

// WIN_CERTIFICATE {u32 length, u16 revision, u16 type = 2 (PKCS#7)} then SignedData whose content is
// SpcIndirectDataContent ::= SEQUENCE { SpcAttributeTypeAndOptionalValue, DigestInfo }.
SignedDigest digest_from_signature(const Bytes& image, const PeLayout& pe) {
  REQUIRE(pe.cert_table_size > 8);
  size_t off = pe.cert_table_offset;
  REQUIRE(u32(image, off) <= pe.cert_table_size);
  REQUIRE((image[off + 6] | (image[off + 7] << 8)) == 2);
  const unsigned char* p = image.data() + off + 8;
  std::unique_ptr<PKCS7, decltype(&PKCS7_free)> p7(d2i_PKCS7(nullptr, &p, u32(image, off) - 8), PKCS7_free);
  REQUIRE(p7);
  REQUIRE(PKCS7_type_is_signed(p7.get()));
  PKCS7* contents = p7->d.sign->contents;
  REQUIRE(OBJ_obj2nid(contents->type) == NID_undef);  // SPC_INDIRECT_DATA has no OpenSSL NID
  char oid[64];
  OBJ_obj2txt(oid, sizeof oid, contents->type, 1);
  REQUIRE(std::string(oid) == "1.3.6.1.4.1.311.2.1.4");
  ASN1_TYPE* other = contents->d.other;
  REQUIRE(other);
  REQUIRE(other->type == V_ASN1_SEQUENCE);
  const unsigned char* seq = other->value.sequence->data;
  long seq_len = other->value.sequence->length;
  long len;
  int tag, cls;
  // Enter the outer SEQUENCE, skip the first element, then read DigestInfo.
  const unsigned char* q = seq;
  REQUIRE((ASN1_get_object(&q, &len, &tag, &cls, seq_len) & 0x80) == 0);
  REQUIRE(tag == V_ASN1_SEQUENCE);
  REQUIRE((ASN1_get_object(&q, &len, &tag, &cls, seq_len - (q - seq)) & 0x80) == 0);
  q += len;
  const unsigned char* digest_info = q;
  long remaining = seq_len - (q - seq);
  std::unique_ptr<X509_SIG, decltype(&X509_SIG_free)> sig(d2i_X509_SIG(nullptr, &digest_info, remaining),
                                                          X509_SIG_free);
  REQUIRE(sig);
  const X509_ALGOR* alg;
  const ASN1_OCTET_STRING* digest;
  X509_SIG_get0(sig.get(), &alg, &digest);
  const ASN1_OBJECT* alg_oid;
  X509_ALGOR_get0(&alg_oid, nullptr, nullptr, alg);
  SignedDigest out;
  out.algorithm = OBJ_nid2sn(OBJ_obj2nid(alg_oid));
  out.digest.assign(ASN1_STRING_get0_data(digest),
                    ASN1_STRING_get0_data(digest) + ASN1_STRING_length(digest));
  return out;
}

void put32(Bytes& b, size_t off, std::uint32_t v) {
  // Through at(): GCC 12 at -O3 otherwise warns falsely (-Wstringop-overflow) about operator[].
  for (int i = 0; i < 4; ++i) b.at(off + i) = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace

TEST_CASE("authenticode: Debian's signed kernel digest equals its embedded PKCS#7 digest") {
  std::string why;
  auto kernel = measure_test::debian_input("vmlinuz", why);
  if (!kernel) MEASURE_SKIP(why);
  auto pe = parse_pe(*kernel);
  REQUIRE(pe.ok());
  SignedDigest signed_digest = digest_from_signature(*kernel, *pe);
  REQUIRE(signed_digest.algorithm == "SHA256");
  auto ours = authenticode_digest(*kernel, crypto::HashAlg::sha256);
  REQUIRE(ours.ok());
  CHECK(hex_encode(*ours) == hex_encode(signed_digest.digest));
  // The QEMU-patched kernel no longer matches its signature: the rewrite really changes measured bytes.
  auto patched = qemu_patch_kernel(*kernel, 1ull << 30, 4096);
  REQUIRE(patched.ok());
  auto patched_digest = authenticode_digest(*patched, crypto::HashAlg::sha256);
  REQUIRE(patched_digest.ok());
  CHECK(*patched_digest != signed_digest.digest);
}

TEST_CASE("authenticode: checksum and certificate table are excluded, everything else is covered") {
  Bytes k = measure_test::synthetic_kernel(true);
  auto base = authenticode_digest(k, crypto::HashAlg::sha384);
  REQUIRE(base.ok());
  auto pe = parse_pe(k);
  REQUIRE(pe.ok());
  Bytes changed = k;
  put32(changed, pe->checksum_offset, 0xdeadbeef);
  changed[pe->cert_table_offset + 10] ^= 0xff;
  auto same = authenticode_digest(changed, crypto::HashAlg::sha384);
  REQUIRE(same.ok());
  CHECK(*same == *base);
  Bytes text_changed = k;
  text_changed[0x1800] ^= 1;
  CHECK(*authenticode_digest(text_changed, crypto::HashAlg::sha384) != *base);
  Bytes header_changed = k;
  header_changed[0x210] ^= 1;
  CHECK(*authenticode_digest(header_changed, crypto::HashAlg::sha384) != *base);
}

TEST_CASE("authenticode: malformed PE images are refused") {
  Bytes good = measure_test::synthetic_kernel(true);
  const size_t sections = 0x280 + 24 + 240;
  SECTION("section outside the file") {
    Bytes k = good;
    put32(k, sections + 20, 0x4f00);  // .text raw offset: runs past the end
    auto r = authenticode_digest(k, crypto::HashAlg::sha384);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::invalid_input);
    CHECK(r.error().message.find("outside the file") != std::string::npos);
  }
  SECTION("overlapping sections") {
    Bytes k = good;
    put32(k, sections + 40 + 20, 0x3000);  // .data starts inside .text
    auto r = authenticode_digest(k, crypto::HashAlg::sha384);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("overlap") != std::string::npos);
  }
  SECTION("no PE signature") {
    Bytes k = good;
    k[0x280] = 'X';
    CHECK_FALSE(authenticode_digest(k, crypto::HashAlg::sha384).ok());
  }
  SECTION("PE header offset outside the file") {
    Bytes k = good;
    put32(k, 0x3c, 0xfffffff0);
    CHECK_FALSE(authenticode_digest(k, crypto::HashAlg::sha384).ok());
  }
  SECTION("certificate table outside the file") {
    Bytes k = good;
    put32(k, 0x280 + 24 + 112 + 4 * 8 + 4, 0x10000);
    CHECK_FALSE(authenticode_digest(k, crypto::HashAlg::sha384).ok());
  }
  SECTION("truncated") {
    Bytes k(good.begin(), good.begin() + 0x300);
    CHECK_FALSE(authenticode_digest(k, crypto::HashAlg::sha384).ok());
  }
}
