#pragma once
// Who signed a role's metadata, counted the way Cocoon counts: distinct public keys authorised for
// that role (shared/specs/tuf.md, "Threshold rule"). Pure functions: bytes + trusted root in, verdict out.
//
// Example: targets role {keyids [A, B, C], threshold 2}; signatures [A valid, A valid again, D valid
// (a snapshot key), B with a 63-byte sig] -> signed_by [A], ignored 3 entries, met = false.
// One public key listed under key ids A and A' and signed under both counts once.
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "release/metadata.hpp"
#include "release/roles.hpp"

namespace cocoon::release {

struct SignatureCount {
  std::string role;
  std::uint64_t threshold = 0;
  std::vector<std::string> signed_by;  // key ids, one per distinct key that produced a valid signature
  std::vector<std::string> missing;    // key ids of the role whose key has not signed
  std::vector<std::string> ignored;    // one line per signature entry that did not count, and why
  bool met() const { return signed_by.size() >= threshold; }
};

// Counts the signatures in `envelope` by keys of `role` in `root`. Never fails because of a bad
// signature entry (those are listed in `ignored`); fails only when `signed` cannot be canonicalised
// (Errc::invalid_input) or the role does not exist.
Result<SignatureCount> count_signatures(const Root& root, const std::string& role, const Envelope& envelope);

// count_signatures, then Errc::signature unless the threshold is met. `what` names the file.
Status check_threshold(const Root& root, const std::string& role, const Envelope& envelope,
                       std::string_view what);

// Errc::expired when `now` is at or past `expires`.
Status check_not_expired(const CommonFields& common, UnixSeconds now, std::string_view what);

// Errc::rollback when `candidate` is lower than `trusted` (equal is allowed: the same version again).
Status check_no_rollback(std::uint64_t trusted, std::uint64_t candidate, std::string_view what);

// One step of the root chain (TUF 5.3): `next` must be version trusted+1, signed by a threshold of
// the trusted root's root keys AND by a threshold of its own root keys. Expiry is not checked here:
// intermediate roots may have expired; the caller checks the final root (check_not_expired).
// Errors: invalid_input / unsupported (malformed), rollback (version not above trusted), invalid_input
// (version skipped), signature (either threshold not met).
Result<Root> verify_root_update(const Root& trusted, const Envelope& next);

// Parses and checks a role's file against the trusted root: shape, threshold, expiry.
Result<Root> verify_root_self_signed(const Envelope& envelope);  // a first (pinned) root: its own threshold
Result<Targets> verify_targets(const Root& root, const Envelope& envelope, UnixSeconds now);
Result<Snapshot> verify_snapshot(const Root& root, const Envelope& envelope, UnixSeconds now);
Result<Timestamp> verify_timestamp(const Root& root, const Envelope& envelope, UnixSeconds now);

}  // namespace cocoon::release
