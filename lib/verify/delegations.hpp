#pragma once
// Delegated targets roles (TUF §5.6.7, plain-TUF mode): a targets role hands parts of the target
// namespace to other roles, each with its own keys and threshold. Lookup is a pre-order depth-first
// search from the top-level targets role: the first role that lists the path answers; a terminating
// delegation that matches ends the search even if it does not list the path.
//
// Example: targets delegates "pkg/*" to role "packages" (keys P1, P2, threshold 1, terminating) and
// "*" to "fallback". Looking up "pkg/tool.bin": "packages" matches and is searched; if it does not list
// the path the search stops there (terminating), "fallback" is never asked. "docs/readme" does not
// match "pkg/*" ('*' never crosses a '/'), so only "fallback" is searched.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/result.hpp"
#include "crypto/tuf_key.hpp"
#include "release/roles.hpp"

namespace cocoon::verify {

// Invariant after parsing: name is non-empty, has no control characters and is not a top-level role
// name (any other string is a valid TUF role name; role_file_name() makes it a file name), threshold
// >= 1, keyids distinct and present in Delegations::keys, and exactly one of paths /
// path_hash_prefixes is given.
struct DelegatedRole {
  std::string name;
  std::vector<std::string> keyids;
  std::uint64_t threshold = 1;
  bool terminating = false;
  std::optional<std::vector<std::string>> paths;
  std::optional<std::vector<std::string>> path_hash_prefixes;
};

struct Delegations {
  std::map<std::string, crypto::TufKey> keys;  // key ids recomputed from the key objects
  std::vector<DelegatedRole> roles;            // in the delegator's order (search order)
};

// The "delegations" member of a targets `signed` object, if any. Errors: invalid_input (malformed,
// key id mismatch, duplicate role), unsupported (succinct_roles). Keys of a type we cannot use are kept
// as unusable keys, not refused.
Result<std::optional<Delegations>> parse_delegations(const Json& targets_signed);

// Targets metadata with delegations: the model of lib/release (which refuses delegations) is parsed
// from `signed` without them.
Result<release::Targets> parse_targets_allowing_delegations(const Json& targets_signed);

// TUF path patterns: shell wildcards matched segment by segment ('*' never crosses '/'), the same
// number of segments on both sides.
bool path_pattern_matches(const std::string& pattern, const std::string& target_path);
bool role_covers(const DelegatedRole& role, const std::string& target_path);

// The name a delegated role's metadata has in a repository ("N.<name>.json") and in the client's
// state ("<name>.json"): percent-encoded except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~),
// as python-tuf does (urllib.parse.quote(name, "")); tuf-js's encodeURIComponent agrees except for
// ! * ' ( ). No '/' survives, so a role name can never name another directory.
// Example: "apps" -> "apps", "team a/apps" -> "team%20a%2Fapps".
std::string role_file_name(const std::string& role);

// A Root whose only role is `role`, holding the delegator's keys: what release::check_threshold needs.
release::Root delegation_key_set(const Delegations& delegations, const DelegatedRole& role);

}  // namespace cocoon::verify
