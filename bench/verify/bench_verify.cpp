// bench_verify make DIR          writes a demo Cocoon repository to DIR/repo and its root to DIR/root.json:
//                                3 maintainers (threshold 2), 3 builders (threshold 2), a log of 10000
//                                entries with the release's targets last, 3 witnesses (quorum 2)
// bench_verify time DIR|URL ROOT N   runs the whole update (no target download) N times in-process, each
//                                from an empty state, and prints the median milliseconds
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "attest/statement.hpp"
#include "core/file_io.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/hash.hpp"
#include "release/metadata.hpp"
#include "release/roles.hpp"
#include "tlog/checkpoint.hpp"
#include "verify/builders.hpp"
#include "verify/log_proof.hpp"
#include "verify/repo_source.hpp"
#include "verify/updater.hpp"

using namespace cocoon;
namespace fs = std::filesystem;

namespace {

[[noreturn]] void die(const std::string& m) {
  std::fprintf(stderr, "bench_verify: %s\n", m.c_str());
  std::exit(1);
}

template <typename T>
T must(Result<T> r) {
  if (!r.ok()) die(r.error().message);
  return std::move(r).value();
}
void must(Status s) {
  if (!s.ok()) die(s.error().message);
}

std::string sign(const Json& signed_part, const std::vector<const crypto::SecretKey*>& keys) {
  release::Envelope env;
  env.signed_part = signed_part;
  std::string message = must(release::signed_bytes(env));
  for (const auto* k : keys) {
    env.signatures.push_back({crypto::ed25519_key_id(k->pair.public_key),
                              hex_encode(crypto::ed25519_sign(k->pair, as_bytes(message)))});
  }
  return release::envelope_text(env);
}

void put(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  must(write_file_atomic(p, data));
}

// `cocoon` = false: the same repository as a plain TUF one (no policy, no attestations, no log proof),
// so TUF work alone can be compared with tuf-js.
int make(const fs::path& dir, bool cocoon) {
  must(crypto::init_sodium());
  fs::path repo = dir / "repo";
  std::vector<crypto::SecretKey> maintainers, builders;
  for (const char* n : {"alice", "bob", "carol"}) maintainers.push_back(must(crypto::generate_secret_key(n)));
  for (const char* n : {"b1", "b2", "b3"}) builders.push_back(must(crypto::generate_secret_key(n)));
  crypto::SecretKey online = must(crypto::generate_secret_key("online"));
  tlog::NoteSigner log =
      must(tlog::make_signer("bench.example/cocoon-log", must(crypto::ed25519_generate())));
  std::vector<tlog::NoteSigner> witnesses;
  for (const char* n : {"w1.example", "w2.example", "w3.example"}) {
    witnesses.push_back(must(tlog::make_signer(n, must(crypto::ed25519_generate()))));
  }
  UnixSeconds now = now_unix();
  UnixSeconds expires = now + 365 * 86400;

  release::Root root;
  root.common = {release::kRoleRoot, release::kSpecVersion, 1, expires};
  std::vector<std::string> ids;
  for (const auto& m : maintainers) {
    ids.push_back(crypto::ed25519_key_id(m.pair.public_key));
    root.keys[ids.back()] = m.pair.public_key;
  }
  std::string online_id = crypto::ed25519_key_id(online.pair.public_key);
  root.keys[online_id] = online.pair.public_key;
  root.roles = {{"root", {ids, 2}},
                {"targets", {ids, 2}},
                {"snapshot", {{online_id}, 1}},
                {"timestamp", {{online_id}, 1}}};
  release::CocoonPolicy policy;
  for (const auto& b : builders) policy.builder_keys.push_back(b.public_key());
  policy.builder_threshold = 2;
  policy.log_origin = log.name;
  policy.log_verifier_key = tlog::format_verifier_key(log.verifier());
  for (const auto& w : witnesses) {
    policy.witness_keys.push_back(
        tlog::format_verifier_key(tlog::make_verifier(w.name, tlog::kAlgCosignatureV1, w.pair.public_key)));
  }
  policy.witness_quorum = 2;
  if (cocoon) root.policy = policy;
  std::string root_text = sign(release::root_json(root), {&maintainers[0], &maintainers[1]});
  put(repo / "metadata/1.root.json", root_text);
  put(repo / "metadata/root.json", root_text);
  put(dir / "root.json", root_text);

  release::Targets targets;
  targets.common = {release::kRoleTargets, release::kSpecVersion, 1, expires};
  for (const char* path : {"sample-node/sample-node.tar.zst", "sample-sdk/sample-sdk.tar.zst"}) {
    std::string content = std::string("artifact ") + path;
    std::string base = std::string(path).substr(std::string(path).rfind('/') + 1);
    std::string d = std::string(path).substr(0, std::string(path).rfind('/') + 1);
    release::TargetFile tf;
    tf.length = content.size();
    tf.hashes = release::tuf_hashes(as_bytes(content));
    for (const auto& [alg, hex] : tf.hashes) put(repo / ("targets/" + d + hex + "." + base), content);
    std::vector<std::string> cited;
    for (int b = 0; cocoon && b < 3; ++b) {
      Json external{{"recipe",
                     {{"name", d.substr(0, d.size() - 1)},
                      {"version", "1.0.0"},
                      {"digest", {{"sha256", std::string(64, 'a')}}}}},
                    {"source", {{"url", "https://example.invalid/p.git"}, {"commit", std::string(40, 'c')}}}};
      attest::Statement st{{{base, tf.hashes["sha256"]}},
                           attest::kSlsaProvenanceV1,
                           Json{{"buildDefinition", {{"externalParameters", external}}}}};
      std::string file = attest::dsse_envelope_json(attest::sign_statement(st, builders[b])).dump() + "\n";
      std::string sha = crypto::sha256_hex(file);
      put(repo / verify::attestation_path(sha), file);
      cited.push_back(sha);
    }
    if (cocoon)
      tf.custom = Json{{"cocoon",
                        {{"version", "1.0.0"},
                         {"source_commit", std::string(40, 'c')},
                         {"recipe_sha256", std::string(64, 'a')},
                         {"attestations", cited}}}};
    targets.targets[path] = tf;
  }
  std::string targets_text = sign(release::targets_json(targets), {&maintainers[0], &maintainers[1]});
  put(repo / "metadata/1.targets.json", targets_text);

  tlog::MemoryTree tree;
  for (int i = 0; cocoon && i < 9999; ++i) tree.append_entry(as_bytes("filler entry " + std::to_string(i)));
  tree.append_entry(as_bytes(targets_text));
  tlog::Checkpoint cp{log.name, tree.size(), must(tlog::tree_hash(tree, tree.size())), {}};
  tlog::Note note = must(tlog::parse_note(tlog::sign_checkpoint(cp, log)));
  for (int w = 0; w < 2; ++w)
    note.signatures.push_back(tlog::cosign_checkpoint(note.text, now, witnesses[w]));
  auto proof = must(verify::make_log_proof(tree, tlog::format_note(note), tree.size() - 1, {5000}));
  if (cocoon) put(repo / verify::log_proof_path(1), verify::format_log_proof(proof));

  release::Snapshot snap;
  snap.common = {release::kRoleSnapshot, release::kSpecVersion, 1, expires};
  snap.meta["targets.json"] = {1, targets_text.size(), release::tuf_hashes(as_bytes(targets_text))};
  std::string snap_text = sign(release::snapshot_json(snap), {&online});
  put(repo / "metadata/1.snapshot.json", snap_text);
  release::Timestamp ts;
  ts.common = {release::kRoleTimestamp, release::kSpecVersion, 1, expires};
  ts.snapshot = {1, snap_text.size(), release::tuf_hashes(as_bytes(snap_text))};
  put(repo / "metadata/timestamp.json", sign(release::timestamp_json(ts), {&online}));
  std::printf("wrote %s\n", repo.c_str());
  return 0;
}

int time_updates(const std::string& source, const fs::path& root_file, int n) {
  Bytes root = must(read_file(root_file));
  std::vector<double> ms;
  for (int i = 0; i < n; ++i) {
    TempDir state = must(TempDir::create("bench-verify-"));
    auto start = std::chrono::steady_clock::now();
    auto dir_or_url = must(verify::open_repository(source, "", verify::HttpLimits{}));
    verify::UpdateOptions o;
    o.state = state.path();
    o.initial_root = root;
    o.now = now_unix();
    verify::UpdateReport r = verify::run_update(*dir_or_url, o);
    auto end = std::chrono::steady_clock::now();
    if (!r.accepted()) die("update refused: " + r.error->message);
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%.3f\n", ms[ms.size() / 2]);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "make") return make(args[1], true);
  if (args.size() == 2 && args[0] == "make-plain") return make(args[1], false);
  if (args.size() == 4 && args[0] == "time")
    return time_updates(args[1], args[2], std::atoi(args[3].c_str()));
  std::fprintf(stderr, "usage: bench_verify make|make-plain DIR | bench_verify time DIR|URL ROOT N\n");
  return 2;
}
