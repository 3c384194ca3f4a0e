#pragma once
// Reading a log through any TileFetcher (a directory, HTTP, nginx in front of a directory): fetch and
// verify the checkpoint, then read just the tiles a proof or an entry needs.
#include <cstdint>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/proof.hpp"
#include "tlog/tile.hpp"

namespace cocoon::tlog {

class LogClient {
 public:
  LogClient(TileFetcher& fetcher, NoteVerifier log_key) : fetcher_(fetcher), log_key_(std::move(log_key)) {}

  // The current checkpoint, its signature checked against the log key.
  Result<VerifiedCheckpoint> checkpoint();
  // Proofs computed from the tiles of the tree of `size` (the caller's checkpoint size).
  Result<Proof> inclusion_proof(std::uint64_t index, std::uint64_t size);
  Result<Proof> consistency_proof(std::uint64_t old_size, std::uint64_t new_size);
  Result<Hash> root(std::uint64_t size);
  // Entries [begin, end) of the tree of `size`, read from entry bundles and checked against the leaf
  // hashes in the level-0 tiles (a server cannot swap an entry without changing the tiles).
  Result<std::vector<Bytes>> entries(std::uint64_t begin, std::uint64_t end, std::uint64_t size);

  const NoteVerifier& log_key() const { return log_key_; }

 private:
  TileFetcher& fetcher_;
  NoteVerifier log_key_;
};

// Text forms used by the tools: a proof as base64 hashes one per line.
std::string format_proof(const Proof& proof);
Result<Proof> parse_proof(std::string_view text);

}  // namespace cocoon::tlog
