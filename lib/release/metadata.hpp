#pragma once
// The signed-metadata envelope every TUF role file shares, and the fields common to all roles
// (shared/specs/tuf.md, docs/tuf-extensions.md).
//
// Example: {"signed":{"_type":"timestamp","spec_version":"1.0.31","version":7,
//                     "expires":"2026-11-26T12:00:00Z","meta":{...}},
//           "signatures":[{"keyid":"<64 hex>","sig":"<128 hex>"}]}
// Signatures are over canonical_json(signed), by keys of any type crypto::TufKey verifies (Cocoon itself
// signs with Ed25519). An Envelope keeps `signed` as the JSON that was read (unknown members included),
// so the bytes that are verified are the bytes that were signed. Signature entries are kept as text: a
// malformed "sig" is a signature that does not verify, never a reason to refuse the whole file. Two
// entries under one key id are a reason: parse_envelope refuses them (Errc::invalid_input).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace cocoon::release {

// The TUF specification version we write; clients accept any "1.0.x".
inline constexpr const char* kSpecVersion = "1.0.31";

inline constexpr const char* kRoleRoot = "root";
inline constexpr const char* kRoleTargets = "targets";
inline constexpr const char* kRoleSnapshot = "snapshot";
inline constexpr const char* kRoleTimestamp = "timestamp";

struct SignatureEntry {
  std::string keyid;
  std::string sig;  // hex as found; checked only when verifying
};

struct Envelope {
  Json signed_part = Json::object();
  std::vector<SignatureEntry> signatures;
};

// Strict shape: exactly "signed" (an object) and "signatures" (an array of objects with string
// "keyid" and "sig", no key id twice). Errc::invalid_input otherwise; `what` names the file in the message.
Result<Envelope> parse_envelope(const Json& doc, std::string_view what);
Result<Envelope> parse_envelope_text(std::string_view text, std::string_view what);
Json envelope_json(const Envelope& envelope);
// The file form: pretty JSON with a trailing newline.
std::string envelope_text(const Envelope& envelope);
// What is signed: the OLPC canonical JSON of `signed`.
Result<std::string> signed_bytes(const Envelope& envelope);

// Fields every role has. Invariant after parse_common: version >= 1, expires is whole-second UTC.
// Example: {"_type":"targets","spec_version":"1.0.31","version":3,"expires":"2027-02-23T00:00:00Z"}
struct CommonFields {
  std::string type;
  std::string spec_version;
  std::uint64_t version = 0;
  UnixSeconds expires = 0;
};

// Checks "_type" equals expected_type, "spec_version" is "1.<minor>[.<patch>]", "version" is an
// integer >= 1 (and below 2^53 so JavaScript clients read it exactly), "expires" is RFC 3339 whole
// seconds with Z.
Result<CommonFields> parse_common(const Json& signed_part, std::string_view expected_type);
void write_common(Json& signed_part, const CommonFields& common);

// The largest integer JavaScript TUF clients represent exactly; versions and lengths stay below it.
inline constexpr std::uint64_t kMaxSafeInteger = (1ull << 53) - 1;

// Reads a non-negative integer member no larger than kMaxSafeInteger.
Result<std::uint64_t> get_uint(const Json& object, std::string_view key, std::string_view what);
Result<std::string> get_string(const Json& object, std::string_view key, std::string_view what);
Result<const Json*> get_object(const Json& object, std::string_view key, std::string_view what);

}  // namespace cocoon::release
