// keys/: public trust material only. The demo network's root must verify on its own (3 of 5 maintainers),
// carry the policy the demo runs with, and name exactly the public key files beside it.
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/file_io.hpp"
#include "crypto/key_file.hpp"
#include "release/metadata.hpp"
#include "release/threshold.hpp"
#include "tlog/note.hpp"

using namespace cocoon;
using namespace cocoon::release;
namespace fs = std::filesystem;

namespace {

const fs::path kKeys = fs::path(COCOON_SOURCE_DIR) / "keys";

Root demo_root() {
  auto text = read_text_file(kKeys / "demo/root.json");
  REQUIRE(text.ok());
  auto env = parse_envelope_text(*text, "keys/demo/root.json");
  REQUIRE(env.ok());
  auto root = verify_root_self_signed(*env);
  INFO((root.ok() ? "" : root.error().message));
  REQUIRE(root.ok());
  return *root;
}

std::string trimmed(const fs::path& p) {
  auto text = read_text_file(p);
  REQUIRE(text.ok());
  std::string s = *text;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("keys/demo/root.json verifies with 3 of its 5 maintainers and names the demo policy", "[keys]") {
  Root root = demo_root();
  CHECK(root.common.version == 1);
  CHECK(root.roles.at("root").threshold == 3);
  CHECK(root.roles.at("root").keyids.size() == 5);
  REQUIRE(root.policy.has_value());
  CHECK(root.policy->builder_threshold == 2);
  CHECK(root.policy->builder_keys.size() == 3);
  CHECK(root.policy->witness_quorum == 2);
  CHECK(root.policy->log_verifier_key == trimmed(kKeys / "demo/log.pub"));
  CHECK(root.policy->witness_keys == std::vector<std::string>{trimmed(kKeys / "demo/witness-1.vkey"),
                                                              trimmed(kKeys / "demo/witness-2.vkey")});
  // Every maintainer's public key file is a root and targets key, under its recomputed key id.
  for (const char* m : {"dmitry", "elena", "farid", "grace", "hiro"}) {
    auto key = crypto::load_key_file_public_part(kKeys / "demo" / (std::string(m) + ".pub"));
    REQUIRE(key.ok());
    CHECK(root.keys.count(key->keyid) == 1);
    CHECK(root.policy->maintainer_names.at(key->keyid) == m);
  }
  auto builders = crypto::load_public_keys(kKeys / "demo/builders.json");
  REQUIRE(builders.ok());
  REQUIRE(builders->size() == 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK(builders->at(i).keyid == root.policy->builder_keys.at(i).keyid);
}

TEST_CASE("keys/ holds no secret key, encrypted or not", "[keys][attack]") {
  for (const auto& entry : fs::recursive_directory_iterator(kKeys)) {
    if (!entry.is_regular_file() || entry.path().filename() == "README.md") continue;
    INFO(entry.path());
    CHECK(entry.path().extension() != ".key");
    auto text = read_text_file(entry.path());
    REQUIRE(text.ok());
    CHECK(text->find(crypto::kSecretKeySchema) == std::string::npos);
    CHECK(text->find("PRIVATE KEY") == std::string::npos);
  }
}
