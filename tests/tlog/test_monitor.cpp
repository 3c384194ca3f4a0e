// The monitor: incremental runs, a rewritten history, a rollback, entry descriptions.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tlog/dir_fetcher.hpp"
#include "tlog/log_writer.hpp"
#include "tlog/monitor.hpp"
#include "tlog_test_util.hpp"

using namespace cocoon;
using namespace cocoon::tlog;
using namespace cocoon::tlog::testing;
namespace fs = std::filesystem;

namespace {

void fill(const fs::path& dir, const NoteSigner& key, std::uint64_t from, std::uint64_t to,
          const std::string& prefix) {
  auto w = LogWriter::open(dir, key);
  REQUIRE(w.ok());
  std::vector<Bytes> es;
  for (std::uint64_t i = from; i < to; ++i) es.push_back(to_bytes(prefix + std::to_string(i)));
  REQUIRE(w->append(es).ok());
}

}  // namespace

TEST_CASE("monitor: compact range equals the tree hash for every size") {
  MemoryTree tree;
  CompactRange range;
  MerkleHasher hasher;
  for (std::uint64_t n = 0; n <= 600; ++n) {
    auto want = tree_hash(tree, n);
    REQUIRE(want.ok());
    REQUIRE(range.root(hasher) == *want);
    tree.append_entry(entry(n));
    range.append(leaf_hash(entry(n)), hasher);
  }
}

TEST_CASE("monitor: reads only new entries, detects a rewritten history and a rollback") {
  TempDir tmp = temp_dir();
  NoteSigner key = test_signer();
  auto dir = tmp.path() / "log";
  REQUIRE(LogWriter::create(dir, key).ok());
  fill(dir, key, 0, 300, "e");
  DirFetcher files(dir);
  LogClient client(files, key.verifier());
  auto first = monitor_step(client, nullptr);
  REQUIRE(first.ok());
  CHECK(first->entries.size() == 300);
  auto state_path = tmp.path() / "state.json";
  REQUIRE(save_monitor_state(state_path, first->next).ok());
  auto state = load_monitor_state(state_path);
  REQUIRE(state.ok());
  std::string cp300 = first->checkpoint;

  fill(dir, key, 300, 310, "e");
  auto second = monitor_step(client, &*state);
  REQUIRE(second.ok());
  CHECK(second->old_size == 300);
  CHECK(second->first_index == 300);
  CHECK(second->entries.size() == 10);
  CHECK(second->entries.front() == to_bytes("e300"));

  // Rollback: the log serves its older checkpoint again.
  auto later = second->next;
  REQUIRE(write_file_atomic(dir / "checkpoint", cp300).ok());
  CHECK(monitor_step(client, &later).error().code == Errc::rollback);

  // Rewritten history: a log with the same key and the same size 310 but other entries.
  auto forked = tmp.path() / "fork";
  REQUIRE(LogWriter::create(forked, key).ok());
  fill(forked, key, 0, 320, "x");
  DirFetcher fork_files(forked);
  LogClient fork_client(fork_files, key.verifier());
  auto r = monitor_step(fork_client, &later);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::log_inconsistent);

  // A tampered state file is refused rather than trusted.
  auto text = *read_text_file(state_path);
  text[text.find("\"root\": \"") + 10] ^= 1;
  REQUIRE(write_file_atomic(state_path, text).ok());
  CHECK(load_monitor_state(state_path).error().code == Errc::invalid_input);
}

TEST_CASE("monitor: entry descriptions") {
  CHECK(describe_entry(as_bytes(R"({"signed":{"_type":"targets","version":3},"signatures":[]})")) ==
        "tuf targets version 3");
  std::string st =
      R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"cocoon-1.2.tar.zst"}],"predicateType":"https://slsa.dev/provenance/v1"})";
  CHECK(describe_entry(as_bytes(st)) == "attestation cocoon-1.2.tar.zst https://slsa.dev/provenance/v1");
  std::string dsse = R"({"payloadType":"application/vnd.in-toto+json","payload":")" +
                     base64_encode(as_bytes(st)) + R"(","signatures":[]})";
  CHECK(describe_entry(as_bytes(dsse)) == "attestation cocoon-1.2.tar.zst https://slsa.dev/provenance/v1");
  CHECK(describe_entry(as_bytes("abc")).starts_with("entry 3 bytes sha256:ba7816bf8f01cfea"));
}

TEST_CASE("monitor: a describer from above tlog is asked first") {
  std::string dsse = R"({"payloadType":"application/x-other","payload":"e30=","signatures":[]})";
  EntryDescriber other = [](ByteView entry) -> std::optional<std::string> {
    if (to_string(entry).find("application/x-other") == std::string::npos) return std::nullopt;
    return "other kind";
  };
  CHECK(describe_entry(as_bytes(dsse)) == "dsse application/x-other");
  CHECK(describe_entry(as_bytes(dsse), other) == "other kind");
  // An entry the describer does not know falls through to tlog's own descriptions.
  CHECK(describe_entry(as_bytes(R"({"signed":{"_type":"targets","version":3},"signatures":[]})"), other) ==
        "tuf targets version 3");
}
