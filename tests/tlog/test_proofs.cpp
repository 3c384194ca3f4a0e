// Proof generation and checking beyond the vectors: every size pair of small trees, tile-backed
// readers, and the refusals an attacker would try.
#include <catch2/catch.hpp>

#include <map>

#include "tlog/proof.hpp"
#include "tlog/tile.hpp"

using namespace cocoon;
using namespace cocoon::tlog;

namespace {

MemoryTree make_tree(std::uint64_t n) {
  MemoryTree t;
  for (std::uint64_t i = 0; i < n; ++i) t.append_entry(as_bytes("e" + std::to_string(i)));
  return t;
}

// Serves the tiles of a MemoryTree from a map, counting fetches.
class MapFetcher : public TileFetcher {
 public:
  std::map<std::string, Bytes> files;
  std::size_t fetches = 0;
  Result<Bytes> fetch(const std::string& path) override {
    ++fetches;
    auto it = files.find(path);
    if (it == files.end()) return make_error(Errc::not_found, "no " + path);
    return it->second;
  }
};

void add_tiles(MapFetcher& f, MemoryTree& tree, std::uint64_t size) {
  for (const TileId& id : tiles_for_size(size)) {
    Bytes data;
    for (int i = 0; i < id.width; ++i) {
      auto h =
          tree.subtree_hash(id.level * kTileHeight, id.index * kTileWidth + static_cast<std::uint64_t>(i));
      REQUIRE(h.ok());
      data.insert(data.end(), h->begin(), h->end());
    }
    f.files[tile_path(id)] = data;
  }
}

}  // namespace

TEST_CASE("proofs: every index and size pair up to 40 leaves round-trips") {
  MemoryTree tree = make_tree(40);
  for (std::uint64_t n = 1; n <= 40; ++n) {
    auto root = tree_hash(tree, n);
    REQUIRE(root.ok());
    for (std::uint64_t i = 0; i < n; ++i) {
      auto p = prove_inclusion(tree, n, i);
      REQUIRE(p.ok());
      CHECK(p->size() == inclusion_proof_length(n, i));
      CHECK(check_inclusion(*p, n, i, leaf_hash(as_bytes("e" + std::to_string(i))), *root).ok());
    }
    for (std::uint64_t m = 0; m <= n; ++m) {
      auto old_root = tree_hash(tree, m);
      auto p = prove_consistency(tree, m, n);
      REQUIRE((p.ok() && old_root.ok()));
      CHECK(p->size() == consistency_proof_length(m, n));
      CHECK(check_consistency(*p, m, n, *old_root, *root).ok());
    }
  }
}

TEST_CASE("proofs: wrong length, wrong size, wrong leaf and tampered hashes are refused") {
  MemoryTree tree = make_tree(21);
  auto root = tree_hash(tree, 21);
  auto p = prove_inclusion(tree, 21, 7);
  REQUIRE((root.ok() && p.ok()));
  Hash leaf = leaf_hash(as_bytes("e7"));
  REQUIRE(check_inclusion(*p, 21, 7, leaf, *root).ok());

  Proof longer = *p;
  longer.push_back(*root);
  CHECK(check_inclusion(longer, 21, 7, leaf, *root).error().code == Errc::invalid_input);
  Proof shorter(p->begin(), p->end() - 1);
  CHECK(check_inclusion(shorter, 21, 7, leaf, *root).error().code == Errc::invalid_input);
  CHECK(check_inclusion(*p, 21, 8, leaf, *root).error().code == Errc::log_inconsistent);
  CHECK(check_inclusion(*p, 21, 21, leaf, *root).error().code == Errc::invalid_input);
  CHECK(check_inclusion(*p, 21, 7, leaf_hash(as_bytes("e8")), *root).error().code == Errc::log_inconsistent);
  Proof tampered = *p;
  tampered[1][0] ^= 1;
  CHECK(check_inclusion(tampered, 21, 7, leaf, *root).error().code == Errc::log_inconsistent);
  // A proof for a different tree size has a different shape or leads elsewhere.
  auto p20 = prove_inclusion(tree, 20, 7);
  REQUIRE(p20.ok());
  CHECK_FALSE(check_inclusion(*p20, 21, 7, leaf, *root).ok());

  auto old_root = tree_hash(tree, 13);
  auto c = prove_consistency(tree, 13, 21);
  REQUIRE((old_root.ok() && c.ok()));
  REQUIRE(check_consistency(*c, 13, 21, *old_root, *root).ok());
  Proof c_short(c->begin(), c->end() - 1);
  CHECK(check_consistency(c_short, 13, 21, *old_root, *root).error().code == Errc::invalid_input);
  CHECK_FALSE(check_consistency(*c, 12, 21, *old_root, *root).ok());
  Proof c_bad = *c;
  c_bad.back()[5] ^= 0x40;
  CHECK(check_consistency(c_bad, 13, 21, *old_root, *root).error().code == Errc::log_inconsistent);
  auto other_root = tree_hash(tree, 20);
  REQUIRE(other_root.ok());
  CHECK(check_consistency(*c, 13, 21, *old_root, *other_root).error().code == Errc::log_inconsistent);
  CHECK(check_consistency({}, 21, 13, *root, *old_root).error().code == Errc::rollback);
  CHECK(check_consistency({}, 21, 21, *root, *old_root).error().code == Errc::log_inconsistent);
}

