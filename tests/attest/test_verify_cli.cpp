// Three independent builders rebuild sample-node with `cocoon-build verify --sign`, each in its own
// directory, time zone, locale and umask; their attestations are then compared.
#include <catch2/catch.hpp>

#include "../support/shell.hpp"
#include "attest/compare.hpp"
#include "attest/expected.hpp"
#include "core/file_io.hpp"
#include "crypto/key_file.hpp"

using namespace cocoon;
using cocoon::test::run_shell;
using cocoon::test::shell_quote;
namespace fs = std::filesystem;

namespace {

const std::string kSource = COCOON_SOURCE_DIR;
const std::string kTool = std::string(COCOON_BINARY_DIR) + "/tools/cocoon-build/cocoon-build";

struct Builder {
  std::string name, env, umask;
};

}  // namespace

TEST_CASE(
    "verify: three builders MATCH, a wrong expectation is a MISMATCH, compare K=3 passes and K=4 fails") {
  auto tmp = TempDir::create("verify-cli-").value();
  const fs::path& t = tmp.path();
  fs::path repo = t / "sample-node.git-src";
  auto made =
      run_shell(kSource + "/tests/fixtures/make-repo.sh " +
                shell_quote(kSource + "/tests/fixtures/sample-node") + " " + shell_quote(repo.string()));
  REQUIRE(made.exit_code == 0);
  const std::string recipe = kSource + "/manifests/sample-node.json";
  const Builder builders[] = {{"alice", "TZ=UTC LC_ALL=C.UTF-8", "022"},
                              {"bob", "TZ=Asia/Tokyo LC_ALL=C LANG=fr_FR.UTF-8", "077"},
                              {"carol", "TZ=America/New_York LC_ALL=C.UTF-8", "027"}};
  Json trusted = Json::array();
  for (const auto& b : builders) {
    // carol's key is encrypted; the passphrase comes from the environment.
    std::string flags = b.name == "carol" ? "" : " --unencrypted";
    auto k = run_shell("cd " + shell_quote(t.string()) + " && COCOON_PASSPHRASE=pw-" + b.name + " " + kTool +
                       " key generate --name " + b.name + " --out " + b.name + ".key" + flags);
    REQUIRE(k.exit_code == 0);
    trusted.push_back(crypto::public_key_json(crypto::load_public_key(t / (b.name + ".key.pub")).value()));
  }
  REQUIRE(write_file_atomic(t / "builders.json", pretty_json(trusted)).ok());

  auto verify = [&](const Builder& b, const fs::path& expect) {
    fs::path work = t / ("work-" + b.name) / "deeper";
    fs::create_directories(work);
    return run_shell("cd " + shell_quote(t.string()) + " && umask " + b.umask + " && env " + b.env +
                     " COCOON_PASSPHRASE=pw-" + b.name + " setsid -w " + kTool + " verify -q " + recipe +
                     " --source " + shell_quote(repo.string()) + " --cache " +
                     shell_quote((t / ("cache-" + b.name)).string()) + " --work-root " +
                     shell_quote(work.string()) + " --out " + b.name + "-out --expect " +
                     shell_quote(expect.string()) + " --sign " + b.name + ".key </dev/null");
  };

  // alice is handed a SHA256SUMS whose sample-node.tar.zst digest is wrong.
  REQUIRE(write_file_atomic(t / "wrong.sums", std::string(64, 'a') + "  sample-node.tar.zst\n").ok());
  auto a = verify(builders[0], t / "wrong.sums");
  INFO(a.output);
  CHECK(a.exit_code == 1);
  CHECK(a.output.find("MISMATCH  sample-node.tar.zst") != std::string::npos);
  CHECK(a.output.find("hint: cocoon-build diff") != std::string::npos);
  CHECK(a.output.find("note: sample-node was built but is not listed") != std::string::npos);
  REQUIRE(fs::exists(t / "alice-out/attestation.dsse.json"));

  // bob checks against alice's attestation, carol against alice's SHA256SUMS.
  auto b = verify(builders[1], t / "alice-out/attestation.dsse.json");
  INFO(b.output);
  CHECK(b.exit_code == 0);
  CHECK(b.output.find("MATCH     sample-node.tar.zst") != std::string::npos);
  auto c = verify(builders[2], t / "alice-out/SHA256SUMS");
  INFO(c.output);
  CHECK(c.exit_code == 0);
  CHECK(c.output.find("\nMATCH\n") != std::string::npos);

  fs::create_directories(t / "attestations");
  for (const auto& bl : builders)
    fs::copy_file(t / (bl.name + "-out/attestation.dsse.json"), t / "attestations" / (bl.name + ".json"));
  auto k3 = run_shell("cd " + shell_quote(t.string()) + " && " + kTool +
                      " compare attestations --builders builders.json --threshold 3 --strict");
  INFO(k3.output);
  CHECK(k3.exit_code == 0);
  auto k4 = run_shell("cd " + shell_quote(t.string()) + " && " + kTool +
                      " compare attestations --builders builders.json --threshold 4");
  CHECK(k4.exit_code == 1);

  // A fourth trusted builder publishes with `run --sign`; now K=4 is met.
  auto dk = run_shell("cd " + shell_quote(t.string()) + " && " + kTool +
                      " key generate --unencrypted --name dave --out dave.key");
  REQUIRE(dk.exit_code == 0);
  trusted.push_back(crypto::public_key_json(crypto::load_public_key(t / "dave.key.pub").value()));
  REQUIRE(write_file_atomic(t / "builders.json", pretty_json(trusted)).ok());
  auto d = run_shell("cd " + shell_quote(t.string()) + " && " + kTool + " run -q " + recipe + " --source " +
                     shell_quote(repo.string()) +
                     " --cache cache-dave --out dave-out --sign dave.key --name 'Dave D.'");
  INFO(d.output);
  REQUIRE(d.exit_code == 0);
  fs::copy_file(t / "dave-out/attestation.dsse.json", t / "attestations/dave.json");
  auto k4_dave = run_shell("cd " + shell_quote(t.string()) + " && " + kTool +
                           " compare attestations --builders builders.json --threshold 4 --strict");
  INFO(k4_dave.output);
  CHECK(k4_dave.exit_code == 0);
  CHECK(k4_dave.output.find("Dave D.") == std::string::npos);  // trust list names count, not claims
  auto dave_env = attest::load_dsse_envelope(t / "dave-out/attestation.dsse.json");
  REQUIRE(dave_env.ok());
  CHECK(attest::builder_claim(attest::parse_statement(dave_env->payload).value()).name == "Dave D.");

  // A fifth trusted builder with a patched toolchain (a `c++` wrapper first on PATH that changes the
  // optimisation level) rebuilds the same commit: its attestation dissents, --strict fails, and diff
  // names the member that differs.
  fs::create_directories(t / "evil-bin");
  REQUIRE(write_file_atomic(t / "evil-bin/c++", std::string_view("#!/bin/sh\nexec /usr/bin/c++ \"$@\" -O0\n"),
                            0755)
              .ok());
  auto ek = run_shell("cd " + shell_quote(t.string()) + " && " + kTool +
                      " key generate --unencrypted --name eve --out eve.key");
  REQUIRE(ek.exit_code == 0);
  trusted.push_back(crypto::public_key_json(crypto::load_public_key(t / "eve.key.pub").value()));
  REQUIRE(write_file_atomic(t / "builders.json", pretty_json(trusted)).ok());
  auto e = run_shell("cd " + shell_quote(t.string()) + " && PATH=" + shell_quote((t / "evil-bin").string()) +
                     ":$PATH " + kTool + " run -q " + recipe + " --source " + shell_quote(repo.string()) +
                     " --cache cache-eve --out eve-out --sign eve.key");
  INFO(e.output);
  REQUIRE(e.exit_code == 0);
  fs::copy_file(t / "eve-out/attestation.dsse.json", t / "attestations/eve.json");
  auto lenient = run_shell("cd " + shell_quote(t.string()) + " && " + kTool +
                           " compare attestations --builders builders.json --threshold 4");
  INFO(lenient.output);
  CHECK(lenient.exit_code == 0);                           // four honest builders still agree
  CHECK(lenient.output.find("eve") != std::string::npos);  // the dissent is shown
  auto strict = run_shell("cd " + shell_quote(t.string()) + " && " + kTool +
                          " compare attestations --builders builders.json --threshold 4 --strict");
  INFO(strict.output);
  CHECK(strict.exit_code == 1);
  auto why = run_shell(kTool + " diff " + shell_quote((t / "alice-out/sample-node.tar.zst").string()) + " " +
                       shell_quote((t / "eve-out/sample-node.tar.zst").string()));
  INFO(why.output);
  CHECK(why.exit_code == 1);
  CHECK(why.output.find("bin/sample-node") != std::string::npos);

  // The three statements differ in builder and times but have identical subjects.
  auto same = run_shell("cd " + shell_quote(t.string()) + " && " + kTool +
                        " diff alice-out/attestation.dsse.json carol-out/attestation.dsse.json");
  INFO(same.output);
  CHECK(same.exit_code == 0);
  CHECK(run_shell(kTool + " diff " + shell_quote((t / "alice-out/sample-node.tar.zst").string()) + " " +
                  shell_quote((t / "bob-out/sample-node.tar.zst").string()))
            .exit_code == 0);
}
