#include "release/roles.hpp"

#include <algorithm>
#include <set>

#include "core/bytes.hpp"
#include "crypto/hash.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::release {

namespace {

Error bad(std::string_view what, const std::string& message) {
  return make_error(Errc::invalid_input, std::string(what) + ": " + message);
}

bool is_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return !s.empty();
}

std::optional<std::size_t> hash_length(std::string_view name) {
  if (name == "sha256") return 64;
  if (name == "sha384") return 96;
  if (name == "sha512") return 128;
  return std::nullopt;
}

Result<std::map<std::string, std::string>> parse_hashes(const Json& doc, std::string_view what) {
  if (!doc.is_object() || doc.empty()) return bad(what, "\"hashes\" must be a non-empty object");
  std::map<std::string, std::string> out;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (!it->is_string()) return bad(what, "hash \"" + it.key() + "\" must be a string");
    const std::string value = it->get<std::string>();
    auto len = hash_length(it.key());
    if (len && (value.size() != *len || !is_lower_hex(value))) {
      return bad(what,
                 "hash \"" + it.key() + "\" must be " + std::to_string(*len) + " lower-case hex digits");
    }
    if (!len && !is_lower_hex(value)) return bad(what, "hash \"" + it.key() + "\" must be lower-case hex");
    out[it.key()] = value;
  }
  return out;
}

Json hashes_json(const std::map<std::string, std::string>& hashes) {
  Json out = Json::object();
  for (const auto& [name, value] : hashes) out[name] = value;
  return out;
}

Result<MetaFile> parse_meta_file(const Json& doc, std::string_view what) {
  if (!doc.is_object()) return bad(what, "meta entries must be objects");
  MetaFile m;
  COCOON_ASSIGN(m.version, get_uint(doc, "version", what));
  if (m.version < 1) return bad(what, "meta version must be at least 1");
  if (doc.contains("length")) {
    COCOON_ASSIGN(std::uint64_t length, get_uint(doc, "length", what));
    m.length = length;
  }
  if (doc.contains("hashes")) {
    COCOON_ASSIGN(m.hashes, parse_hashes(doc.at("hashes"), what));
  }
  return m;
}

Json meta_file_json(const MetaFile& m) {
  Json out{{"version", m.version}};
  if (m.length) out["length"] = *m.length;
  if (!m.hashes.empty()) out["hashes"] = hashes_json(m.hashes);
  return out;
}

}  // namespace

