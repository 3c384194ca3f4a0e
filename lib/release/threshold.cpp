#include "release/threshold.hpp"

#include <map>
#include <set>

#include "core/bytes.hpp"
#include "crypto/tuf_key.hpp"

namespace cocoon::release {

Result<SignatureCount> count_signatures(const Root& root, const std::string& role, const Envelope& envelope) {
  auto role_it = root.roles.find(role);
  if (role_it == root.roles.end())
    return make_error(Errc::invalid_input, "root has no role \"" + role + "\"");
  const RoleKeys& rk = role_it->second;
  COCOON_ASSIGN(std::string message, signed_bytes(envelope));

  SignatureCount count;
  count.role = role;
  count.threshold = rk.threshold;
  std::set<std::string> role_keyids(rk.keyids.begin(), rk.keyids.end());
  // Counted by key material (crypto::TufKey identity), not key id: one key listed under two ids, or in
  // two forms (PEM and hex), is still one key.
  std::map<crypto::TufKey, std::string> signed_keys;

  for (const auto& entry : envelope.signatures) {
    if (!role_keyids.count(entry.keyid)) {
      count.ignored.push_back("key id " + entry.keyid + " is not a " + role + " key");
      continue;
    }
    auto key_it = root.keys.find(entry.keyid);
    if (key_it == root.keys.end()) {  // parse_root refuses this; a Root built in code might not
      count.ignored.push_back("key id " + entry.keyid + " has no key in the root");
      continue;
    }
    const crypto::TufKey& key = key_it->second;
    if (!key.usable()) {
      count.ignored.push_back("signature by " + entry.keyid + " cannot be checked: " + key.problem());
      continue;
    }
    auto sig = hex_decode(entry.sig);
    if (!sig.ok() || sig->empty()) {
      count.ignored.push_back("signature by " + entry.keyid + " is not hex");
      continue;
    }
    if (!key.verify(as_bytes(message), *sig)) {
      count.ignored.push_back("signature by " + entry.keyid + " does not verify");
      continue;
    }
    auto [it, inserted] = signed_keys.emplace(key, entry.keyid);
    if (!inserted) {
      count.ignored.push_back("signature by " + entry.keyid + " repeats key " + it->second +
                              " (counted once)");
      continue;
    }
    count.signed_by.push_back(entry.keyid);
  }
  for (const auto& keyid : rk.keyids) {
    auto key_it = root.keys.find(keyid);
    if (key_it == root.keys.end() || !signed_keys.count(key_it->second)) count.missing.push_back(keyid);
  }
  return count;
}

Status check_threshold(const Root& root, const std::string& role, const Envelope& envelope,
                       std::string_view what) {
  COCOON_ASSIGN(SignatureCount count, count_signatures(root, role, envelope));
  if (!count.met()) {
    return make_error(Errc::signature, std::string(what) + ": " + std::to_string(count.signed_by.size()) +
                                           " distinct " + role + " key(s) signed, threshold is " +
                                           std::to_string(count.threshold));
  }
  return Ok{};
}

Status check_not_expired(const CommonFields& common, UnixSeconds now, std::string_view what) {
  if (now >= common.expires) {
    return make_error(Errc::expired, std::string(what) + " version " + std::to_string(common.version) +
                                         " expired at " + format_rfc3339(common.expires));
  }
  return Ok{};
}

Status check_no_rollback(std::uint64_t trusted, std::uint64_t candidate, std::string_view what) {
  if (candidate < trusted) {
    return make_error(Errc::rollback, std::string(what) + ": version " + std::to_string(candidate) +
                                          " is older than the trusted version " + std::to_string(trusted));
  }
  return Ok{};
}

Result<Root> verify_root_update(const Root& trusted, const Envelope& next) {
  COCOON_ASSIGN(Root root, parse_root(next.signed_part));
  std::uint64_t expected = trusted.common.version + 1;
  if (root.common.version <= trusted.common.version) {
    return make_error(Errc::rollback, "root version " + std::to_string(root.common.version) +
                                          " does not follow the trusted version " +
                                          std::to_string(trusted.common.version));
  }
  if (root.common.version != expected) {
    return make_error(Errc::invalid_input, "root version " + std::to_string(root.common.version) +
                                               " skips version " + std::to_string(expected));
  }
  std::string what = "root version " + std::to_string(root.common.version);
  COCOON_TRY(check_threshold(
      trusted, kRoleRoot, next,
      what + " (keys of trusted root version " + std::to_string(trusted.common.version) + ")"));
  COCOON_TRY(check_threshold(root, kRoleRoot, next, what + " (its own keys)"));
  return root;
}

Result<Root> verify_root_self_signed(const Envelope& envelope) {
  COCOON_ASSIGN(Root root, parse_root(envelope.signed_part));
  COCOON_TRY(
      check_threshold(root, kRoleRoot, envelope, "root version " + std::to_string(root.common.version)));
  return root;
}

Result<Targets> verify_targets(const Root& root, const Envelope& envelope, UnixSeconds now) {
  COCOON_ASSIGN(Targets t, parse_targets(envelope.signed_part));
  std::string what = "targets version " + std::to_string(t.common.version);
  COCOON_TRY(check_threshold(root, kRoleTargets, envelope, what));
  COCOON_TRY(check_not_expired(t.common, now, "targets"));
  return t;
}

Result<Snapshot> verify_snapshot(const Root& root, const Envelope& envelope, UnixSeconds now) {
  COCOON_ASSIGN(Snapshot s, parse_snapshot(envelope.signed_part));
  COCOON_TRY(
      check_threshold(root, kRoleSnapshot, envelope, "snapshot version " + std::to_string(s.common.version)));
  COCOON_TRY(check_not_expired(s.common, now, "snapshot"));
  return s;
}

Result<Timestamp> verify_timestamp(const Root& root, const Envelope& envelope, UnixSeconds now) {
  COCOON_ASSIGN(Timestamp t, parse_timestamp(envelope.signed_part));
  COCOON_TRY(check_threshold(root, kRoleTimestamp, envelope,
                             "timestamp version " + std::to_string(t.common.version)));
  COCOON_TRY(check_not_expired(t.common, now, "timestamp"));
  return t;
}

}  // namespace cocoon::release
