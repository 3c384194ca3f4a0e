#pragma once
// in-toto Statement v1 (github.com/in-toto/attestation, spec/v1/statement.md): what was produced
// (subjects with digests) and a typed predicate saying how.
//
// Example: {"_type":"https://in-toto.io/Statement/v1",
//           "subject":[{"name":"sample-node.tar.zst","digest":{"sha256":"9f86d0..."}}],
//           "predicateType":"https://slsa.dev/provenance/v1","predicate":{...}}
// Invariant of a parsed Statement: subject names are unique and non-empty and every sha256 is 64
// lower-case hex digits, so two statements can be compared subject by subject.
#include <optional>
#include <string>
#include <vector>

#include "attest/dsse.hpp"
#include "core/bytes.hpp"
#include "core/json.hpp"
#include "core/result.hpp"

namespace cocoon::attest {

inline constexpr const char* kStatementType = "https://in-toto.io/Statement/v1";
inline constexpr const char* kSlsaProvenanceV1 = "https://slsa.dev/provenance/v1";
// Our SLSA buildType: "rebuilt from a cocoon-recipe/v1 at a pinned git commit" (docs/formats.md).
inline constexpr const char* kCocoonBuildType = "urn:cocoon-release:buildtype:recipe:v1";
// runDetails.builder.id is this prefix followed by the builder's key id.
inline constexpr const char* kBuilderIdPrefix = "urn:cocoon-release:builder:";

struct Subject {
  std::string name;
  std::string sha256;  // lower-case hex
};

struct Statement {
  std::vector<Subject> subjects;
  std::string predicate_type;
  Json predicate;
};

Json statement_json(const Statement& statement);
// The payload bytes we sign: compact JSON with sorted keys.
std::string statement_payload(const Statement& statement);
// Parses the decoded payload bytes of an envelope.
Result<Statement> parse_statement(ByteView payload);

// What the predicate says about who built it (SLSA runDetails.builder); empty when absent.
struct BuilderClaim {
  std::string id;
  std::string name;
};
BuilderClaim builder_claim(const Statement& statement);
std::string builder_id_for_keyid(const std::string& keyid);

// Wraps the statement in a DSSE envelope signed by `key`.
DsseEnvelope sign_statement(const Statement& statement, const crypto::SecretKey& key);

}  // namespace cocoon::attest
