// Two products in one repository, through the binaries: sample and sdk released independently, each
// version ordered per product, labels checked by propose, publish and cocoon-verify, and a node
// pinning each product.
#include "cli_flow.hpp"
#include "release/products.hpp"
#include "release/repository.hpp"

using namespace cocoon;
using namespace cocoon::release;
using namespace cocoon::release::testing;

namespace {

const std::string kVerifyTool = COCOON_BINARY_DIR "/tools/cocoon-verify/cocoon-verify";

cocoon::test::CommandResult node_update(const CliWorld& w, const std::string& state,
                                        const std::string& args) {
  return cocoon::test::run_shell(kVerifyTool + " update --repo " + w.q(w.repo) + " --root " +
                                 w.q(w.at("root.json")) + " --state " + w.q(w.at(state)) + " " + args);
}

Products published_products(const CliWorld& w) {
  auto state = load_repository(w.repo);
  REQUIRE(state.ok());
  REQUIRE(state->targets.has_value());
  auto p = products_of(*state->targets);
  REQUIRE(p.ok());
  return *p;
}

}  // namespace

TEST_CASE("products: two products are released independently and a node pins each", "[release][products]") {
  CliWorld w;
  w.ceremony();
  w.require_ok(w.release("0.1.0", "sample v1\n", {"alice", "bob"}));
  auto sdk = w.release("1.2.3", "sdk v1\n", {"alice", "bob"}, "", "sdk");
  INFO(sdk.output);
  REQUIRE(sdk.exit_code == 0);
  CHECK(sdk.output.find("product sample 0.1.0 unchanged") != std::string::npos);
  CHECK(sdk.output.find("product sdk 1.2.3 (new)") != std::string::npos);
  // Publishing sdk kept sample; sample 0.2.0 after sdk 1.2.3 is not a rollback: versions are per product.
  auto products = published_products(w);
  REQUIRE(products.size() == 2);
  CHECK(products.at("sample").labels.version == "0.1.0");
  CHECK(products.at("sdk").labels.version == "1.2.3");

  auto node =
      node_update(w, "node-a", "--product sample --target hello.bin --download " + w.q(w.at("a.bin")));
  INFO(node.output);
  REQUIRE(node.exit_code == 0);
  CHECK(node.output.find("product sample") != std::string::npos);
  CHECK(to_string(*read_file(w.at("a.bin"))) == "sample v1\n");

  w.require_ok(w.release("0.2.0", "sample v2\n", {"alice", "carol"}));
  products = published_products(w);
  CHECK(products.at("sample").labels.version == "0.2.0");
  CHECK(products.at("sdk").labels.version == "1.2.3");

  auto sdk_node =
      node_update(w, "node-b", "--product sdk --target hello.bin --download " + w.q(w.at("b.bin")));
  INFO(sdk_node.output);
  REQUIRE(sdk_node.exit_code == 0);
  CHECK(to_string(*read_file(w.at("b.bin"))) == "sdk v1\n");
  node = node_update(w, "node-a", "--product sample --target hello.bin --download " + w.q(w.at("a.bin")));
  INFO(node.output);
  REQUIRE(node.exit_code == 0);
  CHECK(node.output.find("sample 0.1.0 -> 0.2.0, sdk 1.2.3 unchanged") != std::string::npos);
  CHECK(to_string(*read_file(w.at("a.bin"))) == "sample v2\n");

  // An older sample is refused by propose; a product not in the repository by the node.
  w.write_recipe("0.1.5");
  fs::create_directories(w.at("artifacts-0.1.5"));
  REQUIRE(write_file_atomic(w.at("artifacts-0.1.5/hello.bin"), std::string_view("old\n")).ok());
  w.write_attestation(w.at("attestations-0.1.5"), w.cast.builder1, "old\n", "0.1.5");
  w.write_attestation(w.at("attestations-0.1.5"), w.cast.builder2, "old\n", "0.1.5");
  auto old = w.sign_tool(
      "propose --version 0.1.5 --recipe recipe-0.1.5.json --attestations attestations-0.1.5 "
      "--artifacts artifacts-0.1.5 --repo repo --out old.json");
  INFO(old.output);
  CHECK(old.exit_code == 6);
  auto missing = node_update(w, "node-c", "--product web");
  INFO(missing.output);
  CHECK(missing.exit_code == 12);
  CHECK(missing.output.find("products: sample, sdk") != std::string::npos);
}

