// Writer round trip, determinism and the writer's refusals.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

#include <catch2/catch.hpp>
#include <random>

#include "archive/archive.hpp"
#include "archive/tar_header.hpp"
#include "archive_test_util.hpp"
#include "core/file_io.hpp"
#include "crypto/hash.hpp"

using namespace cocoon;
using namespace cocoon::archive;
using namespace archive_test;
namespace fs = std::filesystem;

namespace {

const std::string kLongDir =
    std::string(60, 'd') + "/" + std::string(70, 'e');  // 131 bytes: ustar prefix split
const std::string kVeryLong =
    std::string(120, 'x') + "/" + std::string(120, 'y') + "/" + std::string(120, 'z');

// A tree exercising every member kind and both long-name mechanisms.
void make_sample_tree(const fs::path& root) {
  write_text(root / "README", "hello\n", 0600);
  write_text(root / "bin/tool", "#!/bin/sh\necho hi\n", 0700);
  write_text(root / "bin/half-exec", "x", 0610);  // group x only: still executable
  write_text(root / "lib/libfoo.so.1", std::string(3000, 'L'), 0664);
  fs::create_directory_symlink("libfoo.so.1", root / "lib/libfoo.so");
  fs::create_symlink("../README", root / "bin/readme-link");
  fs::create_directories(root / "empty-dir");
  write_text(root / "empty-file", "", 0644);
  write_text(root / kLongDir / "file.txt", "long\n");
  write_text(root / kVeryLong / "f", "very long\n");
  fs::create_directories(root / "lib/deep");
  fs::create_symlink(
      "../../" + std::string(120, 'x') + "/" + std::string(120, 'y') + "/" + std::string(120, 'z') + "/f",
      root / "lib/deep/long-target-link");
  write_text(root / "caf\xc3\xa9.txt", "utf8\n");
}

std::vector<std::string> member_paths(const std::vector<Member>& members) {
  std::vector<std::string> out;
  for (const auto& m : members) out.push_back(m.path);
  return out;
}

Bytes file_bytes(const fs::path& p) {
  auto r = read_file(p);
  REQUIRE(r.ok());
  return r.value();
}

}  // namespace

TEST_CASE("pack, list and extract round-trip a tree with normalised metadata") {
  auto tmp = TempDir::create("archive-rt-").value();
  fs::path src = tmp.path() / "src";
  make_sample_tree(src);
  fs::path out = tmp.path() / "out.tar.zst";
  auto summary = pack_directory(src, out, {.mtime = 1700000000, .zstd_level = 3, .threads = 2});
  REQUIRE(summary.ok());
  CHECK(summary->size == fs::file_size(out));
  CHECK(summary->sha256 == crypto::sha256_hex(file_bytes(out)));
  CHECK(summary->compressor.find("level=3") != std::string::npos);
  CHECK(summary->compressor.find(zstd_library_version()) != std::string::npos);

  auto members = list_archive(out);
  INFO((members.ok() ? "" : members.error().message));
  REQUIRE(members.ok());
  CHECK(members->size() == summary->entries);
  std::map<std::string, Member> by_path;
  for (const auto& m : *members) by_path[m.path] = m;
  for (const auto& m : *members) {
    CHECK(m.mtime == 1700000000);
    CHECK(m.path.rfind("./", 0) != 0);
  }
  CHECK(by_path.at("README").mode == 0644);
  CHECK(by_path.at("README").sha256 == crypto::sha256_hex(std::string_view("hello\n")));
  CHECK(by_path.at("bin/").type == MemberType::directory);
  CHECK(by_path.at("bin/").mode == 0755);
  CHECK(by_path.at("bin/tool").mode == 0755);
  CHECK(by_path.at("bin/half-exec").mode == 0755);
  CHECK(by_path.at("lib/libfoo.so.1").mode == 0644);
  CHECK(by_path.at("lib/libfoo.so.1").size == 3000);
  CHECK(by_path.at("lib/libfoo.so").type == MemberType::symlink);
  CHECK(by_path.at("lib/libfoo.so").link_target == "libfoo.so.1");
  CHECK(by_path.at("bin/readme-link").link_target == "../README");
  CHECK(by_path.at("empty-dir/").type == MemberType::directory);
  CHECK(by_path.at("empty-file").size == 0);
  CHECK(by_path.count(kLongDir + "/file.txt") == 1);
  CHECK(by_path.count(kVeryLong + "/f") == 1);
  CHECK(by_path.at("lib/deep/long-target-link").link_target.size() > 300);
  CHECK(by_path.count("caf\xc3\xa9.txt") == 1);

  auto content = read_member(out, "lib/libfoo.so.1", 1 << 20);
  REQUIRE(content.ok());
  CHECK(to_string(*content) == std::string(3000, 'L'));
  CHECK(read_member(out, "lib/libfoo.so.1", 100).error().code == Errc::invalid_input);
  CHECK(read_member(out, "nope", 100).error().code == Errc::not_found);
  CHECK(read_member(out, "bin/", 100).error().code == Errc::not_found);

  fs::path dest = tmp.path() / "dest";
  auto ex = extract_archive(out, dest);
  REQUIRE(ex.ok());
  for (const auto& m : *members) {
    fs::path p = dest / m.path;
    struct stat st;
    REQUIRE(::lstat(p.c_str(), &st) == 0);
    CHECK(st.st_mtime == 1700000000);
    switch (m.type) {
      case MemberType::file:
        CHECK(S_ISREG(st.st_mode));
        CHECK((st.st_mode & 07777) == m.mode);
        CHECK(crypto::sha256_hex(file_bytes(p)) == m.sha256);
        CHECK(file_bytes(p) == file_bytes(src / m.path));
        break;
      case MemberType::directory:
        CHECK(S_ISDIR(st.st_mode));
        CHECK((st.st_mode & 07777) == 0755);
        break;
      case MemberType::symlink:
        CHECK(S_ISLNK(st.st_mode));
        CHECK(fs::read_symlink(p).string() == m.link_target);
        break;
    }
  }
  // Re-packing the extracted tree gives the same bytes.
  fs::path again = tmp.path() / "again.tar.zst";
  auto summary2 = pack_directory(dest, again, {.mtime = 1700000000});
  REQUIRE(summary2.ok());
  CHECK(summary2->sha256 == summary->sha256);
  // Extraction never overwrites.
  CHECK(extract_archive(out, dest).error().message.find("already exists") != std::string::npos);
}

