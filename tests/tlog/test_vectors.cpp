// The shared C2SP/RFC 6962 vectors (produced by Go's sumdb/tlog and sumdb/note), byte for byte.
#include <catch2/catch.hpp>

#include "core/file_io.hpp"
#include "core/json.hpp"
#include "crypto/hash.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/proof.hpp"
#include "tlog/tile.hpp"

using namespace cocoon;
using namespace cocoon::tlog;

namespace {

const Json& vectors() {
  static const Json v = [] {
    auto text = read_text_file(COCOON_SHARED_DIR "/vectors/tlog-c2sp.json");
    REQUIRE(text.ok());
    auto j = parse_json(*text);
    REQUIRE(j.ok());
    return *j;
  }();
  return v;
}

MemoryTree vector_tree(std::uint64_t n) {
  MemoryTree t;
  for (std::uint64_t i = 0; i < n; ++i) t.append_entry(as_bytes("entry-" + std::to_string(i)));
  return t;
}

Proof proof_from(const Json& arr) {
  Proof p;
  for (const auto& h : arr) {
    auto v = hash_from_base64(h.get<std::string>());
    REQUIRE(v.ok());
    p.push_back(*v);
  }
  return p;
}

Bytes tile_bytes(MemoryTree& tree, const TileId& id) {
  Bytes out;
  for (int i = 0; i < id.width; ++i) {
    auto h = tree.subtree_hash(id.level * kTileHeight, id.index * kTileWidth + static_cast<std::uint64_t>(i));
    REQUIRE(h.ok());
    out.insert(out.end(), h->begin(), h->end());
  }
  return out;
}

}  // namespace

TEST_CASE("vector: leaf hash and empty tree") {
  CHECK(hash_base64(leaf_hash(as_bytes("entry-0"))) == vectors()["leaf_hash_entry_0"].get<std::string>());
  CHECK(hash_base64(empty_tree_hash()) == vectors()["empty_tree_hash"]["hash"].get<std::string>());
  MemoryTree empty;
  auto h = tree_hash(empty, 0);
  REQUIRE(h.ok());
  CHECK(*h == empty_tree_hash());
}

TEST_CASE("vector: tree hashes of every listed size") {
  MemoryTree tree = vector_tree(300);
  for (const auto& th : vectors()["tree_hashes"]) {
    auto size = th["size"].get<std::uint64_t>();
    auto h = tree_hash(tree, size);
    REQUIRE(h.ok());
    INFO("size " << size);
    CHECK(hash_base64(*h) == th["hash"].get<std::string>());
  }
}

TEST_CASE("vector: inclusion proofs produced and checked") {
  MemoryTree tree = vector_tree(300);
  for (const auto& v : vectors()["inclusion_proofs"]) {
    auto size = v["size"].get<std::uint64_t>();
    auto index = v["index"].get<std::uint64_t>();
    INFO("index " << index << " size " << size);
    Proof want = proof_from(v["proof"]);
    auto got = prove_inclusion(tree, size, index);
    REQUIRE(got.ok());
    CHECK(*got == want);
    CHECK(inclusion_proof_length(size, index) == want.size());
    auto root = tree_hash(tree, size);
    REQUIRE(root.ok());
    CHECK(check_inclusion(want, size, index, leaf_hash(as_bytes("entry-" + std::to_string(index))), *root)
              .ok());
  }
}

TEST_CASE("vector: consistency proofs produced and checked") {
  MemoryTree tree = vector_tree(300);
  for (const auto& v : vectors()["consistency_proofs"]) {
    auto old_size = v["old_size"].get<std::uint64_t>();
    auto new_size = v["new_size"].get<std::uint64_t>();
    INFO(old_size << " -> " << new_size);
    Proof want = proof_from(v["proof"]);
    auto got = prove_consistency(tree, old_size, new_size);
    REQUIRE(got.ok());
    CHECK(*got == want);
    CHECK(consistency_proof_length(old_size, new_size) == want.size());
    auto r1 = tree_hash(tree, old_size);
    auto r2 = tree_hash(tree, new_size);
    REQUIRE((r1.ok() && r2.ok()));
    CHECK(check_consistency(want, old_size, new_size, *r1, *r2).ok());
  }
}

TEST_CASE("vector: tile path encodings") {
  for (const auto& v : vectors()["tile_paths"]) {
    TileId id{v["level"].get<int>(), v["index"].get<std::uint64_t>(), v["width"].get<int>()};
    std::string path = v["path"].get<std::string>();
    CHECK(tile_path(id) == path);
    auto parsed = parse_tile_path(path);
    REQUIRE(parsed.ok());
    CHECK(parsed->tile == id);
    CHECK_FALSE(parsed->is_entries);
  }
}

TEST_CASE("vector: tiles of the 300-entry log") {
  MemoryTree tree = vector_tree(300);
  std::vector<TileId> want;
  for (const auto& v : vectors()["tiles_for_size_300"]) {
    TileId id{v["level"].get<int>(), v["index"].get<std::uint64_t>(), v["width"].get<int>()};
    want.push_back(id);
    CHECK(tile_path(id) == v["path"].get<std::string>());
    Bytes data = tile_bytes(tree, id);
    CHECK(data.size() == v["bytes"].get<std::size_t>());
    CHECK(crypto::sha256_hex(data) == v["sha256_of_tile"].get<std::string>());
    if (v.contains("data")) CHECK(base64_encode(data) == v["data"].get<std::string>());
  }
  CHECK(tiles_for_size(300) == want);
}

