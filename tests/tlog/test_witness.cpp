// The witness: every C2SP tlog-witness answer, durable state, and the HTTP endpoint.
#include <catch2/catch.hpp>

#include "tlog/http_client.hpp"
#include "tlog/witness.hpp"
#include "tlog_test_util.hpp"

using namespace cocoon;
using namespace cocoon::tlog;
using namespace cocoon::tlog::testing;

namespace {

struct Fixture {
  TempDir tmp = temp_dir();
  NoteSigner log = test_signer("example.org/wlog", 1);
  NoteSigner witness_key = test_signer("example.org/witness", 2);
  MemoryTree tree;

  std::string checkpoint(std::uint64_t size, const NoteSigner& signer) {
    while (tree.size() < size) tree.append_entry(entry(tree.size()));
    auto root = tree_hash(tree, size);
    REQUIRE(root.ok());
    return sign_checkpoint(Checkpoint{signer.name, size, *root, {}}, signer);
  }
  std::string request(std::uint64_t old_size, std::uint64_t size, const NoteSigner& signer) {
    std::string cp = checkpoint(size, signer);
    auto proof = prove_consistency(tree, old_size, size);
    REQUIRE(proof.ok());
    return format_witness_request({old_size, *proof, cp});
  }
  std::unique_ptr<Witness> open() {
    auto w = Witness::open(tmp.path() / "witness.db", witness_key, {log.verifier()});
    REQUIRE(w.ok());
    return std::move(*w);
  }
};

}  // namespace

TEST_CASE("witness: cosigns consistent checkpoints and refuses everything else with its status") {
  Fixture f;
  auto w = f.open();
  auto first = w->add_checkpoint(f.request(0, 10, f.log), 1700000000);
  REQUIRE(first.status == 200);
  auto note = parse_note(first.cosigned_note);
  REQUIRE(note.ok());
  auto wv = parse_verifier_key(w->cosignature_verifier_key());
  REQUIRE(wv.ok());
  auto t = verify_cosignature(*note, *wv);
  REQUIRE(t.ok());
  CHECK(*t == 1700000000);
  CHECK(w->add_checkpoint(f.request(10, 25, f.log), 1700000001).status == 200);

  // 409: the log's idea of the old size is stale; the body says which size the witness holds.
  auto stale = w->add_checkpoint(f.request(10, 30, f.log), 1700000002);
  CHECK(stale.status == 409);
  CHECK(stale.content_type == "text/x.tlog.size");
  CHECK(stale.body == "25\n");
  // 400: old larger than the checkpoint (also what a rollback to a smaller tree looks like).
  auto rollback = w->add_checkpoint(f.request(0, 20, f.log).replace(0, 5, "old 25"), 1700000003);
  CHECK(rollback.status == 400);
  CHECK(rollback.body.find("larger than the checkpoint size") != std::string::npos);
  // 400: malformed body.
  CHECK(w->add_checkpoint("new 3\n\n", 1).status == 400);
  CHECK(w->add_checkpoint("old 25\nnot base64!\n\n" + f.checkpoint(30, f.log), 1).status == 400);
  // 404: unknown origin.
  NoteSigner stranger = test_signer("example.org/stranger", 3);
  auto unknown = w->add_checkpoint(f.request(25, 30, stranger), 1);
  CHECK(unknown.status == 404);
  CHECK(unknown.code == Errc::not_found);
  // 403: right origin, wrong key (a forged checkpoint).
  NoteSigner impostor = test_signer("example.org/wlog", 4);
  auto forged = w->add_checkpoint(f.request(25, 30, impostor), 1);
  CHECK(forged.status == 403);
  CHECK(forged.code == Errc::signature);
  // 422: a fork — a checkpoint for a different tree, with a proof that cannot connect to what it saw.
  MemoryTree other;
  for (int i = 0; i < 30; ++i) other.append_entry(to_bytes("fork " + std::to_string(i)));
  auto fork_root = tree_hash(other, 30);
  auto fork_proof = prove_consistency(other, 25, 30);
  REQUIRE((fork_root.ok() && fork_proof.ok()));
  std::string fork_cp = sign_checkpoint(Checkpoint{f.log.name, 30, *fork_root, {}}, f.log);
  auto fork = w->add_checkpoint(format_witness_request({25, *fork_proof, fork_cp}), 1);
  CHECK(fork.status == 422);
  CHECK(fork.code == Errc::log_inconsistent);
  // 422: same size, different root.
  std::string same_size = sign_checkpoint(Checkpoint{f.log.name, 25, *fork_root, {}}, f.log);
  CHECK(w->add_checkpoint(format_witness_request({25, {}, same_size}), 1).status == 422);
  // 422: a proof of the wrong length.
  auto good = parse_witness_request(f.request(25, 30, f.log));
  REQUIRE(good.ok());
  good->proof.pop_back();
  CHECK(w->add_checkpoint(format_witness_request(*good), 1).status == 422);

  // The state survives a restart: the reopened witness still holds size 25.
  w.reset();
  auto again = f.open();
  CHECK(again->add_checkpoint(f.request(10, 30, f.log), 1).body == "25\n");
  CHECK(again->add_checkpoint(f.request(25, 30, f.log), 1).status == 200);
}

TEST_CASE("witness: the HTTP endpoint answers add-checkpoint") {
  Fixture f;
  auto w = f.open();
  auto server = HttpServer::start({}, make_witness_handler(*w));
  REQUIRE(server.ok());
  auto http = HttpFetcher::create("http://127.0.0.1:" + std::to_string((*server)->port()));
  REQUIRE(http.ok());
  auto ok = http->request("POST", "add-checkpoint", as_bytes(f.request(0, 5, f.log)));
  REQUIRE(ok.ok());
  CHECK(ok->status == 200);
  CHECK(to_string(ok->body).starts_with("\xE2\x80\x94 example.org/witness "));
  auto conflict = http->request("POST", "add-checkpoint", as_bytes(f.request(0, 6, f.log)));
  REQUIRE(conflict.ok());
  CHECK(conflict->status == 409);
  CHECK(conflict->content_type == "text/x.tlog.size");
  CHECK(to_string(conflict->body) == "5\n");
  CHECK(http->request("GET", "add-checkpoint", {})->status == 405);
}

TEST_CASE("witness: logs file refusals") {
  TempDir tmp = temp_dir();
  NoteSigner a = test_signer("example.org/a", 1), a2 = test_signer("example.org/a", 2);
  auto p = tmp.path() / "logs";
  REQUIRE(write_file_atomic(p, "# logs\n" + format_verifier_key(a.verifier()) + "\n\n").ok());
  auto logs = load_witness_logs(p);
  REQUIRE(logs.ok());
  CHECK(logs->size() == 1);
  REQUIRE(write_file_atomic(
              p, format_verifier_key(a.verifier()) + "\n" + format_verifier_key(a2.verifier()) + "\n")
              .ok());
  CHECK(load_witness_logs(p).error().code == Errc::invalid_input);
  REQUIRE(write_file_atomic(p, "# nothing\n").ok());
  CHECK(load_witness_logs(p).error().code == Errc::invalid_input);
}
