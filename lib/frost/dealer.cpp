#include "frost/dealer.hpp"

#include <string>

namespace cocoon::frost {

Result<Point> vss_evaluate(const VssCommitment& commitment, Identifier id) {
  if (commitment.coefficients.empty()) return make_error(Errc::invalid_input, "empty VSS commitment");
  // Σ_k id^k·C_k; id^0 = 1, and id^k never vanishes mod L for 1 <= id < L.
  std::vector<Point> terms;
  Scalar power = Scalar::from_u64(1);
  const Scalar x = Scalar::from_u64(id);
  for (const Point& c : commitment.coefficients) {
    COCOON_ASSIGN(Point term, c.mul(power));
    terms.push_back(term);
    power = power * x;
  }
  return Point::sum(terms);
}

Status vss_verify_share(Identifier id, const Scalar& share, const VssCommitment& commitment) {
  COCOON_ASSIGN(Point expected, vss_evaluate(commitment, id));
  auto actual = Point::base_mul(share);
  if (!actual.ok() || !(*actual == expected))
    return make_error(Errc::crypto,
                      "share for participant " + std::to_string(id) + " does not match the VSS commitment");
  return Ok{};
}

SecretPolynomial SecretPolynomial::random(std::uint32_t threshold) {
  SecretPolynomial f;
  for (std::uint32_t k = 0; k < threshold; ++k) f.coefficients.push_back(Scalar::random());
  return f;
}

Scalar SecretPolynomial::evaluate(Identifier x) const {
  // Horner's rule from the highest coefficient down.
  const Scalar xs = Scalar::from_u64(x);
  Scalar acc;
  for (auto it = coefficients.rbegin(); it != coefficients.rend(); ++it) acc = acc * xs + *it;
  return acc;
}

Result<VssCommitment> SecretPolynomial::commit() const {
  VssCommitment c;
  for (const Scalar& a : coefficients) {
    COCOON_ASSIGN(Point p, Point::base_mul(a));
    c.coefficients.push_back(p);
  }
  return c;
}

Result<PublicKeyPackage> public_package_from_commitments(std::span<const VssCommitment> commitments,
                                                         const GroupParams& params) {
  COCOON_TRY(check_params(params));
  if (commitments.empty()) return make_error(Errc::invalid_input, "no VSS commitments to combine");
  // The group polynomial's commitment is the coefficient-wise sum.
  VssCommitment total;
  for (std::uint32_t k = 0; k < params.threshold; ++k) {
    std::vector<Point> column;
    for (const VssCommitment& c : commitments) {
      if (c.coefficients.size() != params.threshold)
        return make_error(Errc::invalid_input,
                          "a VSS commitment has " + std::to_string(c.coefficients.size()) +
                              " coefficients, the threshold is " + std::to_string(params.threshold));
      column.push_back(c.coefficients[k]);
    }
    COCOON_ASSIGN(Point sum, Point::sum(column));
    total.coefficients.push_back(sum);
  }
  PublicKeyPackage pkg;
  pkg.params = params;
  pkg.group_public_key = total.coefficients[0];
  for (Identifier id = 1; id <= params.max_participants; ++id) {
    COCOON_ASSIGN(Point share, vss_evaluate(total, id));
    pkg.verifying_shares.emplace(id, share);
  }
  return pkg;
}

Result<DealerOutput> trusted_dealer_keygen(const Scalar& secret, std::span<const Scalar> coefficients,
                                           const GroupParams& params) {
  COCOON_TRY(check_params(params));
  if (coefficients.size() + 1 != params.threshold)
    return make_error(Errc::invalid_input, "a threshold of " + std::to_string(params.threshold) + " needs " +
                                               std::to_string(params.threshold - 1) +
                                               " polynomial coefficients");
  SecretPolynomial f;
  f.coefficients.push_back(secret);
  for (const Scalar& a : coefficients) f.coefficients.push_back(a);
  for (const Scalar& a : f.coefficients)
    if (a.is_zero()) return make_error(Errc::invalid_input, "a polynomial coefficient is zero");
  DealerOutput out;
  COCOON_ASSIGN(out.commitment, f.commit());
  std::span<const VssCommitment> one(&out.commitment, 1);
  COCOON_ASSIGN(out.public_package, public_package_from_commitments(one, params));
  for (Identifier id = 1; id <= params.max_participants; ++id) {
    KeyPackage key;
    key.id = id;
    key.signing_share = f.evaluate(id);
    COCOON_TRY(vss_verify_share(id, key.signing_share, out.commitment));
    key.public_package = out.public_package;
    out.key_packages.push_back(std::move(key));
  }
  return out;
}

Result<DealerOutput> trusted_dealer_keygen(const GroupParams& params) {
  COCOON_TRY(check_params(params));
  SecretPolynomial f = SecretPolynomial::random(params.threshold);
  std::vector<Scalar> rest(f.coefficients.begin() + 1, f.coefficients.end());
  return trusted_dealer_keygen(f.coefficients[0], rest, params);
}

}  // namespace cocoon::frost
