#include "release/root_params.hpp"

#include <set>

namespace cocoon::release {

namespace {

Error bad(const std::string& message) {
  return make_error(Errc::invalid_input, "root: " + message);
}

Status check_distinct(const std::vector<crypto::PublicKey>& keys, const char* what) {
  std::set<crypto::Ed25519PublicKey> seen;
  for (const auto& k : keys) {
    if (!seen.insert(k.key).second)
      return bad(std::string(what) + " key " + k.name + " (" + k.keyid + ") listed twice");
  }
  return Ok{};
}

Status check_threshold_range(std::uint64_t threshold, std::size_t keys, const char* role) {
  if (threshold < 1) return bad(std::string(role) + " threshold must be at least 1");
  if (threshold > keys) {
    return bad(std::string(role) + " threshold " + std::to_string(threshold) + " exceeds the " +
               std::to_string(keys) + " keys");
  }
  return Ok{};
}

}  // namespace

Result<Root> make_root(const RootParams& p) {
  if (p.maintainers.empty()) return bad("no maintainer keys");
  if (p.online_keys.empty()) return bad("no online key for snapshot and timestamp");
  COCOON_TRY(check_distinct(p.maintainers, "maintainer"));
  COCOON_TRY(check_distinct(p.online_keys, "online"));
  for (const auto& m : p.maintainers) {
    for (const auto& o : p.online_keys) {
      if (m.key == o.key) return bad("key " + m.keyid + " is both a maintainer key and an online key");
    }
  }
  COCOON_TRY(check_threshold_range(p.root_threshold, p.maintainers.size(), "root"));
  if (p.frost_group) {
    if (p.targets_threshold != 1)
      return bad("a FROST group signs targets alone: targets threshold must be 1");
    if (p.frost_group->keyid != crypto::ed25519_key_id(p.frost_group->group_key))
      return bad("the FROST group's key id is not the key id of its key");
    for (const auto* keys : {&p.maintainers, &p.online_keys}) {
      for (const auto& k : *keys) {
        if (k.key == p.frost_group->group_key)
          return bad("the FROST group key is also the key " + k.keyid + " (" + k.name + ")");
      }
    }
  } else {
    COCOON_TRY(check_threshold_range(p.targets_threshold, p.maintainers.size(), "targets"));
  }
  if (p.version < 1) return bad("version must be at least 1");

  Root root;
  root.common = CommonFields{kRoleRoot, kSpecVersion, p.version, p.expires};
  root.consistent_snapshot = true;
  RoleKeys maintainers_role, online_role;
  CocoonPolicy policy = p.policy;
  policy.maintainer_names.clear();
  for (const auto& m : p.maintainers) {
    root.keys[m.keyid] = m.key;
    maintainers_role.keyids.push_back(m.keyid);
    policy.maintainer_names[m.keyid] = m.name;
  }
  for (const auto& o : p.online_keys) {
    root.keys[o.keyid] = o.key;
    online_role.keyids.push_back(o.keyid);
  }
  online_role.threshold = 1;
  maintainers_role.threshold = p.root_threshold;
  root.roles[kRoleRoot] = maintainers_role;
  if (p.frost_group) {
    root.keys[p.frost_group->keyid] = p.frost_group->group_key;
    root.roles[kRoleTargets] = RoleKeys{{p.frost_group->keyid}, 1};
    root.frost = p.frost_group;
  } else {
    maintainers_role.threshold = p.targets_threshold;
    root.roles[kRoleTargets] = maintainers_role;
  }
  root.roles[kRoleSnapshot] = online_role;
  root.roles[kRoleTimestamp] = online_role;
  // Validate the policy exactly as a reader will.
  auto reparsed = parse_policy(policy_json(policy));
  if (!reparsed.ok()) return reparsed.error();
  root.policy = std::move(policy);
  if (root.frost) {
    auto record = parse_frost_record(frost_record_json(*root.frost), ed25519_keys(root));
    if (!record.ok()) return record.error();
  }
  return root;
}

Result<RootParams> root_params(const Root& root) {
  // parse_root guarantees these; a Root assembled in code is checked rather than trusted.
  for (const char* role : {kRoleRoot, kRoleTargets, kRoleSnapshot, kRoleTimestamp}) {
    auto it = root.roles.find(role);
    if (it == root.roles.end()) return bad(std::string("missing role ") + role);
    for (const auto& keyid : it->second.keyids) {
      if (!root.keys.count(keyid)) return bad("key id " + keyid + " of role " + role + " has no key");
      if (!root.keys.at(keyid).ed25519())
        return make_error(Errc::unsupported, "root: key " + keyid + " of role " + role + " is not Ed25519");
    }
  }
  RootParams p;
  p.version = root.common.version;
  p.expires = root.common.expires;
  p.root_threshold = root.role(kRoleRoot).threshold;
  p.targets_threshold = root.role(kRoleTargets).threshold;
  if (root.policy) p.policy = *root.policy;
  auto named = [&](const std::string& keyid) {
    crypto::PublicKey k;
    k.keyid = keyid;
    k.key = *root.keys.at(keyid).ed25519();
    auto it = p.policy.maintainer_names.find(keyid);
    k.name = it != p.policy.maintainer_names.end() ? it->second : "keyid-" + keyid.substr(0, 8);
    return k;
  };
  for (const auto& keyid : root.role(kRoleRoot).keyids) p.maintainers.push_back(named(keyid));
  for (const auto& keyid : root.role(kRoleTimestamp).keyids) p.online_keys.push_back(named(keyid));
  p.frost_group = root.frost;
  const std::vector<std::string> frost_targets =
      root.frost ? std::vector<std::string>{root.frost->keyid} : std::vector<std::string>{};
  const bool targets_as_expected =
      root.frost ? root.role(kRoleTargets).keyids == frost_targets && root.role(kRoleTargets).threshold == 1
                 : root.role(kRoleTargets).keyids == root.role(kRoleRoot).keyids;
  if (!targets_as_expected || root.role(kRoleSnapshot).keyids != root.role(kRoleTimestamp).keyids) {
    return make_error(Errc::unsupported,
                      "root: role layout differs from Cocoon's (maintainers for root and "
                      "targets, or the FROST group alone for targets; online keys for snapshot and "
                      "timestamp)");
  }
  return p;
}

}  // namespace cocoon::release
