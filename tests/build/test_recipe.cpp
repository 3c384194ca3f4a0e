#include <catch2/catch.hpp>

#include "build/recipe.hpp"

using namespace cocoon;
using cocoon::build::parse_recipe;

namespace {

const char* kGood = R"({"schema":"cocoon-recipe/v1","name":"x","version":"1",
  "source":{"url":"/tmp/x","commit":"0123456789abcdef0123456789abcdef01234567"},
  "env":{"CXXFLAGS":"-O2"},
  "steps":[{"name":"build","run":["make"]}],
  "artifacts":[{"name":"x.tar.zst","dir":"out"},{"name":"x","file":"build/x"}]})";

std::string error_of(const std::string& text) {
  auto r = parse_recipe(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::invalid_input);
  return r.error().message;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("a valid recipe parses into its model") {
  auto r = parse_recipe(kGood);
  REQUIRE(r.ok());
  CHECK(r->name == "x");
  CHECK(r->steps.size() == 1);
  CHECK(r->steps[0].argv == std::vector<std::string>{"make"});
  REQUIRE(r->artifacts.size() == 2);
  CHECK(r->artifacts[0].kind == build::RecipeArtifact::Kind::dir);
  CHECK(r->artifacts[1].path == "build/x");
  CHECK(r->env.at("CXXFLAGS") == "-O2");
  CHECK(r->digest.size() == 64);
}

TEST_CASE("recipe validation names what is wrong") {
  CHECK(error_of(replace(kGood, R"("version":"1",)", R"("version":"1","colour":"red",)")) ==
        "recipe: unknown key \"colour\" in recipe");
  CHECK(error_of(replace(kGood, R"("version":"1",)", "")) == "recipe: missing field \"version\" in recipe");
  CHECK(error_of(replace(kGood, "0123456789abcdef0123456789abcdef01234567", "abc123")) ==
        "recipe: source.commit \"abc123\" is not 40 lower-case hex digits");
  CHECK(error_of(replace(kGood, "0123456789abcdef0123456789abcdef01234567",
                         "0123456789ABCDEF0123456789abcdef01234567"))
            .find("not 40 lower-case hex") != std::string::npos);
  CHECK(error_of(replace(kGood, R"("dir":"out")", R"("dir":"../out")")) ==
        "recipe: artifacts[0].dir \"../out\" escapes the work tree");
  CHECK(error_of(replace(kGood, R"("dir":"out")", R"("dir":"a/../../b")")) ==
        "recipe: artifacts[0].dir \"a/../../b\" escapes the work tree");
  CHECK(error_of(replace(kGood, R"("file":"build/x")", R"("file":"/etc/passwd")")) ==
        "recipe: artifacts[1].file \"/etc/passwd\" is absolute");
  CHECK(error_of(replace(kGood, R"("name":"x","file")", R"("name":"../x","file")")) ==
        "recipe: artifacts[1].name \"../x\" is not a plain file name: it contains '/'");
  CHECK(error_of(replace(kGood, R"("name":"x","file")", R"("name":"x.tar.zst","file")")) ==
        "recipe: duplicate artifact name \"x.tar.zst\"");
  CHECK(
      error_of(replace(kGood, R"({"name":"x","file":"build/x"})", R"({"name":"x","file":"a","dir":"b"})")) ==
      "recipe: artifacts[1] must have exactly one of \"dir\" or \"file\"");
  CHECK(error_of(replace(kGood, R"("run":["make"])", R"("run":[])")) ==
        "recipe: field \"run\" in steps[0] must be a non-empty array");
  CHECK(error_of(replace(kGood, R"("run":["make"])", R"("run":"make all")")) ==
        "recipe: field \"run\" in steps[0] must be a non-empty array");
  CHECK(error_of(replace(kGood, R"("CXXFLAGS":"-O2")", R"("SOURCE_DATE_EPOCH":"1")")) ==
        "recipe: env \"SOURCE_DATE_EPOCH\" is set by cocoon-build and cannot be overridden");
  CHECK(error_of(replace(kGood, "cocoon-recipe/v1", "cocoon-recipe/v9")) ==
        "recipe: schema is \"cocoon-recipe/v9\", expected \"cocoon-recipe/v1\"");
  CHECK(error_of(replace(kGood, R"("name":"x.tar.zst")", R"("name":"SHA256SUMS")")).find("collides") !=
        std::string::npos);
  CHECK(error_of("[1,2]") == "recipe: top level must be an object");
  CHECK(error_of("{\"schema\":").find("recipe is not valid JSON") != std::string::npos);
  CHECK(error_of(replace(kGood, R"("version":"1",)", R"("version":"1","version":"2",)")) ==
        "recipe has a duplicate key \"version\"");
}

TEST_CASE("the repository's manifests are valid recipes") {
  for (const char* name : {"sample-node.json", "sample-sdk.json", "cocoon-worker.json"}) {
    INFO(name);
    auto r = build::load_recipe(std::string(COCOON_SOURCE_DIR) + "/manifests/" + name);
    REQUIRE(r.ok());
    CHECK(r->source_commit.size() == 40);
  }
  auto worker = build::load_recipe(std::string(COCOON_SOURCE_DIR) + "/manifests/cocoon-worker.json");
  REQUIRE(worker.ok());
  CHECK(worker->source_url == "https://github.com/TelegramMessenger/cocoon.git");
  std::vector<std::string> names;
  for (const auto& a : worker->artifacts) names.push_back(a.name);
  CHECK(names ==
        std::vector<std::string>{"OVMF.fd", "image.vmlinuz", "image.initrd", "image.cmdline", "image.img"});
}
