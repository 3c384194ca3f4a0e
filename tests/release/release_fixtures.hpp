#pragma once
// Deterministic keys, roots and signed metadata for the release tests.
#include <string>
#include <vector>

#include "attest/statement.hpp"
#include "core/bytes.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/key_file.hpp"
#include "release/draft.hpp"
#include "release/root_params.hpp"
#include "tlog/note.hpp"

namespace cocoon::release::testing {

// 2026-01-01T00:00:00Z: the "now" of every test, so expiry decisions do not depend on the clock.
inline constexpr UnixSeconds kNow = 1767225600;
inline constexpr UnixSeconds kYear = 365 * 86400;

// Keys from fixed seeds: the same key id in every run.
inline crypto::SecretKey key(const std::string& name, std::uint8_t seed_byte) {
  Bytes seed(32, seed_byte);
  auto pair = crypto::ed25519_from_seed(seed).value();
  crypto::SecretKey k;
  k.name = name;
  k.pair.seed = pair.seed;
  k.pair.public_key = pair.public_key;
  return k;
}

struct Cast {
  crypto::SecretKey alice = key("alice", 1), bob = key("bob", 2), carol = key("carol", 3),
                    dave = key("dave", 4);
  crypto::SecretKey online = key("online", 10), online2 = key("online2", 11);
  crypto::SecretKey builder1 = key("builder1", 20), builder2 = key("builder2", 21),
                    builder3 = key("builder3", 22);
  // Seed 36: the witness's verifier key has a '+' in its base64, which a parser splitting the key text at
  // every '+' gets wrong (the explorer's page once did).
  crypto::SecretKey log = key("example.org/cocoon-releases", 30), witness = key("witness.example", 36);
};

inline CocoonPolicy make_policy(const Cast& c, std::uint64_t builder_threshold = 2) {
  CocoonPolicy p;
  p.builder_keys = {c.builder1.public_key(), c.builder2.public_key(), c.builder3.public_key()};
  p.builder_threshold = builder_threshold;
  auto log_verifier = tlog::make_verifier(c.log.name, tlog::kAlgEd25519, c.log.pair.public_key);
  p.log_origin = log_verifier.name;
  p.log_verifier_key = tlog::format_verifier_key(log_verifier);
  p.witness_keys = {tlog::format_verifier_key(
      tlog::make_verifier(c.witness.name, tlog::kAlgCosignatureV1, c.witness.pair.public_key))};
  p.witness_quorum = 1;
  return p;
}

inline Root make_test_root(const std::vector<const crypto::SecretKey*>& maintainers, std::uint64_t threshold,
                           const crypto::SecretKey& online, const Cast& c, std::uint64_t version = 1,
                           UnixSeconds expires = kNow + kYear) {
  RootParams p;
  for (const auto* m : maintainers) p.maintainers.push_back(m->public_key());
  p.root_threshold = threshold;
  p.targets_threshold = threshold;
  p.online_keys = {online.public_key()};
  p.policy = make_policy(c);
  p.version = version;
  p.expires = expires;
  return make_root(p).value();
}

inline Envelope sign_all(Json signed_part, const std::vector<const crypto::SecretKey*>& signers) {
  Envelope env;
  env.signed_part = std::move(signed_part);
  for (const auto* s : signers) REQUIRE(add_signature(env, *s).ok());
  return env;
}

inline Targets make_targets(std::uint64_t version, UnixSeconds expires = kNow + 90 * 86400) {
  Targets t;
  t.common = CommonFields{kRoleTargets, kSpecVersion, version, expires};
  TargetFile f;
  f.length = 5;
  f.hashes = tuf_hashes(as_bytes(std::string_view("hello")));
  // Labelled as propose writes them, so that publishing under a policy root accepts the target; the
  // product's version follows the targets version ("3.0" in targets v3).
  f.custom = Json{{"cocoon",
                   {{"version", std::to_string(version) + ".0"},
                    {"source_commit", std::string(40, 'c')},
                    {"recipe_sha256", std::string(64, 'a')}}}};
  t.targets["sample/hello.txt"] = f;
  return t;
}

}  // namespace cocoon::release::testing
