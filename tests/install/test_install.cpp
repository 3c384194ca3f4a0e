// Installing cocoon-release: --version on every tool, the generated man pages and bash completions,
// `cmake --install`, a build without the tests, and the self-rebuild recipe (its full run under
// `cocoon-build check` is tests/install/self-rebuild.sh, in ci/soak).
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "../support/doc_blocks.hpp"
#include "../support/doc_commands.hpp"
#include "../support/shell.hpp"
#include "build/recipe.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"

using namespace cocoon;
using cocoon::test::run_shell;
using cocoon::test::shell_quote;
namespace fs = std::filesystem;

namespace {

const std::string kSource = COCOON_SOURCE_DIR;
const std::string kBinary = COCOON_BINARY_DIR;
const std::vector<std::string> kTools = {"cocoon-build", "cocoon-sign", "cocoon-log", "cocoon-verify"};

std::string tool_path(const std::string& tool) {
  return kBinary + "/tools/" + tool + "/" + tool;
}

std::string read(const fs::path& p) {
  auto t = read_text_file(p);
  REQUIRE(t.ok());
  return *t;
}

// Runs a command with stdout and stderr apart: stderr goes to a file so the test can require it empty.
struct Split {
  int exit_code;
  std::string out, err;
};
Split run_split(const std::string& command, const fs::path& scratch) {
  fs::path err = scratch / "stderr.txt";
  auto r = run_shell(command + " 2>" + shell_quote(err.string()));
  return {r.exit_code, r.output, read(err)};
}

// The subcommands `tool [PATH] --help` lists under "Subcommands:" (CLI11's layout: two spaces, name).
std::vector<std::string> help_subcommands(const std::string& help) {
  std::vector<std::string> names;
  std::istringstream in(help);
  bool in_section = false;
  for (std::string line; std::getline(in, line);) {
    if (line == "Subcommands:") {
      in_section = true;
      continue;
    }
    if (in_section) {
      std::smatch m;
      if (std::regex_search(line, m, std::regex("^  ([a-z][a-z0-9-]*)")))
        names.push_back(m[1]);
      else if (!line.empty() && line[0] != ' ')
        in_section = false;
    }
  }
  return names;
}

std::set<std::string> long_options(const std::string& help) {
  std::set<std::string> out;
  std::regex re("--[a-z][a-z0-9-]*");
  for (auto it = std::sregex_iterator(help.begin(), help.end(), re); it != std::sregex_iterator(); ++it)
    out.insert(it->str());
  return out;
}

// Every command path of a tool ("", "frost", "frost dkg", ...), read from its --help output.
void command_paths(const std::string& tool, const std::string& path, std::vector<std::string>& out) {
  out.push_back(path);
  auto r = run_shell(tool_path(tool) + " " + path + " --help");
  REQUIRE(r.exit_code == 0);
  for (const std::string& sub : help_subcommands(r.output))
    command_paths(tool, path.empty() ? sub : path + " " + sub, out);
}

// COMPREPLY for a command line typed so far (the last word is the one being completed).
std::vector<std::string> complete(const fs::path& script, const std::string& function,
                                  const std::vector<std::string>& words) {
  std::string array;
  for (const auto& w : words) array += " " + shell_quote(w);
  std::string program = "source " + shell_quote(script.string()) + "; COMP_WORDS=(" + array +
                        "); COMP_CWORD=" + std::to_string(words.size() - 1) + "; " + function +
                        "; printf '%s\\n' \"${COMPREPLY[@]}\"";
  auto r = run_shell("bash --norc --noprofile -c " + shell_quote(program));
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> out;
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

// Installs the build into a fresh prefix once for the tests below.
const fs::path& installed_prefix() {
  static TempDir dir = [] {
    auto t = TempDir::create("cocoon-install-");
    REQUIRE(t.ok());
    return std::move(t).value();
  }();
  static bool done = false;
  if (!done) {
    auto r = run_shell("cmake --install " + shell_quote(kBinary) + " --prefix " +
                       shell_quote(dir.path().string()));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    done = true;
  }
  return dir.path();
}

}  // namespace

TEST_CASE("every tool prints its name, version, commit, build type and compiler with --version") {
  std::set<std::string> commits;
  std::string generated = read(fs::path(kBinary) / "tools/build_info.cpp");
  for (const auto& tool : kTools) {
    auto r = run_shell(tool_path(tool) + " --version");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    std::smatch m;
    REQUIRE(
        std::regex_match(r.output, m,
                         std::regex(tool + " " + COCOON_TEST_VERSION + " \\(commit ([A-Za-z0-9._+/-]+), " +
                                    COCOON_TEST_BUILD_TYPE + ", ([^)]+)\\)\n")));
    commits.insert(m[1]);
    // The commit is the one the build wrote into the generated source, nothing computed at run time.
    CHECK(generated.find("\"" + m[1].str() + "\"") != std::string::npos);
    if (std::string(COCOON_TEST_PINNED_COMMIT).empty()) {
      CHECK(std::regex_match(m[1].str(), std::regex("unknown|.*[0-9a-f]{12}(-dirty)?")));
    } else {
      CHECK(m[1] == COCOON_TEST_PINNED_COMMIT);
    }
  }
  CHECK(commits.size() == 1);
}

TEST_CASE("version: --version --json prints the same facts as one JSON object") {
  for (const auto& tool : kTools) {
    auto text = run_shell(tool_path(tool) + " --version");
    auto json = run_shell(tool_path(tool) + " --version --json");
    REQUIRE(text.exit_code == 0);
    REQUIRE(json.exit_code == 0);
    auto j = parse_json(json.output);
    REQUIRE(j.ok());
    REQUIRE(j->size() == 5);
    std::string rebuilt = j->at("tool").get<std::string>() + " " + j->at("version").get<std::string>() +
                          " (commit " + j->at("commit").get<std::string>() + ", " +
                          j->at("build_type").get<std::string>() + ", " +
                          j->at("compiler").get<std::string>() + ")\n";
    CHECK(rebuilt == text.output);
    CHECK(j->at("tool") == tool);
  }
}

TEST_CASE("version: --json without --version is a command-line error") {
  auto r = run_shell(tool_path("cocoon-sign") + " --json");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("--version") != std::string::npos);
}