TEST_CASE("members are sorted bytewise with directories before their contents") {
  auto tmp = TempDir::create("archive-order-").value();
  fs::path src = tmp.path() / "src";
  for (const char* f : {"a/x", "a-b", "a.c", "B", "\xc3\xa9", "a/b/c", "ab"}) write_text(src / f, f);
  auto out = tmp.path() / "o.tar.zst";
  REQUIRE(pack_directory(src, out, {}).ok());
  auto members = list_archive(out);
  INFO((members.ok() ? "" : members.error().message));
  REQUIRE(members.ok());
  CHECK(member_paths(*members) ==
        std::vector<std::string>{"B", "a-b", "a.c", "a/", "a/b/", "a/b/c", "a/x", "ab", "\xc3\xa9"});
}

TEST_CASE("an empty directory packs to the end-of-archive marker only") {
  auto tmp = TempDir::create("archive-empty-").value();
  fs::create_directory(tmp.path() / "src");
  auto out = tmp.path() / "o.tar.zst";
  auto s = pack_directory(tmp.path() / "src", out, {});
  REQUIRE(s.ok());
  CHECK(s->entries == 0);
  auto nonzero = run("zstd -dc " + shell_quote(out.string()) + " | tr -d '\\000' | wc -c");
  CHECK(std::stoi(nonzero.out) == 0);
  auto tar_size = run("zstd -dc " + shell_quote(out.string()) + " | wc -c");
  CHECK(std::stoi(tar_size.out) == 1024);
}

