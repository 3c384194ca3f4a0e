#include "attest/text_diff.hpp"

#include <algorithm>
#include <cstdint>

namespace cocoon::attest {
namespace {

struct Line {
  std::string_view text;
  bool newline;  // false only for a last line without '\n'
  bool operator==(const Line& o) const { return text == o.text && newline == o.newline; }
};

std::vector<Line> split_lines(std::string_view s) {
  std::vector<Line> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      out.push_back({s.substr(start), false});
      break;
    }
    out.push_back({s.substr(start, nl - start), true});
    start = nl + 1;
  }
  return out;
}

enum class Op : std::uint8_t { keep, remove, add };
struct Edit {
  Op op;
  size_t a;  // index in a (keep/remove)
  size_t b;  // index in b (keep/add)
};

// Edit script over a[lo_a, hi_a) and b[lo_b, hi_b) by longest common subsequence.
void lcs_edits(const std::vector<Line>& a, const std::vector<Line>& b, size_t lo_a, size_t hi_a, size_t lo_b,
               size_t hi_b, size_t max_cells, std::vector<Edit>& out) {
  const size_t n = hi_a - lo_a, m = hi_b - lo_b;
  if (n == 0 || m == 0 || (n + 1) * (m + 1) > max_cells) {
    for (size_t i = lo_a; i < hi_a; ++i) out.push_back({Op::remove, i, lo_b});
    for (size_t j = lo_b; j < hi_b; ++j) out.push_back({Op::add, hi_a, j});
    return;
  }
  // len[i][j] = LCS length of a[lo_a+i..hi_a) and b[lo_b+j..hi_b)
  std::vector<std::uint32_t> len((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> std::uint32_t& { return len[i * (m + 1) + j]; };
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      at(i, j) = a[lo_a + i] == b[lo_b + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[lo_a + i] == b[lo_b + j]) {
      out.push_back({Op::keep, lo_a + i, lo_b + j});
      ++i, ++j;
    } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
      // Removals before additions, as diff(1) prints them.
      out.push_back({Op::remove, lo_a + i, lo_b + j});
      ++i;
    } else {
      out.push_back({Op::add, lo_a + i, lo_b + j});
      ++j;
    }
  }
}

void emit_line(std::vector<std::string>& out, char prefix, const Line& line) {
  out.push_back(prefix + std::string(line.text));
  if (!line.newline) out.push_back("\\ No newline at end of file");
}

}  // namespace

bool looks_like_text(std::string_view data) {
  return data.find('\0') == std::string_view::npos;
}

std::vector<std::string> unified_diff(std::string_view a_text, std::string_view b_text,
                                      const TextDiffOptions& options) {
  if (a_text == b_text) return {};
  const auto a = split_lines(a_text), b = split_lines(b_text);
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;

  std::vector<Edit> edits;
  for (size_t i = 0; i < prefix; ++i) edits.push_back({Op::keep, i, i});
  lcs_edits(a, b, prefix, a.size() - suffix, prefix, b.size() - suffix, options.max_table_cells, edits);
  for (size_t k = suffix; k > 0; --k) edits.push_back({Op::keep, a.size() - k, b.size() - k});

  std::vector<std::string> out;
  size_t e = 0;
  const size_t ctx = options.context;
  while (e < edits.size()) {
    // Next change.
    while (e < edits.size() && edits[e].op == Op::keep) ++e;
    if (e == edits.size()) break;
    size_t start = e >= ctx ? e - ctx : 0;
    // Extend the hunk while the gap of unchanged lines to the next change is at most 2*context.
    size_t end = e;
    for (;;) {
      while (end < edits.size() && edits[end].op != Op::keep) ++end;
      size_t gap = end;
      while (gap < edits.size() && edits[gap].op == Op::keep) ++gap;
      if (gap < edits.size() && gap - end <= 2 * ctx) {
        end = gap;
        continue;
      }
      end = std::min(edits.size(), end + ctx);
      break;
    }
    size_t a_start = edits[start].a, b_start = edits[start].b, a_count = 0, b_count = 0;
    for (size_t k = start; k < end; ++k) {
      if (edits[k].op != Op::add) ++a_count;
      if (edits[k].op != Op::remove) ++b_count;
    }
    out.push_back("@@ -" + std::to_string(a_count ? a_start + 1 : a_start) + "," + std::to_string(a_count) +
                  " +" + std::to_string(b_count ? b_start + 1 : b_start) + "," + std::to_string(b_count) +
                  " @@");
    for (size_t k = start; k < end; ++k) {
      const Edit& ed = edits[k];
      if (ed.op == Op::keep) emit_line(out, ' ', a[ed.a]);
      if (ed.op == Op::remove) emit_line(out, '-', a[ed.a]);
      if (ed.op == Op::add) emit_line(out, '+', b[ed.b]);
    }
    e = end;
  }
  if (out.size() > options.max_output_lines) {
    size_t more = out.size() - options.max_output_lines;
    out.resize(options.max_output_lines);
    out.push_back("... " + std::to_string(more) + " more lines");
  }
  return out;
}

}  // namespace cocoon::attest
