#include "release/frost_record.hpp"

#include <set>

#include "core/bytes.hpp"
#include "crypto/key_file.hpp"
#include "frost/formats.hpp"

namespace cocoon::release {

namespace {

namespace jf = frost::json_field;

constexpr std::size_t kMaxNameLength = 64;

Error bad(const std::string& message) {
  return make_error(Errc::invalid_input, std::string(kFrostMember) + ": " + message);
}

Status check_name(const std::string& name, std::set<std::string>& seen, const std::string& what) {
  if (name.empty() || name.size() > kMaxNameLength)
    return bad(what + " name must be 1 to " + std::to_string(kMaxNameLength) + " characters");
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return bad(what + " name has a control character");
  }
  if (!seen.insert(name).second) return bad("participant name \"" + name + "\" is used twice");
  return Ok{};
}

}  // namespace

std::string FrostGroupRecord::t_of_n() const {
  return std::to_string(threshold) + " of " + std::to_string(max_participants);
}

std::string FrostGroupRecord::name_of(std::uint32_t id) const {
  for (const auto& p : participants) {
    if (p.id == id) return p.name;
  }
  return "participant " + std::to_string(id);
}

Result<frost::PublicKeyPackage> frost_public_package(const FrostGroupRecord& record) {
  frost::PublicKeyPackage pkg;
  pkg.params = {record.threshold, record.max_participants};
  COCOON_TRY(frost::check_params(pkg.params));
  COCOON_ASSIGN(pkg.group_public_key, frost::Point::from_bytes(ByteView(record.group_key), "group key"));
  for (const auto& p : record.participants) {
    COCOON_ASSIGN(frost::Point share,
                  frost::Point::from_bytes(ByteView(p.verifying_share),
                                           "verifying share of participant " + std::to_string(p.id)));
    if (!pkg.verifying_shares.emplace(p.id, share).second)
      return bad("participant " + std::to_string(p.id) + " is listed twice");
  }
  COCOON_TRY(frost::check_public_package(pkg));
  return pkg;
}

Result<FrostGroupRecord> parse_frost_record(const Json& member,
                                            const std::map<std::string, crypto::Ed25519PublicKey>& keys) {
  if (!member.is_object() || member.empty())
    return bad("must be an object holding one group, keyed by the group's key id");
  if (member.size() > 1)
    return make_error(Errc::unsupported, std::string(kFrostMember) + ": more than one FROST group");
  FrostGroupRecord r;
  r.keyid = member.begin().key();
  auto key = keys.find(r.keyid);
  if (key == keys.end()) return bad("group key id " + r.keyid + " is not in the root's \"keys\"");
  r.group_key = key->second;
  const Json& g = member.begin().value();
  const std::string what = std::string(kFrostMember) + " group " + r.keyid.substr(0, 16);
  COCOON_TRY(jf::exact_members(g, {"ciphersuite", "threshold", "max_participants", "participants"}, what));
  COCOON_ASSIGN(std::string suite, jf::string(g, "ciphersuite", what));
  if (suite != frost::kCiphersuite)
    return make_error(Errc::unsupported, what + ": ciphersuite \"" + suite + "\" is not supported");
  COCOON_ASSIGN(r.threshold, jf::u32(g, "threshold", what));
  COCOON_ASSIGN(r.max_participants, jf::u32(g, "max_participants", what));
  if (auto st = frost::check_params({r.threshold, r.max_participants}); !st.ok())
    return bad(st.error().message);
  const Json& list = g.at("participants");
  if (!list.is_array()) return bad("\"participants\" must be an array");
  std::set<std::string> names;
  std::uint32_t previous = 0;
  for (const Json& p : list) {
    const std::string pwhat = what + " participant";
    COCOON_TRY(jf::exact_members(p, {"id", "name", "verifying_share"}, pwhat));
    FrostParticipant fp;
    COCOON_ASSIGN(fp.id, jf::u32(p, "id", pwhat));
    if (fp.id < 1 || fp.id > r.max_participants)
      return bad("participant id " + std::to_string(fp.id) + " is outside 1.." +
                 std::to_string(r.max_participants));
    // Sorted and distinct in one comparison: the written form is canonical.
    if (fp.id <= previous)
      return bad("participants must be sorted by id without repeats (id " + std::to_string(fp.id) + ")");
    previous = fp.id;
    COCOON_ASSIGN(fp.name, jf::string(p, "name", pwhat));
    COCOON_TRY(check_name(fp.name, names, "participant " + std::to_string(fp.id)));
    COCOON_ASSIGN(frost::Point share, jf::point(p, "verifying_share", pwhat));
    std::copy(share.bytes().begin(), share.bytes().end(), fp.verifying_share.begin());
    r.participants.push_back(std::move(fp));
  }
  if (r.participants.size() < r.threshold)
    return bad(std::to_string(r.participants.size()) + " participants cannot meet a threshold of " +
               std::to_string(r.threshold));
  // The record must describe the key TUF clients actually check: the shares determine the group key.
  if (auto pkg = frost_public_package(r); !pkg.ok()) return bad(pkg.error().message);
  return r;
}

Json frost_record_json(const FrostGroupRecord& record) {
  Json participants = Json::array();
  for (const auto& p : record.participants) {
    participants.push_back(
        Json{{"id", p.id}, {"name", p.name}, {"verifying_share", hex_encode(p.verifying_share)}});
  }
  Json group{{"ciphersuite", std::string(frost::kCiphersuite)},
             {"threshold", record.threshold},
             {"max_participants", record.max_participants},
             {"participants", std::move(participants)}};
  return Json{{record.keyid, std::move(group)}};
}

Result<FrostGroupRecord> frost_record_from_group(const frost::PublicKeyPackage& group,
                                                 const std::map<std::uint32_t, std::string>& names) {
  COCOON_TRY(frost::check_public_package(group));
  for (const auto& [id, name] : names) {
    if (!group.verifying_shares.count(id))
      return bad("a name is given to participant " + std::to_string(id) + ", who is not in the group");
  }
  FrostGroupRecord r;
  std::copy(group.group_public_key.bytes().begin(), group.group_public_key.bytes().end(),
            r.group_key.begin());
  r.keyid = crypto::ed25519_key_id(r.group_key);
  r.threshold = group.params.threshold;
  r.max_participants = group.params.max_participants;
  std::set<std::string> seen;
  for (const auto& [id, share] : group.verifying_shares) {
    FrostParticipant p;
    p.id = id;
    auto it = names.find(id);
    p.name = it != names.end() ? it->second : "participant-" + std::to_string(id);
    COCOON_TRY(check_name(p.name, seen, "participant " + std::to_string(id)));
    std::copy(share.bytes().begin(), share.bytes().end(), p.verifying_share.begin());
    r.participants.push_back(std::move(p));
  }
  return r;
}

}  // namespace cocoon::release
