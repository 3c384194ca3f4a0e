#include "attest/diff.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "archive/archive.hpp"
#include "attest/dsse.hpp"
#include "attest/statement.hpp"
#include "core/file_io.hpp"
#include "crypto/hash.hpp"

namespace cocoon::attest {
namespace {

namespace fs = std::filesystem;

// One file-system or archive entry, reduced to what decides equality.
struct Entry {
  std::string type;  // "file", "directory", "symlink"
  std::uint32_t mode = 0;
  std::uint64_t size = 0;
  std::string sha256;
  std::string link_target;
  fs::path on_disk;  // directory diffs only
};
using EntryMap = std::map<std::string, Entry>;

std::string octal_mode(std::uint32_t mode) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04o", mode);
  return buf;
}

std::string short_digest(const std::string& hex) {
  return hex.size() > 16 ? hex.substr(0, 16) + ".." : hex;
}

// Reads at most n bytes from the start of a file.
std::string file_prefix(const fs::path& p, size_t n) {
  std::string out;
  if (FILE* f = std::fopen(p.c_str(), "rb")) {
    out.resize(n);
    out.resize(std::fread(out.data(), 1, n, f));
    std::fclose(f);
  }
  return out;
}

bool is_archive(const fs::path& p) {
  std::string head = file_prefix(p, 512);
  if (head.size() >= 4 && static_cast<unsigned char>(head[0]) == 0x28 &&
      static_cast<unsigned char>(head[1]) == 0xb5 && static_cast<unsigned char>(head[2]) == 0x2f &&
      static_cast<unsigned char>(head[3]) == 0xfd)
    return true;
  return head.size() >= 262 && head.compare(257, 5, "ustar") == 0;
}

bool is_envelope(const fs::path& p) {
  std::string head = file_prefix(p, 4096);
  auto first = head.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || head[first] != '{' || head.find("payloadType") == std::string::npos)
    return false;
  return load_dsse_envelope(p).ok();
}

// Fills added/removed/changed by comparing two entry maps; returns the changed paths whose contents
// differ (both regular files with different digests).
std::vector<size_t> compare_entries(const EntryMap& a, const EntryMap& b, DiffReport& report) {
  std::vector<size_t> content_changed;
  for (const auto& [path, ea] : a) {
    auto it = b.find(path);
    if (it == b.end()) {
      report.removed.push_back(path);
      continue;
    }
    const Entry& eb = it->second;
    EntryChange c;
    c.path = path;
    if (ea.type != eb.type) c.facts.push_back("type " + ea.type + " -> " + eb.type);
    if (ea.mode != eb.mode) c.facts.push_back("mode " + octal_mode(ea.mode) + " -> " + octal_mode(eb.mode));
    if (ea.type == "symlink" && eb.type == "symlink" && ea.link_target != eb.link_target)
      c.facts.push_back("link target " + ea.link_target + " -> " + eb.link_target);
    bool content = ea.type == "file" && eb.type == "file" && ea.sha256 != eb.sha256;
    if (ea.type == "file" && eb.type == "file" && ea.size != eb.size)
      c.facts.push_back("size " + std::to_string(ea.size) + " -> " + std::to_string(eb.size));
    if (content) c.facts.push_back("sha256 " + short_digest(ea.sha256) + " -> " + short_digest(eb.sha256));
    if (c.facts.empty()) continue;
    if (content) content_changed.push_back(report.changed.size());
    report.changed.push_back(std::move(c));
  }
  for (const auto& [path, eb] : b)
    if (!a.count(path)) report.added.push_back(path);
  return content_changed;
}

// Collects the contents of selected file members in one validated pass over an archive.
class ContentCollector : public archive::MemberVisitor {
 public:
  ContentCollector(std::set<std::string> wanted, std::uint64_t max) : wanted_(std::move(wanted)), max_(max) {}
  Result<bool> on_member(const archive::Member& m) override {
    return m.type == archive::MemberType::file && m.size <= max_ && wanted_.count(m.path) > 0;
  }
  Status on_data(const archive::Member& m, ByteView chunk) override {
    contents[m.path].append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    return Ok{};
  }
  std::map<std::string, std::string> contents;

 private:
  std::set<std::string> wanted_;
  std::uint64_t max_;
};

Result<EntryMap> archive_entries(const fs::path& p) {
  COCOON_ASSIGN(auto members, archive::list_archive(p));
  EntryMap out;
  for (const auto& m : members)
    out[m.path] = Entry{archive::member_type_name(m.type), m.mode, m.size, m.sha256, m.link_target, {}};
  return out;
}

