// Hand-made hostile archives: every one is refused by list_archive and extract_archive with its own
// message, and extraction leaves nothing behind.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <random>
#include <set>

#include "archive/archive.hpp"
#include "archive_test_util.hpp"
#include "core/file_io.hpp"

using namespace cocoon;
using namespace cocoon::archive;
using namespace archive_test;
namespace fs = std::filesystem;

namespace {

struct Case {
  std::string name;
  Bytes tar;            // uncompressed; tried raw and zstd-compressed
  std::string message;  // expected prefix of the error
  ReadLimits limits{};
};

RawTar::Header hdr(std::string name, char type = '0', std::uint64_t size = 0) {
  RawTar::Header h;
  h.name = std::move(name);
  h.type = type;
  h.size = size;
  return h;
}

std::vector<Case> hostile_cases() {
  std::vector<Case> cases;
  auto add = [&](std::string name, const RawTar& t, std::string message, ReadLimits limits = {}) {
    cases.push_back({std::move(name), t.bytes(), std::move(message), limits});
  };
  add("dot-dot component", RawTar().file("a/../../evil", "x").end(),
      "member path has a '..' component: a/../../evil");
  add("absolute path", RawTar().file("/tmp/evil", "x").end(), "member path is absolute: /tmp/evil");
  add("dot-dot through pax path", RawTar().pax("path", "../evil").file("harmless", "x").end(),
      "member path has a '..' component: ../evil");
  add("empty component", RawTar().file("a//b", "x").end(), "member path has an empty or '.' component: a//b");
  add("symlink escaping then a file written through it",
      RawTar().symlink("d", "../outside").file("d/pwned", "x").end(), "member d/pwned lies below symlink d");
  add("symlink escaping", RawTar().symlink("d", "../outside").file("f", "x").end(),
      "symlink d -> ../outside leaves the archive tree");
  add("absolute symlink", RawTar().symlink("etc", "/etc").end(), "symlink etc has an absolute target: /etc");
  add("file below an in-tree symlink", RawTar().dir("sub/").symlink("d", "sub").file("d/x", "x").end(),
      "member d/x lies below symlink d");
  add("symlink escaping through an earlier symlink",
      RawTar().symlink("self", ".").symlink("up", "self/..").end(),
      "symlink up -> self/.. leaves the archive tree");
  add("symlink escaping through a later symlink",
      RawTar().symlink("up", "later/..").symlink("later", ".").end(),
      "symlink up -> later/.. leaves the archive tree");
  add("symlink loop", RawTar().symlink("a", "b/x").symlink("b", "a/y").end(),
      "symlink a -> b/x needs more than 40");
  add("member below a regular file", RawTar().file("f", "x").file("f/x", "y").end(),
      "member f/x lies below regular file f");
  add("empty symlink target", RawTar().symlink("l", "").end(), "symlink l has an empty target");
  add("path too long", RawTar().pax("path", std::string(5000, 'a')).file("f", "x").end(),
      "member path longer than 4096 bytes");
  add("component too long", RawTar().pax("path", std::string(300, 'a')).file("f", "x").end(),
      "member path component longer than 255 bytes");
  add("duplicate entry", RawTar().file("f", "one").file("f", "two").end(), "duplicate member: f");
  add("duplicate directory", RawTar().dir("d/").dir("d/").end(), "duplicate member: d");
  add("symlink replacing an implied directory", RawTar().file("d/x", "x").symlink("d", "..").end(),
      "member d conflicts with the directory implied by earlier members");
  add("truncated header", RawTar().file("f", "x").raw(std::string(100, 'h')),
      "truncated tar header at offset 1024 (100 of 512 bytes)");
  {
    RawTar t;
    t.header(hdr("f", '0', 2000)).raw(std::string(700, 'x'));
    add("truncated data", t, "truncated data of member f (700 of 2000 bytes)");
  }
  add("missing end marker", RawTar().file("f", "x"), "archive ends without the end-of-archive marker");
  add("single zero block", RawTar().file("f", "x").raw(std::string(512, '\0')),
      "archive ends after a single zero block at offset 1024");
  add("endless padding after end marker",
      RawTar().file("f", "x").end().raw(std::string((1u << 20) + 512, '\0')),
      "more than 1048576 bytes of padding after the end-of-archive marker");
  add("data after end marker", RawTar().file("f", "x").end().raw("junk"),
      "data after the end-of-archive marker");
  {
    auto h = hdr("f", '0', 1);
    h.corrupt_checksum = true;
    RawTar t;
    t.header(h).data("x").end();
    add("bad checksum", t, "bad tar header checksum at offset 0");
  }
  {
    auto h = hdr("f");
    h.magic = std::string("nottar\0\0", 8);
    RawTar t;
    t.header(h).end();
    add("bad magic", t, "not a ustar header at offset 0");
  }
  {
    auto h = hdr("f");
    h.raw_size = "0000000009x";
    RawTar t;
    t.header(h).end();
    add("non-octal size field", t, "bad numeric field 'size' in tar header at offset 0: non-octal character");
  }
  {
    RawTar t;
    t.header(hdr("f", '0', 077777777777ull)).raw(std::string(4096, 'x'));
    add("oversized size field", t, "member f is too large (8589934591 bytes, limit 1048576)",
        ReadLimits{.max_members = 10, .max_member_size = 1 << 20, .max_total_size = 1 << 30});
  }
  add("total size limit", RawTar().file("a", std::string(600, 'a')).file("b", std::string(600, 'b')).end(),
      "archive content exceeds the total size limit of 1000 bytes at member b",
      ReadLimits{.max_members = 10, .max_member_size = 1000, .max_total_size = 1000});
  add("member count limit", RawTar().file("a", "a").file("b", "b").file("c", "c").end(),
      "archive has more than 2 members", ReadLimits{.max_members = 2});
  {
    RawTar t;
    t.header(hdr("PaxHeader", 'x', 2u << 20)).raw(std::string(2u << 20, 'p')).file("f", "x").end();
    add("oversized pax header", t, "pax extended header at offset 0 is too large");
  }
  add("pax header without a member", RawTar().pax("path", "x").end(),
      "pax extended header not followed by a member");
  {
    RawTar t;
    t.header(hdr("PaxHeader", 'x', 12)).data("99 path=abc\n").file("f", "x").end();
    add("pax record length out of range", t, "malformed pax record: length out of range");
  }
  {
    auto h = hdr("link", '1');
    h.linkname = "f";
    RawTar t;
    t.file("f", "x").header(h).end();
    add("hard link", t, "hard link member link is not supported");
  }
  add("character device", RawTar().header(hdr("null", '3')).end(),
      "character device member null is not supported");
  add("block device", RawTar().header(hdr("sda", '4')).end(), "block device member sda is not supported");
  add("fifo", RawTar().header(hdr("pipe", '6')).end(), "fifo member pipe is not supported");
  add("GNU long name", RawTar().header(hdr("././@LongLink", 'L', 5)).data("long\0").file("x", "x").end(),
      "GNU long name/link header is not supported");
  add("unknown type", RawTar().header(hdr("vol", 'V')).end(), "unsupported member type 'V' for vol");
  add("global pax header", RawTar().header(hdr("g", 'g', 0)).end(), "global pax header is not supported");
  add("symlink with data",
      RawTar()
          .header([] {
            auto h = hdr("l", '2', 3);
            h.linkname = "f";
            return h;
          }())
          .data("abc")
          .end(),
      "symlink member l declares 3 bytes of data");
  add("control character in path", RawTar().file("bad\x1b[2Jname", "x").end(),
      "member path contains a control character");
  add("file name with trailing slash", RawTar().file("f/", "x").end(), "file member name ends with '/': f/");
  return cases;
}

std::string error_of(const Status& s) {
  return s.ok() ? std::string("<accepted>") : s.error().message;
}

}  // namespace

