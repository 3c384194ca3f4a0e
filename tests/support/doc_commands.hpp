#pragma once
// The cocoon-* command lines of a doc's shell blocks, split into words, for tests that check a journey
// they cannot afford to run (the self-release needs two full builds): every command and option the doc
// uses must be one the built tool accepts. A small shell-word splitter, enough for the docs' own
// blocks: quotes, `\`-newline continuations, comments, and the separators ; && || | & ( ) and
// redirections end a command.
#include <string>
#include <vector>

namespace cocoon::test {

struct ToolCall {
  std::string tool;                // "cocoon-sign" (also for "prefix/bin/cocoon-sign")
  std::vector<std::string> words;  // the words after it, quotes removed
  std::string line;                // the logical line, for messages
};

namespace doc_commands_detail {

inline bool is_separator(const std::string& w) {
  for (const char* s : {";", "&&", "||", "|", "&", "(", ")", "do", "then", "else", "{", "}", "!"}) {
    if (w == s) return true;
  }
  return w.starts_with(">") || w.starts_with("<") || w.starts_with("2>") || w.starts_with("1>");
}

// Words of one logical line; a separator character outside quotes becomes a word of its own.
inline std::vector<std::string> split_words(const std::string& line) {
  std::vector<std::string> words;
  std::string cur;
  bool have = false;
  char quote = 0;
  int subst = 0;  // depth of $( … ): its inside belongs to the word
  auto flush = [&] {
    if (have) words.push_back(cur);
    cur.clear();
    have = false;
  };
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        cur += c;
      }
      continue;
    }
    if (subst > 0) {
      cur += c;
      if (c == '(') ++subst;
      if (c == ')') --subst;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      have = true;
      continue;
    }
    if (c == '$' && i + 1 < line.size() && line[i + 1] == '(') {
      cur += "$(";
      ++i;
      subst = 1;
      have = true;
      continue;
    }
    if (c == '#' && !have) break;  // a comment
    if (c == ' ' || c == '\t') {
      flush();
      continue;
    }
    if (c == ';' || c == '|' || c == '&' || c == '(' || c == ')' || c == '>' || c == '<') {
      flush();
      std::string sep(1, c);
      if ((c == '&' || c == '|' || c == '>') && i + 1 < line.size() && line[i + 1] == c) sep += line[++i];
      words.push_back(sep);
      continue;
    }
    cur += c;
    have = true;
  }
  flush();
  return words;
}

}  // namespace doc_commands_detail

// Every call of a cocoon-* tool in `script`.
inline std::vector<ToolCall> tool_calls(const std::string& script) {
  // Logical lines: a backslash at the end of a line continues it.
  std::vector<std::string> lines;
  std::string cur;
  size_t pos = 0;
  while (pos < script.size()) {
    size_t nl = script.find('\n', pos);
    std::string line = script.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? script.size() : nl + 1;
    if (!line.empty() && line.back() == '\\') {
      cur += line.substr(0, line.size() - 1) + " ";
      continue;
    }
    lines.push_back(cur + line);
    cur.clear();
  }
  if (!cur.empty()) lines.push_back(cur);

  std::vector<ToolCall> calls;
  for (const auto& line : lines) {
    auto words = doc_commands_detail::split_words(line);
    for (size_t i = 0; i < words.size(); ++i) {
      std::string base =
          words[i].substr(words[i].rfind('/') == std::string::npos ? 0 : words[i].rfind('/') + 1);
      bool command_position = i == 0 || doc_commands_detail::is_separator(words[i - 1]);
      if (!command_position) continue;
      if (base != "cocoon-build" && base != "cocoon-sign" && base != "cocoon-log" && base != "cocoon-verify")
        continue;
      ToolCall call{base, {}, line};
      size_t j = i + 1;
      for (; j < words.size() && !doc_commands_detail::is_separator(words[j]); ++j)
        call.words.push_back(words[j]);
      calls.push_back(std::move(call));
      i = j;
    }
  }
  return calls;
}

}  // namespace cocoon::test
