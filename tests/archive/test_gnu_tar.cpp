// Interoperability with GNU tar in both directions.
#include <catch2/catch.hpp>
#include <sstream>

#include "archive/archive.hpp"
#include "archive_test_util.hpp"
#include "core/file_io.hpp"

using namespace cocoon;
using namespace cocoon::archive;
using namespace archive_test;
namespace fs = std::filesystem;

namespace {

const std::string kLongPath = std::string(150, 'p') + "/" + std::string(150, 'q') + "/long.txt";
// 138 bytes: stored with the ustar prefix field, no pax header.
const std::string kPrefixPath = std::string(60, 'd') + "/" + std::string(70, 'e') + "/pre.txt";

fs::path make_and_pack(const fs::path& tmp) {
  fs::path src = tmp / "src";
  write_text(src / "README", "hello\n", 0600);
  write_text(src / "bin/tool", "#!/bin/sh\n", 0700);
  fs::create_symlink("../README", src / "bin/readme");
  write_text(src / kLongPath, "long\n", 0640);
  write_text(src / kPrefixPath, "prefix\n", 0755);
  fs::path out = tmp / "o.tar.zst";
  REQUIRE(pack_directory(src, out, {.mtime = 1700000000}).ok());
  return out;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE("GNU tar lists our archive with the normalised metadata") {
  auto tmp = TempDir::create("archive-gnu-list-").value();
  fs::path out = make_and_pack(tmp.path());
  auto r = run("TZ=UTC tar --zstd --numeric-owner --full-time -tvf " + shell_quote(out.string()) + " 2>&1");
  REQUIRE(r.status == 0);
  std::string when = " 2023-11-14 22:13:20 ";
  std::string pdir = std::string(150, 'p') + "/";
  std::string qdir = pdir + std::string(150, 'q') + "/";
  std::vector<std::string> expected = {
      "-rw-r--r-- 0/0               6" + when + "README",
      "drwxr-xr-x 0/0               0" + when + "bin/",
      "lrwxrwxrwx 0/0               0" + when + "bin/readme -> ../README",
      "-rwxr-xr-x 0/0              10" + when + "bin/tool",
      "drwxr-xr-x 0/0               0" + when + std::string(60, 'd') + "/",
      "drwxr-xr-x 0/0               0" + when + std::string(60, 'd') + "/" + std::string(70, 'e') + "/",
      "-rwxr-xr-x 0/0               7" + when + kPrefixPath,
      "drwxr-xr-x 0/0               0" + when + pdir,
      "drwxr-xr-x 0/0               0" + when + qdir,
      "-rw-r--r-- 0/0               5" + when + kLongPath,
  };
  CHECK(lines(r.out) == expected);
}

TEST_CASE("GNU tar extracts our archive") {
  auto tmp = TempDir::create("archive-gnu-x-").value();
  fs::path out = make_and_pack(tmp.path());
  fs::create_directory(tmp.path() / "x");
  auto r = run("zstd -dc " + shell_quote(out.string()) + " | tar -x -C " +
               shell_quote((tmp.path() / "x").string()) + " 2>&1");
  REQUIRE(r.status == 0);
  CHECK(r.out.empty());  // no warnings (e.g. about unknown pax keywords or a lone zero block)
  CHECK(read_text(tmp.path() / "x/README") == "hello\n");
  CHECK(read_text(tmp.path() / "x" / kLongPath) == "long\n");
  CHECK(read_text(tmp.path() / "x" / kPrefixPath) == "prefix\n");
  CHECK(fs::read_symlink(tmp.path() / "x/bin/readme") == "../README");
  CHECK((fs::status(tmp.path() / "x/bin/tool").permissions() & fs::perms::owner_exec) != fs::perms::none);
  CHECK(fs::last_write_time(tmp.path() / "x/README").time_since_epoch() ==
        fs::last_write_time(tmp.path() / "x/bin/tool").time_since_epoch());
}

TEST_CASE("our reader accepts GNU tar's ustar and pax archives") {
  auto tmp = TempDir::create("archive-gnu-read-").value();
  write_text(tmp.path() / "src/a/b.txt", "b\n");
  write_text(tmp.path() / "src" / kLongPath, "long\n");
  for (std::string format : {"posix", "ustar"}) {
    fs::path tar = tmp.path() / (format + ".tar");
    auto r = run("tar --format=" + format + " --sort=name --owner=0 --group=0 --numeric-owner -C " +
                 shell_quote((tmp.path() / "src").string()) + " -cf " + shell_quote(tar.string()) + " a " +
                 (format == "posix" ? std::string(150, 'p') : std::string()) + " 2>&1");
    INFO(r.out);
    REQUIRE(r.status == 0);
    auto members = list_archive(tar);
    INFO(format);
    REQUIRE(members.ok());
    CHECK(members->at(0).path == "a/");
    CHECK(members->at(1).path == "a/b.txt");
    auto content = read_member(tar, "a/b.txt", 100);
    REQUIRE(content.ok());
    CHECK(to_string(*content) == "b\n");
    if (format == "posix") {
      CHECK(members->back().path == kLongPath);
    }
  }
}
