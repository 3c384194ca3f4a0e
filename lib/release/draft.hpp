#pragma once
// Drafts: metadata waiting for signatures. Maintainers sign on separate machines and the copies are
// merged; a signature is an entry over canonical_json(signed), so copies merge only when their `signed`
// parts are byte-identical in canonical form.
// Example: alice signs draft.json -> a.json, bob signs draft.json -> b.json; merge(a, b) carries both
// entries; status against the root says 2 of 2 -> threshold met.
#include <string>
#include <vector>

#include "core/result.hpp"
#include "crypto/key_file.hpp"
#include "release/metadata.hpp"

namespace cocoon::release {

// Adds `key`'s signature over canonical_json(signed). An existing entry under the same key id is
// replaced (re-signing is idempotent). Errc::invalid_input when `signed` cannot be canonicalised.
Status add_signature(Envelope& envelope, const crypto::SecretKey& key);

// Unites the signature entries of copies of one draft (exact duplicates kept once, order of first
// appearance). Errc::mismatch when the copies' signed parts differ; Errc::invalid_input for no input.
Result<Envelope> merge_envelopes(const std::vector<Envelope>& copies);

// The "_type" of a draft ("root", "targets", ...), or Errc::invalid_input.
Result<std::string> envelope_type(const Envelope& envelope);

}  // namespace cocoon::release
