#pragma once
// A small line diff for showing why two text files differ (unified format, capped).
//
// Example: a = "x\ny\nz\n", b = "x\nY\nz\n" with context 1 gives
//   "@@ -1,3 +1,3 @@", " x", "-y", "+Y", " z"
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cocoon::attest {

struct TextDiffOptions {
  std::size_t context = 3;                  // unchanged lines shown around each change
  std::size_t max_output_lines = 80;        // the excerpt ends with "... N more lines" past this
  std::size_t max_table_cells = 4'000'000;  // beyond this the changed middle is shown as replaced wholesale
};

// Unified-diff lines (no file header); empty when the texts are equal. Lines are compared exactly;
// a missing final newline is shown as "\ No newline at end of file" like diff(1).
std::vector<std::string> unified_diff(std::string_view a, std::string_view b,
                                      const TextDiffOptions& options = {});

// True when the bytes look like text worth a line diff: no NUL byte.
bool looks_like_text(std::string_view data);

}  // namespace cocoon::attest
