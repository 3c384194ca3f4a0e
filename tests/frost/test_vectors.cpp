// FROST(Ed25519, SHA-512) vectors replayed byte for byte: dealer shares, nonces, commitments, binding
// factors, signature shares, final signature.
// shared/vectors/frost-ed25519-sha512-rfc9591.json holds the published values of RFC 9591 Appendix E.1
// (contextString "FROST-ED25519-SHA512-v1", binding-factor input starting with the group public key).
#include <sodium.h>
#include <catch2/catch.hpp>

#include "core/file_io.hpp"
#include "core/json.hpp"
#include "frost/ciphersuite.hpp"
#include "frost/dealer.hpp"
#include "frost/signing.hpp"

using namespace cocoon;
using namespace cocoon::frost;

namespace {

Json load_vectors(const std::string& path) {
  auto text = read_text_file(path);
  REQUIRE(text.ok());
  auto j = parse_json(*text);
  REQUIRE(j.ok());
  return *j;
}

Bytes hex(const Json& j) {
  auto b = hex_decode(j.get<std::string>());
  REQUIRE(b.ok());
  return *b;
}

Scalar scalar(const Json& j) {
  auto s = Scalar::from_canonical(hex(j), "vector");
  REQUIRE(s.ok());
  return *s;
}

std::array<std::uint8_t, 32> array32(const Json& j) {
  Bytes b = hex(j);
  REQUIRE(b.size() == 32);
  std::array<std::uint8_t, 32> a;
  std::copy(b.begin(), b.end(), a.begin());
  return a;
}

void replay(const Json& v) {
  const Json& in = v["inputs"];
  GroupParams params{v["config"]["MIN_PARTICIPANTS"].get<std::uint32_t>(),
                     v["config"]["MAX_PARTICIPANTS"].get<std::uint32_t>()};
  std::vector<Scalar> coefficients{scalar(in["share_polynomial_coefficients_1"])};
  auto dealt = trusted_dealer_keygen(scalar(in["group_secret_key"]), coefficients, params);
  REQUIRE(dealt.ok());
  CHECK(dealt->public_package.group_public_key.hex() == in["group_public_key"].get<std::string>());

  // Dealer shares.
  for (const KeyPackage& key : dealt->key_packages) {
    const Json& expected = v["participants"][std::to_string(key.id)]["participant_share"];
    CHECK(key.signing_share.hex() == expected.get<std::string>());
    REQUIRE(check_key_package(key).ok());
  }

  // Round one for the listed participants, from the vectors' nonce randomness.
  const Bytes message = hex(in["message"]);
  std::map<Identifier, SigningNonces> nonces;
  SigningPackage package;
  package.message = message;
  for (const Json& idj : in["participant_list"]) {
    const Identifier id = idj.get<Identifier>();
    const Json& r1 = v["round_one_outputs"][std::to_string(id)];
    auto n = commit_with_randomness(id, dealt->key_packages[id - 1].signing_share,
                                    array32(r1["hiding_nonce_randomness"]),
                                    array32(r1["binding_nonce_randomness"]));
    REQUIRE(n.ok());
    CHECK(n->hiding.hex() == r1["hiding_nonce"].get<std::string>());
    CHECK(n->binding.hex() == r1["binding_nonce"].get<std::string>());
    CHECK(n->commitment.hiding.hex() == r1["hiding_nonce_commitment"].get<std::string>());
    CHECK(n->commitment.binding.hex() == r1["binding_nonce_commitment"].get<std::string>());
    package.commitments.push_back(n->commitment);
    nonces.emplace(id, *n);
  }
  REQUIRE(check_signing_package(package, dealt->public_package).ok());

  // Binding factors.
  auto ctx = signing_context(package, dealt->public_package.group_public_key);
  REQUIRE(ctx.ok());
  for (const auto& c : package.commitments) {
    const Json& r1 = v["round_one_outputs"][std::to_string(c.id)];
    CHECK(hex_encode(binding_factor_input(dealt->public_package.group_public_key, package, c.id)) ==
          r1["binding_factor_input"].get<std::string>());
    CHECK(ctx->binding_factors.at(c.id).hex() == r1["binding_factor"].get<std::string>());
  }

  // Round two and aggregation.
  std::map<Identifier, Scalar> shares;
  for (const auto& [id, n] : nonces) {
    auto z = sign(package, n, dealt->key_packages[id - 1]);
    REQUIRE(z.ok());
    CHECK(z->hex() == v["round_two_outputs"][std::to_string(id)]["sig_share"].get<std::string>());
    CHECK(verify_signature_share(id, *z, package, *ctx, dealt->public_package).ok());
    shares.emplace(id, *z);
  }
  auto sig = aggregate(package, shares, dealt->public_package);
  REQUIRE(sig.ok());
  CHECK(hex_encode(*sig) == v["final_output"]["sig"].get<std::string>());
  CHECK(crypto_sign_verify_detached(sig->data(), message.data(), message.size(),
                                    dealt->public_package.group_public_key.bytes().data()) == 0);
}

}  // namespace

TEST_CASE("shared/vectors/frost-ed25519-sha512-rfc9591.json (RFC 9591 Appendix E.1) passes byte for byte") {
  replay(load_vectors(std::string(COCOON_SHARED_DIR) + "/vectors/frost-ed25519-sha512-rfc9591.json"));
}
