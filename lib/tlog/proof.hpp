#pragma once
// Merkle tree hashes and proofs (RFC 6962 §2.1, checked with the loops of RFC 9162 §2.1.3/§2.1.4).
//
// Everything is computed from the hashes of complete subtrees, addressed as (level, index): the
// subtree at level j, index i covers leaves [i·2^j, (i+1)·2^j). Example: in a tree of 5 leaves the
// root is node(subtree(2, 0), subtree(0, 4)). A log stores exactly these hashes in its tiles, so a
// proof needs O(log n) of them, whatever the tree size.
#include <cstdint>
#include <vector>

#include "core/result.hpp"
#include "tlog/hash.hpp"

namespace cocoon::tlog {

using Proof = std::vector<Hash>;

// Source of complete-subtree hashes (memory, tiles on disk, tiles over HTTP).
class HashReader {
 public:
  virtual ~HashReader() = default;
  // The hash of the complete subtree (level, index); its leaves must all exist in the tree.
  virtual Result<Hash> subtree_hash(int level, std::uint64_t index) = 0;
};

// Root hash of the first `size` leaves (empty_tree_hash() for size 0).
Result<Hash> tree_hash(HashReader& reader, std::uint64_t size);
// Audit path of leaf `index` in the tree of `size` leaves (RFC 6962 §2.1.1).
Result<Proof> prove_inclusion(HashReader& reader, std::uint64_t size, std::uint64_t index);
// Consistency proof between trees of old_size and new_size leaves (RFC 6962 §2.1.2).
Result<Proof> prove_consistency(HashReader& reader, std::uint64_t old_size, std::uint64_t new_size);

// Number of hashes a valid proof has; any other length is refused before hashing.
std::size_t inclusion_proof_length(std::uint64_t size, std::uint64_t index);
std::size_t consistency_proof_length(std::uint64_t old_size, std::uint64_t new_size);

// Pure checks. Errors: index/size out of range or wrong proof length -> invalid_input;
// a proof that does not lead to the given root -> log_inconsistent.
Status check_inclusion(const Proof& proof, std::uint64_t size, std::uint64_t index, const Hash& leaf,
                       const Hash& root);
Status check_consistency(const Proof& proof, std::uint64_t old_size, std::uint64_t new_size,
                         const Hash& old_root, const Hash& new_root);

// All subtree hashes of a tree held in memory: level 0 holds the leaf hashes, level j the roots of
// complete subtrees of 2^j leaves. Example: 3 leaves -> levels {{a,b,c},{node(a,b)}}.
class MemoryTree : public HashReader {
 public:
  void append_leaf_hash(const Hash& leaf);
  void append_entry(ByteView entry) { append_leaf_hash(hasher_.leaf(entry)); }
  std::uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  Result<Hash> subtree_hash(int level, std::uint64_t index) override;

 private:
  std::vector<std::vector<Hash>> levels_;
  MerkleHasher hasher_;
};

}  // namespace cocoon::tlog
