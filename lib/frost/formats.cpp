#include "frost/formats.hpp"

#include <algorithm>

#include "crypto/hash.hpp"

namespace cocoon::frost {
namespace json_field {

namespace {
Error bad(std::string_view what, std::string_view name, std::string_view problem) {
  return make_error(Errc::invalid_input,
                    std::string(what) + ": member \"" + std::string(name) + "\" " + std::string(problem));
}
Result<const Json*> member(const Json& j, std::string_view name, std::string_view what) {
  if (!j.is_object()) return make_error(Errc::invalid_input, std::string(what) + ": expected a JSON object");
  auto it = j.find(std::string(name));
  if (it == j.end()) return bad(what, name, "is missing");
  return &*it;
}
}  // namespace

Status exact_members(const Json& j, std::initializer_list<std::string_view> names, std::string_view what) {
  if (!j.is_object()) return make_error(Errc::invalid_input, std::string(what) + ": expected a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::find(names.begin(), names.end(), it.key()) == names.end())
      return bad(what, it.key(), "is not expected here");
  for (std::string_view n : names)
    if (!j.contains(std::string(n))) return bad(what, n, "is missing");
  return Ok{};
}

Result<std::string> string(const Json& j, std::string_view name, std::string_view what) {
  COCOON_ASSIGN(const Json* v, member(j, name, what));
  if (!v->is_string()) return bad(what, name, "must be a string");
  return v->get<std::string>();
}

Result<std::uint32_t> u32(const Json& j, std::string_view name, std::string_view what) {
  COCOON_ASSIGN(const Json* v, member(j, name, what));
  if (!v->is_number_integer()) return bad(what, name, "must be an integer");
  if (v->is_number_unsigned()) {
    auto x = v->get<std::uint64_t>();
    if (x <= 0xffffffffu) return static_cast<std::uint32_t>(x);
  }
  return bad(what, name, "is out of range");
}

Result<Bytes> hex(const Json& j, std::string_view name, std::size_t size, std::string_view what) {
  COCOON_ASSIGN(std::string text, string(j, name, what));
  auto b = hex_decode(text);
  if (!b.ok()) return bad(what, name, "is not hex: " + b.error().message);
  if (size != 0 && b->size() != size)
    return bad(what, name, "must be " + std::to_string(size) + " bytes, got " + std::to_string(b->size()));
  return std::move(b).value();
}

Result<Point> point(const Json& j, std::string_view name, std::string_view what) {
  COCOON_ASSIGN(Bytes b, hex(j, name, 0, what));
  return Point::from_bytes(b, std::string(what) + ": \"" + std::string(name) + "\"");
}

Result<Scalar> scalar(const Json& j, std::string_view name, std::string_view what) {
  COCOON_ASSIGN(Bytes b, hex(j, name, 0, what));
  return Scalar::from_canonical(b, std::string(what) + ": \"" + std::string(name) + "\"");
}

Status format(const Json& j, std::string_view expected, std::string_view what) {
  COCOON_ASSIGN(std::string f, string(j, "format", what));
  if (f != expected)
    return make_error(Errc::invalid_input, std::string(what) + ": format is \"" + f + "\", expected \"" +
                                               std::string(expected) + "\"");
  return Ok{};
}

}  // namespace json_field

namespace {
namespace jf = json_field;

template <std::size_t N>
std::array<std::uint8_t, N> to_array(const Bytes& b) {
  std::array<std::uint8_t, N> a{};
  std::copy_n(b.begin(), N, a.begin());
  return a;
}

Status check_ciphersuite(const Json& j, std::string_view what) {
  COCOON_ASSIGN(std::string cs, jf::string(j, "ciphersuite", what));
  if (cs != kCiphersuite)
    return make_error(Errc::unsupported, std::string(what) + ": ciphersuite \"" + cs + "\" is not supported");
  return Ok{};
}

Result<Identifier> identifier(const Json& j, std::string_view name, std::string_view what) {
  COCOON_ASSIGN(std::uint32_t id, jf::u32(j, name, what));
  std::array<Identifier, 1> one{id};
  COCOON_TRY(check_identifiers(one, kMaxParticipants, std::string(what) + ": \"" + std::string(name) + "\""));
  return id;
}

Result<GroupParams> params(const Json& j, std::string_view what) {
  GroupParams p;
  COCOON_ASSIGN(p.threshold, jf::u32(j, "threshold", what));
  COCOON_ASSIGN(p.max_participants, jf::u32(j, "participants", what));
  auto st = check_params(p);
  if (!st.ok()) return make_error(Errc::invalid_input, std::string(what) + ": " + st.error().message);
  return p;
}

}  // namespace

Json round1_to_json(const DkgRound1Package& p) {
  Json commitment = Json::array();
  for (const Point& c : p.commitment.coefficients) commitment.push_back(c.hex());
  return Json{{"format", kRound1Format},
              {"ciphersuite", kCiphersuite},
              {"session", p.session},
              {"threshold", p.params.threshold},
              {"participants", p.params.max_participants},
              {"id", p.id},
              {"commitment", commitment},
              {"proof", Json{{"R", p.proof_r.hex()}, {"mu", p.proof_mu.hex()}}},
              {"encryption_key", hex_encode(p.encryption_key)}};
}

Result<DkgRound1Package> round1_from_json(const Json& j) {
  const std::string_view what = "DKG round-1 package";
  COCOON_TRY(jf::exact_members(j,
                               {"format", "ciphersuite", "session", "threshold", "participants", "id",
                                "commitment", "proof", "encryption_key"},
                               what));
  COCOON_TRY(jf::format(j, kRound1Format, what));
  COCOON_TRY(check_ciphersuite(j, what));
  DkgRound1Package p;
  COCOON_ASSIGN(p.session, jf::string(j, "session", what));
  COCOON_TRY(check_session_name(p.session));
  COCOON_ASSIGN(p.params, params(j, what));
  COCOON_ASSIGN(p.id, identifier(j, "id", what));
  if (p.id > p.params.max_participants)
    return make_error(Errc::invalid_input, std::string(what) + ": id " + std::to_string(p.id) +
                                               " is above the number of participants");
  const Json& commitment = j.at("commitment");
  if (!commitment.is_array() || commitment.size() != p.params.threshold)
    return make_error(Errc::invalid_input, std::string(what) + ": \"commitment\" must be an array of " +
                                               std::to_string(p.params.threshold) + " group elements");
  for (std::size_t k = 0; k < commitment.size(); ++k) {
    if (!commitment[k].is_string())
      return make_error(Errc::invalid_input,
                        std::string(what) + ": commitment[" + std::to_string(k) + "] is not a string");
    COCOON_ASSIGN(Point c, Point::from_hex(commitment[k].get<std::string>(),
                                           std::string(what) + ": commitment[" + std::to_string(k) + "]"));
    p.commitment.coefficients.push_back(c);
  }
  const Json& proof = j.at("proof");
  COCOON_TRY(jf::exact_members(proof, {"R", "mu"}, std::string(what) + ": proof"));
  COCOON_ASSIGN(p.proof_r, jf::point(proof, "R", std::string(what) + ": proof"));
  COCOON_ASSIGN(p.proof_mu, jf::scalar(proof, "mu", std::string(what) + ": proof"));
  COCOON_ASSIGN(Bytes key, jf::hex(j, "encryption_key", 32, what));
  p.encryption_key = to_array<32>(key);
  return p;
}

Json round2_to_json(const DkgRound2Message& m) {
  return Json{{"format", kRound2Format},
              {"ciphersuite", kCiphersuite},
              {"from", m.from},
              {"to", m.to},
              {"round1_digest", hex_encode(m.round1_digest)},
              {"nonce", hex_encode(m.nonce)},
              {"ciphertext", hex_encode(m.ciphertext)}};
}

Result<DkgRound2Message> round2_from_json(const Json& j) {
  const std::string_view what = "DKG round-2 message";
  COCOON_TRY(jf::exact_members(
      j, {"format", "ciphersuite", "from", "to", "round1_digest", "nonce", "ciphertext"}, what));
  COCOON_TRY(jf::format(j, kRound2Format, what));
  COCOON_TRY(check_ciphersuite(j, what));
  DkgRound2Message m;
  COCOON_ASSIGN(m.from, identifier(j, "from", what));
  COCOON_ASSIGN(m.to, identifier(j, "to", what));
  if (m.from == m.to)
    return make_error(Errc::invalid_input, std::string(what) + ": sender and recipient are the same");
  COCOON_ASSIGN(Bytes digest, jf::hex(j, "round1_digest", 32, what));
  m.round1_digest = to_array<32>(digest);
  COCOON_ASSIGN(Bytes nonce, jf::hex(j, "nonce", 24, what));
  m.nonce = to_array<24>(nonce);
  COCOON_ASSIGN(m.ciphertext, jf::hex(j, "ciphertext", 0, what));
  return m;
}

Json group_to_json(const GroupFile& g) {
  Json shares = Json::array();
  for (const auto& [id, key] : g.group.verifying_shares)
    shares.push_back(Json{{"id", id}, {"key", key.hex()}});
  Json excluded = Json::array();
  for (const auto& e : g.excluded) excluded.push_back(Json{{"id", e.id}, {"reason", e.reason}});
  return Json{{"format", kGroupFormat},
              {"ciphersuite", kCiphersuite},
              {"threshold", g.group.params.threshold},
              {"participants", g.group.params.max_participants},
              {"group_public_key", g.group.group_public_key.hex()},
              {"verifying_shares", shares},
              {"excluded", excluded}};
}

Result<GroupFile> group_from_json(const Json& j) {
  const std::string_view what = "FROST group file";
  COCOON_TRY(jf::exact_members(j,
                               {"format", "ciphersuite", "threshold", "participants", "group_public_key",
                                "verifying_shares", "excluded"},
                               what));
  COCOON_TRY(jf::format(j, kGroupFormat, what));
  COCOON_TRY(check_ciphersuite(j, what));
  GroupFile g;
  COCOON_ASSIGN(g.group.params, params(j, what));
  COCOON_ASSIGN(g.group.group_public_key, jf::point(j, "group_public_key", what));
  const Json& shares = j.at("verifying_shares");
  if (!shares.is_array())
    return make_error(Errc::invalid_input, std::string(what) + ": verifying_shares must be an array");
  for (const Json& s : shares) {
    const std::string item = std::string(what) + ": verifying share";
    COCOON_TRY(jf::exact_members(s, {"id", "key"}, item));
    COCOON_ASSIGN(Identifier id, identifier(s, "id", item));
    COCOON_ASSIGN(Point key, jf::point(s, "key", item));
    if (!g.group.verifying_shares.emplace(id, key).second)
      return make_error(Errc::invalid_input, item + ": identifier " + std::to_string(id) + " appears twice");
  }
  const Json& excluded = j.at("excluded");
  if (!excluded.is_array())
    return make_error(Errc::invalid_input, std::string(what) + ": excluded must be an array");
  for (const Json& e : excluded) {
    const std::string item = std::string(what) + ": excluded";
    COCOON_TRY(jf::exact_members(e, {"id", "reason"}, item));
    DkgExclusion x;
    COCOON_ASSIGN(x.id, identifier(e, "id", item));
    COCOON_ASSIGN(x.reason, jf::string(e, "reason", item));
    g.excluded.push_back(std::move(x));
  }
  auto st = check_public_package(g.group);
  if (!st.ok()) return make_error(st.error().code, std::string(what) + ": " + st.error().message);
  return g;
}

Json commitment_to_json(const CommitmentFile& c) {
  return Json{{"format", kCommitmentFormat},
              {"ciphersuite", kCiphersuite},
              {"group_public_key", c.group_public_key.hex()},
              {"id", c.commitment.id},
              {"hiding", c.commitment.hiding.hex()},
              {"binding", c.commitment.binding.hex()},
              {"message_sha256", hex_encode(c.message_sha256)}};
}

Result<CommitmentFile> commitment_from_json(const Json& j) {
  const std::string_view what = "FROST commitment";
  COCOON_TRY(jf::exact_members(
      j, {"format", "ciphersuite", "group_public_key", "id", "hiding", "binding", "message_sha256"}, what));
  COCOON_TRY(jf::format(j, kCommitmentFormat, what));
  COCOON_TRY(check_ciphersuite(j, what));
  CommitmentFile c;
  COCOON_ASSIGN(c.group_public_key, jf::point(j, "group_public_key", what));
  COCOON_ASSIGN(c.commitment.id, identifier(j, "id", what));
  COCOON_ASSIGN(c.commitment.hiding, jf::point(j, "hiding", what));
  COCOON_ASSIGN(c.commitment.binding, jf::point(j, "binding", what));
  COCOON_ASSIGN(Bytes digest, jf::hex(j, "message_sha256", 32, what));
  c.message_sha256 = to_array<32>(digest);
  return c;
}

Json share_to_json(const ShareFile& s) {
  return Json{{"format", kShareFormat},
              {"ciphersuite", kCiphersuite},
              {"group_public_key", s.group_public_key.hex()},
              {"id", s.id},
              {"message_sha256", hex_encode(s.message_sha256)},
              {"commitments_sha256", hex_encode(s.commitments_sha256)},
              {"share", s.share.hex()}};
}

Result<ShareFile> share_from_json(const Json& j) {
  const std::string_view what = "FROST signature share";
  COCOON_TRY(jf::exact_members(
      j, {"format", "ciphersuite", "group_public_key", "id", "message_sha256", "commitments_sha256", "share"},
      what));
  COCOON_TRY(jf::format(j, kShareFormat, what));
  COCOON_TRY(check_ciphersuite(j, what));
  ShareFile s;
  COCOON_ASSIGN(s.group_public_key, jf::point(j, "group_public_key", what));
  COCOON_ASSIGN(s.id, identifier(j, "id", what));
  COCOON_ASSIGN(Bytes m, jf::hex(j, "message_sha256", 32, what));
  s.message_sha256 = to_array<32>(m);
  COCOON_ASSIGN(Bytes c, jf::hex(j, "commitments_sha256", 32, what));
  s.commitments_sha256 = to_array<32>(c);
  COCOON_ASSIGN(s.share, jf::scalar(j, "share", what));
  return s;
}

std::array<std::uint8_t, 32> commitments_digest(const SigningPackage& package) {
  Bytes encoded;
  for (const auto& c : package.commitments) {
    const Scalar x = Scalar::from_u64(c.id);
    encoded.insert(encoded.end(), x.bytes().begin(), x.bytes().end());
    encoded.insert(encoded.end(), c.hiding.bytes().begin(), c.hiding.bytes().end());
    encoded.insert(encoded.end(), c.binding.bytes().begin(), c.binding.bytes().end());
  }
  return to_array<32>(crypto::sha256(encoded));
}

}  // namespace cocoon::frost