TEST_CASE("cmake/BuildInfo.cmake takes git describe of this checkout only, marks it dirty, or says unknown") {
  auto tmp = TempDir::create();
  REQUIRE(tmp.ok());
  fs::path repo = tmp->path() / "repo", out = tmp->path() / "build_info.cpp";
  fs::create_directories(repo / "sub");
  auto git = [&](const std::string& args) {
    auto r = run_shell("cd " + shell_quote(repo.string()) +
                       " && GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=t "
                       "GIT_AUTHOR_EMAIL=t@t.invalid GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t.invalid "
                       "GIT_AUTHOR_DATE=2025-01-01T00:00:00Z GIT_COMMITTER_DATE=2025-01-01T00:00:00Z git " +
                       args);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    return r.output;
  };
  auto generate = [&](const fs::path& source, const std::string& commit) {
    auto r = run_shell("cmake -DSOURCE_DIR=" + shell_quote(source.string()) +
                       " -DOUTPUT=" + shell_quote(out.string()) +
                       " -DVERSION=1.2.3 '-DCOMPILER=GNU 12.2.0' " + shell_quote("-DCOMMIT=" + commit) +
                       " -P " + shell_quote(kSource + "/cmake/BuildInfo.cmake"));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    return read(out);
  };
  std::ofstream(repo / "sub/file.txt") << "one\n";
  git("-c init.defaultBranch=main init -q . && git add -A && git -c commit.gpgSign=false commit -q -m one");
  std::string head = git("rev-parse HEAD").substr(0, 12);

  CHECK(generate(repo, "").find("{\"1.2.3\", \"" + head + "\", COCOON_BUILD_TYPE, \"GNU 12.2.0\"}") !=
        std::string::npos);

  // An unchanged text leaves the file alone, so nothing recompiles; a changed one is rewritten.
  fs::last_write_time(out, fs::file_time_type{});
  generate(repo, "");
  CHECK(fs::last_write_time(out) == fs::file_time_type{});
  std::ofstream(repo / "sub/file.txt") << "two\n";
  CHECK(generate(repo, "").find("\"" + head + "-dirty\"") != std::string::npos);
  CHECK(fs::last_write_time(out) != fs::file_time_type{});

  // A source tree inside somebody else's repository, and one outside any: not this project's commit.
  CHECK(generate(repo / "sub", "").find("\"unknown\"") != std::string::npos);
  fs::create_directories(tmp->path() / "plain");
  CHECK(generate(tmp->path() / "plain", "").find("\"unknown\"") != std::string::npos);

  // A packager's pin wins over git, and cannot break out of the string literal.
  CHECK(generate(repo, "0123456789abcdef0123456789abcdef01234567")
            .find("\"0123456789abcdef0123456789abcdef01234567\"") != std::string::npos);
  std::string hostile = generate(repo, "v1\"; system(\"x");
  CHECK(hostile.find("\"v1___system__x\"") != std::string::npos);  // `"; ` is three characters
  CHECK(hostile.find("system(") == std::string::npos);
}

