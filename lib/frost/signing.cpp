#include "frost/signing.hpp"

#include <sodium.h>

#include <algorithm>
#include <string>

#include "frost/ciphersuite.hpp"

namespace cocoon::frost {
namespace {

std::string participant(Identifier id) {
  return "participant " + std::to_string(id);
}

std::vector<Identifier> signer_ids(const SigningPackage& package) {
  std::vector<Identifier> ids;
  for (const auto& c : package.commitments) ids.push_back(c.id);
  return ids;
}

}  // namespace

Result<SigningNonces> commit_with_randomness(Identifier id, const Scalar& signing_share,
                                             const std::array<std::uint8_t, 32>& hiding_randomness,
                                             const std::array<std::uint8_t, 32>& binding_randomness) {
  SigningNonces n;
  n.hiding = nonce_generate(hiding_randomness, signing_share);
  n.binding = nonce_generate(binding_randomness, signing_share);
  n.commitment.id = id;
  COCOON_ASSIGN(n.commitment.hiding, Point::base_mul(n.hiding));
  COCOON_ASSIGN(n.commitment.binding, Point::base_mul(n.binding));
  return n;
}

Result<SigningNonces> commit(Identifier id, const Scalar& signing_share) {
  SigningNonces n;
  n.hiding = nonce_generate(signing_share);
  n.binding = nonce_generate(signing_share);
  n.commitment.id = id;
  COCOON_ASSIGN(n.commitment.hiding, Point::base_mul(n.hiding));
  COCOON_ASSIGN(n.commitment.binding, Point::base_mul(n.binding));
  return n;
}

Status check_signing_package(SigningPackage& package, const PublicKeyPackage& group) {
  std::sort(package.commitments.begin(), package.commitments.end(),
            [](const SigningCommitment& a, const SigningCommitment& b) { return a.id < b.id; });
  const auto ids = signer_ids(package);
  COCOON_TRY(check_identifiers(ids, group.params.max_participants, "signing commitments"));
  for (Identifier id : ids)
    if (!group.verifying_shares.contains(id))
      return make_error(Errc::invalid_input, participant(id) + " is not a member of the group");
  if (ids.size() < group.params.threshold)
    return make_error(Errc::invalid_input, "only " + std::to_string(ids.size()) +
                                               " signers committed, the threshold is " +
                                               std::to_string(group.params.threshold));
  return Ok{};
}

Bytes binding_factor_input(const Point& group_public_key, const SigningPackage& package, Identifier id) {
  Bytes encoded_list;
  for (const auto& c : package.commitments) {
    const Scalar x = Scalar::from_u64(c.id);
    encoded_list.insert(encoded_list.end(), x.bytes().begin(), x.bytes().end());
    encoded_list.insert(encoded_list.end(), c.hiding.bytes().begin(), c.hiding.bytes().end());
    encoded_list.insert(encoded_list.end(), c.binding.bytes().begin(), c.binding.bytes().end());
  }
  Bytes input(group_public_key.bytes().begin(), group_public_key.bytes().end());
  const Digest64 msg_hash = h4(package.message);
  const Digest64 list_hash = h5(encoded_list);
  input.insert(input.end(), msg_hash.begin(), msg_hash.end());
  input.insert(input.end(), list_hash.begin(), list_hash.end());
  const Scalar x = Scalar::from_u64(id);
  input.insert(input.end(), x.bytes().begin(), x.bytes().end());
  return input;
}

Result<SigningContext> signing_context(const SigningPackage& package, const Point& group_public_key) {
  SigningContext ctx;
  std::vector<Point> terms;
  for (const auto& c : package.commitments) {
    const Scalar rho = h1(binding_factor_input(group_public_key, package, c.id));
    ctx.binding_factors.emplace(c.id, rho);
    terms.push_back(c.hiding);
    COCOON_ASSIGN(Point bound, c.binding.mul(rho));
    terms.push_back(bound);
  }
  COCOON_ASSIGN(ctx.group_commitment, Point::sum(terms));
  Bytes challenge_input(ctx.group_commitment.bytes().begin(), ctx.group_commitment.bytes().end());
  challenge_input.insert(challenge_input.end(), group_public_key.bytes().begin(),
                         group_public_key.bytes().end());
  challenge_input.insert(challenge_input.end(), package.message.begin(), package.message.end());
  ctx.challenge = h2(challenge_input);
  return ctx;
}

Result<Scalar> sign(const SigningPackage& package, const SigningNonces& nonces, const KeyPackage& key) {
  if (nonces.commitment.id != key.id)
    return make_error(Errc::invalid_input, "the nonces belong to " + participant(nonces.commitment.id) +
                                               ", the key to " + participant(key.id));
  auto mine = std::find_if(package.commitments.begin(), package.commitments.end(),
                           [&](const SigningCommitment& c) { return c.id == key.id; });
  if (mine == package.commitments.end())
    return make_error(Errc::invalid_input,
                      "the signing package has no commitment from " + participant(key.id));
  if (!(mine->hiding == nonces.commitment.hiding) || !(mine->binding == nonces.commitment.binding))
    return make_error(Errc::mismatch, "the signing package carries a different commitment for " +
                                          participant(key.id) + " than the one these nonces made");
  COCOON_ASSIGN(SigningContext ctx, signing_context(package, key.public_package.group_public_key));
  const auto ids = signer_ids(package);
  COCOON_ASSIGN(Scalar lambda, lagrange_coefficient(key.id, ids));
  return nonces.hiding + nonces.binding * ctx.binding_factors.at(key.id) +
         lambda * key.signing_share * ctx.challenge;
}

Status verify_signature_share(Identifier id, const Scalar& share, const SigningPackage& package,
                              const SigningContext& context, const PublicKeyPackage& group) {
  auto c = std::find_if(package.commitments.begin(), package.commitments.end(),
                        [&](const SigningCommitment& x) { return x.id == id; });
  auto vs = group.verifying_shares.find(id);
  if (c == package.commitments.end() || vs == group.verifying_shares.end())
    return make_error(Errc::invalid_input,
                      "a signature share from " + participant(id) + ", who did not commit");
  const auto ids = signer_ids(package);
  COCOON_ASSIGN(Scalar lambda, lagrange_coefficient(id, ids));
  const Error invalid = make_error(Errc::signature, "signature share of " + participant(id) + " is invalid");
  auto lhs = Point::base_mul(share);
  if (!lhs.ok()) return invalid;
  COCOON_ASSIGN(Point bound, c->binding.mul(context.binding_factors.at(id)));
  COCOON_ASSIGN(Point keyed, vs->second.mul(lambda * context.challenge));
  std::array<Point, 3> terms{c->hiding, bound, keyed};
  auto rhs = Point::sum(terms);
  if (!rhs.ok() || !(*lhs == *rhs)) return invalid;
  return Ok{};
}

Result<Signature> aggregate(const SigningPackage& package, const std::map<Identifier, Scalar>& shares,
                            const PublicKeyPackage& group) {
  for (const auto& entry : shares) {
    const Identifier id = entry.first;  // clang 14 cannot capture a structured binding in a lambda
    bool committed = std::any_of(package.commitments.begin(), package.commitments.end(),
                                 [&](const SigningCommitment& c) { return c.id == id; });
    if (!committed)
      return make_error(Errc::invalid_input,
                        "a signature share from " + participant(id) + ", who did not commit");
  }
  for (const auto& c : package.commitments)
    if (!shares.contains(c.id))
      return make_error(Errc::invalid_input,
                        "no signature share from " + participant(c.id) + ", who committed");
  COCOON_ASSIGN(SigningContext ctx, signing_context(package, group.group_public_key));
  Scalar z;
  for (const auto& [id, share] : shares) {
    COCOON_TRY(verify_signature_share(id, share, package, ctx, group));
    z = z + share;
  }
  Signature sig;
  std::copy(ctx.group_commitment.bytes().begin(), ctx.group_commitment.bytes().end(), sig.begin());
  std::copy(z.bytes().begin(), z.bytes().end(), sig.begin() + 32);
  if (crypto_sign_verify_detached(sig.data(), package.message.data(), package.message.size(),
                                  group.group_public_key.bytes().data()) != 0)
    return make_error(Errc::signature, "the aggregated signature does not verify under the group public key");
  return sig;
}

}  // namespace cocoon::frost
