#include "attest/expected.hpp"

#include <algorithm>
#include <map>

#include "attest/dsse.hpp"
#include "core/file_io.hpp"

namespace cocoon::attest {
namespace {

bool is_lower_hex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

Result<std::vector<Subject>> parse_sha256sums(std::string_view text) {
  std::vector<Subject> out;
  std::map<std::string, size_t> seen;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const std::string where = "SHA256SUMS line " + std::to_string(line_no) + ": ";
    if (line.size() < 67 || !is_lower_hex64(line.substr(0, 64)) || line[64] != ' ' ||
        (line[65] != ' ' && line[65] != '*'))
      return make_error(Errc::invalid_input, where + "expected \"<64 lower-case hex>  <name>\"");
    std::string name(line.substr(66));
    if (!seen.emplace(name, line_no).second)
      return make_error(Errc::invalid_input, where + "\"" + name + "\" is listed twice");
    out.push_back(Subject{name, std::string(line.substr(0, 64))});
  }
  if (out.empty()) return make_error(Errc::invalid_input, "SHA256SUMS lists no files");
  return out;
}

Result<ExpectedDigests> load_expected_digests(const std::filesystem::path& path) {
  COCOON_ASSIGN(std::string text, read_text_file(path, 64ull << 20));
  ExpectedDigests expected;
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    COCOON_ASSIGN(auto envelope, load_dsse_envelope(path));
    auto statement = parse_statement(envelope.payload);
    if (!statement.ok())
      return make_error(statement.error().code, path.string() + ": " + statement.error().message);
    expected.source_kind = "attestation";
    for (const auto& s : envelope.signatures)
      expected.signer_keyids += (expected.signer_keyids.empty() ? "" : ",") + s.keyid;
    expected.subjects = std::move(statement->subjects);
    return expected;
  }
  auto sums = parse_sha256sums(text);
  if (!sums.ok()) return make_error(sums.error().code, path.string() + ": " + sums.error().message);
  expected.source_kind = "SHA256SUMS";
  expected.subjects = std::move(sums).value();
  return expected;
}

VerifyOutcome compare_with_expected(const std::vector<Subject>& built, const std::vector<Subject>& expected) {
  std::map<std::string, std::string> have;
  for (const auto& s : built) have[s.name] = s.sha256;
  VerifyOutcome out;
  std::map<std::string, bool> wanted;
  for (const auto& e : expected) {
    wanted[e.name] = true;
    auto it = have.find(e.name);
    if (it == have.end())
      out.missing.push_back(e.name);
    else if (it->second == e.sha256)
      out.matched.push_back(e.name);
    else
      out.mismatched.push_back({e.name, e.sha256, it->second});
  }
  for (const auto& s : built)
    if (!wanted.count(s.name)) out.extra.push_back(s.name);
  return out;
}

}  // namespace cocoon::attest
