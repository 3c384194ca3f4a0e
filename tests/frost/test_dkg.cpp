// Distributed key generation: honest runs, and the participants that must be named and excluded.
#include <sodium.h>
#include <catch2/catch.hpp>

#include "frost/dkg.hpp"
#include "frost/signing.hpp"

using namespace cocoon;
using namespace cocoon::frost;

namespace {

struct Ceremony {
  std::vector<DkgSecret> secrets;
  std::vector<DkgRound1Package> packages;
  std::vector<DkgRound2Message> messages;
};

Ceremony round1(GroupParams params, std::string_view session = "test-ceremony") {
  Ceremony c;
  for (Identifier id = 1; id <= params.max_participants; ++id) {
    auto r = dkg_round1(session, params, id);
    REQUIRE(r.ok());
    c.secrets.push_back(r->secret);
    c.packages.push_back(r->package);
  }
  return c;
}

void round2(Ceremony& c) {
  for (const DkgSecret& s : c.secrets) {
    auto r = dkg_round2(s, c.packages);
    REQUIRE(r.ok());
    c.messages.insert(c.messages.end(), r->messages.begin(), r->messages.end());
  }
}

Signature sign_with(const std::vector<KeyPackage>& keys, std::string_view message) {
  SigningPackage package;
  package.message = to_bytes(message);
  std::vector<SigningNonces> nonces;
  for (const KeyPackage& k : keys) {
    auto n = commit(k.id, k.signing_share);
    REQUIRE(n.ok());
    package.commitments.push_back(n->commitment);
    nonces.push_back(*n);
  }
  REQUIRE(check_signing_package(package, keys[0].public_package).ok());
  std::map<Identifier, Scalar> shares;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto z = sign(package, nonces[i], keys[i]);
    REQUIRE(z.ok());
    shares.emplace(keys[i].id, *z);
  }
  auto sig = aggregate(package, shares, keys[0].public_package);
  REQUIRE(sig.ok());
  REQUIRE(crypto_sign_verify_detached(sig->data(), package.message.data(), package.message.size(),
                                      keys[0].public_package.group_public_key.bytes().data()) == 0);
  return *sig;
}

}  // namespace

TEST_CASE("3-of-5 DKG: everyone derives the same group key and verifying shares, and 3 of them sign") {
  Ceremony c = round1({3, 5});
  for (const auto& p : c.packages) CHECK(dkg_verify_proof(p).ok());
  round2(c);
  CHECK(c.messages.size() == 20);
  std::vector<KeyPackage> keys;
  for (const DkgSecret& s : c.secrets) {
    auto r = dkg_finish(s, c.packages, c.messages);
    REQUIRE(r.ok());
    CHECK(r->excluded.empty());
    CHECK(r->qualified == std::vector<Identifier>{1, 2, 3, 4, 5});
    keys.push_back(r->key);
  }
  for (const KeyPackage& k : keys) {
    CHECK(k.public_package.group_public_key == keys[0].public_package.group_public_key);
    CHECK(k.public_package.verifying_shares.size() == 5);
    for (const auto& [id, share] : k.public_package.verifying_shares)
      CHECK(share == keys[0].public_package.verifying_shares.at(id));
  }
  sign_with({keys[0], keys[2], keys[4]}, "dkg group signs");
  sign_with({keys[1], keys[3], keys[4]}, "dkg group signs");
}

TEST_CASE("DKG: a participant with a bad proof of knowledge is named and excluded by everyone") {
  Ceremony c = round1({3, 5});
  c.packages[3].proof_mu = c.packages[3].proof_mu + Scalar::from_u64(1);  // participant 4 cannot prove
  CHECK(dkg_verify_proof(c.packages[3]).error().message == "proof of knowledge of participant 4 is invalid");
  // Its own round 2 notices that its package was altered; the others exclude it.
  CHECK(dkg_round2(c.secrets[3], c.packages).error().code == Errc::mismatch);
  for (const DkgSecret& s : c.secrets) {
    if (s.id == 4) continue;
    auto r = dkg_round2(s, c.packages);
    REQUIRE(r.ok());
    REQUIRE(r->excluded.size() == 1);
    CHECK(r->excluded[0].id == 4);
    CHECK(r->messages.size() == 3);  // nobody sends a share to 4
    c.messages.insert(c.messages.end(), r->messages.begin(), r->messages.end());
  }
  std::vector<KeyPackage> keys;
  for (const DkgSecret& s : c.secrets) {
    if (s.id == 4) continue;
    auto r = dkg_finish(s, c.packages, c.messages);
    REQUIRE(r.ok());
    REQUIRE(r->excluded.size() == 1);
    CHECK(r->excluded[0].id == 4);
    CHECK(r->excluded[0].reason == "proof of knowledge of its secret does not verify");
    CHECK(r->qualified == std::vector<Identifier>{1, 2, 3, 5});
    CHECK_FALSE(r->key.public_package.verifying_shares.contains(4));
    keys.push_back(r->key);
  }
  for (const KeyPackage& k : keys)
    CHECK(k.public_package.group_public_key == keys[0].public_package.group_public_key);
  sign_with({keys[0], keys[1], keys[3]}, "without participant 4");
}