TEST_CASE("pack output does not depend on umask, mtimes, owners, permissions, creation order or threads") {
  auto tmp = TempDir::create("archive-det-").value();
  std::mt19937_64 rng(42);
  std::string big(20u << 20, '\0');  // spans several 8 MiB zstd jobs
  for (std::size_t i = 0; i < big.size(); i += 8) {
    std::uint64_t v = (i / 4096) % 2 ? rng() : i;  // alternate random and compressible pages
    std::memcpy(big.data() + i, &v, 8);
  }
  std::vector<std::pair<std::string, std::string>> files = {{"bin/run", "#!/bin/sh\n"},
                                                            {"data/big.bin", big},
                                                            {"data/a.txt", "a"},
                                                            {"data/z/deep.txt", "deep"},
                                                            {"top", "t"}};

  auto make_tree = [&](const fs::path& root, bool variant) {
    mode_t old = ::umask(variant ? 077 : 0);
    auto order = files;
    if (variant) std::reverse(order.begin(), order.end());
    for (auto& [name, content] : order) {
      bool exec = name == "bin/run";
      mode_t mode = exec ? (variant ? 0700 : 0775) : (variant ? 0600 : 0666);
      fs::create_directories((root / name).parent_path());
      int fd = ::open((root / name).c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
      REQUIRE(fd >= 0);
      REQUIRE(::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
      ::close(fd);
      if (variant) {
        REQUIRE(::chown((root / name).c_str(), 1234, 5678) == 0);
        struct timespec times[2] = {{12345, 0}, {12345, 0}};
        REQUIRE(::utimensat(AT_FDCWD, (root / name).c_str(), times, 0) == 0);
      }
    }
    fs::create_symlink("../top", root / "bin/top-link");
    if (variant) ::chmod((root / "data").c_str(), 0700);
    ::umask(old);
  };
  make_tree(tmp.path() / "t1", false);
  make_tree(tmp.path() / "t2", true);

  auto pack = [&](const fs::path& src, int threads, mode_t umask_during) {
    mode_t old = ::umask(umask_during);
    auto out = tmp.path() / ("o-" + src.filename().string() + "-" + std::to_string(threads) + ".tar.zst");
    auto s = pack_directory(src, out, {.mtime = 1600000000, .zstd_level = 3, .threads = threads});
    ::umask(old);
    REQUIRE(s.ok());
    CHECK(s->sha256 == crypto::sha256_hex(file_bytes(out)));
    CHECK((fs::status(out).permissions() & fs::perms::all) == static_cast<fs::perms>(0644));
    return s->sha256;
  };
  std::string reference = pack(tmp.path() / "t1", 1, 022);
  CHECK(pack(tmp.path() / "t1", 1, 022) == reference);  // same run twice
  CHECK(pack(tmp.path() / "t1", 2, 077) == reference);
  CHECK(pack(tmp.path() / "t2", 4, 0) == reference);
  CHECK(pack(tmp.path() / "t2", 0, 022) == reference);
  // The parameters are part of the contract: another level is another archive.
  auto other =
      pack_directory(tmp.path() / "t1", tmp.path() / "lvl.tar.zst", {.mtime = 1600000000, .zstd_level = 4});
  REQUIRE(other.ok());
  CHECK(other->sha256 != reference);
}

TEST_CASE("pack refuses an absolute symlink") {
  auto tmp = TempDir::create("archive-abs-").value();
  write_text(tmp.path() / "src/a", "a");
  fs::create_symlink("/etc/passwd", tmp.path() / "src/link");
  auto r = pack_directory(tmp.path() / "src", tmp.path() / "o.tar.zst", {});
  REQUIRE(!r.ok());
  CHECK(r.error().message == "symlink link has an absolute target: /etc/passwd");
  CHECK(!fs::exists(tmp.path() / "o.tar.zst"));
  CHECK(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()) ==
        1);  // src, no temp file
}

TEST_CASE("pack refuses symlinks resolving outside the tree") {
  auto tmp = TempDir::create("archive-esc-").value();
  auto attempt = [&](const std::string& link, const std::string& target) {
    fs::remove_all(tmp.path() / "src");
    write_text(tmp.path() / "src/sub/f", "f");
    fs::create_symlink(target, tmp.path() / "src" / link);
    return pack_directory(tmp.path() / "src", tmp.path() / "o.tar.zst", {});
  };
  auto r = attempt("up", "../outside");
  REQUIRE(!r.ok());
  CHECK(r.error().message == "symlink up -> ../outside leaves the archive tree");
  r = attempt("sub/up2", "../../x");
  REQUIRE(!r.ok());
  CHECK(r.error().message.find("leaves the archive tree") != std::string::npos);
  // Through another symlink: "self" is the root, so self/.. is above it.
  fs::remove_all(tmp.path() / "src");
  write_text(tmp.path() / "src/f", "f");
  fs::create_symlink(".", tmp.path() / "src/self");
  fs::create_symlink("self/../etc", tmp.path() / "src/sneaky");
  r = pack_directory(tmp.path() / "src", tmp.path() / "o.tar.zst", {});
  REQUIRE(!r.ok());
  CHECK(r.error().message == "symlink sneaky -> self/../etc leaves the archive tree");
  // Staying inside is fine, including through other links and dangling targets.
  r = attempt("sub/ok", "../sub/./f");
  CHECK(r.ok());
  r = attempt("dangling", "sub/missing");
  CHECK(r.ok());
}

TEST_CASE("pack refuses fifos, sockets and device files") {
  auto tmp = TempDir::create("archive-dev-").value();
  write_text(tmp.path() / "src/a", "a");
  REQUIRE(::mkfifo((tmp.path() / "src/fifo").c_str(), 0644) == 0);
  auto r = pack_directory(tmp.path() / "src", tmp.path() / "o.tar.zst", {});
  REQUIRE(!r.ok());
  CHECK(r.error().message == "refusing to pack fifo: it is a fifo");
  fs::remove(tmp.path() / "src/fifo");

  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(s >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string sock_path = (tmp.path() / "src/sock").string();
  REQUIRE(sock_path.size() < sizeof addr.sun_path);
  std::strcpy(addr.sun_path, sock_path.c_str());
  REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  ::close(s);
  r = pack_directory(tmp.path() / "src", tmp.path() / "o.tar.zst", {});
  REQUIRE(!r.ok());
  CHECK(r.error().message == "refusing to pack sock: it is a socket");
  fs::remove(tmp.path() / "src/sock");

  // Creating a device node needs CAP_MKNOD; containers often lack it.
  if (::mknod((tmp.path() / "src/null").c_str(), S_IFCHR | 0644, makedev(1, 3)) == 0) {
    r = pack_directory(tmp.path() / "src", tmp.path() / "o.tar.zst", {});
    REQUIRE(!r.ok());
    CHECK(r.error().message == "refusing to pack null: it is a character device");
  } else {
    WARN("mknod not permitted here; device refusal covered by the fifo/socket cases");
  }
  CHECK(!fs::exists(tmp.path() / "o.tar.zst"));
}

TEST_CASE("pack refuses names it cannot represent and an output inside the tree") {
  auto tmp = TempDir::create("archive-names-").value();
  write_text(tmp.path() /
                 "src/bad\xff"
                 "name",
             "x");
  auto r = pack_directory(tmp.path() / "src", tmp.path() / "o.tar.zst", {});
  REQUIRE(!r.ok());
  CHECK(r.error().message.find("file name is not valid UTF-8") == 0);
  fs::remove_all(tmp.path() / "src");
  write_text(tmp.path() / "src/new\nline", "x");
  r = pack_directory(tmp.path() / "src", tmp.path() / "o.tar.zst", {});
  REQUIRE(!r.ok());
  CHECK(r.error().message.find("file name contains a control character") == 0);
  fs::remove_all(tmp.path() / "src");
  write_text(tmp.path() / "src/ok", "x");
  r = pack_directory(tmp.path() / "src", tmp.path() / "src/o.tar.zst", {});
  REQUIRE(!r.ok());
  CHECK(r.error().message.find("lies inside the packed directory") != std::string::npos);
  r = pack_directory(tmp.path() / "src", tmp.path() / "o.tar.zst", {.mtime = -1});
  REQUIRE(!r.ok());
  CHECK(r.error().code == Errc::invalid_input);
  r = pack_directory(tmp.path() / "src", tmp.path() / "o.tar.zst", {.zstd_level = 40});
  REQUIRE(!r.ok());
  CHECK(r.error().message == "zstd level must be 1..19, got 40");
  r = pack_directory(tmp.path() / "missing", tmp.path() / "o.tar.zst", {});
  REQUIRE(!r.ok());
  CHECK(r.error().code == Errc::not_found);
}

TEST_CASE("names use the ustar prefix when they fit and a pax header only otherwise") {
  auto tmp = TempDir::create("archive-pax-").value();
  fs::path src = tmp.path() / "src";
  make_sample_tree(src);
  fs::path out = tmp.path() / "o.tar.zst";
  REQUIRE(pack_directory(src, out, {}).ok());
  // kLongDir and its file fit prefix+name; the three kVeryLong directories, its file and the long
  // symlink target do not.
  auto r = run("zstd -dc " + shell_quote(out.string()) + " | grep -ao PaxHeader | wc -l");
  CHECK(std::stoi(r.out) == 5);
  r = run("zstd -dc " + shell_quote(out.string()) + " | grep -ao 'linkpath=' | wc -l");
  CHECK(std::stoi(r.out) == 1);
}

TEST_CASE("sizes beyond 11 octal digits are written as a pax size record") {
  HeaderSpec spec;
  spec.path = "huge.bin";
  spec.size = 9ull << 30;
  spec.mtime = 7;
  Bytes out;
  encode_member_header(spec, out);
  REQUIRE(out.size() == 3 * 512);  // pax header, its records, the ustar header
  Block pax_block, member_block;
  std::copy_n(out.begin(), 512, pax_block.begin());
  std::copy_n(out.begin() + 1024, 512, member_block.begin());
  auto pax = decode_header(pax_block, 0);
  REQUIRE(pax.ok());
  CHECK(pax->typeflag == 'x');
  auto records =
      parse_pax_records(std::string_view(reinterpret_cast<const char*>(out.data() + 512), pax->size));
  REQUIRE(records.ok());
  CHECK(*records == std::map<std::string, std::string>{{"size", "9663676416"}});
  auto member = decode_header(member_block, 1024);
  REQUIRE(member.ok());
  CHECK(member->name == "huge.bin");
  CHECK(member->size == 0);
  CHECK(member->mtime == 7);
}
