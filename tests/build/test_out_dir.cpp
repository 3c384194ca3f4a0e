// The --out directory is replaced as a whole and only when it is cocoon-build's own.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "build/out_dir.hpp"
#include "core/file_io.hpp"

using namespace cocoon;
using namespace cocoon::build;
namespace fs = std::filesystem;

namespace {

void put(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  REQUIRE(write_file_atomic(p, text).ok());
}

std::string read(const fs::path& p) {
  auto t = read_text_file(p);
  REQUIRE(t.ok());
  return *t;
}

// Everything in `dir` except OUT itself: staging directories must not be left behind.
std::vector<std::string> siblings(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// One run: stage `files`, commit.
Result<std::optional<fs::path>> stage(const fs::path& out, const std::vector<std::string>& files) {
  COCOON_ASSIGN(StagedOutput s, StagedOutput::begin(out));
  for (const auto& f : files) put(s.dir() / f, "content of " + f);
  return s.commit();
}

}  // namespace

TEST_CASE("out dir: a second run replaces the first run's files, leaving none of them behind") {
  auto tmp = TempDir::create().value();
  fs::path out = tmp.path() / "deeper" / "out";
  auto first = stage(out, {"a.bin", "attestation.dsse.json", "logs/1-x.log"});
  REQUIRE(first.ok());
  CHECK_FALSE(first->has_value());
  CHECK(fs::exists(out / "attestation.dsse.json"));
  auto listed = read_output_manifest(out);
  REQUIRE(listed.ok());
  CHECK(*listed == std::set<std::string>{"a.bin", "attestation.dsse.json", "logs/1-x.log"});

  auto second = stage(out, {"a.bin", "b.bin"});
  REQUIRE(second.ok());
  CHECK_FALSE(second->has_value());
  CHECK(read(out / "a.bin") == "content of a.bin");
  CHECK(fs::exists(out / "b.bin"));
  CHECK_FALSE(fs::exists(out / "attestation.dsse.json"));
  CHECK_FALSE(fs::exists(out / "logs"));
  CHECK(siblings(tmp.path() / "deeper") == std::vector<std::string>{"out"});
}

TEST_CASE("out dir: OUT gets the mode the umask asks for, not the staging directory's 0700") {
  auto tmp = TempDir::create().value();
  fs::path out = tmp.path() / "out";
  mode_t old = ::umask(022);
  auto r = stage(out, {"a"});
  ::umask(old);
  REQUIRE(r.ok());
  struct stat st {};
  REQUIRE(::stat(out.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0755);
}

TEST_CASE("out dir: an empty directory is taken over, a directory with foreign files is refused") {
  auto tmp = TempDir::create().value();
  fs::path empty = tmp.path() / "empty";
  fs::create_directories(empty);
  REQUIRE(stage(empty, {"a"}).ok());
  CHECK(fs::exists(empty / "a"));

  fs::path mine = tmp.path() / "home-dir";
  put(mine / "thesis.tex", "years of work");
  auto refused = StagedOutput::begin(mine);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Errc::invalid_input);
  CHECK(refused.error().message.find("is not empty and was not written by cocoon-build") !=
        std::string::npos);
  CHECK(read(mine / "thesis.tex") == "years of work");
  CHECK(siblings(tmp.path()) == std::vector<std::string>{"empty", "home-dir"});

  // A file added beside a previous run's output is not ours to delete.
  fs::path out = tmp.path() / "out";
  REQUIRE(stage(out, {"a", "logs/1-x.log"}).ok());
  put(out / "notes.txt", "mine");
  auto extra = StagedOutput::begin(out);
  REQUIRE_FALSE(extra.ok());
  CHECK(extra.error().message.find("holds notes.txt, which cocoon-build did not write") != std::string::npos);
  put(out / "logs" / "mine.log", "mine");
  fs::remove(out / "notes.txt");
  auto nested = StagedOutput::begin(out);
  REQUIRE_FALSE(nested.ok());
  CHECK(nested.error().message.find("holds logs/mine.log") != std::string::npos);
  fs::remove(out / "logs" / "mine.log");
  fs::create_directories(out / "sub");
  CHECK_FALSE(StagedOutput::begin(out).ok());
  fs::remove(out / "sub");
  CHECK(StagedOutput::begin(out).ok());
}

TEST_CASE("out dir: a symbolic link, a file and a forged manifest are refused and nothing is deleted") {
  auto tmp = TempDir::create().value();
  fs::path target = tmp.path() / "real";
  put(target / "keep.txt", "keep");
  fs::create_directory_symlink(target, tmp.path() / "link");
  auto link = StagedOutput::begin(tmp.path() / "link");
  REQUIRE_FALSE(link.ok());
  CHECK(link.error().message.find("is a symbolic link") != std::string::npos);

  put(tmp.path() / "file", "x");
  auto file = StagedOutput::begin(tmp.path() / "file");
  REQUIRE_FALSE(file.ok());
  CHECK(file.error().message.find("exists and is not a directory") != std::string::npos);

  // A manifest that names a file outside OUT must not make that file deletable.
  put(tmp.path() / "victim.txt", "victim");
  fs::path out = tmp.path() / "out";
  put(out / kOutputManifestName, R"({"schema":"cocoon-build-out/v1","files":["../victim.txt"]})");
  auto forged = StagedOutput::begin(out);
  REQUIRE_FALSE(forged.ok());
  CHECK(forged.error().code == Errc::invalid_input);
  CHECK(forged.error().message.find("not a relative path inside the directory") != std::string::npos);
  for (const char* bad :
       {R"({"schema":"x","files":[]})", R"({"schema":"cocoon-build-out/v1","files":["a//b"]})",
        R"({"schema":"cocoon-build-out/v1","files":["/etc/passwd"]})", "[", "{}"}) {
    INFO(bad);
    put(out / kOutputManifestName, bad);
    CHECK(read_output_manifest(out).error().code == Errc::invalid_input);
  }
  CHECK(read(tmp.path() / "victim.txt") == "victim");
  CHECK(read(target / "keep.txt") == "keep");
}

TEST_CASE("out dir: a file put into OUT while the build ran makes commit refuse, and nothing is deleted") {
  auto tmp = TempDir::create().value();
  fs::path out = tmp.path() / "out";
  REQUIRE(stage(out, {"a"}).ok());
  auto staged = StagedOutput::begin(out);
  REQUIRE(staged.ok());
  put(staged->dir() / "b", "new");
  put(out / "late.txt", "written during the build");
  // OUT is no longer replaceable: commit refuses and leaves both directories alone.
  auto refused = staged->commit();
  REQUIRE_FALSE(refused.ok());
  CHECK(read(out / "late.txt") == "written during the build");
  CHECK(read(out / "a") == "content of a");
}

TEST_CASE("out dir: a staging directory that is never committed is removed") {
  auto tmp = TempDir::create().value();
  fs::path out = tmp.path() / "out";
  REQUIRE(stage(out, {"a"}).ok());
  {
    auto staged = StagedOutput::begin(out);
    REQUIRE(staged.ok());
    put(staged->dir() / "half-written", "x");
  }
  CHECK(siblings(tmp.path()) == std::vector<std::string>{"out"});
  CHECK(read(out / "a") == "content of a");
}