TEST_CASE("vector: partial entry bundle") {
  const Json& v = vectors()["entry_bundle_partial"];
  std::vector<Bytes> entries;
  auto first = v["first_entry"].get<std::uint64_t>();
  auto count = v["count"].get<std::size_t>();
  for (std::uint64_t i = first; i < first + count; ++i)
    entries.push_back(to_bytes("entry-" + std::to_string(i)));
  auto bundle = encode_entry_bundle(entries);
  REQUIRE(bundle.ok());
  CHECK(bundle->size() == v["bytes"].get<std::size_t>());
  CHECK(crypto::sha256_hex(*bundle) == v["sha256"].get<std::string>());
  CHECK(base64_encode(ByteView(*bundle).first(16)) == v["first_16_bytes_b64"].get<std::string>());
  CHECK(entry_bundle_path(first / 256, static_cast<int>(count)) == v["path"].get<std::string>());
  auto decoded = decode_entry_bundle(*bundle, count);
  REQUIRE(decoded.ok());
  CHECK(*decoded == entries);
  auto parsed = parse_tile_path(v["path"].get<std::string>());
  REQUIRE(parsed.ok());
  CHECK(parsed->is_entries);
  CHECK(parsed->tile.index == 1);
  CHECK(parsed->tile.width == 44);
}

TEST_CASE("vector: signed checkpoint and key strings") {
  const Json& v = vectors()["checkpoint"];
  auto seed = hex_decode(v["log_seed_hex"].get<std::string>());
  REQUIRE(seed.ok());
  auto pair = crypto::ed25519_from_seed(*seed);
  REQUIRE(pair.ok());
  auto signer = make_signer("example.org/cocoon-test-log", *pair);
  REQUIRE(signer.ok());
  CHECK(format_signer_key(*signer) == v["signer_key"].get<std::string>());
  CHECK(format_verifier_key(signer->verifier()) == v["verifier_key"].get<std::string>());
  auto parsed_signer = parse_signer_key(v["signer_key"].get<std::string>());
  REQUIRE(parsed_signer.ok());
  CHECK(parsed_signer->pair.public_key == pair->public_key);

  MemoryTree tree = vector_tree(300);
  auto root = tree_hash(tree, 300);
  REQUIRE(root.ok());
  Checkpoint c{"example.org/cocoon-test-log", 300, *root, {}};
  CHECK(format_checkpoint_body(c) == v["body"].get<std::string>());
  // Ed25519 is deterministic, so our signed note must equal Go's byte for byte.
  CHECK(sign_checkpoint(c, *signer) == v["signed_note"].get<std::string>());

  auto verifier = parse_verifier_key(v["verifier_key"].get<std::string>());
  REQUIRE(verifier.ok());
  auto opened = open_checkpoint(v["signed_note"].get<std::string>(), *verifier);
  REQUIRE(opened.ok());
  CHECK(opened->checkpoint.size == 300);
  CHECK(opened->checkpoint.root == *root);
}

TEST_CASE("vector: cosignature/v1") {
  const Json& v = vectors()["cosignature"];
  auto seed = hex_decode(v["witness_seed_hex"].get<std::string>());
  REQUIRE(seed.ok());
  auto pair = crypto::ed25519_from_seed(*seed);
  REQUIRE(pair.ok());
  auto witness = make_signer(v["witness_name"].get<std::string>(), *pair);
  REQUIRE(witness.ok());
  auto ts = v["timestamp"].get<std::uint64_t>();
  std::string body = vectors()["checkpoint"]["body"].get<std::string>();
  CHECK(cosignature_message(body, ts) == v["signed_message"].get<std::string>());
  NoteSignature sig = cosign_checkpoint(body, ts, *witness);
  CHECK(format_signature_line(sig) == v["signature_line"].get<std::string>());
  NoteVerifier wv = make_verifier(witness->name, kAlgCosignatureV1, pair->public_key);
  CHECK(format_verifier_key(wv) == v["witness_vkey"].get<std::string>());

  auto note = parse_note(v["cosigned_checkpoint"].get<std::string>());
  REQUIRE(note.ok());
  auto parsed_wv = parse_verifier_key(v["witness_vkey"].get<std::string>());
  REQUIRE(parsed_wv.ok());
  auto t = verify_cosignature(*note, *parsed_wv);
  REQUIRE(t.ok());
  CHECK(*t == ts);
  // The log's own signature still opens the cosigned checkpoint; the 0x04 line is ignored by it.
  auto log_key = parse_verifier_key(vectors()["checkpoint"]["verifier_key"].get<std::string>());
  REQUIRE(log_key.ok());
  CHECK(open_checkpoint(v["cosigned_checkpoint"].get<std::string>(), *log_key).ok());
}
