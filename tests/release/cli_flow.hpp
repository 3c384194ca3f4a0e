#pragma once
// A release made the way maintainers make one, through the cocoon-sign binary: keys, root ceremony,
// builder attestations, propose, sign on "separate machines", merge, status, publish.
#include <catch2/catch.hpp>

#include <filesystem>
#include <optional>
#include <string>

#include "../support/shell.hpp"
#include "attest/dsse.hpp"
#include "attest/statement.hpp"
#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "release/repository.hpp"
#include "release_fixtures.hpp"
#include "tlog/http_server.hpp"
#include "tlog/log_writer.hpp"
#include "tlog/witness.hpp"

namespace cocoon::release::testing {

namespace fs = std::filesystem;

inline const std::string kSignTool = COCOON_BINARY_DIR "/tools/cocoon-sign/cocoon-sign";
inline const std::string kPassphrase = "correct horse battery staple";

// What someone holding only the online key can do, and the tests' way to build a repository that
// publish would refuse: write `targets` as <V>.targets.json of `repo` with a fresh snapshot and timestamp
// signed by `online`, bypassing every publish check. Target files are not touched.
inline void publish_by_hand(const fs::path& repo, const Envelope& targets, const crypto::SecretKey& online) {
  auto state = load_repository(repo);
  REQUIRE(state.ok());
  auto model = parse_targets(targets.signed_part);
  REQUIRE(model.ok());
  std::uint64_t v = model->common.version;
  std::string text = envelope_text(targets);
  PublishTimes times;
  times.now = now_unix();
  auto meta = make_online_metadata(text, v, state->snapshot->common.version, state->timestamp->common.version,
                                   online, times);
  REQUIRE(meta.ok());
  fs::path dir = repo / "metadata";
  REQUIRE(write_file_atomic(dir / (std::to_string(v) + ".targets.json"), text).ok());
  REQUIRE(write_file_atomic(dir / (std::to_string(state->snapshot->common.version + 1) + ".snapshot.json"),
                            meta->snapshot_text)
              .ok());
  REQUIRE(write_file_atomic(dir / "timestamp.json", meta->timestamp_text).ok());
}

struct CliWorld {
  Cast cast;
  TempDir dir = TempDir::create("release-cli-").value();
  fs::path w = dir.path();
  fs::path repo = w / "repo";
  // The root's witness, answering C2SP add-checkpoint requests on 127.0.0.1 (started by ceremony).
  std::unique_ptr<tlog::Witness> witness;
  std::unique_ptr<tlog::HttpServer> witness_server;
  bool send_to_witness = true;  // release() passes --witness <url> when a witness runs
  // When set, release() passes these log arguments instead of the log directory and in-process witness.
  std::optional<std::string> log_args;

  std::string witness_url() const {
    return "http://127.0.0.1:" + std::to_string(witness_server->port()) + "/";
  }

  void start_witness() {
    auto signer = tlog::make_signer(cast.witness.name, cast.witness.pair).value();
    auto log_key = tlog::make_verifier(cast.log.name, tlog::kAlgEd25519, cast.log.pair.public_key);
    auto opened = tlog::Witness::open(at("witness.db"), signer, {log_key});
    REQUIRE(opened.ok());
    witness = std::move(*opened);
    auto server = tlog::HttpServer::start({}, tlog::make_witness_handler(*witness));
    REQUIRE(server.ok());
    witness_server = std::move(*server);
  }

  fs::path at(const std::string& name) const { return w / name; }
  std::string q(const fs::path& p) const { return cocoon::test::shell_quote(p.string()); }

  cocoon::test::CommandResult sign_tool(const std::string& args) const {
    return cocoon::test::run_shell("cd " + q(w) + " && COCOON_PASSPHRASE=" +
                                   cocoon::test::shell_quote(kPassphrase) + " " + kSignTool + " " + args);
  }

  void write_key(const crypto::SecretKey& k, bool encrypted) {
    std::optional<std::string> pass;
    if (encrypted) pass = kPassphrase;
    REQUIRE(crypto::save_secret_key(at(k.name + ".key"), k, pass).ok());
    REQUIRE(
        write_file_atomic(at(k.name + ".pub"), pretty_json(crypto::public_key_json(k.public_key()))).ok());
  }

  // Releases of the default product "sample" keep their historical file names (recipe-0.1.0.json,
  // artifacts-0.1.0/, attestations-0.1.0/, targets-0.1.0.json); other products add their name.
  static std::string suffix(const std::string& product, const std::string& version) {
    return product == "sample" ? version : product + "-" + version;
  }
  std::string recipe_file(const std::string& version, const std::string& product = "sample") const {
    return "recipe-" + suffix(product, version) + ".json";
  }

  // A builder's attestation that hello.bin is `content`, built from recipe_file(version, product)
  // (which must exist: its sha256 is one of the labels every attestation states).
  void write_attestation(const fs::path& dir, const crypto::SecretKey& builder, const std::string& content,
                         const std::string& version = "0.1.0", const std::string& product = "sample") {
    auto recipe = read_file(at(recipe_file(version, product)));
    REQUIRE(recipe.ok());
    attest::Statement st;
    st.predicate_type = attest::kSlsaProvenanceV1;
    st.subjects = {{"hello.bin", crypto::sha256_hex(std::string_view(content))}};
    Json external{
        {"recipe",
         {{"name", product}, {"version", version}, {"digest", {{"sha256", crypto::sha256_hex(*recipe)}}}}},
        {"source",
         {{"url", "https://fixtures.cocoon-release.invalid/sample.git"}, {"commit", std::string(40, 'c')}}}};
    st.predicate = Json{
        {"buildDefinition", {{"externalParameters", external}}},
        {"runDetails", {{"builder", {{"id", attest::builder_id_for_keyid(builder.public_key().keyid)}}}}}};
    fs::create_directories(dir);
    REQUIRE(write_file_atomic(dir / (builder.name + ".json"),
                              pretty_json(attest::dsse_envelope_json(attest::sign_statement(st, builder))))
                .ok());
  }

