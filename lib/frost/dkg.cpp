#include "frost/dkg.hpp"

#include <sodium.h>

#include <algorithm>
#include <map>

#include "crypto/hash.hpp"
#include "frost/ciphersuite.hpp"

namespace cocoon::frost {
namespace {

constexpr std::size_t kSharePlaintextSize = 32 + 4 + 4 + 32;  // digest, from, to, share

void put_u32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint32_t get_u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

void put(Bytes& out, ByteView b) {
  out.insert(out.end(), b.begin(), b.end());
}

std::string participant(Identifier id) {
  return "participant " + std::to_string(id);
}

// Wipes a byte buffer that held secret plaintext when it goes out of scope.
struct WipeOnExit {
  Bytes& bytes;
  ~WipeOnExit() { sodium_memzero(bytes.data(), bytes.size()); }
};

const DkgRound1Package* find_package(const std::vector<DkgRound1Package>& packages, Identifier id) {
  for (const auto& p : packages)
    if (p.id == id) return &p;
  return nullptr;
}

// The secret's own round-1 package must be in the set unchanged (nobody substituted it).
Status check_own_package(const DkgSecret& secret, const std::vector<DkgRound1Package>& packages) {
  const DkgRound1Package* mine = find_package(packages, secret.id);
  if (mine == nullptr) return make_error(Errc::invalid_input, "the round-1 set lacks our own package");
  if (mine->session != secret.session || mine->params.threshold != secret.params.threshold ||
      mine->params.max_participants != secret.params.max_participants)
    return make_error(Errc::mismatch,
                      "the round-1 set belongs to another ceremony (session or parameters differ)");
  X25519PublicKey my_key;
  crypto_scalarmult_base(my_key.data(), secret.encryption_secret.data());
  COCOON_ASSIGN(VssCommitment my_commitment, secret.polynomial.commit());
  bool same = my_key == mine->encryption_key;
  for (std::size_t k = 0; same && k < my_commitment.coefficients.size(); ++k)
    same = my_commitment.coefficients[k] == mine->commitment.coefficients[k];
  if (!same) return make_error(Errc::mismatch, "our own round-1 package in the set is not the one we made");
  return Ok{};
}

std::vector<DkgExclusion> bad_proofs(const std::vector<DkgRound1Package>& packages) {
  std::vector<DkgExclusion> out;
  for (const auto& p : packages)
    if (!dkg_verify_proof(p).ok()) out.push_back({p.id, "proof of knowledge of its secret does not verify"});
  return out;
}

bool is_excluded(const std::vector<DkgExclusion>& excluded, Identifier id) {
  return std::any_of(excluded.begin(), excluded.end(), [&](const DkgExclusion& e) { return e.id == id; });
}

}  // namespace

DkgSecret::~DkgSecret() {
  sodium_memzero(encryption_secret.data(), encryption_secret.size());
}

Status check_session_name(std::string_view session) {
  if (session.empty() || session.size() > 64)
    return make_error(Errc::invalid_input, "session name must be 1 to 64 characters");
  for (char ch : session) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
              ch == '_' || ch == '-';
    if (!ok) return make_error(Errc::invalid_input, "session name may only use A-Z a-z 0-9 . _ -");
  }
  return Ok{};
}

Scalar dkg_proof_challenge(const DkgRound1Package& package) {
  if (package.commitment.coefficients.empty()) return Scalar();  // no valid proof exists; verify refuses
  Bytes input;
  put(input, as_bytes(kContextString));
  put(input, as_bytes("dkg-pok"));
  put_u32(input, static_cast<std::uint32_t>(package.session.size()));
  put(input, as_bytes(package.session));
  put(input, Scalar::from_u64(package.id).bytes());
  put_u32(input, package.params.threshold);
  put_u32(input, package.params.max_participants);
  put(input, package.commitment.coefficients.at(0).bytes());
  put(input, package.proof_r.bytes());
  put(input, package.encryption_key);
  std::array<std::uint8_t, 64> digest;
  crypto_hash_sha512(digest.data(), input.data(), input.size());
  return Scalar::from_wide(digest);
}

Status dkg_verify_proof(const DkgRound1Package& package) {
  const Error bad =
      make_error(Errc::crypto, "proof of knowledge of " + participant(package.id) + " is invalid");
  if (package.commitment.coefficients.empty()) return bad;
  // μ·B == R + c·C_0
  auto lhs = Point::base_mul(package.proof_mu);
  if (!lhs.ok()) return bad;
  auto c_c0 = package.commitment.coefficients[0].mul(dkg_proof_challenge(package));
  if (!c_c0.ok()) return bad;
  auto rhs = package.proof_r.add(*c_c0);
  if (!rhs.ok() || !(*lhs == *rhs)) return bad;
  return Ok{};
}

