#include "verify/delegations.hpp"

#include <fnmatch.h>

#include <set>

#include "crypto/hash.hpp"
#include "crypto/tuf_key.hpp"

namespace cocoon::verify {

namespace {

Error bad(const std::string& m) {
  return make_error(Errc::invalid_input, "targets delegations: " + m);
}

bool valid_role_name(const std::string& name) {
  if (name.empty()) return false;
  for (const char* top : {"root", "timestamp", "snapshot", "targets"}) {
    if (name == top) return false;
  }
  // Control characters would break one-line messages and have no use in a role name.
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

Result<std::vector<std::string>> string_list(const Json& doc, const std::string& what) {
  if (!doc.is_array()) return bad(what + " must be an array of strings");
  std::vector<std::string> out;
  for (const auto& s : doc) {
    if (!s.is_string()) return bad(what + " must be an array of strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

std::vector<std::string> split_path(const std::string& s) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = s.find('/', start);
    parts.push_back(s.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) return parts;
    start = slash + 1;
  }
}

}  // namespace

Result<std::optional<Delegations>> parse_delegations(const Json& targets_signed) {
  auto it = targets_signed.find("delegations");
  if (it == targets_signed.end()) return std::optional<Delegations>{};
  const Json& d = *it;
  if (d.is_object() && d.contains("succinct_roles")) {
    return make_error(Errc::unsupported, "targets delegations: succinct_roles (TAP 15) are not supported");
  }
  if (!d.is_object() || !d.contains("keys") || !d.contains("roles") || !d["keys"].is_object() ||
      !d["roles"].is_array()) {
    return bad("expected an object with \"keys\" (object) and \"roles\" (array)");
  }
  Delegations out;
  for (const auto& [keyid, key_object] : d["keys"].items()) {
    if (!key_object.is_object()) return bad("key " + keyid + " must be an object");
    // Unknown key types and unparsable public keys load as unusable keys (see crypto::TufKey): their
    // signatures never count, the rest of the delegation still works.
    auto key = crypto::TufKey::from_json(key_object);
    if (!key.ok()) return bad("key " + keyid + ": " + key.error().message);
    // As in the root (release::parse_root): a key under an id that is not its own signs nothing.
    if (key->key_id() != keyid) {
      out.keys[keyid] = key->unusable_copy("its key id is not the SHA-256 of its key object");
      continue;
    }
    out.keys[keyid] = std::move(*key);
  }
  std::set<std::string> names;
  for (const auto& r : d["roles"]) {
    if (!r.is_object()) return bad("each role must be an object");
    DelegatedRole role;
    if (!r.contains("name") || !r["name"].is_string()) return bad("a role has no \"name\"");
    role.name = r["name"].get<std::string>();
    if (!valid_role_name(role.name)) {
      return bad("role name \"" + role_file_name(role.name) +
                 "\" (percent-encoded) is empty, a top-level role or holds control characters");
    }
    if (!names.insert(role.name).second) return bad("role " + role.name + " is delegated twice");
    if (!r.contains("keyids")) return bad("role " + role.name + " has no \"keyids\"");
    COCOON_ASSIGN(role.keyids, string_list(r["keyids"], "role " + role.name + " keyids"));
    std::set<std::string> ids(role.keyids.begin(), role.keyids.end());
    if (ids.size() != role.keyids.size()) return bad("role " + role.name + " lists a key id twice");
    for (const auto& id : role.keyids) {
      if (!out.keys.count(id)) return bad("role " + role.name + " names unknown key " + id);
    }
    if (!r.contains("threshold") || !r["threshold"].is_number_unsigned() ||
        r["threshold"].get<std::uint64_t>() < 1) {
      return bad("role " + role.name + " needs an integer threshold >= 1");
    }
    role.threshold = r["threshold"].get<std::uint64_t>();
    if (r.contains("terminating")) {
      if (!r["terminating"].is_boolean())
        return bad("role " + role.name + ": \"terminating\" must be a boolean");
      role.terminating = r["terminating"].get<bool>();
    }
    if (r.contains("paths") == r.contains("path_hash_prefixes")) {
      return bad("role " + role.name + " needs exactly one of \"paths\" and \"path_hash_prefixes\"");
    }
    if (r.contains("paths")) {
      COCOON_ASSIGN(auto paths, string_list(r["paths"], "role " + role.name + " paths"));
      role.paths = std::move(paths);
    } else {
      COCOON_ASSIGN(auto prefixes,
                    string_list(r["path_hash_prefixes"], "role " + role.name + " path_hash_prefixes"));
      role.path_hash_prefixes = std::move(prefixes);
    }
    out.roles.push_back(std::move(role));
  }
  return std::optional<Delegations>{std::move(out)};
}

Result<release::Targets> parse_targets_allowing_delegations(const Json& targets_signed) {
  if (!targets_signed.is_object() || !targets_signed.contains("delegations"))
    return release::parse_targets(targets_signed);
  Json without = targets_signed;
  without.erase("delegations");
  return release::parse_targets(without);
}

bool path_pattern_matches(const std::string& pattern, const std::string& target_path) {
  std::vector<std::string> want = split_path(pattern), have = split_path(target_path);
  if (want.size() != have.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    // As python-tuf's fnmatch: a backslash is an ordinary character, not an escape.
    if (::fnmatch(want[i].c_str(), have[i].c_str(), FNM_NOESCAPE) != 0) return false;
  }
  return true;
}

bool role_covers(const DelegatedRole& role, const std::string& target_path) {
  if (role.paths) {
    for (const auto& p : *role.paths) {
      if (path_pattern_matches(p, target_path)) return true;
    }
    return false;
  }
  std::string digest = crypto::sha256_hex(target_path);
  for (const auto& prefix : *role.path_hash_prefixes) {
    if (digest.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::string role_file_name(const std::string& role) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : role) {
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

release::Root delegation_key_set(const Delegations& delegations, const DelegatedRole& role) {
  release::Root root;
  for (const auto& id : role.keyids) root.keys[id] = delegations.keys.at(id);
  root.roles[role.name] = release::RoleKeys{role.keyids, role.threshold};
  return root;
}

}  // namespace cocoon::verify