TEST_CASE("cmake --install puts the tools, man pages and bash completions under the prefix") {
  const fs::path& prefix = installed_prefix();
  for (const auto& tool : kTools) {
    fs::path bin = prefix / "bin" / tool;
    REQUIRE(fs::is_regular_file(bin));
    CHECK((fs::status(bin).permissions() & fs::perms::owner_exec) != fs::perms::none);
    CHECK(fs::is_regular_file(prefix / "share/man/man1" / (tool + ".1")));
    CHECK(fs::is_regular_file(prefix / "share/bash-completion/completions" / tool));
    auto r = run_shell(shell_quote(bin.string()) + " --version");
    CHECK(r.exit_code == 0);
    CHECK(r.output.starts_with(tool + " "));
  }
}

TEST_CASE("every man page renders without warnings and documents every command and option of --help") {
  const fs::path& prefix = installed_prefix();
  auto tmp = TempDir::create();
  REQUIRE(tmp.ok());
  for (const auto& tool : kTools) {
    fs::path page = prefix / "share/man/man1" / (tool + ".1");
    auto r =
        run_split("LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l " + shell_quote(page.string()), tmp->path());
    INFO(tool << ": " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find("SYNOPSIS") != std::string::npos);

    // The roff source with its escapes undone: what the page says, unbroken by line filling.
    std::string source = read(page), text;
    for (std::size_t i = 0; i < source.size(); ++i) {
      if (source.compare(i, 2, "\\-") == 0) {
        text += '-';
        ++i;
      } else {
        text += source[i];
      }
    }
    std::vector<std::string> paths;
    command_paths(tool, "", paths);
    CHECK(paths.size() > 1);
    for (const std::string& path : paths) {
      if (!path.empty()) CHECK(text.find(".SS \"" + tool + " " + path + "\"") != std::string::npos);
      auto help = run_shell(tool_path(tool) + " " + path + " --help");
      for (const std::string& option : long_options(help.output)) {
        INFO(tool << " " << path << " --help mentions " << option);
        CHECK(text.find(option) != std::string::npos);
      }
    }
  }
}

