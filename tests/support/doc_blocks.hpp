#pragma once
// The fenced code blocks of one section of a document in docs/, for tests that run a journey as the
// doc writes it: ```sh blocks are commands, plain ``` blocks are what the doc says is printed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/file_io.hpp"

namespace cocoon::test {

struct DocBlocks {
  std::vector<std::string> sh, shown;
};

// The blocks of the section of docs/`doc_name` whose heading line starts with `heading` ("## Try it"),
// up to the next "## " heading. A fence is a line that is "```" plus the info string, indented or not
// (blocks inside list items are indented); the block ends at the next line that is only "```" at any
// indentation, and the opening fence's indentation is removed from every line of the body.
inline DocBlocks section_blocks(const std::string& doc_name, const std::string& heading) {
  auto doc = read_text_file(std::filesystem::path(COCOON_SOURCE_DIR) / "docs" / doc_name);
  REQUIRE(doc.ok());
  size_t start = doc->find("\n" + heading);
  INFO(doc_name << ": " << heading);
  REQUIRE(start != std::string::npos);
  size_t end = doc->find("\n## ", start + heading.size());
  const std::string text =
      doc->substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
  DocBlocks blocks;
  bool in_block = false;
  std::string info, body;
  size_t indent = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    size_t lead = line.find_first_not_of(' ');
    bool fence = lead != std::string::npos && line.compare(lead, 3, "```") == 0;
    if (!in_block && fence) {
      in_block = true;
      indent = lead;
      info = line.substr(lead + 3);
      body.clear();
    } else if (in_block && fence && line.substr(lead) == "```") {
      in_block = false;
      (info == "sh" ? blocks.sh : blocks.shown).push_back(body);
    } else if (in_block) {
      body += line.substr(std::min(indent, line.find_first_not_of(' ') == std::string::npos
                                               ? line.size()
                                               : line.find_first_not_of(' '))) +
              "\n";
    }
  }
  REQUIRE_FALSE(in_block);
  return blocks;
}

// The lines of a shown block that must appear verbatim in the output: "…" marks an elision (a line of
// its own is skipped, within a line the rest is not compared), and so does a loopback URL, whose port
// differs per run.
inline std::vector<std::string> checkable_lines(const std::string& block) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < block.size()) {
    size_t nl = block.find('\n', pos);
    std::string line = block.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? block.size() : nl + 1;
    if (line.empty() || line == "…") continue;
    for (const char* varying : {"http://127.0.0.1:", "…"}) {
      auto cut = line.find(varying);
      if (cut != std::string::npos) line = line.substr(0, cut);
    }
    out.push_back(line);
  }
  return out;
}

}  // namespace cocoon::test