TEST_CASE("proofs: tile-backed reader matches memory with O(log n) tile reads") {
  const std::uint64_t n = 70000;  // three levels of tiles, partial on each
  MemoryTree tree = make_tree(n);
  MapFetcher fetcher;
  add_tiles(fetcher, tree, n);
  auto want_root = tree_hash(tree, n);
  REQUIRE(want_root.ok());
  {
    TileHashReader reader(fetcher, n);
    auto root = tree_hash(reader, n);
    REQUIRE(root.ok());
    CHECK(*root == *want_root);
    CHECK(reader.tiles_read() <= 3);
  }
  for (std::uint64_t index : {0ull, 255ull, 256ull, 65535ull, 65536ull, 69999ull}) {
    TileHashReader reader(fetcher, n);
    auto p = prove_inclusion(reader, n, index);
    REQUIRE(p.ok());
    auto want = prove_inclusion(tree, n, index);
    REQUIRE(want.ok());
    CHECK(*p == *want);
    CHECK(reader.tiles_read() <= 6);
  }
  for (std::uint64_t old_size : {1ull, 256ull, 300ull, 65536ull, 69000ull}) {
    TileHashReader reader(fetcher, n);
    auto p = prove_consistency(reader, old_size, n);
    auto want = prove_consistency(tree, old_size, n);
    REQUIRE((p.ok() && want.ok()));
    CHECK(*p == *want);
    CHECK(reader.tiles_read() <= 8);
  }
  // A smaller tree reads its own (narrower) partial tiles, served here only as full tiles.
  TileHashReader older(fetcher, 1000);
  auto r1000 = tree_hash(older, 1000);
  auto want1000 = tree_hash(tree, 1000);
  REQUIRE((r1000.ok() && want1000.ok()));
  CHECK(*r1000 == *want1000);
}

TEST_CASE("proofs: a tile of the wrong length is refused") {
  MemoryTree tree = make_tree(300);
  MapFetcher fetcher;
  add_tiles(fetcher, tree, 300);
  fetcher.files["tile/0/001.p/44"].resize(43 * 32);
  TileHashReader reader(fetcher, 300);
  auto root = tree_hash(reader, 300);
  REQUIRE_FALSE(root.ok());
  CHECK(root.error().code == Errc::hash_mismatch);
}

TEST_CASE("tiles: non-canonical paths are refused") {
  for (const char* bad : {"tile/0/5", "tile/0/0005", "tile/0/x000/005", "tile/0/001/234", "tile/0/005.p/0",
                          "tile/0/005.p/256", "tile/0/005.p/01", "tile/64/000", "tile/00/000", "tiles/0/000",
                          "tile/0/x1234/567", "tile/entries/x001", "tile/0/", "tile/0/005.p"}) {
    INFO(bad);
    CHECK(parse_tile_path(bad).error().code == Errc::invalid_input);
  }
  auto big = parse_tile_path("tile/entries/x001/x234/067.p/255");
  REQUIRE(big.ok());
  CHECK(big->is_entries);
  CHECK(big->tile.index == 1234067);
  CHECK(big->tile.width == 255);
}

TEST_CASE("tiles: entry bundles refuse truncation, trailing bytes and oversize entries") {
  auto b = encode_entry_bundle({to_bytes("ab"), to_bytes("")});
  REQUIRE(b.ok());
  CHECK(*b == Bytes{0, 2, 'a', 'b', 0, 0});
  CHECK(decode_entry_bundle(*b, 2).ok());
  CHECK(decode_entry_bundle(*b, 3).error().code == Errc::invalid_input);
  Bytes cut(b->begin(), b->end() - 1);
  CHECK(decode_entry_bundle(cut, 2).error().code == Errc::invalid_input);
  Bytes cut2(b->begin(), b->begin() + 3);
  CHECK(decode_entry_bundle(cut2, 1).error().code == Errc::invalid_input);
  CHECK(encode_entry_bundle({Bytes(kMaxEntrySize + 1, 'x')}).error().code == Errc::invalid_input);
}