TEST_CASE("products: a recipe copy with another version is refused by propose and publish",
          "[release][products][labels][attack]") {
  CliWorld w;
  w.ceremony();
  // Builders attested sample 0.1.0 built from recipe-0.1.0.json.
  std::string draft = w.propose("0.1.0", "hello\n");
  // The attack: copy the recipe, change only "version", propose with the same attestations.
  w.write_recipe("9.9.9");
  auto copied = w.sign_tool(
      "propose --version 9.9.9 --recipe recipe-9.9.9.json --attestations attestations-0.1.0 "
      "--artifacts artifacts-0.1.0 --repo repo --out forged.json");
  INFO(copied.output);
  CHECK(copied.exit_code == 15);
  CHECK(copied.output.find("version 9.9.9 where the builders attested 0.1.0") != std::string::npos);
  CHECK_FALSE(fs::exists(w.at("forged.json")));

  // Maintainers who edit the labels of an honest draft and sign it are refused by publish.
  auto doc = parse_json(to_string(*read_file(w.at(draft))));
  REQUIRE(doc.ok());
  for (auto& [path, info] : (*doc)["signed"]["targets"].items())
    info["custom"]["cocoon"]["version"] = "9.9.9";
  REQUIRE(write_file_atomic(w.at("edited.json"), pretty_json(*doc)).ok());
  for (const char* s : {"alice", "bob"})
    w.require_ok(w.sign_tool(std::string("sign edited.json --key ") + s + ".key"));
  auto pub = w.publish("edited.json", "0.1.0");
  INFO(pub.output);
  CHECK(pub.exit_code == 15);
  CHECK_FALSE(fs::exists(w.repo / "metadata" / "timestamp.json"));
  // The honest draft publishes.
  for (const char* s : {"alice", "bob"})
    w.require_ok(w.sign_tool(std::string("sign ") + draft + " --key " + s + ".key"));
  w.require_ok(w.publish(draft, "0.1.0"));
}

TEST_CASE("products: propose and status --json say what a draft releases and who must still sign",
          "[release][products][json]") {
  CliWorld w;
  w.ceremony();
  w.write_recipe("0.1.0");
  fs::create_directories(w.at("artifacts-0.1.0"));
  REQUIRE(write_file_atomic(w.at("artifacts-0.1.0/hello.bin"), std::string_view("hello\n")).ok());
  w.write_attestation(w.at("attestations-0.1.0"), w.cast.builder1, "hello\n", "0.1.0");
  w.write_attestation(w.at("attestations-0.1.0"), w.cast.builder2, "hello\n", "0.1.0");
  auto proposed = w.sign_tool(
      "propose --version 0.1.0 --recipe recipe-0.1.0.json --attestations attestations-0.1.0 "
      "--artifacts artifacts-0.1.0 --repo repo --out draft.json --json 2>/dev/null");
  INFO(proposed.output);
  REQUIRE(proposed.exit_code == 0);
  auto p = parse_json(proposed.output);
  REQUIRE(p.ok());
  CHECK((*p)["product"] == "sample");
  CHECK((*p)["version"] == "0.1.0");
  REQUIRE((*p)["targets"].size() == 1);
  CHECK((*p)["targets"][0]["path"] == "sample/hello.bin");
  CHECK((*p)["targets"][0]["sha256"] == crypto::sha256_hex(as_bytes(std::string_view("hello\n"))));

  w.require_ok(w.sign_tool("sign draft.json --key alice.key"));
  auto status = w.sign_tool("status draft.json --root root.json --json 2>/dev/null");
  INFO(status.output);
  CHECK(status.exit_code == 1);  // one of two signatures: the JSON is printed all the same
  auto s = parse_json(status.output);
  REQUIRE(s.ok());
  CHECK((*s)["threshold_met"] == false);
  REQUIRE((*s)["counts"].size() == 1);
  CHECK((*s)["counts"][0]["signed"].size() == 1);
  CHECK((*s)["counts"][0]["missing"].size() == 2);
  CHECK((*s)["products"]["sample"]["version"] == "0.1.0");
  w.require_ok(w.sign_tool("sign draft.json --key bob.key"));
  status = w.sign_tool("status draft.json --root root.json --json 2>/dev/null");
  CHECK(status.exit_code == 0);
  s = parse_json(status.output);
  REQUIRE(s.ok());
  CHECK((*s)["threshold_met"] == true);
}

TEST_CASE("sign warns when the trusted root does not list the key", "[release][sign]") {
  CliWorld w;
  w.ceremony();
  std::string draft = w.propose("0.1.0", "hello\n");
  w.write_key(w.cast.dave, false);
  auto outsider = w.sign_tool("sign " + draft + " --key dave.key --root root.json --out by-dave.json");
  INFO(outsider.output);
  CHECK(outsider.exit_code == 0);
  CHECK(outsider.output.find("warning: dave") != std::string::npos);
  CHECK(outsider.output.find("does not list the key for the targets role") != std::string::npos);
  auto member = w.sign_tool("sign " + draft + " --key alice.key --root root.json --out by-alice.json");
  INFO(member.output);
  CHECK(member.exit_code == 0);
  CHECK(member.output.find("warning") == std::string::npos);
  // A root draft lists its own keys: dave is not one of them.
  auto root_sign = w.sign_tool("sign root.draft.json --key dave.key --out root.dave.json");
  INFO(root_sign.output);
  CHECK(root_sign.output.find("does not list the key for its root role") != std::string::npos);
}
