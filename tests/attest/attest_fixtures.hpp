#pragma once
// Keys and signed statements for attestation tests.
#include <string>
#include <utility>
#include <vector>

#include "attest/compare.hpp"
#include "attest/statement.hpp"
#include "crypto/hash.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::attest::testing {

inline crypto::SecretKey make_key(const std::string& name) {
  return crypto::generate_secret_key(name).value();
}

inline std::string digest_of(const std::string& text) {
  return hex_encode(crypto::sha256(std::string_view(text)));
}

// A provenance statement with the given subjects, claiming `builder` built it.
inline Statement make_statement(const std::vector<std::pair<std::string, std::string>>& subjects,
                                const crypto::SecretKey& builder) {
  Statement st;
  st.predicate_type = kSlsaProvenanceV1;
  for (const auto& [name, sha] : subjects) st.subjects.push_back({name, sha});
  st.predicate =
      Json{{"buildDefinition", Json{{"buildType", kCocoonBuildType}}},
           {"runDetails", Json{{"builder", Json{{"id", builder_id_for_keyid(builder.public_key().keyid)},
                                                {"name", builder.name}}}}}};
  return st;
}

inline AttestationInput signed_by(const std::vector<std::pair<std::string, std::string>>& subjects,
                                  const crypto::SecretKey& builder, std::string source = {}) {
  return AttestationInput{source.empty() ? builder.name + ".dsse.json" : std::move(source),
                          sign_statement(make_statement(subjects, builder), builder)};
}

}  // namespace cocoon::attest::testing
