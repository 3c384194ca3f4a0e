#include "frost/keys.hpp"

#include <string>

namespace cocoon::frost {
namespace {

// Σ λ_i·PK_i over `ids`: the group key the verifying shares of `ids` interpolate to.
Result<Point> interpolate_in_exponent(const std::map<Identifier, Point>& shares,
                                      std::span<const Identifier> ids) {
  std::vector<Point> terms;
  for (Identifier id : ids) {
    COCOON_ASSIGN(Scalar lambda, lagrange_coefficient(id, ids));
    COCOON_ASSIGN(Point term, shares.at(id).mul(lambda));
    terms.push_back(term);
  }
  return Point::sum(terms);
}

}  // namespace

Status check_params(const GroupParams& params) {
  if (params.threshold < 2)
    return make_error(Errc::invalid_input,
                      "threshold must be at least 2, got " + std::to_string(params.threshold));
  if (params.max_participants < params.threshold)
    return make_error(Errc::invalid_input, "threshold " + std::to_string(params.threshold) +
                                               " exceeds the number of participants " +
                                               std::to_string(params.max_participants));
  if (params.max_participants > kMaxParticipants)
    return make_error(Errc::invalid_input, "at most " + std::to_string(kMaxParticipants) +
                                               " participants, got " +
                                               std::to_string(params.max_participants));
  return Ok{};
}

Status check_public_package(const PublicKeyPackage& pkg) {
  COCOON_TRY(check_params(pkg.params));
  std::vector<Identifier> ids;
  for (const auto& [id, share] : pkg.verifying_shares) ids.push_back(id);
  COCOON_TRY(check_identifiers(ids, pkg.params.max_participants, "verifying shares"));
  const std::size_t t = pkg.params.threshold;
  if (ids.size() < t)
    return make_error(Errc::invalid_input, "only " + std::to_string(ids.size()) +
                                               " verifying shares for a threshold of " + std::to_string(t));
  // The first t shares fix the polynomial; each further share must lie on it, i.e. replacing the last of
  // the first t by it must give the same group key.
  std::vector<Identifier> base(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(t));
  COCOON_ASSIGN(Point key, interpolate_in_exponent(pkg.verifying_shares, base));
  if (!(key == pkg.group_public_key))
    return make_error(Errc::crypto, "verifying shares do not interpolate to the group public key");
  for (std::size_t k = t; k < ids.size(); ++k) {
    base.back() = ids[k];
    COCOON_ASSIGN(Point other, interpolate_in_exponent(pkg.verifying_shares, base));
    if (!(other == pkg.group_public_key))
      return make_error(Errc::crypto, "verifying share of participant " + std::to_string(ids[k]) +
                                          " is inconsistent with the group public key");
  }
  return Ok{};
}

Status check_key_package(const KeyPackage& key) {
  COCOON_TRY(check_public_package(key.public_package));
  auto it = key.public_package.verifying_shares.find(key.id);
  if (it == key.public_package.verifying_shares.end())
    return make_error(Errc::invalid_input,
                      "participant " + std::to_string(key.id) + " is not a member of the group");
  COCOON_ASSIGN(Point mine, Point::base_mul(key.signing_share));
  if (!(mine == it->second))
    return make_error(Errc::crypto, "signing share of participant " + std::to_string(key.id) +
                                        " does not match its verifying share");
  return Ok{};
}

}  // namespace cocoon::frost
