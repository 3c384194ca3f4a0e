#include "repo_fixture.hpp"

#include <catch2/catch.hpp>

#include "attest/statement.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/hash.hpp"
#include "release/draft.hpp"
#include "release/metadata.hpp"
#include "tlog/checkpoint.hpp"
#include "verify/log_proof.hpp"

namespace cocoon::verify::testing {

namespace {

template <typename T>
T must(Result<T> r) {
  if (!r.ok()) FAIL("fixture: " << r.error().message);
  return std::move(r).value();
}

void must(Status s) {
  if (!s.ok()) FAIL("fixture: " << s.error().message);
}

crypto::SecretKey new_key(const std::string& name) {
  return must(crypto::generate_secret_key(name));
}

tlog::NoteSigner new_signer(const std::string& name) {
  auto pair = must(crypto::ed25519_generate());
  return must(tlog::make_signer(name, pair));
}

}  // namespace

crypto::SecretKey copy_key(const crypto::SecretKey& key, const std::string& name) {
  crypto::SecretKey out;
  out.name = name;
  out.pair.seed = key.pair.seed;
  out.pair.public_key = key.pair.public_key;
  return out;
}

Repo::Repo(bool cocoon_policy) : cocoon(cocoon_policy), dir_(must(TempDir::create("cocoon-verify-test-"))) {
  must(crypto::init_sodium());
  for (const char* n : {"alice", "bob", "carol"}) maintainers.push_back(new_key(n));
  online = new_key("online");
  for (const char* n : {"builder-1", "builder-2", "builder-3"}) builders.push_back(new_key(n));
  log_signer = new_signer("example.org/cocoon-test-releases");
  for (const char* n : {"witness-1.example", "witness-2.example", "witness-3.example"})
    witnesses.push_back(new_signer(n));
  std::filesystem::create_directories(repo() / "metadata");
  root_v1 = sign(release::root_json(root_model(1)), {&maintainers[0], &maintainers[1]});
  publish_root(root_v1, 1);
}

Bytes Repo::sign(const Json& signed_part, const std::vector<const crypto::SecretKey*>& keys) {
  release::Envelope env;
  env.signed_part = signed_part;
  std::string message = must(release::signed_bytes(env));
  for (const auto* k : keys) {
    auto sig = crypto::ed25519_sign(k->pair, as_bytes(message));
    env.signatures.push_back({crypto::ed25519_key_id(k->pair.public_key), hex_encode(sig)});
  }
  return to_bytes(release::envelope_text(env));
}

void Repo::write(const std::string& rel, ByteView bytes) const {
  std::filesystem::path p = repo() / rel;
  std::filesystem::create_directories(p.parent_path());
  must(write_file_atomic(p, bytes));
}

Bytes Repo::read(const std::string& rel) const {
  return must(read_file(repo() / rel));
}

release::Root Repo::root_model(std::uint64_t version, UnixSeconds expires) const {
  release::Root root;
  root.common = release::CommonFields{release::kRoleRoot, release::kSpecVersion, version, expires};
  std::vector<std::string> maintainer_ids;
  for (const auto& m : maintainers) {
    std::string id = crypto::ed25519_key_id(m.pair.public_key);
    root.keys[id] = m.pair.public_key;
    maintainer_ids.push_back(id);
  }
  std::string online_id = crypto::ed25519_key_id(online.pair.public_key);
  root.keys[online_id] = online.pair.public_key;
  root.roles["root"] = {maintainer_ids, 2};
  root.roles["targets"] = {maintainer_ids, 2};
  root.roles["snapshot"] = {{online_id}, 1};
  root.roles["timestamp"] = {{online_id}, 1};
  if (cocoon) {
    release::CocoonPolicy p;
    for (const auto& m : maintainers) p.maintainer_names[crypto::ed25519_key_id(m.pair.public_key)] = m.name;
    for (const auto& b : builders) p.builder_keys.push_back(b.public_key());
    p.builder_threshold = 2;
    p.log_origin = log_signer.name;
    p.log_verifier_key = tlog::format_verifier_key(log_signer.verifier());
    for (const auto& w : witnesses) {
      p.witness_keys.push_back(
          tlog::format_verifier_key(tlog::make_verifier(w.name, tlog::kAlgCosignatureV1, w.pair.public_key)));
    }
    p.witness_quorum = 2;
    root.policy = p;
  }
  return root;
}

void Repo::publish_root(const Bytes& bytes, std::uint64_t version) const {
  write("metadata/" + std::to_string(version) + ".root.json", bytes);
  write("metadata/root.json", bytes);
}

Bytes Repo::make_targets(std::uint64_t version, const Files& files, std::vector<int> attesting,
                         std::vector<int> lying, UnixSeconds expires,
                         std::optional<std::vector<const crypto::SecretKey*>> signers) {
  release::Targets targets;
  targets.common = release::CommonFields{release::kRoleTargets, release::kSpecVersion, version, expires};
  for (const auto& [path, content] : files) {
    Bytes data = to_bytes(content);
    release::TargetFile tf;
    tf.length = data.size();
    tf.hashes = release::tuf_hashes(data);
    std::string base = path.substr(path.rfind('/') + 1);
    std::string dir = path.substr(0, path.rfind('/') + 1);
    for (const auto& [alg, hex] : tf.hashes) write("targets/" + dir + hex + "." + base, data);
    std::vector<std::string> cited;
    // Every targets version is a new release of each product in it (labels as builders state them).
    const std::string product = dir.empty() ? std::string() : dir.substr(0, dir.size() - 1);
    const std::string release_version = std::to_string(version) + ".0";
    auto attest_with = [&](int b, const std::string& digest) {
      attest::Statement st;
      st.subjects = {{base, digest}};
      st.predicate_type = attest::kSlsaProvenanceV1;
      st.predicate = Json{
          {"buildDefinition",
           {{"externalParameters",
             {{"recipe",
               {{"name", product},
                {"version", release_version},
                {"digest", {{"sha256", std::string(64, 'a')}}}}},
              {"source", {{"url", "https://example.invalid/p.git"}, {"commit", std::string(40, 'c')}}}}}}}};
      std::string file = attest::dsse_envelope_json(attest::sign_statement(st, builders[b])).dump() + "\n";
      std::string sha = crypto::sha256_hex(file);
      write("attestations/" + sha + ".json", file);
      cited.push_back(sha);
    };
    for (int b : attesting) attest_with(b, tf.hashes["sha256"]);
    for (int b : lying) attest_with(b, crypto::sha256_hex(std::string("something else")));
    if (cocoon)
      tf.custom = Json{{"cocoon",
                        {{"version", claimed_version.value_or(release_version)},
                         {"source_commit", std::string(40, 'c')},
                         {"recipe_sha256", std::string(64, 'a')},
                         {"attestations", cited}}}};
    targets.targets[path] = tf;
  }
  std::vector<const crypto::SecretKey*> keys =
      signers.value_or(std::vector<const crypto::SecretKey*>{&maintainers[0], &maintainers[1]});
  return sign(release::targets_json(targets), keys);
}

Bytes Repo::make_snapshot(std::uint64_t version, std::uint64_t targets_version, const Bytes& targets,
                          UnixSeconds expires) const {
  release::Snapshot snap;
  snap.common = release::CommonFields{release::kRoleSnapshot, release::kSpecVersion, version, expires};
  release::MetaFile meta;
  meta.version = targets_version;
  meta.length = targets.size();
  meta.hashes = release::tuf_hashes(targets);
  snap.meta["targets.json"] = meta;
  return sign(release::snapshot_json(snap), {&online});
}

Bytes Repo::make_timestamp(std::uint64_t version, std::uint64_t snapshot_version, const Bytes& snapshot,
                           UnixSeconds expires) const {
  release::Timestamp ts;
  ts.common = release::CommonFields{release::kRoleTimestamp, release::kSpecVersion, version, expires};
  ts.snapshot.version = snapshot_version;
  ts.snapshot.length = snapshot.size();
  ts.snapshot.hashes = release::tuf_hashes(snapshot);
  return sign(release::timestamp_json(ts), {&online});
}

void Repo::log_targets(std::uint64_t version, const Bytes& targets, std::vector<int> witness_indices) {
  std::uint64_t index = tree.size();
  tree.append_entry(targets);
  entries.push_back(targets);
  tlog::Checkpoint cp;
  cp.origin = log_signer.name;
  cp.size = tree.size();
  cp.root = must(tlog::tree_hash(tree, cp.size));
  std::string signed_note = tlog::sign_checkpoint(cp, log_signer);
  tlog::Note note = must(tlog::parse_note(signed_note));
  for (int w : witness_indices) {
    note.signatures.push_back(
        tlog::cosign_checkpoint(note.text, static_cast<std::uint64_t>(kNow - kYear), witnesses[w]));
  }
  LogProof proof = must(make_log_proof(tree, tlog::format_note(note), index, checkpoint_sizes));
  checkpoint_sizes.push_back(cp.size);
  write(log_proof_path(version), format_log_proof(proof));
}

void Repo::publish(std::uint64_t version, const Files& files) {
  Bytes targets = make_targets(version, files);
  write("metadata/" + std::to_string(version) + ".targets.json", targets);
  if (cocoon) log_targets(version, targets);
  Bytes snapshot = make_snapshot(version, version, targets);
  write("metadata/" + std::to_string(version) + ".snapshot.json", snapshot);
  write("metadata/timestamp.json", make_timestamp(version, version, snapshot));
}

UpdateOptions Repo::options(std::optional<std::string> target) const {
  UpdateOptions o;
  o.state = state();
  o.initial_root = root_v1;
  o.target = std::move(target);
  o.now = kNow;
  return o;
}

UpdateReport Repo::update(std::optional<std::string> target, UnixSeconds now) {
  DirFetcher fetcher(repo());
  UpdateOptions o = options(std::move(target));
  o.now = now;
  return run_update(fetcher, o);
}

}  // namespace cocoon::verify::testing
