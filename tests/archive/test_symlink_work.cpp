// Symlink chains whose resolution would cost far more than the archive's size: every resolution is
// bounded (links followed, components walked) and every link is resolved once. The work is counted
// (TreeModel::lookups), never timed.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "archive/archive.hpp"
#include "archive/tree_paths.hpp"
#include "archive_test_util.hpp"
#include "core/file_io.hpp"

using namespace cocoon;
using namespace cocoon::archive;
using namespace archive_test;
namespace fs = std::filesystem;

namespace {

std::string link_name(int i) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "L%02d", i);
  return buf;
}

// `count` links, each leading through the next, then `reps` times `unit`. Resolving the first one
// walks every target in the chain.
struct Chain {
  std::vector<std::pair<std::string, std::string>> links;  // path, target
};
Chain make_chain(int count, const std::string& unit, int reps) {
  Chain c;
  std::string tail;
  for (int k = 0; k < reps; ++k) tail += unit;
  for (int i = 0; i < count; ++i) {
    std::string next = i + 1 < count ? link_name(i + 1) : "d";
    c.links.emplace_back(link_name(i), next + tail);
  }
  return c;
}

// The hostile archive as an attacker ships it: pax records carry the long targets.
Bytes chain_archive(const Chain& c) {
  RawTar t;
  t.dir("d/");
  for (const auto& [path, target] : c.links) t.pax("linkpath", target).symlink(path, "");
  t.end();
  return zstd_compress(t.bytes());
}

}  // namespace

TEST_CASE("a chain of 40 links with 1600-component targets is refused after a bounded walk") {
  Chain c = make_chain(40, "/d/..", 800);
  REQUIRE(c.links[0].second.size() < kMaxPathBytes);
  TreeModel model;
  REQUIRE(model.add("d", MemberType::directory).ok());
  for (const auto& [path, target] : c.links) REQUIRE(model.add(path, MemberType::symlink, target).ok());
  auto st = model.check_all_links();
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == Errc::invalid_input);
  CHECK(st.error().message.rfind("symlink L00 -> L01/d/../d/..", 0) == 0);
  CHECK(st.error().message.find("walks more than 8192 path components through other symlinks") !=
        std::string::npos);
  // One component lookup per component walked, and the walk stops at the bound.
  CHECK(model.lookups() <= kMaxResolveComponents);
}

TEST_CASE("a link reached from many others is resolved once") {
  // 2000 links through one hub whose target has 1601 components: resolved each time, that would be
  // 1.6 million lookups.
  TreeModel model;
  REQUIRE(model.add("d", MemberType::directory).ok());
  std::string hub = "d";
  for (int k = 0; k < 800; ++k) hub += "/../d";
  REQUIRE(model.add("hub", MemberType::symlink, hub).ok());
  for (int i = 0; i < 2000; ++i)
    REQUIRE(model.add("users/u" + std::to_string(i), MemberType::symlink, "../hub/..").ok());
  auto st = model.check_all_links();
  REQUIRE(st.ok());
  // The hub's 801 "d" once, then one lookup of "hub" per link.
  CHECK(model.lookups() <= 801 + 2000);
}

TEST_CASE("resolution follows at most 40 links, like the kernel") {
  auto chain_of = [](int links) {
    TreeModel model;
    REQUIRE(model.add("d", MemberType::directory).ok());
    for (int i = 0; i < links; ++i)
      REQUIRE(model.add(link_name(i), MemberType::symlink, i + 1 < links ? link_name(i + 1) : "d").ok());
    return model.check_all_links();
  };
  // L00 follows 40 links when there are 41 of them.
  CHECK(chain_of(41).ok());
  auto st = chain_of(42);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().message == "symlink L00 -> L01 needs more than 40 symlink hops (a loop?)");
}

TEST_CASE("a resolution walks at most kMaxResolveComponents components") {
  // Targets of 4095 bytes hold 2047 components ("L01/./././..."): four fit, a fifth crosses 8192.
  auto chain_of = [](int links) {
    Chain c = make_chain(links, "/.", 2046);
    REQUIRE(c.links[0].second.size() <= kMaxPathBytes);
    TreeModel model;
    REQUIRE(model.add("d", MemberType::directory).ok());
    for (const auto& [path, target] : c.links) REQUIRE(model.add(path, MemberType::symlink, target).ok());
    return model.check_all_links();
  };
  CHECK(chain_of(4).ok());
  auto st = chain_of(5);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().message.find("walks more than 8192 path components") != std::string::npos);
}

TEST_CASE("list_archive refuses the chain archive") {
  TempDir tmp = TempDir::create("cocoon-links-").value();
  fs::path a = tmp.path() / "chain.tar.zst";
  Bytes archive = chain_archive(make_chain(40, "/d/..", 800));
  CHECK(archive.size() < 2000);  // the attack is small
  write_bytes(a, archive);
  auto r = list_archive(a);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("walks more than 8192 path components") != std::string::npos);
}

TEST_CASE("cocoon-build diff of two chain archives ends with exit 2 and one line") {
  TempDir tmp = TempDir::create("cocoon-links-").value();
  fs::path a = tmp.path() / "a.tar.zst", b = tmp.path() / "b.tar.zst";
  write_bytes(a, chain_archive(make_chain(40, "/d/..", 800)));
  write_bytes(b, chain_archive(make_chain(39, "/d/..", 800)));
  const std::string tool = COCOON_BINARY_DIR "/tools/cocoon-build/cocoon-build";
  auto r =
      run(shell_quote(tool) + " diff " + shell_quote(a.string()) + " " + shell_quote(b.string()) + " 2>&1");
  REQUIRE(WIFEXITED(r.status));
  CHECK(WEXITSTATUS(r.status) == 2);
  CHECK(r.out.find("walks more than 8192 path components") != std::string::npos);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
}