Result<Root> parse_root(const Json& signed_part) {
  constexpr std::string_view what = "root metadata";
  Root root;
  COCOON_ASSIGN(root.common, parse_common(signed_part, kRoleRoot));
  auto cs = signed_part.find("consistent_snapshot");
  if (cs == signed_part.end() || !cs->is_boolean())
    return bad(what, "\"consistent_snapshot\" must be a boolean");
  if (!cs->get<bool>())
    return make_error(Errc::unsupported, "root metadata: consistent_snapshot false is not supported");

  COCOON_ASSIGN(const Json* keys, get_object(signed_part, "keys", what));
  std::string misnamed_key;
  for (auto it = keys->begin(); it != keys->end(); ++it) {
    if (!it->is_object()) return bad(what, "key " + it.key() + " must be an object");
    // Unknown key types and unparsable public keys load as unusable keys (see crypto::TufKey).
    auto key = crypto::TufKey::from_json(*it);
    if (!key.ok()) return bad(what, "key " + it.key() + ": " + key.error().message);
    // The key id is a claim about the key; only the recomputed one is trusted. A key listed under
    // another id signs nothing, but the root stays readable (python-tuf and tuf-js do not recompute
    // ids at all; Sigstore's root v11 changed a key's members and kept its id). A Cocoon root is
    // refused for it below, by the Ed25519-only policy.
    if (key->key_id() != it.key()) {
      if (misnamed_key.empty()) misnamed_key = it.key();
      root.keys[it.key()] = key->unusable_copy("its key id is not the SHA-256 of its key object");
      continue;
    }
    root.keys[it.key()] = std::move(*key);
  }

  COCOON_ASSIGN(const Json* roles, get_object(signed_part, "roles", what));
  for (const char* name : {kRoleRoot, kRoleTargets, kRoleSnapshot, kRoleTimestamp}) {
    auto role = roles->find(name);
    if (role == roles->end() || !role->is_object())
      return bad(what, std::string("missing role \"") + name + "\"");
    RoleKeys rk;
    std::string role_what = std::string("root metadata role \"") + name + "\"";
    COCOON_ASSIGN(rk.threshold, get_uint(*role, "threshold", role_what));
    if (rk.threshold < 1) return bad(role_what, "threshold must be at least 1");
    auto ids = role->find("keyids");
    if (ids == role->end() || !ids->is_array()) return bad(role_what, "\"keyids\" must be an array");
    std::set<std::string> seen;
    for (const Json& id : *ids) {
      if (!id.is_string()) return bad(role_what, "key ids must be strings");
      std::string keyid = id.get<std::string>();
      if (!seen.insert(keyid).second) return bad(role_what, "key id " + keyid + " listed twice");
      if (!root.keys.count(keyid)) return bad(role_what, "key id " + keyid + " is not in \"keys\"");
      rk.keyids.push_back(std::move(keyid));
    }
    root.roles[name] = std::move(rk);
  }
  for (auto it = roles->begin(); it != roles->end(); ++it) {
    if (!root.roles.count(it.key())) return bad(what, "unknown role \"" + it.key() + "\"");
  }

  auto policy = signed_part.find(kPolicyMember);
  if (policy != signed_part.end()) {
    COCOON_ASSIGN(CocoonPolicy p, parse_policy(*policy));
    root.policy = std::move(p);
    // cocoon-sign writes every key under its own id, so in a Cocoon root another id is bad input.
    if (!misnamed_key.empty())
      return bad(what, "key id " + misnamed_key + " is not the SHA-256 of its key object");
    // Cocoon's policy, not a parser limit: maintainers and online keys sign with Ed25519 only, so
    // cocoon-sign and the FROST group can always use them.
    for (const auto& [keyid, key] : root.keys) {
      if (!key.ed25519()) {
        return make_error(Errc::unsupported, "root metadata: key " + keyid +
                                                 " is not a usable Ed25519 key; a Cocoon root (with \"" +
                                                 kPolicyMember + "\") uses Ed25519 keys only");
      }
    }
  }
  auto frost = signed_part.find(kFrostMember);
  if (frost != signed_part.end()) {
    COCOON_ASSIGN(FrostGroupRecord group, parse_frost_record(*frost, ed25519_keys(root)));
    const auto& targets = root.roles.at(kRoleTargets).keyids;
    if (std::find(targets.begin(), targets.end(), group.keyid) == targets.end())
      return bad(what, "the FROST group key " + group.keyid + " is not a key of the targets role");
    root.frost = std::move(group);
  }
  return root;
}

Json root_json(const Root& root) {
  Json out = Json::object();
  write_common(out, root.common);
  out["consistent_snapshot"] = root.consistent_snapshot;
  Json keys = Json::object();
  for (const auto& [keyid, key] : root.keys) keys[keyid] = key.json();
  out["keys"] = std::move(keys);
  Json roles = Json::object();
  for (const auto& [name, rk] : root.roles)
    roles[name] = Json{{"keyids", rk.keyids}, {"threshold", rk.threshold}};
  out["roles"] = std::move(roles);
  if (root.policy) out[kPolicyMember] = policy_json(*root.policy);
  if (root.frost) out[kFrostMember] = frost_record_json(*root.frost);
  return out;
}

std::map<std::string, crypto::Ed25519PublicKey> ed25519_keys(const Root& root) {
  std::map<std::string, crypto::Ed25519PublicKey> out;
  for (const auto& [keyid, key] : root.keys) {
    if (auto bytes = key.ed25519()) out[keyid] = *bytes;
  }
  return out;
}

