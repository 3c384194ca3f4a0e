#include "frost/group.hpp"

#include <sodium.h>

#include <algorithm>

namespace cocoon::frost {
namespace {

// L, little-endian.
constexpr std::array<std::uint8_t, 32> kOrder = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

bool less_than_order(ByteView le) {
  for (int i = 31; i >= 0; --i) {
    if (le[i] < kOrder[i]) return true;
    if (le[i] > kOrder[i]) return false;
  }
  return false;  // equal to L
}

// The y coordinate (the low 255 bits) must be below p = 2^255 - 19.
bool y_is_canonical(ByteView p) {
  if ((p[31] & 0x7f) != 0x7f) return true;
  for (int i = 30; i >= 1; --i)
    if (p[i] != 0xff) return true;
  return p[0] < 0xed;
}

bool is_identity_encoding(ByteView p) {
  if (p[0] != 1) return false;
  return std::all_of(p.begin() + 1, p.end(), [](std::uint8_t b) { return b == 0; });
}

// The eight points of order dividing 8 other than those with non-canonical x sign (RFC 8032 encodings
// with the sign bit masked off): identity, the point of order 2, two of order 4, four of order 8.
bool has_small_order(ByteView p) {
  static const char* const kSmallOrder[] = {
      "0100000000000000000000000000000000000000000000000000000000000000",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "0000000000000000000000000000000000000000000000000000000000000000",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
  };
  std::array<std::uint8_t, 32> masked;
  std::copy(p.begin(), p.end(), masked.begin());
  masked[31] &= 0x7f;
  for (const char* h : kSmallOrder) {
    auto b = hex_decode(h);
    if (b.ok() && std::equal(b->begin(), b->end(), masked.begin())) return true;
  }
  return false;
}

}  // namespace

Scalar& Scalar::operator=(const Scalar& other) {
  bytes_ = other.bytes_;
  return *this;
}

Scalar::~Scalar() {
  sodium_memzero(bytes_.data(), bytes_.size());
}

Scalar Scalar::from_u64(std::uint64_t value) {
  Scalar s;
  for (int i = 0; i < 8; ++i) s.bytes_[i] = static_cast<std::uint8_t>(value >> (8 * i));
  return s;
}

Result<Scalar> Scalar::from_canonical(ByteView bytes, std::string_view what) {
  if (bytes.size() != kScalarSize)
    return make_error(Errc::invalid_input,
                      std::string(what) + ": a scalar must be 32 bytes, got " + std::to_string(bytes.size()));
  if (!less_than_order(bytes))
    return make_error(Errc::invalid_input,
                      std::string(what) + ": scalar is not canonical (not below the group order L)");
  Scalar s;
  std::copy(bytes.begin(), bytes.end(), s.bytes_.begin());
  return s;
}

Scalar Scalar::from_wide(ByteView bytes64) {
  std::array<std::uint8_t, 64> wide{};
  std::copy_n(bytes64.begin(), std::min<std::size_t>(64, bytes64.size()), wide.begin());
  Scalar s;
  crypto_core_ed25519_scalar_reduce(s.bytes_.data(), wide.data());
  sodium_memzero(wide.data(), wide.size());
  return s;
}

Scalar Scalar::random() {
  Scalar s;
  do {
    crypto_core_ed25519_scalar_random(s.bytes_.data());
  } while (s.is_zero());
  return s;
}

bool Scalar::is_zero() const {
  return sodium_is_zero(bytes_.data(), bytes_.size()) == 1;
}

Scalar Scalar::operator+(const Scalar& o) const {
  Scalar r;
  crypto_core_ed25519_scalar_add(r.bytes_.data(), bytes_.data(), o.bytes_.data());
  return r;
}

Scalar Scalar::operator-(const Scalar& o) const {
  Scalar r;
  crypto_core_ed25519_scalar_sub(r.bytes_.data(), bytes_.data(), o.bytes_.data());
  return r;
}

Scalar Scalar::operator*(const Scalar& o) const {
  Scalar r;
  crypto_core_ed25519_scalar_mul(r.bytes_.data(), bytes_.data(), o.bytes_.data());
  return r;
}

Result<Scalar> Scalar::inverse() const {
  Scalar r;
  if (is_zero() || crypto_core_ed25519_scalar_invert(r.bytes_.data(), bytes_.data()) != 0)
    return make_error(Errc::invalid_input, "cannot invert the zero scalar");
  return r;
}

Result<Point> Point::from_bytes(ByteView bytes, std::string_view what) {
  const std::string name(what);
  if (bytes.size() != kPointSize)
    return make_error(Errc::invalid_input,
                      name + ": a group element must be 32 bytes, got " + std::to_string(bytes.size()));
  if (!y_is_canonical(bytes))
    return make_error(Errc::invalid_input, name + ": group element encoding is not canonical");
  if (is_identity_encoding(bytes))
    return make_error(Errc::invalid_input, name + ": group element is the identity");
  if (has_small_order(bytes))
    return make_error(Errc::invalid_input, name + ": group element has small order");
  if (crypto_core_ed25519_is_valid_point(bytes.data()) != 1)
    return make_error(
        Errc::invalid_input,
        name + ": not a point of the prime-order subgroup (off the curve or with a torsion component)");
  Point p;
  std::copy(bytes.begin(), bytes.end(), p.bytes_.begin());
  return p;
}

Result<Point> Point::from_hex(std::string_view text, std::string_view what) {
  auto b = hex_decode(text);
  if (!b.ok()) return make_error(Errc::invalid_input, std::string(what) + ": " + b.error().message);
  return from_bytes(*b, what);
}

Result<Point> Point::base_mul(const Scalar& s) {
  if (s.is_zero()) return make_error(Errc::invalid_input, "cannot multiply the generator by the zero scalar");
  Point p;
  if (crypto_scalarmult_ed25519_base_noclamp(p.bytes_.data(), s.bytes().data()) != 0)
    return make_error(Errc::internal, "libsodium refused a base-point multiplication");
  return p;
}

Result<Point> Point::sum(std::span<const Point> points) {
  if (points.empty()) return make_error(Errc::internal, "sum of an empty list of group elements");
  std::array<std::uint8_t, 32> acc = points[0].bytes_;
  for (std::size_t i = 1; i < points.size(); ++i) {
    std::array<std::uint8_t, 32> next;
    if (crypto_core_ed25519_add(next.data(), acc.data(), points[i].bytes_.data()) != 0)
      return make_error(Errc::internal, "libsodium refused a point addition");
    acc = next;
  }
  if (is_identity_encoding(acc)) return make_error(Errc::crypto, "a sum of group elements is the identity");
  Point p;
  p.bytes_ = acc;
  return p;
}

Result<Point> Point::mul(const Scalar& s) const {
  if (s.is_zero())
    return make_error(Errc::invalid_input, "cannot multiply a group element by the zero scalar");
  Point p;
  if (crypto_scalarmult_ed25519_noclamp(p.bytes_.data(), s.bytes().data(), bytes_.data()) != 0)
    return make_error(Errc::crypto, "a scalar multiplication gave the identity");
  return p;
}

Result<Point> Point::add(const Point& o) const {
  std::array<Point, 2> both{*this, o};
  return sum(both);
}

Status check_identifiers(std::span<const Identifier> ids, Identifier max_participants,
                         std::string_view what) {
  std::vector<Identifier> seen;
  for (Identifier id : ids) {
    if (id == 0) return make_error(Errc::invalid_input, std::string(what) + ": identifier 0 is not allowed");
    if (id > max_participants)
      return make_error(Errc::invalid_input, std::string(what) + ": identifier " + std::to_string(id) +
                                                 " is above the number of participants " +
                                                 std::to_string(max_participants));
    if (std::find(seen.begin(), seen.end(), id) != seen.end())
      return make_error(Errc::invalid_input,
                        std::string(what) + ": identifier " + std::to_string(id) + " appears twice");
    seen.push_back(id);
  }
  return Ok{};
}

Result<Scalar> lagrange_coefficient(Identifier id, std::span<const Identifier> ids) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end())
    return make_error(Errc::invalid_input, "participant " + std::to_string(id) + " is not in the signer set");
  Scalar numerator = Scalar::from_u64(1);
  Scalar denominator = Scalar::from_u64(1);
  const Scalar xi = Scalar::from_u64(id);
  for (Identifier other : ids) {
    if (other == id) continue;
    const Scalar xj = Scalar::from_u64(other);
    numerator = numerator * xj;
    denominator = denominator * (xj - xi);
  }
  auto inv = denominator.inverse();
  if (!inv.ok()) return make_error(Errc::invalid_input, "repeated identifier in the signer set");
  return numerator * *inv;
}

}  // namespace cocoon::frost