TEST_CASE("every hostile archive is refused with its own message, raw and compressed") {
  auto tmp = TempDir::create("archive-evil-").value();
  std::set<std::string> messages;
  for (const Case& c : hostile_cases()) {
    INFO(c.name);
    for (bool compressed : {false, true}) {
      INFO((compressed ? "tar.zst" : "tar"));
      fs::path archive = tmp.path() / (compressed ? "evil.tar.zst" : "evil.tar");
      write_bytes(archive, compressed ? zstd_compress(c.tar) : c.tar);
      auto listed = list_archive(archive, c.limits);
      REQUIRE(!listed.ok());
      CHECK(listed.error().code == Errc::invalid_input);
      INFO(listed.error().message);
      CHECK(listed.error().message.rfind(c.message, 0) == 0);
      CHECK(listed.error().message.find('\n') == std::string::npos);
      messages.insert(listed.error().message);

      fs::path dest = tmp.path() / "dest";
      auto extracted = extract_archive(archive, dest, c.limits);
      CHECK(error_of(extracted) == listed.error().message);
      CHECK(!fs::exists(dest));
      // Nothing but the archive itself is left next to the destination, and nothing escaped.
      CHECK(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()) == 1);
      CHECK(!fs::exists(tmp.path() / "outside"));
      CHECK(!fs::exists(tmp.path() / "pwned"));
      fs::remove(archive);
    }
  }
  CHECK(messages.size() == hostile_cases().size());
}