  void write_recipe(const std::string& version, const std::string& product = "sample") {
    Json recipe{
        {"schema", "cocoon-recipe/v1"},
        {"name", product},
        {"version", version},
        {"source",
         {{"url", "https://fixtures.cocoon-release.invalid/sample.git"}, {"commit", std::string(40, 'c')}}},
        {"steps", Json::array({Json{{"name", "build"}, {"run", Json::array({"make"})}}})},
        {"artifacts", Json::array({Json{{"name", "hello.bin"}, {"file", "hello.bin"}}})}};
    REQUIRE(write_file_atomic(at(recipe_file(version, product)), pretty_json(recipe)).ok());
  }

  // Keys, root v1 (alice, bob, carol; threshold 2) signed by alice and bob on separate copies, published;
  // the root's log (directory "log", key log.key) and, with_witness, its witness (quorum 1) running.
  void ceremony(bool with_witness = true) {
    auto log_signer = tlog::make_signer(cast.log.name, cast.log.pair).value();
    REQUIRE(tlog::LogWriter::create(at("log"), log_signer).ok());
    REQUIRE(crypto::save_secret_key(at("log.key"), cast.log, std::nullopt).ok());
    if (with_witness) start_witness();
    write_key(cast.alice, true);
    for (const auto* k : {&cast.bob, &cast.carol, &cast.dave, &cast.online}) write_key(*k, false);
    Json builders = Json::array();
    for (const auto* b : {&cast.builder1, &cast.builder2, &cast.builder3})
      builders.push_back(crypto::public_key_json(b->public_key()));
    REQUIRE(write_file_atomic(at("builders.json"), pretty_json(builders)).ok());
    CocoonPolicy p = make_policy(cast);
    REQUIRE(write_file_atomic(at("log.pub"), p.log_verifier_key + "\n").ok());

    std::string witness_args =
        with_witness
            ? "--witness-vkey " + cocoon::test::shell_quote(p.witness_keys[0]) + " --witness-quorum 1 "
            : "";
    auto r = sign_tool(
        "root init --maintainer alice.pub --maintainer bob.pub --maintainer carol.pub --threshold 2 "
        "--online-pub online.pub --builders builders.json --builder-threshold 2 --log-vkey log.pub " +
        witness_args + "--out root.draft.json");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    REQUIRE(sign_tool("sign root.draft.json --key alice.key --out root.alice.json").exit_code == 0);
    REQUIRE(sign_tool("sign root.draft.json --key bob.key --out root.bob.json").exit_code == 0);
    auto half = sign_tool("status root.alice.json");
    INFO(half.output);
    CHECK(half.exit_code == 1);
    CHECK(half.output.find("threshold NOT met") != std::string::npos);
    REQUIRE(sign_tool("merge root.alice.json root.bob.json --out root.json").exit_code == 0);
    auto full = sign_tool("status root.json");
    INFO(full.output);
    CHECK(full.exit_code == 0);
    CHECK(full.output.find("signed:  alice") != std::string::npos);
    CHECK(full.output.find("missing: carol") != std::string::npos);
    auto pub = sign_tool("publish root.json --repo repo");
    INFO(pub.output);
    REQUIRE(pub.exit_code == 0);
  }

  void require_ok(const cocoon::test::CommandResult& r) const {
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
  }

  // The unsigned targets draft "targets-<version>.json" for hello.bin = `content`, attested by builder1
  // and builder2 (artifacts-<version>/, attestations-<version>/; with the product's name for products
  // other than "sample").
  std::string propose(const std::string& version, const std::string& content,
                      const std::string& product = "sample") {
    write_recipe(version, product);
    const std::string tag = suffix(product, version);
    fs::path art = at("artifacts-" + tag), att = at("attestations-" + tag);
    fs::create_directories(art);
    REQUIRE(write_file_atomic(art / "hello.bin", content).ok());
    write_attestation(att, cast.builder1, content, version, product);
    write_attestation(att, cast.builder2, content, version, product);
    std::string draft = "targets-" + tag + ".json";
    require_ok(sign_tool("propose --version " + version + " --recipe " + recipe_file(version, product) +
                         " --attestations " + att.filename().string() + " --artifacts " +
                         art.filename().string() + " --repo repo --out " + draft));
    return draft;
  }

  // Publishes a signed draft of `version` with its log bundle (cosigned by the witness when one runs).
  cocoon::test::CommandResult publish(const std::string& draft, const std::string& version,
                                      const std::string& extra = "",
                                      const std::string& product = "sample") const {
    const std::string tag = suffix(product, version);
    std::string logging = "--attestations attestations-" + tag + " ";
    if (log_args) {
      logging += *log_args;
    } else {
      logging += "--log log --log-key log.key";
      if (witness_server && send_to_witness) logging += " --witness " + witness_url();
    }
    return sign_tool("publish " + draft + " --repo repo --online-key online.key --artifacts artifacts-" +
                     tag + " " + logging + " " + extra);
  }

  // Release `version` of `product` (hello.bin with `content`): propose, signed by `signers`, publish.
  cocoon::test::CommandResult release(const std::string& version, const std::string& content,
                                      const std::vector<std::string>& signers,
                                      const std::string& publish_extra = "",
                                      const std::string& product = "sample") {
    std::string draft = propose(version, content, product);
    for (const auto& s : signers) require_ok(sign_tool("sign " + draft + " --key " + s + ".key"));
    return publish(draft, version, publish_extra, product);
  }
};

}  // namespace cocoon::release::testing