Result<DiffReport> diff_archives(const fs::path& a, const fs::path& b, const DiffOptions& options) {
  DiffReport report;
  report.kind = DiffReport::Kind::archive;
  report.a = a.string();
  report.b = b.string();
  COCOON_ASSIGN(EntryMap ea, archive_entries(a));
  COCOON_ASSIGN(EntryMap eb, archive_entries(b));
  auto changed = compare_entries(ea, eb, report);
  if (changed.size() > options.max_detailed) changed.resize(options.max_detailed);
  if (changed.empty()) return report;
  std::set<std::string> wanted;
  for (size_t i : changed) wanted.insert(report.changed[i].path);
  ContentCollector ca(wanted, options.max_content_bytes), cb(wanted, options.max_content_bytes);
  COCOON_TRY(archive::visit_archive(a, ca));
  COCOON_TRY(archive::visit_archive(b, cb));
  for (size_t i : changed) {
    auto& c = report.changed[i];
    auto ia = ca.contents.find(c.path), ib = cb.contents.find(c.path);
    if (ia != ca.contents.end() && ib != cb.contents.end())
      explain_content(ia->second, ib->second, options, c);
  }
  return report;
}

Result<EntryMap> directory_entries(const fs::path& root) {
  EntryMap out;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) return make_error(Errc::io, "cannot read directory " + root.string() + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return make_error(Errc::io, "cannot read directory " + root.string() + ": " + ec.message());
    const fs::path& p = it->path();
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return make_error(Errc::io, "cannot stat " + p.string());
    std::string rel = fs::relative(p, root).generic_string();
    Entry e;
    e.mode = st.st_mode & 07777;
    e.on_disk = p;
    if (S_ISDIR(st.st_mode)) {
      e.type = "directory";
      rel += "/";
    } else if (S_ISLNK(st.st_mode)) {
      e.type = "symlink";
      e.link_target = fs::read_symlink(p, ec).string();
    } else if (S_ISREG(st.st_mode)) {
      e.type = "file";
      COCOON_ASSIGN(auto d, crypto::digest_file(crypto::HashAlg::sha256, p));
      e.size = d.size;
      e.sha256 = hex_encode(d.digest);
    } else {
      e.type = "special";
    }
    out[rel] = std::move(e);
  }
  return out;
}

Result<DiffReport> diff_files(const fs::path& a, const fs::path& b, const DiffOptions& options);

Result<DiffReport> diff_directories(const fs::path& a, const fs::path& b, const DiffOptions& options) {
  DiffReport report;
  report.kind = DiffReport::Kind::directory;
  report.a = a.string();
  report.b = b.string();
  COCOON_ASSIGN(EntryMap ea, directory_entries(a));
  COCOON_ASSIGN(EntryMap eb, directory_entries(b));
  auto changed = compare_entries(ea, eb, report);
  if (changed.size() > options.max_detailed) changed.resize(options.max_detailed);
  for (size_t i : changed) {
    auto& c = report.changed[i];
    const fs::path& pa = ea[c.path].on_disk;
    const fs::path& pb = eb[c.path].on_disk;
    if (is_archive(pa) && is_archive(pb)) {
      auto nested = diff_archives(pa, pb, options);
      if (nested.ok()) {
        c.nested.push_back(std::move(nested).value());
        continue;
      }
      c.facts.push_back("(could not read as archives: " + nested.error().message + ")");
    }
    auto sub = diff_files(pa, pb, options);
    if (sub.ok() && !sub->changed.empty()) {
      auto& detail = sub->changed.front();
      c.first_difference = detail.first_difference;
      c.window_offset = detail.window_offset;
      c.hex_a = detail.hex_a;
      c.hex_b = detail.hex_b;
      c.text_diff = detail.text_diff;
    }
  }
  return report;
}

Result<DiffReport> diff_attestations(const fs::path& a, const fs::path& b) {
  DiffReport report;
  report.kind = DiffReport::Kind::attestation;
  report.a = a.string();
  report.b = b.string();
  COCOON_ASSIGN(auto env_a, load_dsse_envelope(a));
  COCOON_ASSIGN(auto env_b, load_dsse_envelope(b));
  COCOON_ASSIGN(auto st_a, parse_statement(env_a.payload));
  COCOON_ASSIGN(auto st_b, parse_statement(env_b.payload));
  EntryMap ea, eb;
  for (const auto& s : st_a.subjects) ea[s.name] = Entry{"file", 0, 0, s.sha256, {}, {}};
  for (const auto& s : st_b.subjects) eb[s.name] = Entry{"file", 0, 0, s.sha256, {}, {}};
  compare_entries(ea, eb, report);
  return report;
}

Result<DiffReport> diff_files(const fs::path& a, const fs::path& b, const DiffOptions& options) {
  DiffReport report;
  report.kind = DiffReport::Kind::file;
  report.a = a.string();
  report.b = b.string();
  COCOON_ASSIGN(auto da, crypto::digest_file(crypto::HashAlg::sha256, a));
  COCOON_ASSIGN(auto db, crypto::digest_file(crypto::HashAlg::sha256, b));
  if (da.digest == db.digest) return report;
  EntryChange c;
  if (da.size != db.size)
    c.facts.push_back("size " + std::to_string(da.size) + " -> " + std::to_string(db.size));
  c.facts.push_back("sha256 " + short_digest(hex_encode(da.digest)) + " -> " +
                    short_digest(hex_encode(db.digest)));
  if (da.size <= options.max_content_bytes && db.size <= options.max_content_bytes) {
    COCOON_ASSIGN(auto ca, read_text_file(a, options.max_content_bytes));
    COCOON_ASSIGN(auto cb, read_text_file(b, options.max_content_bytes));
    explain_content(ca, cb, options, c);
  }
  report.changed.push_back(std::move(c));
  return report;
}