TEST_CASE("a well-formed hand-made archive is accepted, so the hostile cases fail for their own reason") {
  auto tmp = TempDir::create("archive-good-").value();
  RawTar t;
  t.dir("sub/").file("sub/f", "content").symlink("link", "sub/f").symlink("sub/back", "../sub/./f");
  t.pax("path", std::string(200, 'n')).file("short", "pax path").end();
  fs::path archive = tmp.path() / "good.tar";
  write_bytes(archive, t.bytes());
  auto members = list_archive(archive);
  REQUIRE(members.ok());
  REQUIRE(members->size() == 5);
  CHECK(members->at(4).path == std::string(200, 'n'));
  REQUIRE(extract_archive(archive, tmp.path() / "x").ok());
  CHECK(read_text(tmp.path() / "x/link") == "content");
  CHECK(read_text(tmp.path() / "x/sub/back") == "content");
  CHECK(read_text(tmp.path() / "x" / std::string(200, 'n')) == "pax path");
}

TEST_CASE("truncated and corrupt zstd streams are refused") {
  auto tmp = TempDir::create("archive-zstd-").value();
  RawTar t;
  t.file("f", std::string(100000, 'z')).end();
  Bytes z = zstd_compress(t.bytes());
  REQUIRE(z.size() > 20);
  fs::path archive = tmp.path() / "a.tar.zst";
  write_bytes(archive, Bytes(z.begin(), z.end() - 5));
  auto r = list_archive(archive);
  REQUIRE(!r.ok());
  CHECK(r.error().message == "truncated zstd stream (ends inside a frame)");
  Bytes corrupt = z;
  corrupt[corrupt.size() / 2] ^= 0xff;
  corrupt[corrupt.size() - 1] ^= 0xff;  // the frame checksum
  write_bytes(archive, corrupt);
  r = list_archive(archive);
  REQUIRE(!r.ok());
  CHECK(r.error().message.rfind("corrupt zstd stream: ", 0) == 0);
  write_bytes(archive, Bytes{});
  CHECK(list_archive(archive).error().message.rfind("empty file is not an archive", 0) == 0);
  CHECK(list_archive(tmp.path() / "missing.tar.zst").error().code == Errc::not_found);
}

TEST_CASE("randomly corrupted archives are refused or read and never crash the reader") {
  auto tmp = TempDir::create("archive-mut-").value();
  RawTar t;
  t.dir("d/").file("d/a", std::string(700, 'a')).symlink("d/l", "a").pax("path", std::string(150, 'p'));
  t.file("x", "content").symlink("up", "d/l").end();
  const Bytes original = t.bytes();
  std::mt19937 rng(1234);
  fs::path archive = tmp.path() / "m.tar";
  int refused = 0;
  // ci/soak raises the count through COCOON_ARCHIVE_FUZZ_ITERATIONS.
  const char* env = std::getenv("COCOON_ARCHIVE_FUZZ_ITERATIONS");
  const int iterations = env ? std::atoi(env) : 400;
  for (int i = 0; i < iterations; ++i) {
    Bytes b = original;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
    if (rng() % 4 == 0) b.resize(rng() % b.size());
    write_bytes(archive, b);
    auto r = list_archive(archive);
    if (!r.ok()) {
      ++refused;
      CHECK(r.error().code == Errc::invalid_input);
      CHECK(r.error().message.find('\n') == std::string::npos);
    } else {
      for (const Member& m : *r) {
        CHECK(m.path.front() != '/');
        std::string padded = "/" + m.path + "/";
        CHECK(padded.find("/../") == std::string::npos);
      }
    }
  }
  CHECK(refused > iterations / 2);  // most corruptions hit a checksum, a path rule or the structure
}

TEST_CASE("a visitor error stops the walk and is returned unchanged") {
  auto tmp = TempDir::create("archive-visit-").value();
  RawTar t;
  t.file("a", "1").file("b", "2").file("c", "3").end();
  fs::path archive = tmp.path() / "v.tar";
  write_bytes(archive, t.bytes());
  class StopAtB : public MemberVisitor {
   public:
    Result<bool> on_member(const Member& m) override {
      seen.push_back(m.path);
      if (m.path == "b") return make_error(Errc::mismatch, "stop at b");
      return true;
    }
    Status on_data(const Member&, ByteView chunk) override {
      bytes += to_string(chunk);
      return Ok{};
    }
    std::vector<std::string> seen;
    std::string bytes;
  } visitor;
  auto s = visit_archive(archive, visitor);
  REQUIRE(!s.ok());
  CHECK(s.error().code == Errc::mismatch);
  CHECK(s.error().message == "stop at b");
  CHECK(visitor.seen == std::vector<std::string>{"a", "b"});
  CHECK(visitor.bytes == "1");
}
