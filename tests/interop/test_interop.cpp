// Runs Go's reference implementation (tests/interop/tlog_interop.go) over a log we wrote, with
// proofs we computed from our tiles; then shows the Go side does refuse a tampered proof.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "core/file_io.hpp"
#include "core/json.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/log_client.hpp"
#include "tlog/log_writer.hpp"

using namespace cocoon;
using namespace cocoon::tlog;

namespace {

struct Run {
  int code = -1;
  std::string out;
};

Run run_go(const std::string& dir, const std::string& proofs) {
  std::string cmd = std::string(TLOG_INTEROP_BIN) + " -dir " + dir + " -proofs " + proofs + " 2>&1";
  Run r;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

Json proof_json(const Proof& p) {
  Json arr = Json::array();
  for (const auto& h : p) arr.push_back(hash_base64(h));
  return arr;
}

}  // namespace

TEST_CASE("interop: Go's note and tlog accept our checkpoint, tiles and proofs") {
  auto tmp = TempDir::create("cocoon-interop-");
  REQUIRE(tmp.ok());
  auto pair = crypto::ed25519_from_seed(Bytes(32, 0x42));
  REQUIRE(pair.ok());
  auto signer = make_signer("example.org/interop-log", *pair);
  REQUIRE(signer.ok());
  auto dir = tmp->path() / "log";
  REQUIRE(LogWriter::create(dir, *signer).ok());
  auto writer = LogWriter::open(dir, *signer);
  REQUIRE(writer.ok());

  // Batches chosen to cross tile boundaries and leave partial tiles on two levels.
  std::vector<std::string> checkpoints;
  std::uint64_t n = 0;
  for (std::uint64_t batch : {1, 6, 249, 1, 300, 70000 - 557}) {
    std::vector<Bytes> entries;
    for (std::uint64_t i = n; i < n + batch; ++i)
      entries.push_back(to_bytes("interop entry " + std::to_string(i)));
    auto r = writer->append(entries);
    REQUIRE(r.ok());
    n += batch;
    checkpoints.push_back(r->checkpoint);
  }

  DirFetcher files(dir);
  LogClient client(files, signer->verifier());
  Json proofs = {{"inclusion", Json::array()}, {"consistency", Json::array()}};
  std::vector<std::uint64_t> sizes = {1, 7, 256, 257, 557, 70000};
  for (size_t c = 0; c < sizes.size(); ++c) {
    for (std::uint64_t index : {std::uint64_t{0}, sizes[c] / 2, sizes[c] - 1}) {
      auto p = client.inclusion_proof(index, sizes[c]);
      REQUIRE(p.ok());
      proofs["inclusion"].push_back(
          {{"index", index}, {"checkpoint", checkpoints[c]}, {"proof", proof_json(*p)}});
    }
    for (size_t d = c + 1; d < sizes.size(); ++d) {
      auto p = client.consistency_proof(sizes[c], sizes[d]);
      REQUIRE(p.ok());
      proofs["consistency"].push_back({{"old_checkpoint", checkpoints[c]},
                                       {"new_checkpoint", checkpoints[d]},
                                       {"proof", proof_json(*p)}});
    }
  }
  auto proofs_path = tmp->path() / "proofs.json";
  REQUIRE(write_file_atomic(proofs_path, proofs.dump()).ok());

  Run ok = run_go(dir.string(), proofs_path.string());
  INFO(ok.out);
  CHECK(ok.code == 0);
  CHECK(ok.out.find("ok tlog.TreeHash over our entries equals the checkpoint root") != std::string::npos);
  CHECK(ok.out.find("ok tlog.CheckRecord accepted 18 inclusion proofs") != std::string::npos);
  CHECK(ok.out.find("ok tlog.CheckTree accepted 15 consistency proofs") != std::string::npos);

  // The Go side is a real check: a flipped bit in one proof hash makes it fail.
  std::string h = proofs["consistency"][3]["proof"][0].get<std::string>();
  h[0] = h[0] == 'A' ? 'B' : 'A';
  proofs["consistency"][3]["proof"][0] = h;
  REQUIRE(write_file_atomic(proofs_path, proofs.dump()).ok());
  Run bad = run_go(dir.string(), proofs_path.string());
  INFO(bad.out);
  CHECK(bad.code == 1);
  CHECK(bad.out.find("FAIL tlog.CheckTree refused") != std::string::npos);

  // And a tile changed on disk is caught by the tile comparison.
  Bytes tile = *read_file(dir / "tile/0/000");
  tile[0] ^= 1;
  REQUIRE(write_file_atomic(dir / "tile/0/000", tile).ok());
  Run bad_tile = run_go(dir.string(), proofs_path.string());
  CHECK(bad_tile.code == 1);
  CHECK(bad_tile.out.find("differs from tlog.ReadTileData") != std::string::npos);
}
