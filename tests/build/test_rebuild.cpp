// End-to-end rebuilds of the fixture projects through the real cocoon-build binary: real git
// repositories, real compilers, real CMake.
#include <catch2/catch.hpp>
#include <filesystem>

#include "../support/shell.hpp"
#include "core/file_io.hpp"

using namespace cocoon;
using cocoon::test::run_shell;
using cocoon::test::shell_quote;
namespace fs = std::filesystem;

namespace {

const std::string kSource = COCOON_SOURCE_DIR;
const std::string kTool = std::string(COCOON_BINARY_DIR) + "/tools/cocoon-build/cocoon-build";

// Makes the fixture's git repository (fixed dates, so the commit is the one the manifest pins).
std::string make_repo(const fs::path& dir, const std::string& fixture) {
  fs::path repo = dir / (fixture + ".git-src");
  auto r = run_shell(kSource + "/tests/fixtures/make-repo.sh " +
                     shell_quote(kSource + "/tests/fixtures/" + fixture) + " " + shell_quote(repo.string()));
  REQUIRE(r.exit_code == 0);
  return repo.string();
}

std::string read(const fs::path& p) {
  auto t = read_text_file(p);
  REQUIRE(t.ok());
  return *t;
}

bool same_file(const fs::path& a, const fs::path& b) {
  auto x = read_file(a), y = read_file(b);
  REQUIRE(x.ok());
  REQUIRE(y.ok());
  return *x == *y;
}

}  // namespace

TEST_CASE("a plain build of sample-node is not reproducible across directories") {
  auto tmp = TempDir::create();
  REQUIRE(tmp.ok());
  for (const char* d : {"one", "two/deeper"}) {
    fs::path src = tmp->path() / d;
    fs::create_directories(src);
    auto r = run_shell("cp -R " + shell_quote(kSource + "/tests/fixtures/sample-node/.") + " " +
                       shell_quote(src.string()) + " && cd " + shell_quote(src.string()) +
                       " && cmake -S . -B build -G Ninja >/dev/null && cmake --build build >/dev/null");
    REQUIRE(r.exit_code == 0);
  }
  CHECK_FALSE(same_file(tmp->path() / "one/build/sample-node", tmp->path() / "two/deeper/build/sample-node"));
}

TEST_CASE("cocoon-build run gives identical artifacts from different places, zones, locales and umasks") {
  auto tmp = TempDir::create();
  REQUIRE(tmp.ok());
  for (std::string fixture : {"sample-node", "sample-sdk"}) {
    INFO(fixture);
    std::string repo = make_repo(tmp->path(), fixture);
    std::string recipe = kSource + "/manifests/" + fixture + ".json";
    struct Caller {
      std::string name, env, umask;
    };
    const Caller callers[] = {{"a", "TZ=UTC LC_ALL=C.UTF-8", "022"},
                              {"b", "TZ=Asia/Tokyo LC_ALL=C LANG=fr_FR.UTF-8", "077"}};
    for (const auto& c : callers) {
      // Caller b names its work root relative to its current directory.
      std::string rel = "work-" + c.name + "/nested/" + c.name;
      fs::create_directories(tmp->path() / rel);
      std::string work = c.name == "a" ? (tmp->path() / rel).string() : rel;
      auto r = run_shell("cd " + shell_quote(tmp->path().string()) + " && umask " + c.umask + " && env " +
                         c.env + " " + kTool + " run -q " + recipe + " --source " + shell_quote(repo) +
                         " --cache " + shell_quote((tmp->path() / ("cache-" + c.name)).string()) +
                         " --work-root " + shell_quote(work) + " --out " +
                         shell_quote((tmp->path() / (fixture + "-out-" + c.name)).string()));
      INFO(r.output);
      REQUIRE(r.exit_code == 0);
    }
    fs::path a = tmp->path() / (fixture + "-out-a"), b = tmp->path() / (fixture + "-out-b");
    CHECK(read(a / "SHA256SUMS") == read(b / "SHA256SUMS"));
    for (const auto& e : fs::directory_iterator(a)) {
      if (e.path().filename() == "buildinfo.json") continue;
      INFO(e.path().filename().string());
      CHECK(same_file(e.path(), b / e.path().filename()));
    }
    // SHA256SUMS is in sha256sum's format: the standard tool agrees with it.
    auto sums = run_shell("cd " + shell_quote(a.string()) + " && sha256sum -c SHA256SUMS");
    CHECK(sums.exit_code == 0);
    // buildinfo names the commit, the recipe digest and a compiler version.
    std::string info = read(a / "buildinfo.json");
    CHECK(info.find("\"source_date_epoch\": 1735689600") != std::string::npos);
    CHECK(info.find("\"name\": \"cmake\"") != std::string::npos);
    CHECK(info.find("\"name\": \"c++\"") != std::string::npos);
    CHECK(info.find("<worktree>") != std::string::npos);
  }
}

TEST_CASE("the rebuilt sample-node runs and carries the commit's date, not the build's") {
  auto tmp = TempDir::create();
  REQUIRE(tmp.ok());
  std::string repo = make_repo(tmp->path(), "sample-node");
  fs::path out = tmp->path() / "out";
  auto r = run_shell(kTool + " run -q " + kSource + "/manifests/sample-node.json --source " +
                     shell_quote(repo) + " --cache " + shell_quote((tmp->path() / "cache").string()) +
                     " --out " + shell_quote(out.string()));
  REQUIRE(r.exit_code == 0);
  auto run = run_shell(shell_quote((out / "sample-node").string()) + " builder");
  REQUIRE(run.exit_code == 0);
  CHECK(run.output.find("hello, builder") != std::string::npos);
  CHECK(run.output.find("Jan  1 2025 00:00:00") != std::string::npos);
  CHECK(run.output.find("at ./src/main.cpp") != std::string::npos);
  auto list = run_shell("tar --zstd -tvf " + shell_quote((out / "sample-node.tar.zst").string()));
  REQUIRE(list.exit_code == 0);
  CHECK(list.output.find("bin/sample-node") != std::string::npos);
  CHECK(list.output.find("share/cocoon/profiles/worker.conf") != std::string::npos);
  CHECK(list.output.find("2025-01-01 00:00") != std::string::npos);
}

