#include "measure/gitignore.hpp"

namespace cocoon::measure {
namespace {

bool match_class(std::string_view p, size_t& pi, char c) {
  // p[pi] == '['; on return pi is past ']' (or unchanged and false if the class is unterminated).
  size_t i = pi + 1;
  bool negate = false;
  if (i < p.size() && (p[i] == '!' || p[i] == '^')) negate = true, ++i;
  bool matched = false;
  bool first = true;
  while (i < p.size() && (first || p[i] != ']')) {
    first = false;
    char lo = p[i];
    if (lo == '\\' && i + 1 < p.size()) lo = p[++i];
    char hi = lo;
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      hi = p[i + 2];
      if (hi == '\\' && i + 3 < p.size()) hi = p[i + 3], ++i;
      i += 2;
    }
    if (lo <= c && c <= hi) matched = true;
    ++i;
  }
  if (i >= p.size()) return false;  // unterminated: git treats the pattern as not matching
  pi = i + 1;
  return matched != negate && c != '/';
}

bool match_at(std::string_view p, size_t pi, std::string_view s, size_t si) {
  while (pi < p.size()) {
    char pc = p[pi];
    if (pc == '*') {
      bool double_star = pi + 1 < p.size() && p[pi + 1] == '*';
      bool at_segment_start = pi == 0 || p[pi - 1] == '/';
      if (double_star && at_segment_start && (pi + 2 == p.size() || p[pi + 2] == '/')) {
        if (pi + 2 == p.size()) return true;  // "x/**": everything inside
        // "**/" matches zero or more whole directories.
        for (size_t k = si;;) {
          if (match_at(p, pi + 3, s, k)) return true;
          size_t slash = s.find('/', k);
          if (slash == std::string_view::npos) return false;
          k = slash + 1;
        }
      }
      while (pi < p.size() && p[pi] == '*') ++pi;
      for (size_t k = si; k <= s.size(); ++k) {
        if (match_at(p, pi, s, k)) return true;
        if (k < s.size() && s[k] == '/') break;
      }
      return false;
    }
    if (si >= s.size()) return false;
    if (pc == '?') {
      if (s[si] == '/') return false;
      ++pi, ++si;
    } else if (pc == '[') {
      if (!match_class(p, pi, s[si])) return false;
      ++si;
    } else {
      if (pc == '\\' && pi + 1 < p.size()) pc = p[++pi];
      if (pc != s[si]) return false;
      ++pi, ++si;
    }
  }
  return si == s.size();
}

}  // namespace

bool git_glob_match(std::string_view pattern, std::string_view path) {
  return match_at(pattern, 0, path, 0);
}

void GitIgnore::add_file(std::string_view base, std::string_view content) {
  size_t pos = 0;
  while (pos <= content.size()) {
    size_t nl = content.find('\n', pos);
    std::string line(content.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    pos = nl == std::string_view::npos ? content.size() + 1 : nl + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    // Trailing spaces are dropped unless escaped with a backslash.
    while (!line.empty() && line.back() == ' ' && !(line.size() >= 2 && line[line.size() - 2] == '\\'))
      line.pop_back();
    if (line.empty()) continue;
    Pattern pat;
    pat.base = std::string(base);
    if (line[0] == '!') {
      pat.negate = true;
      line.erase(0, 1);
    } else if (line[0] == '\\' && line.size() > 1 && (line[1] == '!' || line[1] == '#')) {
      line.erase(0, 1);
    }
    if (!line.empty() && line.back() == '/') {
      pat.dir_only = true;
      line.pop_back();
    }
    if (line.empty()) continue;
    if (line.find('/') != std::string::npos) pat.anchored = true;
    if (line[0] == '/') line.erase(0, 1);
    if (line.empty()) continue;
    pat.glob = std::move(line);
    patterns_.push_back(std::move(pat));
  }
}

bool GitIgnore::ignored(std::string_view path, bool is_dir) const {
  bool result = false;
  for (const auto& pat : patterns_) {
    if (pat.dir_only && !is_dir) continue;
    std::string_view rel = path;
    if (!pat.base.empty()) {
      if (rel.size() <= pat.base.size() || rel.substr(0, pat.base.size()) != pat.base ||
          rel[pat.base.size()] != '/')
        continue;
      rel = rel.substr(pat.base.size() + 1);
    }
    bool m;
    if (pat.anchored) {
      m = git_glob_match(pat.glob, rel);
    } else {
      size_t slash = rel.rfind('/');
      m = git_glob_match(pat.glob, slash == std::string_view::npos ? rel : rel.substr(slash + 1));
    }
    if (m) result = !pat.negate;
  }
  return result;
}

}  // namespace cocoon::measure
