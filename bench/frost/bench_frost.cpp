// 3-of-5 FROST signing (both rounds and aggregation, as one signing session) and verification,
// against single-key Ed25519 signing and verification in the same run (libsodium).
#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <vector>

#include "frost/dealer.hpp"
#include "frost/signing.hpp"

using namespace cocoon;
using namespace cocoon::frost;
using Clock = std::chrono::steady_clock;

namespace {

template <typename F>
double per_op_us(int iterations, F&& f) {
  f();  // warm-up
  const auto start = Clock::now();
  for (int i = 0; i < iterations; ++i) f();
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / iterations;
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "bench_frost: %s\n", what);
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 200;
  if (sodium_init() < 0 || iterations <= 0) fail("setup");
  auto group = trusted_dealer_keygen(GroupParams{3, 5});
  if (!group.ok()) fail("keygen");
  const Bytes message(256, 0x42);
  const std::vector<Identifier> signers{1, 3, 5};

  Signature last{};
  const double frost_sign = per_op_us(iterations, [&] {
    SigningPackage package;
    package.message = message;
    std::vector<SigningNonces> nonces;
    for (Identifier id : signers) {
      auto n = commit(id, group->key_packages[id - 1].signing_share);
      if (!n.ok()) fail("commit");
      package.commitments.push_back(n->commitment);
      nonces.push_back(*n);
    }
    std::map<Identifier, Scalar> shares;
    for (std::size_t i = 0; i < signers.size(); ++i) {
      auto z = sign(package, nonces[i], group->key_packages[signers[i] - 1]);
      if (!z.ok()) fail("sign");
      shares.emplace(signers[i], *z);
    }
    auto sig = aggregate(package, shares, group->public_package);  // verifies every share and the result
    if (!sig.ok()) fail("aggregate");
    last = *sig;
  });

  const auto& pk = group->public_package.group_public_key.bytes();
  const double frost_verify = per_op_us(iterations * 10, [&] {
    if (crypto_sign_verify_detached(last.data(), message.data(), message.size(), pk.data()) != 0)
      fail("verify");
  });

  unsigned char single_pk[crypto_sign_PUBLICKEYBYTES], single_sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(single_pk, single_sk);
  unsigned char single_sig[crypto_sign_BYTES];
  const double ed_sign = per_op_us(iterations * 10, [&] {
    crypto_sign_detached(single_sig, nullptr, message.data(), message.size(), single_sk);
  });
  const double ed_verify = per_op_us(iterations * 10, [&] {
    if (crypto_sign_verify_detached(single_sig, message.data(), message.size(), single_pk) != 0)
      fail("ed verify");
  });

  std::printf("operation,frost_3of5_us,ed25519_us,ratio\n");
  std::printf("sign,%.1f,%.1f,%.1f\n", frost_sign, ed_sign, frost_sign / ed_sign);
  std::printf("verify,%.1f,%.1f,%.2f\n", frost_verify, ed_verify, frost_verify / ed_verify);
  return 0;
}
