#pragma once
// RFC 6962 Merkle hashing: leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left || right).
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::tlog {

// One SHA-256 value of the tree. Example: leaf_hash("entry-0") = base64 QHZrIDNC...X/4HU=.
using Hash = std::array<std::uint8_t, 32>;

std::string hash_base64(const Hash& h);
// Refuses anything that is not the base64 of exactly 32 bytes.
Result<Hash> hash_from_base64(std::string_view text);
Result<Hash> hash_from_bytes(ByteView bytes);

// Reusable SHA-256 context for hot loops: building a tree of a million leaves hashes two million
// times, so it keeps one OpenSSL context and one fetched algorithm instead of allocating per hash.
// Not thread-safe; use one per thread.
class MerkleHasher {
 public:
  MerkleHasher();
  MerkleHasher(MerkleHasher&&) noexcept;
  MerkleHasher& operator=(MerkleHasher&&) noexcept;
  ~MerkleHasher();

  Hash leaf(ByteView entry);
  Hash node(const Hash& left, const Hash& right);
  // Root of a complete subtree whose 2^k leaf-level hashes are given (size must be a power of two).
  Hash subtree_root(std::span<const Hash> hashes);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

Hash leaf_hash(ByteView entry);
Hash node_hash(const Hash& left, const Hash& right);
// RFC 6962 §2.1: the hash of the empty tree is SHA-256 of the empty string.
Hash empty_tree_hash();

}  // namespace cocoon::tlog
