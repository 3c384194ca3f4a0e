// The log directory: appends, tiles, dedup, reopening, and recovery from interrupted appends.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tlog/dir_fetcher.hpp"
#include "tlog/log_client.hpp"
#include "tlog/log_writer.hpp"
#include "tlog_test_util.hpp"

using namespace cocoon;
using namespace cocoon::tlog;
using namespace cocoon::tlog::testing;
namespace fs = std::filesystem;

namespace {

// Checks the log end to end against an in-memory tree of entry(0..n-1).
void check_log(const fs::path& dir, std::uint64_t n) {
  DirFetcher files(dir);
  auto key = read_log_verifier(dir);
  REQUIRE(key.ok());
  LogClient client(files, *key);
  auto cp = client.checkpoint();
  REQUIRE(cp.ok());
  REQUIRE(cp->checkpoint.size == n);
  MemoryTree tree;
  for (std::uint64_t i = 0; i < n; ++i) tree.append_entry(entry(i));
  auto root = tree_hash(tree, n);
  REQUIRE(root.ok());
  CHECK(cp->checkpoint.root == *root);
  if (n == 0) return;
  auto all = client.entries(0, n, n);
  REQUIRE(all.ok());
  for (std::uint64_t i = 0; i < n; ++i) CHECK((*all)[i] == entry(i));
  for (std::uint64_t i : {std::uint64_t{0}, n / 2, n - 1}) {
    auto p = client.inclusion_proof(i, n);
    REQUIRE(p.ok());
    CHECK(check_inclusion(*p, n, i, leaf_hash(entry(i)), *root).ok());
  }
}

std::vector<Bytes> entries(std::uint64_t from, std::uint64_t to) {
  std::vector<Bytes> out;
  for (std::uint64_t i = from; i < to; ++i) out.push_back(entry(i));
  return out;
}

}  // namespace

TEST_CASE("storage: batches across tile boundaries match the in-memory tree") {
  TempDir dir = temp_dir();
  NoteSigner key = test_signer();
  REQUIRE(LogWriter::create(dir.path(), key).ok());
  CHECK(LogWriter::create(dir.path(), key).error().code == Errc::invalid_input);
  check_log(dir.path(), 0);
  auto w = LogWriter::open(dir.path(), key);
  REQUIRE(w.ok());
  std::uint64_t n = 0;
  for (std::uint64_t batch : {1, 1, 254, 1, 300, 512, 7, 65536 - 1076, 5}) {
    auto r = w->append(entries(n, n + batch));
    REQUIRE(r.ok());
    REQUIRE(r->entries.size() == batch);
    for (std::uint64_t i = 0; i < batch; ++i) {
      CHECK(r->entries[i].index == n + i);
      CHECK_FALSE(r->entries[i].duplicate);
    }
    n += batch;
    CHECK(r->size == n);
  }
  CHECK(n == 65541);
  check_log(dir.path(), n);
  CHECK(fs::exists(dir.path() / "tile/2/000.p/1"));
  CHECK(fs::exists(dir.path() / "tile/1/000"));
  CHECK(fs::exists(dir.path() / "tile/entries/255"));
  CHECK(fs::exists(dir.path() / "tile/entries/256.p/5"));
}

TEST_CASE("storage: duplicates keep their first index, also within one batch and after reopening") {
  TempDir dir = temp_dir();
  NoteSigner key = test_signer();
  REQUIRE(LogWriter::create(dir.path(), key).ok());
  {
    auto w = LogWriter::open(dir.path(), key);
    REQUIRE(w.ok());
    auto r = w->append({entry(0), entry(1), entry(0)});
    REQUIRE(r.ok());
    CHECK(r->entries[2].index == 0);
    CHECK(r->entries[2].duplicate);
    CHECK(r->size == 2);
    // A second writer cannot open the log while the first holds it.
    CHECK(LogWriter::open(dir.path(), key).error().code == Errc::io);
  }
  auto w = LogWriter::open(dir.path(), key);
  REQUIRE(w.ok());
  auto r = w->append({entry(1), entry(2)});
  REQUIRE(r.ok());
  CHECK(r->entries[0].index == 1);
  CHECK(r->entries[0].duplicate);
  CHECK(r->entries[1].index == 2);
  auto same = w->append({entry(2)});
  REQUIRE(same.ok());
  CHECK(same->size == 3);
  CHECK(same->checkpoint == r->checkpoint);
  check_log(dir.path(), 3);
}

