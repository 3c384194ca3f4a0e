#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "archive/archive.hpp"
#include "attest/diff.hpp"
#include "attest/text_diff.hpp"
#include "attest_fixtures.hpp"
#include "core/file_io.hpp"

using namespace cocoon;
using namespace cocoon::attest;
using namespace cocoon::attest::testing;
namespace fs = std::filesystem;

namespace {

void put(const fs::path& p, std::string_view content, unsigned mode = 0644) {
  fs::create_directories(p.parent_path());
  REQUIRE(write_file_atomic(p, content, mode).ok());
}

// A small sample-node-like output tree.
void make_tree(const fs::path& dir, std::string_view config) {
  put(dir / "bin/sample-node", std::string(3000, '\x7f') + "ELF-ish binary", 0755);
  put(dir / "etc/node.conf", config);
  put(dir / "README", "sample node\n");
}

fs::path pack(const fs::path& tree, const fs::path& out) {
  auto r = archive::pack_directory(tree, out, archive::PackOptions{1700000000, 3, 1});
  REQUIRE(r.ok());
  return out;
}

const EntryChange* find_change(const DiffReport& r, const std::string& path) {
  for (const auto& c : r.changed)
    if (c.path == path) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("unified diff of text") {
  CHECK(unified_diff("a\nb\n", "a\nb\n").empty());
  auto d = unified_diff("x\ny\nz\n", "x\nY\nz\n", TextDiffOptions{1, 80, 1000000});
  CHECK(d == std::vector<std::string>{"@@ -1,3 +1,3 @@", " x", "-y", "+Y", " z"});
  // Insertion at the start, with context 3 and lines far apart: two hunks.
  std::string a, b;
  for (int i = 0; i < 30; ++i) a += "line " + std::to_string(i) + "\n";
  b = "new first\n" + a;
  b.replace(b.find("line 25"), 7, "line XX");
  auto two = unified_diff(a, b);
  REQUIRE(two.size() >= 2);
  CHECK(two[0] == "@@ -1,3 +1,4 @@");  // the inserted line plus three lines of context
  size_t hunks =
      std::count_if(two.begin(), two.end(), [](const std::string& l) { return l.rfind("@@", 0) == 0; });
  CHECK(hunks == 2);
  auto nl = unified_diff("a\n", "a");
  CHECK(nl == std::vector<std::string>{"@@ -1,1 +1,1 @@", "-a", "+a", "\\ No newline at end of file"});
  // The cap keeps the excerpt short.
  std::string big_a, big_b;
  for (int i = 0; i < 500; ++i)
    big_a += "a" + std::to_string(i) + "\n", big_b += "b" + std::to_string(i) + "\n";
  auto capped = unified_diff(big_a, big_b, TextDiffOptions{3, 20, 100});
  REQUIRE(capped.size() == 21);
  CHECK(capped.back().find("more lines") != std::string::npos);
}

TEST_CASE("diff of two archives names the changed member") {
  auto dir = TempDir::create("diff-").value();
  make_tree(dir.path() / "a", "threads = 4\nport = 443\n");
  make_tree(dir.path() / "b", "threads = 8\nport = 443\n");
  put(dir.path() / "b/share/extra", "x");
  fs::remove(dir.path() / "b/README");
  auto ta = pack(dir.path() / "a", dir.path() / "a.tar.zst");
  auto tb = pack(dir.path() / "b", dir.path() / "b.tar.zst");
  auto r = diff_paths(ta, tb);
  INFO((r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
  CHECK(r->kind == DiffReport::Kind::archive);
  CHECK_FALSE(r->identical());
  CHECK(r->removed == std::vector<std::string>{"README"});
  CHECK(std::find(r->added.begin(), r->added.end(), "share/extra") != r->added.end());
  const auto* conf = find_change(*r, "etc/node.conf");
  REQUIRE(conf != nullptr);
  REQUIRE(conf->first_difference.has_value());
  CHECK(*conf->first_difference == 10);                // "threads = " is 10 bytes
  CHECK(conf->hex_a.find("34") != std::string::npos);  // '4'
  CHECK(conf->hex_b.find("38") != std::string::npos);  // '8'
  CHECK(std::find(conf->text_diff.begin(), conf->text_diff.end(), "-threads = 4") != conf->text_diff.end());
  CHECK(std::find(conf->text_diff.begin(), conf->text_diff.end(), "+threads = 8") != conf->text_diff.end());
  CHECK(find_change(*r, "bin/sample-node") == nullptr);
  auto lines = format_diff_report(*r);
  bool named = std::any_of(lines.begin(), lines.end(),
                           [](const std::string& l) { return l == "changed: etc/node.conf"; });
  CHECK(named);

  auto same = diff_paths(ta, pack(dir.path() / "a", dir.path() / "a2.tar.zst"));
  REQUIRE(same.ok());
  CHECK(same->identical());
}

TEST_CASE("diff of binary members: offset and hex window, no line diff") {
  auto dir = TempDir::create("diff-").value();
  make_tree(dir.path() / "a", "c\n");
  make_tree(dir.path() / "b", "c\n");
  std::string bin = std::string(3000, '\x7f') + "ELF-ish binary";
  bin[2000] = '\0';
  put(dir.path() / "b/bin/sample-node", bin, 0755);
  ::chmod((dir.path() / "b/README").c_str(),
          0600);  // the packer normalises modes, so only the binary differs
  auto r = diff_paths(pack(dir.path() / "a", dir.path() / "a.tar.zst"),
                      pack(dir.path() / "b", dir.path() / "b.tar.zst"));
  REQUIRE(r.ok());
  REQUIRE(r->changed.size() == 1);
  const auto& c = r->changed[0];
  CHECK(c.path == "bin/sample-node");
  CHECK(c.first_difference == std::optional<std::uint64_t>(2000));
  CHECK(c.window_offset == 1992);
  CHECK(c.hex_b.substr(8 * 3, 2) == "00");
  CHECK(c.text_diff.empty());  // binary: no line diff
}

TEST_CASE("diff of two directories, including archives inside them") {
  auto dir = TempDir::create("diff-").value();
  make_tree(dir.path() / "ta", "v=1\n");
  make_tree(dir.path() / "tb", "v=2\n");
  fs::create_directories(dir.path() / "outA");
  fs::create_directories(dir.path() / "outB");
  pack(dir.path() / "ta", dir.path() / "outA/node.tar.zst");
  pack(dir.path() / "tb", dir.path() / "outB/node.tar.zst");
  put(dir.path() / "outA/SHA256SUMS", "aaa  node.tar.zst\n");
  put(dir.path() / "outB/SHA256SUMS", "bbb  node.tar.zst\n");
  put(dir.path() / "outA/same", "s");
  put(dir.path() / "outB/same", "s");
  put(dir.path() / "outB/only-b", "s", 0755);
  put(dir.path() / "outA/perm", "p", 0644);
  put(dir.path() / "outB/perm", "p", 0755);
  auto r = diff_paths(dir.path() / "outA", dir.path() / "outB");
  REQUIRE(r.ok());
  CHECK(r->kind == DiffReport::Kind::directory);
  CHECK(r->added == std::vector<std::string>{"only-b"});
  const auto* node = find_change(*r, "node.tar.zst");
  REQUIRE(node != nullptr);
  REQUIRE(node->nested.size() == 1);
  REQUIRE(node->nested[0].changed.size() == 1);
  CHECK(node->nested[0].changed[0].path == "etc/node.conf");
  const auto* sums = find_change(*r, "SHA256SUMS");
  REQUIRE(sums != nullptr);
  CHECK(sums->first_difference == std::optional<std::uint64_t>(0));
  CHECK(find_change(*r, "same") == nullptr);
  const auto* perm = find_change(*r, "perm");
  REQUIRE(perm != nullptr);
  CHECK(perm->facts == std::vector<std::string>{"mode 0644 -> 0755"});
  CHECK(diff_report_json(*r)["changed"].size() == 3);

  CHECK(diff_paths(dir.path() / "outA", dir.path() / "outA/same").error().code == Errc::invalid_input);
  CHECK(diff_paths(dir.path() / "outA", dir.path() / "missing").error().code == Errc::not_found);
}

TEST_CASE("diff of two attestations compares subjects - of two plain files their bytes") {
  auto dir = TempDir::create("diff-").value();
  auto alice = make_key("alice"), bob = make_key("bob");
  auto ea =
      sign_statement(make_statement({{"n.tar.zst", digest_of("1")}, {"SUMS", digest_of("s")}}, alice), alice);
  auto eb =
      sign_statement(make_statement({{"n.tar.zst", digest_of("2")}, {"SUMS", digest_of("s")}}, bob), bob);
  put(dir.path() / "a.json", pretty_json(dsse_envelope_json(ea)));
  put(dir.path() / "b.json", pretty_json(dsse_envelope_json(eb)));
  auto r = diff_paths(dir.path() / "a.json", dir.path() / "b.json");
  REQUIRE(r.ok());
  CHECK(r->kind == DiffReport::Kind::attestation);
  REQUIRE(r->changed.size() == 1);
  CHECK(r->changed[0].path == "n.tar.zst");

  put(dir.path() / "x", "hello world\n");
  put(dir.path() / "y", "hello World\n");
  auto f = diff_paths(dir.path() / "x", dir.path() / "y");
  REQUIRE(f.ok());
  CHECK(f->kind == DiffReport::Kind::file);
  REQUIRE(f->changed.size() == 1);
  CHECK(f->changed[0].first_difference == std::optional<std::uint64_t>(6));
  CHECK(diff_paths(dir.path() / "x", dir.path() / "x")->identical());
}
