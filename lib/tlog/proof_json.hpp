#pragma once
// A proof as it travels in JSON documents (log proofs, offline bundles, rebuild evidence): an array of
// base64 hashes, e.g. ["3q2+7w…=", …]. One parser, so every document bounds it the same way.
#include <string>

#include "core/json.hpp"
#include "core/result.hpp"
#include "tlog/proof.hpp"

namespace cocoon::tlog {

// Refuses (invalid_input, message starting with `what`) anything but an array of at most 64 base64
// SHA-256 hashes: no proof for a tree below 2^64 leaves is longer.
Result<Proof> proof_from_json(const Json& list, const std::string& what);
Json proof_to_json(const Proof& proof);

}  // namespace cocoon::tlog
