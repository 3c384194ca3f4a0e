#pragma once
// The fenced code blocks of one section of a document in docs/, for tests that run a journey as the
// doc writes it: ```sh blocks are commands, plain ``` blocks are what the doc says is printed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "core/file_io.hpp"

namespace cocoon::test {

struct DocBlocks {
  std::vector<std::string> sh, shown;
};

// The blocks of the section of docs/`doc_name` whose heading line starts with `heading` ("## Try it"),
// up to the next "## " heading.
inline DocBlocks section_blocks(const std::string& doc_name, const std::string& heading) {
  auto doc = read_text_file(std::filesystem::path(COCOON_SOURCE_DIR) / "docs" / doc_name);
  REQUIRE(doc.ok());
  size_t start = doc->find("\n" + heading);
  INFO(doc_name << ": " << heading);
  REQUIRE(start != std::string::npos);
  size_t end = doc->find("\n## ", start + heading.size());
  const std::string text = doc->substr(start, end == std::string::npos ? std::string::npos : end - start);
  DocBlocks blocks;
  for (size_t at = text.find("```"); at != std::string::npos; at = text.find("```", at)) {
    size_t line_end = text.find('\n', at);
    REQUIRE(line_end != std::string::npos);
    const std::string info = text.substr(at + 3, line_end - at - 3);
    size_t close = text.find("\n```", line_end);
    REQUIRE(close != std::string::npos);
    std::string body = text.substr(line_end + 1, close + 1 - (line_end + 1));
    (info == "sh" ? blocks.sh : blocks.shown).push_back(body);
    at = close + 4;
  }
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
