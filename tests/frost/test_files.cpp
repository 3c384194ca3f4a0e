// Local secret state envelopes and message loading.
#include <catch2/catch.hpp>

#include "core/file_io.hpp"
#include "frost/message.hpp"
#include "frost/secret_file.hpp"

using namespace cocoon;
using namespace cocoon::frost;

TEST_CASE("secret files: right kind and passphrase only - tampering is detected") {
  auto dir = TempDir::create("frost-secret-");
  REQUIRE(dir.ok());
  const auto path = dir->path() / "nonces.json";
  const Json content{{"hiding", "00"}, {"n", 1}};
  REQUIRE(write_secret_file(path, "signing-nonces", content, "pass phrase").ok());
  auto back = read_secret_file(path, "signing-nonces", "pass phrase");
  REQUIRE(back.ok());
  CHECK(*back == content);
  // A nonce file offered as a key file is refused by kind, before any decryption.
  auto kind = read_secret_file(path, "key-package", "pass phrase");
  REQUIRE_FALSE(kind.ok());
  CHECK(kind.error().code == Errc::invalid_input);
  // Editing the kind does not help: it is the AEAD's associated data.
  auto text = read_text_file(path);
  REQUIRE(text.ok());
  std::string relabelled = *text;
  relabelled.replace(relabelled.find("signing-nonces"), 14, "key-package");
  REQUIRE(write_file_atomic(dir->path() / "relabelled.json", std::string_view(relabelled)).ok());
  auto swapped = read_secret_file(dir->path() / "relabelled.json", "key-package", "pass phrase");
  REQUIRE_FALSE(swapped.ok());
  CHECK(swapped.error().code == Errc::crypto);
  auto wrong = read_secret_file(path, "signing-nonces", "another");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == Errc::crypto);
  CHECK_FALSE(write_secret_file(path, "signing-nonces", content, "").ok());
  auto missing = read_secret_file(dir->path() / "absent.json", "signing-nonces", "pass phrase");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == Errc::not_found);
}

TEST_CASE("messages: raw bytes, or the canonical JSON of a TUF draft's signed member") {
  auto dir = TempDir::create("frost-msg-");
  REQUIRE(dir.ok());
  const auto raw = dir->path() / "raw.bin";
  REQUIRE(write_file_atomic(raw, std::string_view("  plain bytes\n")).ok());
  CHECK(to_string(load_message(raw).value()) == "  plain bytes\n");
  const auto draft = dir->path() / "draft.json";
  REQUIRE(write_file_atomic(draft, std::string_view(R"({"signed":{"b":1,"a":2},"signatures":[]})")).ok());
  CHECK(to_string(load_message(draft).value()) == R"({"a":2,"b":1})");
  const auto other_json = dir->path() / "other.json";
  REQUIRE(write_file_atomic(other_json, std::string_view(R"({"x": 1})")).ok());
  CHECK(to_string(load_message(other_json).value()) == R"({"x": 1})");
  const auto broken = dir->path() / "broken.json";
  REQUIRE(write_file_atomic(broken, std::string_view(R"({"signed": {)")).ok());
  CHECK(load_message(broken).error().code == Errc::invalid_input);
  const auto floats = dir->path() / "floats.json";
  REQUIRE(write_file_atomic(floats, std::string_view(R"({"signed": {"x": 1.5}})")).ok());
  CHECK_FALSE(load_message(floats).ok());
}
