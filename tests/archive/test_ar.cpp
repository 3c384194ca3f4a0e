// normalize_ar against real archives made by /usr/bin/ar.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "archive/archive.hpp"
#include "archive_test_util.hpp"
#include "core/file_io.hpp"

using namespace cocoon;
using namespace cocoon::archive;
using namespace archive_test;
namespace fs = std::filesystem;

namespace {

// Two objects (one with a name longer than 15 bytes, so ar writes a "//" long-name table) with
// different owners and timestamps.
fs::path make_objects(const fs::path& dir) {
  write_text(dir / "a.c", "int alpha(void) { return 1; }\n");
  write_text(dir / "a_rather_long_object_name.c", "int beta(void) { return 2; }\n");
  auto r = run("cd " + shell_quote(dir.string()) + " && cc -c a.c a_rather_long_object_name.c 2>&1");
  REQUIRE(r.status == 0);
  REQUIRE(::chown((dir / "a.o").c_str(), 1234, 5678) == 0);
  REQUIRE(::chmod((dir / "a.o").c_str(), 0600) == 0);
  run("touch -d @1000000000 " + shell_quote((dir / "a.o").string()));
  run("touch -d @1500000000 " + shell_quote((dir / "a_rather_long_object_name.o").string()));
  return dir;
}

Bytes bytes_of(const fs::path& p) {
  return read_file(p).value();
}

}  // namespace

TEST_CASE("normalize_ar turns an `ar rcU` archive into the bytes of `ar rcD`") {
  auto tmp = TempDir::create("archive-ar-").value();
  fs::path dir = make_objects(tmp.path());
  std::string cd = "cd " + shell_quote(dir.string()) + " && ";
  REQUIRE(run(cd + "ar rcU u.a a.o a_rather_long_object_name.o 2>&1").status == 0);
  REQUIRE(run(cd + "ar rcD d.a a.o a_rather_long_object_name.o 2>&1").status == 0);
  REQUIRE(bytes_of(dir / "u.a") != bytes_of(dir / "d.a"));
  ::chmod((dir / "u.a").c_str(), 0640);

  auto changed = normalize_ar(dir / "u.a");
  REQUIRE(changed.ok());
  CHECK(*changed);
  CHECK(bytes_of(dir / "u.a") == bytes_of(dir / "d.a"));
  CHECK((fs::status(dir / "u.a").permissions() & fs::perms::all) == static_cast<fs::perms>(0640));
  // Idempotent, and already-deterministic archives are left alone.
  CHECK(normalize_ar(dir / "u.a").value() == false);
  CHECK(normalize_ar(dir / "d.a").value() == false);
  // The linker still reads it.
  CHECK(run(cd + "nm u.a | grep -c ' T '").out == "2\n");
  // No temporary files left behind.
  for (const auto& e : fs::directory_iterator(dir))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("normalize_ar refuses malformed and thin archives") {
  auto tmp = TempDir::create("archive-ar-bad-").value();
  fs::path dir = make_objects(tmp.path());
  std::string cd = "cd " + shell_quote(dir.string()) + " && ";
  REQUIRE(run(cd + "ar rcU u.a a.o a_rather_long_object_name.o 2>&1").status == 0);
  Bytes good = bytes_of(dir / "u.a");

  auto expect_refused = [&](const Bytes& content, const std::string& why) {
    write_bytes(dir / "bad.a", content);
    auto r = normalize_ar(dir / "bad.a");
    REQUIRE(!r.ok());
    CHECK(r.error().code == Errc::invalid_input);
    CHECK(r.error().message.find(why) != std::string::npos);
    CHECK(bytes_of(dir / "bad.a") == content);  // untouched
  };
  expect_refused(Bytes(good.begin(), good.end() - 10), "truncated member data");
  expect_refused(Bytes(good.begin(), good.begin() + 8 + 30), "truncated member header at offset 8");
  Bytes bad_magic = good;
  bad_magic[2] = 'X';
  expect_refused(bad_magic, "missing \"!<arch>\" magic");
  Bytes bad_fmag = good;
  bad_fmag[8 + 58] = 'X';
  expect_refused(bad_fmag, "bad member header terminator at offset 8");
  Bytes bad_size = good;
  bad_size[8 + 48] = 'z';
  expect_refused(bad_size, "member size is not a decimal number at offset 8");
  expect_refused(to_bytes("!<ar"), "shorter than the ar magic");

  REQUIRE(run(cd + "ar rcT thin.a a.o 2>&1").status == 0);
  auto thin = normalize_ar(dir / "thin.a");
  REQUIRE(!thin.ok());
  CHECK(thin.error().code == Errc::unsupported);
  CHECK(normalize_ar(dir / "missing.a").error().code == Errc::not_found);
}

TEST_CASE("normalize_static_libraries normalises every .a below a directory") {
  auto tmp = TempDir::create("archive-ar-tree-").value();
  fs::path dir = make_objects(tmp.path() / "objs");
  std::string cd = "cd " + shell_quote(dir.string()) + " && ";
  fs::path tree = tmp.path() / "tree";
  fs::create_directories(tree / "lib/sub");
  REQUIRE(run(cd + "ar rcU " + shell_quote((tree / "lib/libone.a").string()) + " a.o").status == 0);
  REQUIRE(run(cd + "ar rcU " + shell_quote((tree / "lib/sub/libtwo.a").string()) +
              " a.o a_rather_long_object_name.o")
              .status == 0);
  REQUIRE(run(cd + "ar rcD " + shell_quote((tree / "lib/libdet.a").string()) + " a.o").status == 0);
  fs::create_symlink("libone.a", tree / "lib/liblink.a");
  write_text(tree / "lib/notes.txt", "not a library");
  auto n = normalize_static_libraries(tree);
  REQUIRE(n.ok());
  CHECK(*n == 2);
  CHECK(bytes_of(tree / "lib/libone.a") == bytes_of(tree / "lib/libdet.a"));
  CHECK(normalize_static_libraries(tree).value() == 0);
  write_text(tree / "lib/fake.a", "not an archive");
  CHECK(!normalize_static_libraries(tree).ok());
}
