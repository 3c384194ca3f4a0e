// docs/measurements.md, "Worked example", run as written: its ```sh blocks are extracted and run with
// the built tools on PATH, and the outputs the doc shows must be what the tools print. Needs the pinned
// Debian firmware and kernel (ci/fetch-tdx-inputs); skipped by name without them.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

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

struct DocBlocks {
  std::vector<std::string> sh, output;  // ```sh blocks, and plain ``` blocks (what the doc says is printed)
};

// The fenced blocks of one section of docs/measurements.md.
DocBlocks section_blocks(const std::string& heading) {
  auto doc = read_text_file(fs::path(COCOON_SOURCE_DIR) / "docs/measurements.md");
  REQUIRE(doc.ok());
  size_t start = doc->find(heading);
  REQUIRE(start != std::string::npos);
  size_t end = doc->find("\n## ", start + heading.size());
  std::string text = doc->substr(start, end == std::string::npos ? std::string::npos : end - start);
  DocBlocks blocks;
  for (size_t at = text.find("```"); at != std::string::npos; at = text.find("```", at)) {
    size_t line_end = text.find('\n', at);
    REQUIRE(line_end != std::string::npos);
    std::string info = text.substr(at + 3, line_end - at - 3);
    size_t close = text.find("\n```", line_end);
    REQUIRE(close != std::string::npos);
    std::string body = text.substr(line_end + 1, close + 1 - (line_end + 1));
    (info == "sh" ? blocks.sh : blocks.output).push_back(body);
    at = close + 4;
  }
  return blocks;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("docs/measurements.md: the worked example runs as written and prints what the doc shows") {
  DocBlocks blocks = section_blocks("## Worked example");
  REQUIRE(blocks.sh.size() == 3);
  REQUIRE(blocks.output.size() == 3);
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
    for (const auto& line : lines_of(blocks.output[b]))
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
  for (const auto& line : lines_of(blocks.output[2])) {
    // "ebba302b… (3 events)": compare up to the ellipsis.
    std::string shown = line.substr(0, line.find("…"));
    CHECK(debug.output.find(shown) != std::string::npos);
  }
}
