// Merkle inclusion and consistency proofs. Two parts:
// 1. The bytes as a JSON "consistency" member (as in bundles and log proofs): what parses serialises to
//    JSON that parses to the same proofs; checking those proofs against arbitrary roots never crashes.
// 2. The bytes as tree parameters: proofs generated from a memory tree verify, still verify after a
//    round trip through their JSON form, and stop verifying when one bit of the proof flips.
#include <vector>

#include "core/json.hpp"
#include "fuzz_common.hpp"
#include "tlog/hash.hpp"
#include "tlog/log_bundle.hpp"
#include "tlog/proof.hpp"

namespace {

using cocoon::tlog::Proof;

Proof round_trip(std::uint64_t old_size, const Proof& proof) {
  auto parsed = cocoon::tlog::parse_consistency_proofs(
      cocoon::Json{{"consistency", cocoon::tlog::consistency_proofs_json({{old_size, proof}})}}, "fuzz");
  FUZZ_CHECK(parsed);
  FUZZ_CHECK(parsed->size() == 1 && parsed->count(old_size) == 1);
  return parsed->at(old_size);
}

void tree_properties(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return;
  std::uint64_t new_size = 1 + (data[0] | (data[1] << 8)) % 600;
  std::uint64_t old_size = 1 + (data[2] | (data[3] << 8)) % new_size;
  std::uint64_t index = (data[4] | (data[5] << 8)) % new_size;
  std::size_t flip = data[6] | (data[7] << 8);
  cocoon::tlog::MemoryTree tree;
  for (std::uint64_t i = 0; i < new_size; ++i) {
    std::uint8_t entry[9] = {static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8), data[0],
                             data[1]};
    tree.append_entry(cocoon::ByteView(entry, sizeof entry));
  }
  auto root = cocoon::tlog::tree_hash(tree, new_size);
  auto old_root = cocoon::tlog::tree_hash(tree, old_size);
  FUZZ_CHECK(root && old_root);

  auto leaf = tree.subtree_hash(0, index);
  auto inclusion = cocoon::tlog::prove_inclusion(tree, new_size, index);
  FUZZ_CHECK(leaf && inclusion);
  FUZZ_CHECK(inclusion->size() == cocoon::tlog::inclusion_proof_length(new_size, index));
  FUZZ_CHECK(cocoon::tlog::check_inclusion(*inclusion, new_size, index, *leaf, *root));
  Proof inclusion2 = round_trip(index + 1, *inclusion);
  FUZZ_CHECK(inclusion2 == *inclusion);
  FUZZ_CHECK(cocoon::tlog::check_inclusion(inclusion2, new_size, index, *leaf, *root));

  auto consistency = cocoon::tlog::prove_consistency(tree, old_size, new_size);
  FUZZ_CHECK(consistency);
  FUZZ_CHECK(cocoon::tlog::check_consistency(*consistency, old_size, new_size, *old_root, *root));
  Proof consistency2 = round_trip(old_size, *consistency);
  FUZZ_CHECK(cocoon::tlog::check_consistency(consistency2, old_size, new_size, *old_root, *root));

  std::size_t inclusion_bits = inclusion->size() * 256, consistency_bits = consistency->size() * 256;
  if (inclusion_bits) {
    Proof bad = *inclusion;
    std::size_t bit = flip % inclusion_bits;
    bad[bit / 256][(bit % 256) / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    FUZZ_CHECK(!cocoon::tlog::check_inclusion(bad, new_size, index, *leaf, *root));
  }
  if (consistency_bits) {
    Proof bad = *consistency;
    std::size_t bit = flip % consistency_bits;
    bad[bit / 256][(bit % 256) / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    FUZZ_CHECK(!cocoon::tlog::check_consistency(bad, old_size, new_size, *old_root, *root));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace r = cocoon::tlog;
  tree_properties(data, size);
  auto doc = cocoon::parse_json(cocoon::fuzz::text(data, size));
  if (!doc) return 0;
  auto proofs = r::parse_consistency_proofs(*doc, "fuzz");
  if (!proofs) return 0;
  cocoon::Json written{{"consistency", r::consistency_proofs_json(*proofs)}};
  auto again = r::parse_consistency_proofs(written, "fuzz");
  FUZZ_CHECK(again && *again == *proofs);
  cocoon::tlog::Hash zero{}, ones{};
  ones.fill(0xff);
  for (const auto& [old_size, proof] : *proofs) {
    for (std::uint64_t new_size : {old_size, old_size + 1, old_size * 2 + 3}) {
      (void)cocoon::tlog::check_consistency(proof, old_size, new_size, zero, ones);
      (void)cocoon::tlog::check_inclusion(proof, new_size, old_size, zero, ones);
    }
  }
  return 0;
}
