// `cocoon-verify update` and `bundle` as a node operator runs them: output, JSON, exit codes.
#include <catch2/catch.hpp>

#include "../support/shell.hpp"
#include "core/json.hpp"
#include "release/roles.hpp"
#include "repo_fixture.hpp"

using namespace cocoon;
using namespace cocoon::verify;
using namespace cocoon::verify::testing;
using cocoon::test::run_shell;
using cocoon::test::shell_quote;

namespace {

const std::string kTool = COCOON_BINARY_DIR "/tools/cocoon-verify/cocoon-verify";

std::string root_file(const Repo& r) {
  auto path = r.scratch() / "root-v1.json";
  REQUIRE(write_file_atomic(path, r.root_v1).ok());
  return path.string();
}

std::string update_cmd(const Repo& r, const std::string& extra) {
  return kTool + " update --repo " + shell_quote(r.repo().string()) + " --root " + shell_quote(root_file(r)) +
         " --state " + shell_quote(r.state().string()) + " " + extra;
}

}  // namespace

TEST_CASE("cli: update prints one line per check and ACCEPT, then downloads the target") {
  Repo r;
  r.publish(1, {{"app/app.tar", "cli bytes"}});
  auto dest = r.scratch() / "app.tar";
  auto out = run_shell(update_cmd(r, "--target app/app.tar --download " + shell_quote(dest.string())));
  INFO(out.output);
  CHECK(out.exit_code == 0);
  CHECK_THAT(out.output, Catch::Matchers::Contains("ok     witnesses"));
  CHECK_THAT(out.output, Catch::Matchers::Contains("\nACCEPT\n"));
  CHECK(to_string(*read_file(dest)) == "cli bytes");
}

TEST_CASE("cli: a refusal prints REJECT with the reason and exits with its class's code") {
  Repo r;
  r.publish(1, {{"app/app.tar", "genuine"}});
  Bytes targets = r.read("metadata/1.targets.json");
  auto info = release::parse_targets(release::parse_envelope_text(to_string(targets), "t")->signed_part)
                  ->targets["app/app.tar"];
  r.write(target_file_path("app/app.tar", info.hashes), std::string("swapped"));
  auto out = run_shell(update_cmd(r, "--target app/app.tar --json"));
  INFO(out.output);
  CHECK(out.exit_code == 9);
  auto json_start = out.output.find('{');
  REQUIRE(json_start != std::string::npos);
  auto doc = parse_json(out.output.substr(json_start, out.output.rfind('}') - json_start + 1));
  REQUIRE(doc.ok());
  CHECK((*doc)["verdict"] == "REJECT");
  CHECK((*doc)["reason"]["class"] == "hash mismatch");
  CHECK((*doc)["checks"].back()["ok"] == false);
  // Bad usage is invalid input.
  CHECK(run_shell(update_cmd(r, "--download /tmp/x")).exit_code == 2);
  CHECK(run_shell(kTool + " update --state " + shell_quote(r.state().string())).exit_code == 2);
}

TEST_CASE("cli: a bundle verifies offline and is checked like a mirror") {
  Repo r;
  r.publish(1, {{"app/app.tar", "offline"}});
  auto bundle = r.scratch() / "update.bundle";
  auto made =
      run_shell(kTool + " bundle --repo " + shell_quote(r.repo().string()) + " --root " +
                shell_quote(root_file(r)) + " --target app/app.tar --out " + shell_quote(bundle.string()));
  INFO(made.output);
  REQUIRE(made.exit_code == 0);
  // Remove the repository: the bundle alone must do.
  std::filesystem::remove_all(r.repo());
  auto state = r.scratch() / "offline-state";
  auto dest = r.scratch() / "offline.tar";
  std::string base = kTool + " update --bundle " + shell_quote(bundle.string()) + " --root " +
                     shell_quote(root_file(r)) + " --state " + shell_quote(state.string()) +
                     " --target app/app.tar";
  auto ok = run_shell(base + " --download " + shell_quote(dest.string()));
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK(to_string(*read_file(dest)) == "offline");
  // A bundle whose target was swapped is refused like a lying mirror.
  auto doc = *parse_json(to_string(*read_file(bundle)));
  for (auto& [path, value] : doc["files"].items()) {
    if (path.rfind("targets/", 0) == 0) value = base64_encode(as_bytes(std::string("swap!!!")));
  }
  REQUIRE(write_file_atomic(bundle, doc.dump()).ok());
  std::filesystem::remove_all(state);
  CHECK(run_shell(base).exit_code == 9);
}