std::string hex_window(std::string_view data, std::uint64_t start, std::size_t len) {
  std::string out;
  char buf[4];
  for (std::uint64_t i = start; i < start + len && i < data.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned char>(data[i]));
    if (!out.empty()) out += ' ';
    out += buf;
  }
  return out;
}

void format_into(const DiffReport& r, const std::string& indent, std::vector<std::string>& out) {
  out.push_back(indent + diff_kind_name(r.kind) + " " + r.a + " vs " + r.b + ": " +
                (r.identical()
                     ? std::string("identical")
                     : std::to_string(r.added.size()) + " added, " + std::to_string(r.removed.size()) +
                           " removed, " + std::to_string(r.changed.size()) + " changed"));
  for (const auto& p : r.removed) out.push_back(indent + "only in A: " + p);
  for (const auto& p : r.added) out.push_back(indent + "only in B: " + p);
  for (const auto& c : r.changed) {
    out.push_back(indent + "changed: " + (c.path.empty() ? std::string("(file contents)") : c.path));
    const std::string in2 = indent + "    ";
    for (const auto& f : c.facts) out.push_back(in2 + f);
    if (c.first_difference) {
      char off[64];
      std::snprintf(off, sizeof off, "%08llx", static_cast<unsigned long long>(c.window_offset));
      out.push_back(in2 + "first difference at byte " + std::to_string(*c.first_difference));
      out.push_back(in2 + "A " + off + ": " + c.hex_a);
      out.push_back(in2 + "B " + off + ": " + c.hex_b);
    }
    for (const auto& line : c.text_diff) out.push_back(in2 + line);
    for (const auto& n : c.nested) format_into(n, in2, out);
  }
}

Json report_json(const DiffReport& r) {
  Json changed = Json::array();
  for (const auto& c : r.changed) {
    Json j{{"path", c.path}, {"facts", c.facts}};
    if (c.first_difference) {
      j["first_difference"] = *c.first_difference;
      j["window_offset"] = c.window_offset;
      j["hex_a"] = c.hex_a;
      j["hex_b"] = c.hex_b;
    }
    if (!c.text_diff.empty()) j["text_diff"] = c.text_diff;
    if (!c.nested.empty()) {
      Json nested = Json::array();
      for (const auto& n : c.nested) nested.push_back(report_json(n));
      j["nested"] = nested;
    }
    changed.push_back(j);
  }
  return Json{{"kind", diff_kind_name(r.kind)},
              {"a", r.a},
              {"b", r.b},
              {"identical", r.identical()},
              {"added", r.added},
              {"removed", r.removed},
              {"changed", changed}};
}

}  // namespace

const char* diff_kind_name(DiffReport::Kind kind) {
  switch (kind) {
    case DiffReport::Kind::file:
      return "file";
    case DiffReport::Kind::archive:
      return "archive";
    case DiffReport::Kind::directory:
      return "directory";
    case DiffReport::Kind::attestation:
      return "attestation";
  }
  return "file";
}

void explain_content(std::string_view a, std::string_view b, const DiffOptions& options,
                     EntryChange& change) {
  size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  if (i == a.size() && i == b.size()) return;
  change.first_difference = i;
  const size_t before = options.window / 2;
  change.window_offset = i >= before ? i - before : 0;
  change.hex_a = hex_window(a, change.window_offset, options.window);
  change.hex_b = hex_window(b, change.window_offset, options.window);
  if (looks_like_text(a) && looks_like_text(b)) change.text_diff = unified_diff(a, b, options.text);
}

Result<DiffReport> diff_paths(const fs::path& a, const fs::path& b, const DiffOptions& options) {
  std::error_code ec;
  for (const auto& p : {a, b})
    if (!fs::exists(fs::symlink_status(p, ec)))
      return make_error(Errc::not_found, p.string() + " does not exist");
  bool dir_a = fs::is_directory(a, ec), dir_b = fs::is_directory(b, ec);
  if (dir_a != dir_b)
    return make_error(Errc::invalid_input,
                      "cannot compare a directory with a file: " + (dir_a ? a : b).string());
  if (dir_a) return diff_directories(a, b, options);
  if (is_archive(a) && is_archive(b)) return diff_archives(a, b, options);
  if (is_envelope(a) && is_envelope(b)) return diff_attestations(a, b);
  return diff_files(a, b, options);
}

std::vector<std::string> format_diff_report(const DiffReport& report) {
  std::vector<std::string> out;
  format_into(report, "", out);
  return out;
}

Json diff_report_json(const DiffReport& report) {
  return report_json(report);
}

}  // namespace cocoon::attest