Result<DkgRound1Output> dkg_round1(std::string_view session, const GroupParams& params, Identifier id) {
  COCOON_TRY(check_session_name(session));
  COCOON_TRY(check_params(params));
  std::array<Identifier, 1> one{id};
  COCOON_TRY(check_identifiers(one, params.max_participants, "participant"));
  DkgRound1Output out;
  out.secret.session = std::string(session);
  out.secret.params = params;
  out.secret.id = id;
  out.secret.polynomial = SecretPolynomial::random(params.threshold);
  randombytes_buf(out.secret.encryption_secret.data(), out.secret.encryption_secret.size());

  DkgRound1Package& p = out.package;
  p.session = out.secret.session;
  p.params = params;
  p.id = id;
  COCOON_ASSIGN(p.commitment, out.secret.polynomial.commit());
  if (crypto_scalarmult_base(p.encryption_key.data(), out.secret.encryption_secret.data()) != 0)
    return make_error(Errc::internal, "X25519 key generation failed");
  const Scalar k = Scalar::random();
  COCOON_ASSIGN(p.proof_r, Point::base_mul(k));
  p.proof_mu = k + out.secret.polynomial.coefficients[0] * dkg_proof_challenge(p);
  return out;
}

Status check_round1_set(std::vector<DkgRound1Package>& packages) {
  if (packages.empty()) return make_error(Errc::invalid_input, "no round-1 packages");
  std::sort(packages.begin(), packages.end(),
            [](const DkgRound1Package& a, const DkgRound1Package& b) { return a.id < b.id; });
  const DkgRound1Package& first = packages.front();
  COCOON_TRY(check_session_name(first.session));
  COCOON_TRY(check_params(first.params));
  std::vector<Identifier> ids;
  for (const auto& p : packages) {
    if (p.session != first.session)
      return make_error(Errc::mismatch, "round-1 package of " + participant(p.id) + " is for session '" +
                                            p.session + "', not '" + first.session + "'");
    if (p.params.threshold != first.params.threshold ||
        p.params.max_participants != first.params.max_participants)
      return make_error(Errc::mismatch,
                        "round-1 package of " + participant(p.id) + " has different parameters");
    if (p.commitment.coefficients.size() != first.params.threshold)
      return make_error(Errc::invalid_input, "round-1 package of " + participant(p.id) + " commits to " +
                                                 std::to_string(p.commitment.coefficients.size()) +
                                                 " coefficients, the threshold is " +
                                                 std::to_string(first.params.threshold));
    ids.push_back(p.id);
  }
  COCOON_TRY(check_identifiers(ids, first.params.max_participants, "round-1 packages"));
  if (ids.size() != first.params.max_participants)
    return make_error(Errc::invalid_input, "round-1 set has " + std::to_string(ids.size()) +
                                               " packages, expected " +
                                               std::to_string(first.params.max_participants));
  return Ok{};
}

Round1Digest round1_set_digest(const std::vector<DkgRound1Package>& sorted_packages) {
  Bytes input;
  put(input, as_bytes("cocoon-frost-dkg-round1-set-v1"));
  for (const auto& p : sorted_packages) {
    put_u32(input, static_cast<std::uint32_t>(p.session.size()));
    put(input, as_bytes(p.session));
    put(input, Scalar::from_u64(p.id).bytes());
    put_u32(input, p.params.threshold);
    put_u32(input, p.params.max_participants);
    put_u32(input, static_cast<std::uint32_t>(p.commitment.coefficients.size()));
    for (const Point& c : p.commitment.coefficients) put(input, c.bytes());
    put(input, p.proof_r.bytes());
    put(input, p.proof_mu.bytes());
    put(input, p.encryption_key);
  }
  Bytes d = crypto::sha256(input);
  Round1Digest out;
  std::copy(d.begin(), d.end(), out.begin());
  return out;
}

Result<DkgRound2Message> dkg_encrypt_share(const DkgSecret& secret, const DkgRound1Package& recipient,
                                           const Round1Digest& digest, const Scalar& share) {
  Bytes plain;
  WipeOnExit wipe{plain};
  put(plain, digest);
  put_u32(plain, secret.id);
  put_u32(plain, recipient.id);
  put(plain, share.bytes());
  DkgRound2Message m;
  m.from = secret.id;
  m.to = recipient.id;
  m.round1_digest = digest;
  randombytes_buf(m.nonce.data(), m.nonce.size());
  m.ciphertext.resize(plain.size() + crypto_box_MACBYTES);
  if (crypto_box_easy(m.ciphertext.data(), plain.data(), plain.size(), m.nonce.data(),
                      recipient.encryption_key.data(), secret.encryption_secret.data()) != 0)
    return make_error(Errc::crypto, "cannot encrypt to " + participant(recipient.id) + "'s X25519 key");
  return m;
}