TEST_CASE(
    "the bash completion offers subcommands at any depth, the options of the command typed, and files for "
    "values") {
  const fs::path completions = installed_prefix() / "share/bash-completion/completions";
  fs::path sign = completions / "cocoon-sign", build = completions / "cocoon-build";
  CHECK(complete(sign, "_cocoon_sign", {"cocoon-sign", "pu"}) == std::vector<std::string>{"publish"});
  auto top = complete(sign, "_cocoon_sign", {"cocoon-sign", ""});
  CHECK(std::set<std::string>(top.begin(), top.end()).count("propose") == 1);
  CHECK(top.size() == help_subcommands(run_shell(tool_path("cocoon-sign") + " --help").output).size());
  // Nested: the subcommands of `frost`, as its --help lists them.
  auto frost_help = help_subcommands(run_shell(tool_path("cocoon-sign") + " frost --help").output);
  REQUIRE_FALSE(frost_help.empty());
  auto frost = complete(sign, "_cocoon_sign", {"cocoon-sign", "frost", ""});
  CHECK(std::set<std::string>(frost.begin(), frost.end()) ==
        std::set<std::string>(frost_help.begin(), frost_help.end()));
  // Options are those of the subcommand being typed, not of the tool.
  auto check_options = complete(build, "_cocoon_build", {"cocoon-build", "check", "--var"});
  CHECK(check_options == std::vector<std::string>{"--variations"});
  CHECK(complete(build, "_cocoon_build", {"cocoon-build", "--var"}).empty());
  // After an option that takes a value, nothing is offered: bash completes a file name (-o default).
  CHECK(complete(build, "_cocoon_build", {"cocoon-build", "check", "--out", "ch"}).empty());
  // A value that happens to be a subcommand's name is still a value.
  CHECK(complete(build, "_cocoon_build", {"cocoon-build", "check", "--out", "run", "--var"}) ==
        std::vector<std::string>{"--variations"});
}

TEST_CASE(
    "manifests/cocoon-release.json rebuilds the four tools from one pinned commit in Release without tests") {
  auto recipe = build::load_recipe(kSource + "/manifests/cocoon-release.json");
  REQUIRE(recipe.ok());
  CHECK(recipe->name == "cocoon-release");
  CHECK(recipe->version == COCOON_TEST_VERSION);
  std::set<std::string> args;
  for (const auto& step : recipe->steps)
    for (const auto& a : step.argv) {
      args.insert(a);
      CHECK(a.find("ccache") == std::string::npos);  // a cache would hide what the compiler really does
    }
  for (const auto& [name, value] : recipe->env) CHECK(value.find("ccache") == std::string::npos);
  CHECK(args.count("-DCMAKE_BUILD_TYPE=Release") == 1);
  CHECK(args.count("-DBUILD_TESTING=OFF") == 1);
  // --version of the rebuilt tools names exactly the commit they were built from.
  CHECK(args.count("-DCOCOON_GIT_COMMIT=" + recipe->source_commit) == 1);
  std::set<std::string> files;
  for (const auto& a : recipe->artifacts)
    if (a.kind == build::RecipeArtifact::Kind::file) files.insert(a.name + "=" + a.path);
  for (const auto& tool : kTools) CHECK(files.count(tool + "=build/tools/" + tool + "/" + tool) == 1);
}

TEST_CASE("a build without BUILD_TESTING configures without Catch2 and has no test or benchmark target") {
  auto tmp = TempDir::create();
  REQUIRE(tmp.ok());
  fs::path dir = tmp->path() / "b";
  // CMAKE_DISABLE_FIND_PACKAGE_Catch2 makes any find_package(Catch2 REQUIRED) fail the configure.
  auto r = run_shell(
      "cmake -S " + shell_quote(kSource) + " -B " + shell_quote(dir.string()) +
      " -G Ninja -DBUILD_TESTING=OFF -DCMAKE_DISABLE_FIND_PACKAGE_Catch2=ON >/dev/null && ninja -C " +
      shell_quote(dir.string()) + " -t targets all");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  for (const auto& tool : kTools) CHECK(r.output.find(tool + ": ") != std::string::npos);
  // Target names and the object files of tests/ and bench/ (a plain "test_" would match cocoon_attest_).
  CHECK_FALSE(
      std::regex_search(r.output, std::regex("(^|\n)(test_|bench_)|(^|\n|/)(tests|bench)/|catch_main")));
}

