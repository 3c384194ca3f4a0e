#pragma once
// Explains why two build outputs differ: two files, two .tar.zst archives, two output directories, or
// two attestations (subjects compared). Pure of printing: the tool formats the report.
//
// Example: archives A and B where B's bin/tool changed and B adds share/x:
//   DiffReport{kind archive, added {"share/x"}, removed {},
//              changed {EntryChange{"bin/tool", facts {"size 4096 -> 4100", "sha256 9f86.. -> 60fd.."},
//                                   first_difference 1234, window around it}}}
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "attest/text_diff.hpp"
#include "core/json.hpp"
#include "core/result.hpp"

namespace cocoon::attest {

struct DiffOptions {
  std::size_t window = 16;                     // bytes of hex shown around the first difference
  std::uint64_t max_content_bytes = 16 << 20;  // larger contents get digests only
  std::size_t max_detailed = 20;               // changed entries explained byte by byte
  TextDiffOptions text;
};

struct DiffReport;

struct EntryChange {
  std::string path;                // member/relative path; empty for a top-level file
  std::vector<std::string> facts;  // "size 10 -> 12", "mode 0644 -> 0755", "sha256 ... -> ...", "type ..."
  std::optional<std::uint64_t> first_difference;  // byte offset of the first differing byte
  std::uint64_t window_offset = 0;                // where hex_a/hex_b start
  std::string hex_a, hex_b;            // space-separated bytes of each side around first_difference
  std::vector<std::string> text_diff;  // unified-diff excerpt for text contents
  std::vector<DiffReport> nested;      // an archive inside a directory: its own member diff
};

struct DiffReport {
  enum class Kind { file, archive, directory, attestation };
  Kind kind = Kind::file;
  std::string a, b;
  std::vector<std::string> added;    // only in b
  std::vector<std::string> removed;  // only in a
  std::vector<EntryChange> changed;
  bool identical() const { return added.empty() && removed.empty() && changed.empty(); }
};

const char* diff_kind_name(DiffReport::Kind kind);

// Chooses the comparison from what a and b are: both directories, both archives (zstd or tar magic),
// both DSSE envelopes, else plain files. Errc::invalid_input when one is a directory and the other not.
Result<DiffReport> diff_paths(const std::filesystem::path& a, const std::filesystem::path& b,
                              const DiffOptions& options = {});

// Byte-level explanation of two contents (first difference, hex window, text diff).
void explain_content(std::string_view a, std::string_view b, const DiffOptions& options, EntryChange& change);

// Human-readable lines ("only in B: share/x", "changed: bin/tool", indented details).
std::vector<std::string> format_diff_report(const DiffReport& report);
Json diff_report_json(const DiffReport& report);

}  // namespace cocoon::attest
