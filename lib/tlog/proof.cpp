#include "tlog/proof.hpp"

#include <bit>
#include <string>

namespace cocoon::tlog {
namespace {

// Largest power of two strictly smaller than n (n >= 2): the RFC 6962 split point.
std::uint64_t split_point(std::uint64_t n) {
  return std::bit_floor(n - 1);
}

// Hash of leaves [lo, hi). Callers only pass ranges that occur in the RFC 6962 recursion, where lo is
// a multiple of the largest power of two not above hi - lo, so the range splits into complete
// subtrees of decreasing size; they are folded from the right.
Result<Hash> range_hash(HashReader& reader, MerkleHasher& hasher, std::uint64_t lo, std::uint64_t hi) {
  std::vector<Hash> parts;
  while (lo < hi) {
    std::uint64_t width = std::bit_floor(hi - lo);
    int level = std::countr_zero(width);
    COCOON_ASSIGN(Hash h, reader.subtree_hash(level, lo >> level));
    parts.push_back(h);
    lo += width;
  }
  Hash acc = parts.back();
  for (size_t i = parts.size() - 1; i-- > 0;) acc = hasher.node(parts[i], acc);
  return acc;
}

Status inclusion_path(HashReader& reader, MerkleHasher& hasher, std::uint64_t index, std::uint64_t lo,
                      std::uint64_t hi, Proof& out) {
  if (hi - lo == 1) return Ok{};
  std::uint64_t k = split_point(hi - lo);
  if (index < lo + k) {
    COCOON_TRY(inclusion_path(reader, hasher, index, lo, lo + k, out));
    COCOON_ASSIGN(Hash h, range_hash(reader, hasher, lo + k, hi));
    out.push_back(h);
  } else {
    COCOON_TRY(inclusion_path(reader, hasher, index, lo + k, hi, out));
    COCOON_ASSIGN(Hash h, range_hash(reader, hasher, lo, lo + k));
    out.push_back(h);
  }
  return Ok{};
}

// SUBPROOF(m, D[lo:hi], b) of RFC 6962 §2.1.2 with m counted from lo.
Status consistency_path(HashReader& reader, MerkleHasher& hasher, std::uint64_t m, std::uint64_t lo,
                        std::uint64_t hi, bool whole, Proof& out) {
  if (m == hi - lo) {
    if (whole) return Ok{};
    COCOON_ASSIGN(Hash h, range_hash(reader, hasher, lo, hi));
    out.push_back(h);
    return Ok{};
  }
  std::uint64_t k = split_point(hi - lo);
  if (m <= k) {
    COCOON_TRY(consistency_path(reader, hasher, m, lo, lo + k, whole, out));
    COCOON_ASSIGN(Hash h, range_hash(reader, hasher, lo + k, hi));
    out.push_back(h);
  } else {
    COCOON_TRY(consistency_path(reader, hasher, m - k, lo + k, hi, false, out));
    COCOON_ASSIGN(Hash h, range_hash(reader, hasher, lo, lo + k));
    out.push_back(h);
  }
  return Ok{};
}

std::string sizes(std::uint64_t a, std::uint64_t b) {
  return std::to_string(a) + " -> " + std::to_string(b);
}

}  // namespace

Result<Hash> tree_hash(HashReader& reader, std::uint64_t size) {
  if (size == 0) return empty_tree_hash();
  MerkleHasher hasher;
  return range_hash(reader, hasher, 0, size);
}

Result<Proof> prove_inclusion(HashReader& reader, std::uint64_t size, std::uint64_t index) {
  if (index >= size)
    return make_error(Errc::invalid_input, "leaf index " + std::to_string(index) +
                                               " is outside a tree of size " + std::to_string(size));
  MerkleHasher hasher;
  Proof out;
  COCOON_TRY(inclusion_path(reader, hasher, index, 0, size, out));
  return out;
}

Result<Proof> prove_consistency(HashReader& reader, std::uint64_t old_size, std::uint64_t new_size) {
  if (old_size > new_size)
    return make_error(Errc::invalid_input, "consistency proof asked from a larger to a smaller tree: " +
                                               sizes(old_size, new_size));
  Proof out;
  if (old_size == 0 || old_size == new_size) return out;
  MerkleHasher hasher;
  COCOON_TRY(consistency_path(reader, hasher, old_size, 0, new_size, true, out));
  return out;
}

std::size_t inclusion_proof_length(std::uint64_t size, std::uint64_t index) {
  // Levels where the paths of `index` and of the last leaf diverge, plus the right-edge steps
  // that the last leaf's path still needs (RFC 9162 §2.1.3.2 counts the same thing by shifting).
  if (index >= size) return 0;
  std::uint64_t last = size - 1;
  std::size_t inner = static_cast<std::size_t>(std::bit_width(index ^ last));
  std::size_t border = static_cast<std::size_t>(std::popcount(index >> inner));
  return inner + border;
}

std::size_t consistency_proof_length(std::uint64_t old_size, std::uint64_t new_size) {
  if (old_size == 0 || old_size >= new_size) return 0;
  int common = std::countr_zero(old_size);
  std::uint64_t idx = (old_size - 1) >> common;
  std::uint64_t last = (new_size - 1) >> common;
  std::size_t inner = static_cast<std::size_t>(std::bit_width(idx ^ last));
  std::size_t border = static_cast<std::size_t>(std::popcount(idx >> inner));
  // When old_size is a power of two its root is itself a node on the path, not sent in the proof.
  std::size_t seed = (idx == 0) ? 0 : 1;
  return inner + border + seed;
}

Status check_inclusion(const Proof& proof, std::uint64_t size, std::uint64_t index, const Hash& leaf,
                       const Hash& root) {
  if (index >= size)
    return make_error(Errc::invalid_input, "inclusion proof for index " + std::to_string(index) +
                                               " in a tree of size " + std::to_string(size));
  std::size_t want = inclusion_proof_length(size, index);
  if (proof.size() != want)
    return make_error(Errc::invalid_input, "inclusion proof has " + std::to_string(proof.size()) +
                                               " hashes, a tree of size " + std::to_string(size) + " needs " +
                                               std::to_string(want));
  MerkleHasher hasher;
  std::uint64_t fn = index, sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return make_error(Errc::invalid_input, "inclusion proof too long");
    if ((fn & 1) || fn == sn) {
      r = hasher.node(p, r);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = hasher.node(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return make_error(Errc::invalid_input, "inclusion proof too short");
  if (!equal_ct(ByteView(r.data(), 32), ByteView(root.data(), 32)))
    return make_error(Errc::log_inconsistent, "inclusion proof for index " + std::to_string(index) +
                                                  " does not lead to the root of tree size " +
                                                  std::to_string(size));
  return Ok{};
}

Status check_consistency(const Proof& proof, std::uint64_t old_size, std::uint64_t new_size,
                         const Hash& old_root, const Hash& new_root) {
  if (old_size > new_size)
    return make_error(Errc::rollback, "tree size went backwards: " + sizes(old_size, new_size));
  std::size_t want = consistency_proof_length(old_size, new_size);
  if (proof.size() != want)
    return make_error(Errc::invalid_input, "consistency proof " + sizes(old_size, new_size) + " has " +
                                               std::to_string(proof.size()) + " hashes, needs " +
                                               std::to_string(want));
  if (old_size == new_size) {
    if (old_root != new_root)
      return make_error(Errc::log_inconsistent,
                        "two different root hashes for tree size " + std::to_string(old_size));
    return Ok{};
  }
  if (old_size == 0) return Ok{};  // the empty tree is a prefix of every tree

  MerkleHasher hasher;
  Proof path = proof;
  if (std::has_single_bit(old_size)) path.insert(path.begin(), old_root);
  std::uint64_t fn = old_size - 1, sn = new_size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return make_error(Errc::invalid_input, "consistency proof too long");
    if ((fn & 1) || fn == sn) {
      fr = hasher.node(c, fr);
      sr = hasher.node(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = hasher.node(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return make_error(Errc::invalid_input, "consistency proof too short");
  if (fr != old_root)
    return make_error(Errc::log_inconsistent,
                      "consistency proof " + sizes(old_size, new_size) + " does not lead to the old root");
  if (sr != new_root)
    return make_error(Errc::log_inconsistent,
                      "consistency proof " + sizes(old_size, new_size) + " does not lead to the new root");
  return Ok{};
}

void MemoryTree::append_leaf_hash(const Hash& leaf) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf);
  // Every time a level gains an even count, a parent subtree is complete.
  for (size_t j = 0; levels_[j].size() % 2 == 0; ++j) {
    if (levels_.size() == j + 1) levels_.emplace_back();
    auto& lv = levels_[j];
    levels_[j + 1].push_back(hasher_.node(lv[lv.size() - 2], lv[lv.size() - 1]));
  }
}

Result<Hash> MemoryTree::subtree_hash(int level, std::uint64_t index) {
  if (level < 0 || static_cast<size_t>(level) >= levels_.size() || index >= levels_[level].size())
    return make_error(Errc::not_found, "no complete subtree at level " + std::to_string(level) + " index " +
                                           std::to_string(index));
  return levels_[level][index];
}

}  // namespace cocoon::tlog
