// Signing rounds and aggregation on a dealer-generated 3-of-5 group, including the attacks the
// aggregator and signers must refuse.
#include <sodium.h>
#include <catch2/catch.hpp>

#include "frost/dealer.hpp"
#include "frost/signing.hpp"

using namespace cocoon;
using namespace cocoon::frost;

namespace {

struct Session {
  SigningPackage package;
  std::map<Identifier, SigningNonces> nonces;
};

Session start(const DealerOutput& group, std::vector<Identifier> signers, std::string_view message) {
  Session s;
  s.package.message = to_bytes(message);
  for (Identifier id : signers) {
    auto n = commit(id, group.key_packages[id - 1].signing_share);
    REQUIRE(n.ok());
    s.package.commitments.push_back(n->commitment);
    s.nonces.emplace(id, *n);
  }
  return s;
}

std::map<Identifier, Scalar> sign_all(const DealerOutput& group, const Session& s) {
  std::map<Identifier, Scalar> shares;
  for (const auto& [id, n] : s.nonces) {
    auto z = sign(s.package, n, group.key_packages[id - 1]);
    REQUIRE(z.ok());
    shares.emplace(id, *z);
  }
  return shares;
}

bool verifies(const Signature& sig, const Bytes& msg, const Point& key) {
  return crypto_sign_verify_detached(sig.data(), msg.data(), msg.size(), key.bytes().data()) == 0;
}

DealerOutput group_3_of_5() {
  auto g = trusted_dealer_keygen(GroupParams{3, 5});
  REQUIRE(g.ok());
  return *g;
}

}  // namespace

TEST_CASE("every 3 of 5 signers produce a plain Ed25519 signature") {
  const DealerOutput group = group_3_of_5();
  for (Identifier a = 1; a <= 5; ++a)
    for (Identifier b = a + 1; b <= 5; ++b)
      for (Identifier c = b + 1; c <= 5; ++c) {
        Session s = start(group, {c, a, b}, "release 1.2.3 targets");
        REQUIRE(check_signing_package(s.package, group.public_package).ok());
        auto sig = aggregate(s.package, sign_all(group, s), group.public_package);
        REQUIRE(sig.ok());
        CHECK(verifies(*sig, s.package.message, group.public_package.group_public_key));
      }
}

TEST_CASE("2 of 5 signers cannot produce a valid signature") {
  const DealerOutput group = group_3_of_5();
  Session s = start(group, {2, 4}, "release");
  auto refused = check_signing_package(s.package, group.public_package);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "only 2 signers committed, the threshold is 3");
  // Even bypassing that check, two honest shares interpolate the wrong secret: the result does not verify.
  auto sig = aggregate(s.package, sign_all(group, s), group.public_package);
  REQUIRE_FALSE(sig.ok());
  CHECK(sig.error().code == Errc::signature);
  CHECK(sig.error().message == "the aggregated signature does not verify under the group public key");
}

TEST_CASE("a tampered signature share is detected and attributed to its signer") {
  const DealerOutput group = group_3_of_5();
  Session s = start(group, {1, 2, 5}, "release");
  REQUIRE(check_signing_package(s.package, group.public_package).ok());
  auto shares = sign_all(group, s);
  shares.at(2) = shares.at(2) + Scalar::from_u64(1);
  auto sig = aggregate(s.package, shares, group.public_package);
  REQUIRE_FALSE(sig.ok());
  CHECK(sig.error().code == Errc::signature);
  CHECK(sig.error().message == "signature share of participant 2 is invalid");
  // A share made with another signer's key is attributed to the signer it claims to be from.
  shares = sign_all(group, s);
  std::swap(shares.at(1), shares.at(5));
  sig = aggregate(s.package, shares, group.public_package);
  REQUIRE_FALSE(sig.ok());
  CHECK(sig.error().message == "signature share of participant 1 is invalid");
}

TEST_CASE("missing and unexpected shares are refused by name") {
  const DealerOutput group = group_3_of_5();
  Session s = start(group, {1, 2, 3}, "release");
  REQUIRE(check_signing_package(s.package, group.public_package).ok());
  auto shares = sign_all(group, s);
  auto missing = shares;
  missing.erase(3);
  CHECK(aggregate(s.package, missing, group.public_package).error().message ==
        "no signature share from participant 3, who committed");
  shares.emplace(4, Scalar::from_u64(7));
  CHECK(aggregate(s.package, shares, group.public_package).error().message ==
        "a signature share from participant 4, who did not commit");
}

TEST_CASE("a signer refuses a package carrying a commitment other than its own") {
  const DealerOutput group = group_3_of_5();
  Session s = start(group, {1, 2, 3}, "release");
  auto other = commit(2, group.key_packages[1].signing_share);
  REQUIRE(other.ok());
  s.package.commitments[1] = other->commitment;  // the coordinator swapped participant 2's commitment
  auto z = sign(s.package, s.nonces.at(2), group.key_packages[1]);
  REQUIRE_FALSE(z.ok());
  CHECK(z.error().code == Errc::mismatch);
  // And one that lacks it entirely.
  s.package.commitments.erase(s.package.commitments.begin() + 1);
  CHECK_FALSE(sign(s.package, s.nonces.at(2), group.key_packages[1]).ok());
}

TEST_CASE("a share over another message or another signer set does not verify") {
  const DealerOutput group = group_3_of_5();
  Session s = start(group, {1, 2, 3}, "message A");
  auto shares = sign_all(group, s);
  SigningPackage other = s.package;
  other.message = to_bytes("message B");
  auto sig = aggregate(other, shares, group.public_package);
  REQUIRE_FALSE(sig.ok());
  CHECK(sig.error().code == Errc::signature);
}

TEST_CASE("signing packages with bad identifiers are refused") {
  const DealerOutput group = group_3_of_5();
  Session s = start(group, {1, 2, 3}, "m");
  SigningPackage dup = s.package;
  dup.commitments[2].id = 2;
  CHECK(check_signing_package(dup, group.public_package).error().message ==
        "signing commitments: identifier 2 appears twice");
  SigningPackage zero = s.package;
  zero.commitments[0].id = 0;
  CHECK(check_signing_package(zero, group.public_package).error().message ==
        "signing commitments: identifier 0 is not allowed");
  SigningPackage high = s.package;
  high.commitments[0].id = 9;
  CHECK_FALSE(check_signing_package(high, group.public_package).ok());
}

TEST_CASE("dealer shares verify against the VSS commitment - a wrong share does not") {
  const DealerOutput group = group_3_of_5();
  for (const KeyPackage& key : group.key_packages) {
    CHECK(vss_verify_share(key.id, key.signing_share, group.commitment).ok());
    CHECK_FALSE(vss_verify_share(key.id, key.signing_share + Scalar::from_u64(1), group.commitment).ok());
  }
  CHECK(check_public_package(group.public_package).ok());
  PublicKeyPackage bad = group.public_package;
  bad.verifying_shares.at(4) = bad.verifying_shares.at(5);
  auto st = check_public_package(bad);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().message.find("participant") != std::string::npos);
  CHECK_FALSE(trusted_dealer_keygen(GroupParams{1, 5}).ok());
  CHECK_FALSE(trusted_dealer_keygen(GroupParams{6, 5}).ok());
  CHECK_FALSE(trusted_dealer_keygen(GroupParams{3, 300}).ok());
}