TEST_CASE("storage: refusals - wrong key, oversize entry, tampered tile") {
  TempDir dir = temp_dir();
  NoteSigner key = test_signer();
  REQUIRE(LogWriter::create(dir.path(), key).ok());
  CHECK(LogWriter::open(dir.path(), test_signer("example.org/test-log", 8)).error().code == Errc::crypto);
  {
    auto w = LogWriter::open(dir.path(), key);
    REQUIRE(w.ok());
    auto big = w->append({entry(0), Bytes(65536, 'x')});
    REQUIRE_FALSE(big.ok());
    CHECK(big.error().code == Errc::invalid_input);
    CHECK(w->size() == 0);
    REQUIRE(w->append(entries(0, 10)).ok());
  }
  Bytes tile = *read_file(dir.path() / "tile/0/000.p/10");
  tile[40] ^= 1;
  REQUIRE(write_file_atomic(dir.path() / "tile/0/000.p/10", tile).ok());
  CHECK(LogWriter::open(dir.path(), key).error().code == Errc::log_inconsistent);
  DirFetcher files(dir.path());
  LogClient client(files, key.verifier());
  auto got = client.entries(0, 10, 10);
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().code == Errc::hash_mismatch);
}

TEST_CASE("storage: a batch whose checkpoint was never written is forgotten, a lost index is rebuilt") {
  TempDir dir = temp_dir();
  NoteSigner key = test_signer();
  REQUIRE(LogWriter::create(dir.path(), key).ok());
  std::string cp10;
  {
    auto w = LogWriter::open(dir.path(), key);
    REQUIRE(w.ok());
    REQUIRE(w->append(entries(0, 10)).ok());
    cp10 = w->checkpoint_note();
    REQUIRE(w->append(entries(10, 300)).ok());
  }
  // Crash before the checkpoint rename: tiles and database ran ahead of the checkpoint.
  REQUIRE(write_file_atomic(dir.path() / "checkpoint", cp10).ok());
  {
    auto w = LogWriter::open(dir.path(), key);
    REQUIRE(w.ok());
    CHECK(w->size() == 10);
    // Entry 20 was never committed, so it is new again, and lands at index 10.
    auto r = w->append({entry(5), Bytes(to_bytes("other"))});
    REQUIRE(r.ok());
    CHECK(r->entries[0].index == 5);
    CHECK(r->entries[0].duplicate);
    CHECK(r->entries[1].index == 10);
  }
  // Lose the database entirely: reopening rebuilds the dedup index from the entry bundles.
  for (const char* f : {"log.db", "log.db-wal", "log.db-shm"}) fs::remove(dir.path() / f);
  auto w = LogWriter::open(dir.path(), key);
  REQUIRE(w.ok());
  auto r = w->append({entry(3), Bytes(to_bytes("other"))});
  REQUIRE(r.ok());
  CHECK(r->entries[0].index == 3);
  CHECK(r->entries[1].index == 10);
  CHECK(r->entries[1].duplicate);
}

TEST_CASE("storage: partial tiles of a full tile are removed, and older checkpoints still prove") {
  TempDir dir = temp_dir();
  NoteSigner key = test_signer();
  REQUIRE(LogWriter::create(dir.path(), key).ok());
  auto w = LogWriter::open(dir.path(), key);
  REQUIRE(w.ok());
  std::uint64_t n = 0;
  std::vector<std::uint64_t> sizes;
  for (int i = 0; i < 40; ++i) {  // 40 batches of 7: tile 0 fills, tile 1 is partial
    REQUIRE(w->append(entries(n, n + 7)).ok());
    n += 7;
    sizes.push_back(n);
  }
  CHECK(fs::exists(dir.path() / "tile/0/000"));
  CHECK(fs::exists(dir.path() / "tile/entries/000"));
  CHECK_FALSE(fs::exists(dir.path() / "tile/0/000.p"));
  CHECK_FALSE(fs::exists(dir.path() / "tile/entries/000.p"));
  CHECK(fs::exists(dir.path() / "tile/0/001.p/24"));
  check_log(dir.path(), n);
  // A reader holding the size-14 checkpoint asks for tile/0/000.p/14: gone, the full tile answers.
  DirFetcher files(dir.path());
  LogClient client(files, key.verifier());
  MemoryTree tree;
  for (std::uint64_t i = 0; i < n; ++i) tree.append_entry(entry(i));
  for (std::uint64_t old : {sizes[1], sizes[20]}) {
    auto proof = client.consistency_proof(old, n);
    REQUIRE(proof.ok());
    CHECK(check_consistency(*proof, old, n, *tree_hash(tree, old), *tree_hash(tree, n)).ok());
    auto incl = client.inclusion_proof(old - 1, old);
    REQUIRE(incl.ok());
    CHECK(check_inclusion(*incl, old, old - 1, leaf_hash(entry(old - 1)), *tree_hash(tree, old)).ok());
    auto old_entries = client.entries(0, old, old);
    REQUIRE(old_entries.ok());
    CHECK(old_entries->size() == old);
  }
}
