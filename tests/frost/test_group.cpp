// Encoding and validation of scalars, group elements and identifiers.
#include <sodium.h>
#include <catch2/catch.hpp>

#include "frost/group.hpp"

using namespace cocoon;
using namespace cocoon::frost;

namespace {

Bytes hex(std::string_view h) {
  auto b = hex_decode(h);
  REQUIRE(b.ok());
  return *b;
}

const char* kOrderHex = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("scalars must be canonical: 32 bytes below the group order") {
  Bytes order = hex(kOrderHex);
  auto at_order = Scalar::from_canonical(order, "share");
  REQUIRE_FALSE(at_order.ok());
  CHECK(at_order.error().code == Errc::invalid_input);
  CHECK(contains(at_order.error().message, "share: scalar is not canonical"));
  order[0] -= 1;  // L - 1
  CHECK(Scalar::from_canonical(order, "share").ok());
  CHECK_FALSE(Scalar::from_canonical(Bytes(32, 0xff), "share").ok());
  auto short_one = Scalar::from_canonical(Bytes(31, 0), "share");
  REQUIRE_FALSE(short_one.ok());
  CHECK(contains(short_one.error().message, "must be 32 bytes"));
}

TEST_CASE("zero scalars are refused by the noclamp multiplications instead of crashing") {
  auto zero_base = Point::base_mul(Scalar());
  REQUIRE_FALSE(zero_base.ok());
  auto b = Point::base_mul(Scalar::from_u64(1));
  REQUIRE(b.ok());
  CHECK(b->hex() == "5866666666666666666666666666666666666666666666666666666666666666");
  CHECK_FALSE(b->mul(Scalar()).ok());
  CHECK_FALSE(Scalar().inverse().ok());
  // L·B is the identity: order minus one plus one wraps to zero.
  auto l_minus_1 =
      Scalar::from_canonical(hex("ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"), "x");
  REQUIRE(l_minus_1.ok());
  CHECK((*l_minus_1 + Scalar::from_u64(1)).is_zero());
}

TEST_CASE(
    "group elements: identity, small order, non-canonical, torsion and off-curve encodings are refused") {
  auto expect_refused = [](std::string_view h, std::string_view reason) {
    auto p = Point::from_hex(h, "commitment");
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == Errc::invalid_input);
    CHECK(contains(p.error().message, "commitment: "));
    CHECK(contains(p.error().message, reason));
  };
  expect_refused("0100000000000000000000000000000000000000000000000000000000000000", "identity");
  expect_refused("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "small order");
  expect_refused("0000000000000000000000000000000000000000000000000000000000000000", "small order");
  expect_refused("0000000000000000000000000000000000000000000000000000000000000080", "small order");
  expect_refused("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "small order");
  expect_refused("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", "small order");
  expect_refused("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", "small order");
  expect_refused("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", "small order");
  expect_refused("0100000000000000000000000000000000000000000000000000000000000080", "small order");
  // y = p and y = p + 1 (the latter would be an alias of y = 1).
  expect_refused("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "not canonical");
  expect_refused("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "not canonical");
  expect_refused("5866666666666666666666666666666666666666666666666666666666666666aa", "must be 32 bytes");
  expect_refused("zz", "commitment");

  // B + T (T of order 8) is on the curve but outside the prime-order subgroup.
  auto b = Point::base_mul(Scalar::from_u64(1));
  REQUIRE(b.ok());
  Bytes t8 = hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");
  std::array<std::uint8_t, 32> mixed;
  REQUIRE(crypto_core_ed25519_add(mixed.data(), b->bytes().data(), t8.data()) == 0);
  expect_refused(hex_encode(mixed), "prime-order subgroup");

  // Small y values: whatever libsodium refuses (off the curve, or with a torsion component) we refuse.
  int refused = 0;
  for (std::uint8_t y = 2; y < 40; ++y) {
    std::array<std::uint8_t, 32> enc{};
    enc[0] = y;
    const bool valid = crypto_core_ed25519_is_valid_point(enc.data()) == 1;
    CHECK(Point::from_bytes(enc, "commitment").ok() == valid);
    refused += valid ? 0 : 1;
  }
  CHECK(refused > 0);
}

TEST_CASE("the small-order list really is the 8-torsion: each listed point times 8 is the identity") {
  for (const char* h : {"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                        "0000000000000000000000000000000000000000000000000000000000000000",
                        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
                        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"}) {
    Bytes p = hex(h);
    std::array<std::uint8_t, 32> acc;
    std::copy(p.begin(), p.end(), acc.begin());
    for (int i = 0; i < 3; ++i) {
      std::array<std::uint8_t, 32> doubled;
      REQUIRE(crypto_core_ed25519_add(doubled.data(), acc.data(), acc.data()) == 0);
      acc = doubled;
    }
    CHECK(hex_encode(acc) == "0100000000000000000000000000000000000000000000000000000000000000");
    CHECK(crypto_core_ed25519_is_valid_point(p.data()) == 0);
  }
}

TEST_CASE("identifiers must be non-zero, in range and distinct") {
  std::vector<Identifier> good{1, 3, 5};
  CHECK(check_identifiers(good, 5, "signers").ok());
  std::vector<Identifier> zero{0, 1};
  auto z = check_identifiers(zero, 5, "signers");
  REQUIRE_FALSE(z.ok());
  CHECK(z.error().message == "signers: identifier 0 is not allowed");
  std::vector<Identifier> high{1, 6};
  CHECK(contains(check_identifiers(high, 5, "signers").error().message, "identifier 6 is above"));
  std::vector<Identifier> dup{2, 2};
  CHECK(contains(check_identifiers(dup, 5, "signers").error().message, "identifier 2 appears twice"));
}

TEST_CASE("Lagrange coefficients at zero") {
  // Over {1, 3}: λ_1 = 3 / (3 - 1) = 3/2, λ_3 = 1 / (1 - 3) = -1/2, and λ_1 + λ_3 = 1.
  std::vector<Identifier> ids{1, 3};
  auto l1 = lagrange_coefficient(1, ids);
  auto l3 = lagrange_coefficient(3, ids);
  REQUIRE(l1.ok());
  REQUIRE(l3.ok());
  CHECK((*l1 * Scalar::from_u64(2)).bytes() == Scalar::from_u64(3).bytes());
  CHECK((*l1 + *l3).bytes() == Scalar::from_u64(1).bytes());
  CHECK_FALSE(lagrange_coefficient(2, ids).ok());
}