TEST_CASE("DKG: a share inconsistent with its sender's commitment is named and excluded by its recipient") {
  Ceremony c = round1({3, 5});
  round2(c);
  // Participant 5 sends participant 1 a share off its committed polynomial.
  const Round1Digest digest = c.messages[0].round1_digest;
  for (auto& m : c.messages)
    if (m.from == 5 && m.to == 1) {
      auto wrong = dkg_encrypt_share(c.secrets[4], c.packages[0], digest,
                                     c.secrets[4].polynomial.evaluate(1) + Scalar::from_u64(1));
      REQUIRE(wrong.ok());
      m = *wrong;
    }
  auto r1 = dkg_finish(c.secrets[0], c.packages, c.messages);
  REQUIRE(r1.ok());
  REQUIRE(r1->excluded.size() == 1);
  CHECK(r1->excluded[0].id == 5);
  CHECK(r1->excluded[0].reason == "its round-2 share is inconsistent with its VSS commitment");
  CHECK(r1->qualified == std::vector<Identifier>{1, 2, 3, 4});
  // Others saw nothing wrong: their group key differs, which is how the ceremony detects the split.
  auto r2 = dkg_finish(c.secrets[1], c.packages, c.messages);
  REQUIRE(r2.ok());
  CHECK(r2->excluded.empty());
  CHECK_FALSE(r1->key.public_package.group_public_key == r2->key.public_package.group_public_key);

  // A ciphertext that does not decrypt (tampered in transit or garbage) is also attributed to its sender.
  for (auto& m : c.messages)
    if (m.from == 3 && m.to == 2) m.ciphertext[5] ^= 1;
  auto r3 = dkg_finish(c.secrets[1], c.packages, c.messages);
  REQUIRE(r3.ok());
  REQUIRE(r3->excluded.size() == 1);
  CHECK(r3->excluded[0].id == 3);
  CHECK(r3->excluded[0].reason == "its round-2 share cannot be decrypted");
}

TEST_CASE("DKG: a round-2 message made over a different round-1 set is refused") {
  Ceremony c = round1({2, 3});
  round2(c);
  // Participant 2 saw a different package from participant 3 (a split broadcast).
  std::vector<DkgRound1Package> forked = c.packages;
  auto replacement = dkg_round1("test-ceremony", {2, 3}, 3);
  REQUIRE(replacement.ok());
  forked[2] = replacement->package;
  auto r = dkg_round2(c.secrets[1], forked);
  REQUIRE(r.ok());
  for (auto& m : c.messages)
    if (m.from == 2)
      for (const auto& fm : r->messages)
        if (fm.to == m.to) m = fm;
  auto f = dkg_finish(c.secrets[0], c.packages, c.messages);
  REQUIRE_FALSE(f.ok());
  CHECK(f.error().code == Errc::mismatch);
  CHECK(f.error().message ==
        "round-2 message from participant 2 was made over a different set of round-1 packages");
}

TEST_CASE("DKG: incomplete, duplicated or mixed round-1 sets and missing shares are refused") {
  Ceremony c = round1({2, 3});
  std::vector<DkgRound1Package> missing(c.packages.begin(), c.packages.begin() + 2);
  CHECK(dkg_round2(c.secrets[0], missing).error().message == "round-1 set has 2 packages, expected 3");
  std::vector<DkgRound1Package> dup = c.packages;
  dup[2] = dup[1];
  CHECK(dkg_round2(c.secrets[0], dup).error().message == "round-1 packages: identifier 2 appears twice");
  auto other = dkg_round1("another-ceremony", {2, 3}, 3);
  REQUIRE(other.ok());
  std::vector<DkgRound1Package> mixed = c.packages;
  mixed[2] = other->package;
  CHECK(dkg_round2(c.secrets[0], mixed).error().code == Errc::mismatch);
  round2(c);
  std::vector<DkgRound2Message> partial;
  for (const auto& m : c.messages)
    if (m.from != 3) partial.push_back(m);
  auto f = dkg_finish(c.secrets[0], c.packages, partial);
  REQUIRE_FALSE(f.ok());
  CHECK(f.error().code == Errc::not_found);
  CHECK(f.error().message == "no round-2 share from participant 3 to participant 1");
}

TEST_CASE("DKG: too many exclusions leave fewer than threshold participants, which is an error") {
  Ceremony c = round1({3, 3});
  c.packages[2].proof_mu = c.packages[2].proof_mu + Scalar::from_u64(1);
  auto r = dkg_round2(c.secrets[0], c.packages);
  REQUIRE(r.ok());
  c.messages = r->messages;
  auto r2 = dkg_round2(c.secrets[1], c.packages);
  REQUIRE(r2.ok());
  c.messages.insert(c.messages.end(), r2->messages.begin(), r2->messages.end());
  auto f = dkg_finish(c.secrets[0], c.packages, c.messages);
  REQUIRE_FALSE(f.ok());
  CHECK(f.error().message == "only 2 qualified participants remain, the threshold is 3");
  CHECK_FALSE(dkg_round1("bad name!", {2, 3}, 1).ok());
  CHECK_FALSE(dkg_round1("ok", {2, 3}, 4).ok());
  CHECK_FALSE(dkg_round1("ok", {2, 3}, 0).ok());
}
