// The maintainer's and the node operator's journeys, run as written: the ```sh blocks of
// docs/maintainers.md ("Walkthrough") and docs/node-operators.md ("Try it") are extracted and run in one
// shell, from the top of the source tree, with the built tools on PATH. The outputs the docs show must
// be what the tools print, so docs and tools cannot drift apart.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "../support/doc_blocks.hpp"
#include "../support/shell.hpp"
#include "core/file_io.hpp"

namespace {

namespace fs = std::filesystem;
using cocoon::test::run_shell;
using cocoon::test::shell_quote;

const std::string kSource = COCOON_SOURCE_DIR;
const std::string kBin = COCOON_BINARY_DIR;

using cocoon::test::checkable_lines;
using cocoon::test::DocBlocks;
using cocoon::test::section_blocks;

}  // namespace

TEST_CASE("docs/maintainers.md walkthrough and docs/node-operators.md try-it run as written") {
  DocBlocks maintainer = section_blocks("maintainers.md", "## Walkthrough");
  DocBlocks node = section_blocks("node-operators.md", "## Try it");
  REQUIRE(maintainer.sh.size() == 5);
  REQUIRE(node.sh.size() == 3);

  auto tmp = cocoon::TempDir::create("doc-journeys-").value();
  std::string path;
  for (const char* tool : {"cocoon-build", "cocoon-sign", "cocoon-log", "cocoon-verify"})
    path += kBin + "/tools/" + tool + ":";
  // TMPDIR keeps the walkthrough's `mktemp -d` inside this test's directory; the trap stops the witness
  // the walkthrough starts when a later line fails (it would otherwise hold this test's output pipe).
  std::string script = "set -e\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\nexport TMPDIR=" +
                       shell_quote(tmp.path().string()) + " PATH=" + shell_quote(path) + "\"$PATH\"\ncd " +
                       shell_quote(kSource) + "\n";
  for (const auto& b : maintainer.sh) script += b;
  for (const auto& b : node.sh) script += b;
  script +=
      "cmp out/builder-1/sample-node.tar.zst node/sample-node.tar.zst\n"
      "cmp out/builder-1/sample-node.tar.zst offline-node/sample-node.tar.zst\n"
      "test ! -e fresh-node/sample-node.tar.zst\n"
      "echo journeys done\n";
  REQUIRE(cocoon::write_file_atomic(tmp.path() / "journeys.sh", script).ok());
  auto r = run_shell("bash " + shell_quote((tmp.path() / "journeys.sh").string()) + " </dev/null");
  INFO(script);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("journeys done") != std::string::npos);

  // What the docs show is what the tools printed.
  std::vector<std::string> shown = maintainer.shown;
  shown.insert(shown.end(), node.shown.begin(), node.shown.end());
  REQUIRE(shown.size() == 3);
  for (const auto& block : shown) {
    for (const auto& line : checkable_lines(block)) {
      INFO(line);
      CHECK(r.output.find(line) != std::string::npos);
    }
  }
  // The values the prose quotes.
  CHECK(r.output.find("2 of 2 required signature(s) from distinct root keys — threshold met") !=
        std::string::npos);
  CHECK(r.output.find("sample-node/sample-node.tar.zst 138647 bytes sha256 5e3a8c13") != std::string::npos);
}

TEST_CASE("docs/frost.md try-it: five participants, three sign, OpenSSL verifies the group signature") {
  DocBlocks frost = section_blocks("frost.md", "## Try it on one machine");
  REQUIRE(frost.sh.size() == 2);
  REQUIRE(frost.shown.size() == 1);
  auto tmp = cocoon::TempDir::create("doc-frost-").value();
  std::string script = "set -e\nexport PATH=" + shell_quote(kBin + "/tools/cocoon-sign") + ":\"$PATH\"\ncd " +
                       shell_quote(tmp.path().string()) + "\n" + frost.sh[0] + frost.sh[1];
  REQUIRE(cocoon::write_file_atomic(tmp.path() / "frost.sh", script).ok());
  auto r = run_shell("bash " + shell_quote((tmp.path() / "frost.sh").string()) + " </dev/null");
  INFO(script);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  for (const auto& line : checkable_lines(frost.shown[0])) CHECK(r.output.find(line) != std::string::npos);
  auto sig = cocoon::read_file(tmp.path() / "message.sig");
  REQUIRE(sig.ok());
  CHECK(sig->size() == 64);
}

TEST_CASE("docs/log.md quick start: a log, proofs over HTTP and from the directory, a witness, a monitor") {
  DocBlocks quick = section_blocks("log.md", "## Quick start");
  REQUIRE(quick.sh.size() == 5);
  REQUIRE(quick.shown.size() == 4);
  auto tmp = cocoon::TempDir::create("doc-log-").value();
  std::string path;
  for (const char* tool : {"cocoon-build", "cocoon-log"}) path += kBin + "/tools/" + tool + ":";
  // As for the walkthrough: TMPDIR keeps `mktemp -d` inside this test's directory, and the trap stops
  // the log server and the witness if a line fails before the quick start's own `kill`.
  std::string script = "set -e\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\nexport TMPDIR=" +
                       shell_quote(tmp.path().string()) + " PATH=" + shell_quote(path) + "\"$PATH\"\n";
  for (const auto& b : quick.sh) script += b;
  // What the quick start made: a log of two entries whose checkpoint the witness cosigned.
  script +=
      "test \"$(sed -n 2p log/checkpoint)\" = 2\n"
      "cmp log/log.pub log.vkey\n"
      "grep -q '^— witness.example ' old-cp.cosigned\n"
      "echo quick start done\n";
  REQUIRE(cocoon::write_file_atomic(tmp.path() / "quick-start.sh", script).ok());
  auto r = run_shell("bash " + shell_quote((tmp.path() / "quick-start.sh").string()) + " </dev/null");
  INFO(script);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("quick start done") != std::string::npos);
  for (const auto& block : quick.shown) {
    for (const auto& line : checkable_lines(block)) {
      INFO(line);
      CHECK(r.output.find(line) != std::string::npos);
    }
  }
}