TEST_CASE("cocoon-build check passes on the samples and names what differs on an unreproducible build") {
  auto tmp = TempDir::create();
  REQUIRE(tmp.ok());
  for (std::string fixture : {"sample-node", "sample-sdk"}) {
    INFO(fixture);
    std::string repo = make_repo(tmp->path(), fixture);
    auto r = run_shell(kTool + " check -q " + kSource + "/manifests/" + fixture + ".json --source " +
                       shell_quote(repo) + " --cache " + shell_quote((tmp->path() / "cache").string()));
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.output.find("REPRODUCIBLE") != std::string::npos);
    CHECK(r.output.find("variation build_path") != std::string::npos);
    CHECK(r.output.find("DIFFERS") == std::string::npos);
  }
  std::string repo = make_repo(tmp->path(), "sample-unreproducible");
  auto r = run_shell(kTool + " check -q " + kSource +
                     "/tests/fixtures/recipes/sample-unreproducible.json --source " + shell_quote(repo) +
                     " --cache " + shell_quote((tmp->path() / "cache").string()) +
                     " --variations build_path,domain_host");
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("DIFFERS      unreproducible.tar.zst") != std::string::npos);
  // random.txt sorts after host.txt: the first difference is the host name where the variation
  // could change it, the random number otherwise.
  CHECK((r.output.find("first differing member: share/host.txt") != std::string::npos ||
         r.output.find("first differing member: share/random.txt") != std::string::npos));
}

TEST_CASE("cocoon-build run refusals: each its message and exit code") {
  auto tmp = TempDir::create();
  REQUIRE(tmp.ok());
  std::string repo = make_repo(tmp->path(), "sample-node");
  std::string cache = shell_quote((tmp->path() / "cache").string());
  auto write = [&](const std::string& name, const std::string& text) {
    REQUIRE(write_file_atomic(tmp->path() / name, std::string_view(text)).ok());
    return shell_quote((tmp->path() / name).string());
  };
  const std::string commit = "90755cf1c8492e3b0426c1b01e34752271364fc5";
  auto recipe = [&](const std::string& commit_id, const std::string& steps, const std::string& artifacts) {
    return R"({"schema":"cocoon-recipe/v1","name":"t","version":"1","source":{"url":"x","commit":")" +
           commit_id + R"("},"steps":)" + steps + R"(,"artifacts":)" + artifacts + "}";
  };
  const std::string ok_steps = R"([{"name":"noop","run":["true"]}])";
  const std::string ok_artifacts = R"([{"name":"readme","file":"CMakeLists.txt"}])";

  SECTION("invalid recipe: exit 2") {
    auto r = run_shell(kTool + " run " + write("bad.json", R"({"schema":"cocoon-recipe/v1"})") + " --out " +
                       shell_quote((tmp->path() / "o").string()));
    CHECK(r.exit_code == 2);
    CHECK(r.output == "cocoon-build: error: recipe: missing field \"name\" in recipe\n");
  }
  SECTION("missing commit: exit 12") {
    auto r = run_shell(
        kTool + " run -q " +
        write("missing.json", recipe("1111111111111111111111111111111111111111", ok_steps, ok_artifacts)) +
        " --source " + shell_quote(repo) + " --cache " + cache + " --out " +
        shell_quote((tmp->path() / "o").string()));
    CHECK(r.exit_code == 12);
    CHECK(r.output.find("commit 1111111111111111111111111111111111111111 is not in") != std::string::npos);
  }
  SECTION("failing step: exit 3, names the step, shows the log tail") {
    auto r = run_shell(
        kTool + " run -q " +
        write(
            "fail.json",
            recipe(
                commit,
                R"([{"name":"ok","run":["true"]},{"name":"explode","run":["sh","-c","echo boom-line; exit 7"]}])",
                ok_artifacts)) +
        " --source " + shell_quote(repo) + " --cache " + cache + " --out " +
        shell_quote((tmp->path() / "o").string()));
    CHECK(r.exit_code == 3);
    CHECK(r.output.find("step \"explode\" failed with exit code 7: boom-line") != std::string::npos);
    CHECK(r.output.find("| boom-line") != std::string::npos);
  }
  SECTION("program not found: exit 12") {
    auto r =
        run_shell(kTool + " run -q " +
                  write("noprog.json",
                        recipe(commit, R"([{"name":"x","run":["no-such-program-cocoon"]}])", ok_artifacts)) +
                  " --source " + shell_quote(repo) + " --cache " + cache + " --out " +
                  shell_quote((tmp->path() / "o").string()));
    CHECK(r.exit_code == 12);
    CHECK(r.output.find("program \"no-such-program-cocoon\" is not on PATH") != std::string::npos);
  }
  SECTION("missing artifact: exit 2") {
    auto r =
        run_shell(kTool + " run -q " +
                  write("noart.json", recipe(commit, ok_steps, R"([{"name":"x","file":"build/none"}])")) +
                  " --source " + shell_quote(repo) + " --cache " + cache + " --out " +
                  shell_quote((tmp->path() / "o").string()));
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("artifact \"x\": build/none is not a regular file after the build") !=
          std::string::npos);
  }
  SECTION("unknown option: exit 2") {
    auto r = run_shell(kTool + " run --frobnicate");
    CHECK(r.exit_code == 2);
  }
}
