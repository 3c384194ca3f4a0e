#pragma once
// The edwards25519 prime-order group as FROST(Ed25519, SHA-512) uses it (RFC 9591 §6.5), on top of
// libsodium's ed25519 scalar and point operations.
//
// Every value of these types is valid by construction: decoding refuses anything else, and
// operations whose result would leave the valid set (a zero scalar fed to a `noclamp` multiplication,
// an identity result) return an error instead of a value.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::frost {

inline constexpr std::size_t kScalarSize = 32;
inline constexpr std::size_t kPointSize = 32;

// An integer modulo L = 2^252 + 27742317777372353535851937790883648493, held as its canonical 32-byte
// little-endian encoding (always < L). Scalars are often secret (shares, nonces, coefficients), so every
// Scalar wipes its bytes when destroyed or overwritten.
// Example: Scalar::from_u64(3).bytes() == 03 00 00 ... 00 (32 bytes).
class Scalar {
 public:
  Scalar() = default;  // zero
  Scalar(const Scalar& other) = default;
  Scalar& operator=(const Scalar& other);
  ~Scalar();

  static Scalar from_u64(std::uint64_t value);
  // Reads a 32-byte little-endian encoding; refuses other lengths and values >= L. `what` names the
  // field in the error message.
  static Result<Scalar> from_canonical(ByteView bytes, std::string_view what);
  // Reduces a 64-byte little-endian value mod L (the way H1-H3 map hashes to scalars).
  static Scalar from_wide(ByteView bytes64);
  // Uniform, non-zero.
  static Scalar random();

  bool is_zero() const;
  const std::array<std::uint8_t, kScalarSize>& bytes() const { return bytes_; }
  std::string hex() const { return hex_encode(bytes_); }

  Scalar operator+(const Scalar& o) const;
  Scalar operator-(const Scalar& o) const;
  Scalar operator*(const Scalar& o) const;
  // Refuses zero.
  Result<Scalar> inverse() const;

 private:
  std::array<std::uint8_t, kScalarSize> bytes_{};
};

// A non-identity element of the prime-order subgroup, held as its canonical RFC 8032 encoding.
// Example: Point::base_mul(Scalar::from_u64(1)) is the generator B, encoded 5866666666...66.
class Point {
 public:
  // Decodes and validates an element received from anyone else: exactly 32 bytes, canonical encoding,
  // on the curve, not the identity, not of small order, in the prime-order subgroup.
  static Result<Point> from_bytes(ByteView bytes, std::string_view what);
  static Result<Point> from_hex(std::string_view text, std::string_view what);
  // s·B; refuses s == 0 (libsodium's noclamp variant fails on it).
  static Result<Point> base_mul(const Scalar& s);
  // Sum of several points; refuses an empty list or an identity sum. Intermediate sums may be the
  // identity (an adversary can arrange that, and it is not an error by itself).
  static Result<Point> sum(std::span<const Point> points);

  // s·P; refuses s == 0.
  Result<Point> mul(const Scalar& s) const;
  // P + Q; refuses an identity result.
  Result<Point> add(const Point& o) const;

  const std::array<std::uint8_t, kPointSize>& bytes() const { return bytes_; }
  std::string hex() const { return hex_encode(bytes_); }
  bool operator==(const Point& o) const { return bytes_ == o.bytes_; }

 private:
  std::array<std::uint8_t, kPointSize> bytes_{};
};

// Participant identifiers are the small non-zero integers 1..max_participants (their scalar encoding
// is the little-endian integer). FROST never uses identifier 0: the share at 0 is the group secret.
using Identifier = std::uint32_t;
inline constexpr Identifier kMaxParticipants = 255;

// Refuses 0, values above max_participants and repeated identifiers; `what` names the list.
Status check_identifiers(std::span<const Identifier> ids, Identifier max_participants, std::string_view what);

// λ_i = Π_{j≠i} x_j / (x_j − x_i) over the set `ids` (which must contain `id` and be valid).
Result<Scalar> lagrange_coefficient(Identifier id, std::span<const Identifier> ids);

}  // namespace cocoon::frost
