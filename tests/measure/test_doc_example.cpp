// docs/measurements.md, "Worked example", run as written: its ```sh blocks are extracted and run with
// the built tools on PATH, and the outputs the doc shows must be what the tools print. Needs the pinned
// Debian firmware and kernel (ci/fetch-tdx-inputs); skipped by name without them.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "../support/doc_blocks.hpp"
#include "core/file_io.hpp"
#include "support.hpp"

using namespace cocoon;
namespace fs = std::filesystem;
using measure_test::run;
using measure_test::tool;

namespace {

std::string q(const fs::path& p) {
  return "'" + p.string() + "'";
}

}  // namespace

TEST_CASE("docs/measurements.md: the worked example runs as written and prints what the doc shows") {
  cocoon::test::DocBlocks blocks = cocoon::test::section_blocks("measurements.md", "## Worked example");
  REQUIRE(blocks.sh.size() == 3);
  REQUIRE(blocks.shown.size() == 3);
  // The first block fetches the inputs; this test takes them from where that script puts them.
  CHECK(blocks.sh[0] == "ci/fetch-tdx-inputs\n");
  std::string why_fw, why_k;
  auto fw = measure_test::debian_input("OVMF.fd", why_fw);
  if (!fw) MEASURE_SKIP(why_fw);
  auto kernel = measure_test::debian_input("vmlinuz", why_k);
  if (!kernel) MEASURE_SKIP(why_k);

  auto tmp = TempDir::create("measure-doc-");
  REQUIRE(tmp.ok());
  const fs::path d = tmp->path();
  fs::create_directories(d / "inputs");
  REQUIRE(write_file_atomic(d / "inputs/OVMF.fd", *fw).ok());
  REQUIRE(write_file_atomic(d / "inputs/vmlinuz", *kernel).ok());
  const std::string path = fs::path(tool("cocoon-build")).parent_path().string() + ":" +
                           fs::path(tool("cocoon-verify")).parent_path().string();
  std::string script = "set -e\ncd " + q(d) + "\nexport COCOON_TDX_INPUTS=" + q(d / "inputs") +
                       " PATH=" + q(path) + ":\"$PATH\"\n" + blocks.sh[1] + blocks.sh[2];
  REQUIRE(write_file_atomic(d / "example.sh", script).ok());
  auto r = run("sh " + q(d / "example.sh"));
  INFO(script << "\n" << r.output);
  REQUIRE(r.exit_code == 0);
  // Every line the doc shows for `measure` and for the matching log is printed as shown.
  for (int b : {0, 1})
    for (const auto& line : cocoon::test::checkable_lines(blocks.shown[b]))
      CHECK(r.output.find(line + "\n") != std::string::npos);

  // The debug image's log: refused at event 1, as the third output block shows (abbreviated there).
  REQUIRE(write_file_atomic(
              d / "example/debug.log",
              std::string("cocoon:spec.tree=20161901d1bd6acad3b96893acd44656f382ed127e50dc1c472eb4fb"
                          "596b8186\ncocoon:cocoon_debug\ncocoon:tdx_inited\n"))
              .ok());
  auto debug = run(tool("cocoon-verify") + " eventlog " + q(d / "example/debug.log") + " --measurement " +
                   q(d / "example/measurement.json"));
  INFO(debug.output);
  CHECK(debug.exit_code == 1);
  // "ebba302b… (3 events)": checkable_lines compares up to the ellipsis.
  for (const auto& line : cocoon::test::checkable_lines(blocks.shown[2]))
    CHECK(debug.output.find(line) != std::string::npos);
}