Result<DkgRound2Output> dkg_round2(const DkgSecret& secret, std::vector<DkgRound1Package> packages) {
  COCOON_TRY(check_round1_set(packages));
  COCOON_TRY(check_own_package(secret, packages));
  DkgRound2Output out;
  out.round1_digest = round1_set_digest(packages);
  out.excluded = bad_proofs(packages);
  if (is_excluded(out.excluded, secret.id))
    return make_error(Errc::mismatch,
                      "our own round-1 package in the set is not the one we made (its proof fails)");
  for (const auto& p : packages) {
    if (p.id == secret.id || is_excluded(out.excluded, p.id)) continue;
    COCOON_ASSIGN(DkgRound2Message m,
                  dkg_encrypt_share(secret, p, out.round1_digest, secret.polynomial.evaluate(p.id)));
    out.messages.push_back(std::move(m));
  }
  return out;
}

Result<DkgResult> dkg_finish(const DkgSecret& secret, std::vector<DkgRound1Package> packages,
                             const std::vector<DkgRound2Message>& messages) {
  COCOON_TRY(check_round1_set(packages));
  COCOON_TRY(check_own_package(secret, packages));
  DkgResult result;
  result.round1_digest = round1_set_digest(packages);
  result.excluded = bad_proofs(packages);
  if (is_excluded(result.excluded, secret.id))
    return make_error(Errc::mismatch,
                      "our own round-1 package in the set is not the one we made (its proof fails)");

  std::map<Identifier, const DkgRound2Message*> to_me;
  for (const auto& m : messages) {
    if (m.to != secret.id) continue;
    if (m.round1_digest != result.round1_digest)
      return make_error(Errc::mismatch, "round-2 message from " + participant(m.from) +
                                            " was made over a different set of round-1 packages");
    if (to_me.contains(m.from))
      return make_error(Errc::invalid_input, "two round-2 messages from " + participant(m.from));
    to_me.emplace(m.from, &m);
  }

  Scalar signing_share = secret.polynomial.evaluate(secret.id);
  for (const auto& p : packages) {
    if (p.id == secret.id || is_excluded(result.excluded, p.id)) continue;
    auto it = to_me.find(p.id);
    if (it == to_me.end())
      return make_error(Errc::not_found,
                        "no round-2 share from " + participant(p.id) + " to " + participant(secret.id));
    const DkgRound2Message& m = *it->second;
    Bytes plain(m.ciphertext.size() >= crypto_box_MACBYTES ? m.ciphertext.size() - crypto_box_MACBYTES : 0);
    WipeOnExit wipe{plain};
    if (m.ciphertext.size() != kSharePlaintextSize + crypto_box_MACBYTES ||
        crypto_box_open_easy(plain.data(), m.ciphertext.data(), m.ciphertext.size(), m.nonce.data(),
                             p.encryption_key.data(), secret.encryption_secret.data()) != 0) {
      result.excluded.push_back({p.id, "its round-2 share cannot be decrypted"});
      continue;
    }
    if (!std::equal(result.round1_digest.begin(), result.round1_digest.end(), plain.begin()) ||
        get_u32(plain.data() + 32) != p.id || get_u32(plain.data() + 36) != secret.id) {
      result.excluded.push_back({p.id, "its round-2 share is bound to another ceremony or recipient"});
      continue;
    }
    auto share = Scalar::from_canonical(ByteView(plain).subspan(40, 32), "round-2 share");
    if (!share.ok()) {
      result.excluded.push_back({p.id, "its round-2 share is not a canonical scalar"});
      continue;
    }
    if (!vss_verify_share(secret.id, *share, p.commitment).ok()) {
      result.excluded.push_back({p.id, "its round-2 share is inconsistent with its VSS commitment"});
      continue;
    }
    signing_share = signing_share + *share;
  }

  std::vector<VssCommitment> qualified_commitments;
  for (const auto& p : packages) {
    if (is_excluded(result.excluded, p.id)) continue;
    result.qualified.push_back(p.id);
    qualified_commitments.push_back(p.commitment);
  }
  if (result.qualified.size() < secret.params.threshold)
    return make_error(Errc::crypto, "only " + std::to_string(result.qualified.size()) +
                                        " qualified participants remain, the threshold is " +
                                        std::to_string(secret.params.threshold));
  COCOON_ASSIGN(PublicKeyPackage group,
                public_package_from_commitments(qualified_commitments, secret.params));
  for (const DkgExclusion& e : result.excluded) group.verifying_shares.erase(e.id);
  result.key.id = secret.id;
  result.key.signing_share = signing_share;
  result.key.public_package = std::move(group);
  COCOON_TRY(check_key_package(result.key));
  return result;
}

}  // namespace cocoon::frost
