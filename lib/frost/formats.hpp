#pragma once
// The JSON files exchanged in a FROST ceremony (docs/frost.md, "File formats"). Parsing is strict:
// unknown or missing members, wrong types, bad hex, wrong lengths, non-canonical scalars and invalid
// group elements are refused with a one-line message naming the member.
#include <string>
#include <string_view>

#include "core/json.hpp"
#include "frost/dkg.hpp"
#include "frost/signing.hpp"

namespace cocoon::frost {

inline constexpr std::string_view kCiphersuite = "FROST(Ed25519, SHA-512)";
inline constexpr std::string_view kRound1Format = "cocoon-frost-dkg-round1/v1";
inline constexpr std::string_view kRound2Format = "cocoon-frost-dkg-round2/v1";
inline constexpr std::string_view kGroupFormat = "cocoon-frost-group/v1";
inline constexpr std::string_view kCommitmentFormat = "cocoon-frost-commitment/v1";
inline constexpr std::string_view kShareFormat = "cocoon-frost-share/v1";

Json round1_to_json(const DkgRound1Package& p);
Result<DkgRound1Package> round1_from_json(const Json& j);

Json round2_to_json(const DkgRound2Message& m);
Result<DkgRound2Message> round2_from_json(const Json& j);

// The public description of a group. `qualified`/`excluded` are informational (from the DKG).
// Example: {"format":"cocoon-frost-group/v1","ciphersuite":"FROST(Ed25519, SHA-512)","threshold":3,
//  "participants":5,"group_public_key":"<64 hex>","verifying_shares":[{"id":1,"key":"<64 hex>"},...],
//  "excluded":[]}
struct GroupFile {
  PublicKeyPackage group;
  std::vector<DkgExclusion> excluded;
};
Json group_to_json(const GroupFile& g);
// Also checks that the verifying shares interpolate to the group key.
Result<GroupFile> group_from_json(const Json& j);

// A signer's round-one output bound to the group and to the message it will sign.
struct CommitmentFile {
  Point group_public_key;
  SigningCommitment commitment;
  std::array<std::uint8_t, 32> message_sha256{};
};
Json commitment_to_json(const CommitmentFile& c);
Result<CommitmentFile> commitment_from_json(const Json& j);

// A round-two signature share, bound to the exact set of commitments it was made over.
struct ShareFile {
  Point group_public_key;
  Identifier id = 0;
  std::array<std::uint8_t, 32> message_sha256{};
  std::array<std::uint8_t, 32> commitments_sha256{};
  Scalar share;
};
Json share_to_json(const ShareFile& s);
Result<ShareFile> share_from_json(const Json& j);

// SHA-256 over the encoded commitment list (id || D || E for each signer, sorted by id).
std::array<std::uint8_t, 32> commitments_digest(const SigningPackage& package);

// Strict readers shared with the secret-state formats.
namespace json_field {
Status exact_members(const Json& j, std::initializer_list<std::string_view> names, std::string_view what);
Result<std::string> string(const Json& j, std::string_view name, std::string_view what);
Result<std::uint32_t> u32(const Json& j, std::string_view name, std::string_view what);
Result<Bytes> hex(const Json& j, std::string_view name, std::size_t size, std::string_view what);
Result<Point> point(const Json& j, std::string_view name, std::string_view what);
Result<Scalar> scalar(const Json& j, std::string_view name, std::string_view what);
Status format(const Json& j, std::string_view expected, std::string_view what);
}  // namespace json_field

}  // namespace cocoon::frost