bool valid_target_path(std::string_view path) {
  if (path.empty() || path.size() > 255) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    for (char c : part) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                c == '_' || c == '-' || c == '+';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

Result<Targets> parse_targets(const Json& signed_part) {
  constexpr std::string_view what = "targets metadata";
  Targets t;
  COCOON_ASSIGN(t.common, parse_common(signed_part, kRoleTargets));
  if (signed_part.contains("delegations")) {
    return make_error(Errc::unsupported, "targets metadata: delegations are not supported");
  }
  COCOON_ASSIGN(const Json* targets, get_object(signed_part, "targets", what));
  for (auto it = targets->begin(); it != targets->end(); ++it) {
    if (!valid_target_path(it.key()))
      return bad(what, "target path \"" + it.key() + "\" is not a plain ASCII relative path");
    std::string target_what = "target \"" + it.key() + "\"";
    if (!it->is_object()) return bad(target_what, "must be an object");
    TargetFile f;
    COCOON_ASSIGN(f.length, get_uint(*it, "length", target_what));
    auto hashes = it->find("hashes");
    if (hashes == it->end()) return bad(target_what, "missing \"hashes\"");
    COCOON_ASSIGN(f.hashes, parse_hashes(*hashes, target_what));
    auto custom = it->find("custom");
    if (custom != it->end()) {
      if (!custom->is_object()) return bad(target_what, "\"custom\" must be an object");
      f.custom = *custom;
    }
    t.targets[it.key()] = std::move(f);
  }
  auto release = signed_part.find("x-cocoon-release");
  if (release != signed_part.end()) {
    if (!release->is_object()) return bad(what, "\"x-cocoon-release\" must be an object");
    t.release = *release;
  }
  return t;
}

Json targets_json(const Targets& t) {
  Json out = Json::object();
  write_common(out, t.common);
  Json targets = Json::object();
  for (const auto& [path, f] : t.targets) {
    Json entry{{"length", f.length}, {"hashes", hashes_json(f.hashes)}};
    if (f.custom) entry["custom"] = *f.custom;
    targets[path] = std::move(entry);
  }
  out["targets"] = std::move(targets);
  if (t.release) out["x-cocoon-release"] = *t.release;
  return out;
}

Result<Snapshot> parse_snapshot(const Json& signed_part) {
  constexpr std::string_view what = "snapshot metadata";
  Snapshot s;
  COCOON_ASSIGN(s.common, parse_common(signed_part, kRoleSnapshot));
  COCOON_ASSIGN(const Json* meta, get_object(signed_part, "meta", what));
  for (auto it = meta->begin(); it != meta->end(); ++it) {
    COCOON_ASSIGN(MetaFile m, parse_meta_file(*it, "snapshot metadata entry \"" + it.key() + "\""));
    s.meta[it.key()] = std::move(m);
  }
  if (!s.meta.count("targets.json")) return bad(what, "\"meta\" does not list targets.json");
  return s;
}

Json snapshot_json(const Snapshot& s) {
  Json out = Json::object();
  write_common(out, s.common);
  Json meta = Json::object();
  for (const auto& [name, m] : s.meta) meta[name] = meta_file_json(m);
  out["meta"] = std::move(meta);
  return out;
}

Result<Timestamp> parse_timestamp(const Json& signed_part) {
  constexpr std::string_view what = "timestamp metadata";
  Timestamp t;
  COCOON_ASSIGN(t.common, parse_common(signed_part, kRoleTimestamp));
  COCOON_ASSIGN(const Json* meta, get_object(signed_part, "meta", what));
  if (meta->size() != 1 || !meta->contains("snapshot.json"))
    return bad(what, "\"meta\" must list exactly snapshot.json");
  COCOON_ASSIGN(t.snapshot, parse_meta_file(meta->at("snapshot.json"), what));
  return t;
}

Json timestamp_json(const Timestamp& t) {
  Json out = Json::object();
  write_common(out, t.common);
  out["meta"] = Json{{"snapshot.json", meta_file_json(t.snapshot)}};
  return out;
}

std::map<std::string, std::string> tuf_hashes(ByteView bytes) {
  return {{"sha256", hex_encode(crypto::sha256(bytes))}, {"sha512", hex_encode(crypto::sha512(bytes))}};
}

Status check_length_and_hashes(ByteView bytes, std::optional<std::uint64_t> length,
                               const std::map<std::string, std::string>& hashes, std::string_view what) {
  if (length && bytes.size() != *length) {
    return make_error(Errc::hash_mismatch, std::string(what) + ": length " + std::to_string(bytes.size()) +
                                               " differs from the recorded " + std::to_string(*length));
  }
  for (const auto& [name, expected] : hashes) {
    crypto::HashAlg alg;
    if (name == "sha256")
      alg = crypto::HashAlg::sha256;
    else if (name == "sha384")
      alg = crypto::HashAlg::sha384;
    else if (name == "sha512")
      alg = crypto::HashAlg::sha512;
    else
      return make_error(Errc::unsupported, std::string(what) + ": unknown hash algorithm \"" + name + "\"");
    if (hex_encode(crypto::digest(alg, bytes)) != expected) {
      return make_error(Errc::hash_mismatch,
                        std::string(what) + ": " + name + " differs from the recorded digest");
    }
  }
  return Ok{};
}

}  // namespace cocoon::release