// The full journey needs two Release builds of the project (tests/install/self-release.sh, ci/soak);
// this checks everything of it that needs no build: the script finds docs/install.md's blocks (the same
// ones this test's extractor finds), and every command path and --option of every tool call in the
// script it would run is one the tool's --help lists.
TEST_CASE(
    "docs/install.md's own-release journey: self-release.sh finds its blocks, and the tools accept "
    "every command and option") {
  auto printed = run_shell("bash " + shell_quote(kSource + "/tests/install/self-release.sh") + " --print " +
                           shell_quote(kBinary));
  INFO(printed.output);
  REQUIRE(printed.exit_code == 0);
  auto release = cocoon::test::section_blocks("install.md", "## The toolchain's own release");
  REQUIRE(release.sh.size() == 6);
  auto pinning = cocoon::test::section_blocks("install.md", "## The self-rebuild");
  REQUIRE(pinning.sh.size() == 1);
  auto walkthrough = cocoon::test::section_blocks("maintainers.md", "## Walkthrough");
  for (const auto* blocks : {&release, &pinning, &walkthrough}) {
    for (const auto& b : blocks->sh) {
      INFO(b);
      CHECK(printed.output.find(b) != std::string::npos);
    }
  }

  std::map<std::string, std::string> help_of;  // "tool path" -> its --help
  auto help = [&](const std::string& tool, const std::string& path) -> const std::string& {
    std::string key = tool + " " + path;
    if (!help_of.count(key)) {
      auto r = run_shell(tool_path(tool) + " " + path + " --help");
      INFO(key);
      REQUIRE(r.exit_code == 0);
      help_of[key] = r.output;
    }
    return help_of[key];
  };
  std::set<std::string> commands;
  auto calls = cocoon::test::tool_calls(printed.output);
  for (const auto& call : calls) {
    INFO(call.line);
    std::string path;
    for (const auto& word : call.words) {
      if (word.starts_with("-")) break;
      auto subs = help_subcommands(help(call.tool, path));
      if (std::find(subs.begin(), subs.end(), word) == subs.end()) break;
      path += (path.empty() ? "" : " ") + word;
    }
    commands.insert(call.tool + (path.empty() ? "" : " " + path));
    auto accepted = long_options(help(call.tool, path));
    for (const auto& word : call.words) {
      if (!word.starts_with("--")) continue;
      std::string option = word.substr(0, word.find('='));
      INFO(call.tool << " " << path << " " << option);
      CHECK(accepted.count(option) == 1);
    }
  }
  // The journey's steps, each a command the tools have.
  for (const char* c : {"cocoon-build run", "cocoon-build compare", "cocoon-sign propose", "cocoon-sign sign",
                        "cocoon-sign merge", "cocoon-sign status", "cocoon-sign publish",
                        "cocoon-log witness serve", "cocoon-verify update", "cocoon-verify"}) {
    INFO(c);
    CHECK(commands.count(c) == 1);
  }
}

// The part of self-release.sh before the builds: the working tree as a one-commit repository tagged
// v0.1.0, docs/install.md's pinning block run in it, and the pin committed on top.
TEST_CASE(
    "self-release.sh prepares the release clone: v0.1.0 tagged, and the next commit pins it in the recipe") {
  auto tmp = TempDir::create("self-release-");
  REQUIRE(tmp.ok());
  auto r = run_shell("bash " + shell_quote(kSource + "/tests/install/self-release.sh") + " --prepare-only " +
                     shell_quote((tmp->path() / "work").string()) + " " + shell_quote(kBinary));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const std::string clone = (tmp->path() / "work" / "clone").string();
  auto git = [&](const std::string& args) {
    auto g = run_shell("git -C " + shell_quote(clone) + " " + args);
    REQUIRE(g.exit_code == 0);
    return g.output.substr(0, g.output.find('\n'));
  };
  const std::string tagged = git("rev-parse 'v0.1.0^{commit}'");
  CHECK(git("rev-parse HEAD^") == tagged);
  CHECK(r.output.find("release commit " + tagged + " (v0.1.0)") != std::string::npos);
  auto recipe = build::load_recipe(fs::path(clone) / "manifests/cocoon-release.json");
  REQUIRE(recipe.ok());
  CHECK(recipe->source_commit == tagged);
  std::size_t pins = 0;
  for (const auto& step : recipe->steps)
    for (const auto& a : step.argv) pins += a == "-DCOCOON_GIT_COMMIT=" + tagged;
  CHECK(pins == 1);
  // Only the recipe changed between the release commit and the pin.
  CHECK(git("diff --name-only HEAD^ HEAD") == "manifests/cocoon-release.json");
}
