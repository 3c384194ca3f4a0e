#pragma once
// Distributed key generation without a dealer: Pedersen's DKG with a Schnorr proof of knowledge of
// each participant's constant term (Komlo & Goldberg, "FROST", SAC 2020, Figure 1), with round-two
// shares encrypted so every message can travel over a public channel (a git repository, the log).
//
// Exclusion semantics (docs/frost.md, "DKG exclusion"):
// - A round-1 package whose proof of knowledge does not verify is publicly checkable, so every honest
//   participant excludes its author in round 2 and at finish: its polynomial is not part of the group
//   key, nobody sends it a share, and it gets no verifying share.
// - A round-2 share that cannot be decrypted, names the wrong sender/recipient or does not match its
//   author's VSS commitment is seen only by its recipient, who excludes the author in the same way.
//   Others may not have excluded it, so their group keys differ: finish reports the qualified set and
//   the ceremony is complete only when every participant reports the same group key.
// - Round-2 messages made over a different set of round-1 packages (digest mismatch) are refused
//   outright: that is a broken broadcast, not attributable to one participant.
// - A missing round-2 message is refused (not excluded): the recipient waits for it or the ceremony is
//   rerun without the silent participant.
// - Fewer than `threshold` qualified participants left is an error.
#include <array>
#include <string>
#include <vector>

#include "frost/dealer.hpp"

namespace cocoon::frost {

using X25519PublicKey = std::array<std::uint8_t, 32>;
using Round1Digest = std::array<std::uint8_t, 32>;

// Round-one broadcast of participant `id`. Invariant after dkg_verify_proof: proof_mu·B ==
// proof_r + c·commitment[0] with c = dkg_proof_challenge(...), and the commitment has `threshold` points.
// Example: session "release-2026-q4", params {3,5}, id 2, three commitment points, R, μ, an X25519 key.
struct DkgRound1Package {
  std::string session;
  GroupParams params;
  Identifier id = 0;
  VssCommitment commitment;
  Point proof_r;
  Scalar proof_mu;
  X25519PublicKey encryption_key{};
};

// What participant `id` keeps secret between the rounds (the polynomial and its X25519 secret key).
struct DkgSecret {
  std::string session;
  GroupParams params;
  Identifier id = 0;
  SecretPolynomial polynomial;
  std::array<std::uint8_t, 32> encryption_secret{};
  DkgSecret() = default;
  DkgSecret(const DkgSecret&) = default;
  DkgSecret& operator=(const DkgSecret&) = default;
  ~DkgSecret();
};

// Ceremony names: 1..64 characters from [A-Za-z0-9._-], so they can appear in file names and logs.
Status check_session_name(std::string_view session);

struct DkgRound1Output {
  DkgSecret secret;
  DkgRound1Package package;
};
Result<DkgRound1Output> dkg_round1(std::string_view session, const GroupParams& params, Identifier id);

// c = SHA-512(contextString || "dkg-pok" || len(session) || session || encode(id) || t || n ||
//             encode(C_0) || encode(R) || encryption_key) mod L.
Scalar dkg_proof_challenge(const DkgRound1Package& package);
Status dkg_verify_proof(const DkgRound1Package& package);

// Checks that `packages` is one complete round-1 set (one package per identifier 1..n, same session and
// parameters, well formed) and sorts it by identifier.
Status check_round1_set(std::vector<DkgRound1Package>& packages);
// SHA-256 over a fixed binary encoding of the whole (sorted) set; every round-2 message carries it.
Round1Digest round1_set_digest(const std::vector<DkgRound1Package>& sorted_packages);

// One share f_from(to), encrypted with crypto_box (X25519 + XSalsa20-Poly1305) from the sender's
// X25519 key to the recipient's, both published in round 1. The plaintext repeats the digest and both
// identifiers so a ciphertext cannot be replayed into another ceremony or to another recipient.
struct DkgRound2Message {
  Identifier from = 0;
  Identifier to = 0;
  Round1Digest round1_digest{};
  std::array<std::uint8_t, 24> nonce{};
  Bytes ciphertext;
};

struct DkgExclusion {
  Identifier id = 0;
  std::string reason;
};

struct DkgRound2Output {
  std::vector<DkgRound2Message> messages;  // one per qualified recipient other than the sender
  std::vector<DkgExclusion> excluded;      // bad proofs of knowledge
  Round1Digest round1_digest{};
};
Result<DkgRound2Output> dkg_round2(const DkgSecret& secret, std::vector<DkgRound1Package> packages);

struct DkgResult {
  KeyPackage key;
  std::vector<Identifier> qualified;
  std::vector<DkgExclusion> excluded;
  Round1Digest round1_digest{};
};
// `messages` are those addressed to this participant (others are ignored).
Result<DkgResult> dkg_finish(const DkgSecret& secret, std::vector<DkgRound1Package> packages,
                             const std::vector<DkgRound2Message>& messages);

// Test hook: encrypts an arbitrary share as `secret` would (to build inconsistent-share scenarios).
Result<DkgRound2Message> dkg_encrypt_share(const DkgSecret& secret, const DkgRound1Package& recipient,
                                           const Round1Digest& digest, const Scalar& share);

}  // namespace cocoon::frost
