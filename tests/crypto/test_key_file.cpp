#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "core/file_io.hpp"
#include "crypto/key_file.hpp"

using namespace cocoon;
using namespace cocoon::crypto;

namespace {

const char* kRfc8032Test1Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

Ed25519PublicKey rfc_public() {
  Ed25519PublicKey k;
  auto b = hex_decode(kRfc8032Test1Public).value();
  std::copy(b.begin(), b.end(), k.begin());
  return k;
}

Json read_json(const std::filesystem::path& p) {
  return parse_json(read_text_file(p).value()).value();
}
void write_json(const std::filesystem::path& p, const Json& j) {
  REQUIRE(write_file_atomic(p, pretty_json(j)).ok());
}

struct Fixture {
  TempDir dir = TempDir::create("keyfile-").value();
  SecretKey key = generate_secret_key("alice").value();
  std::filesystem::path path = dir.path() / "alice.key";
};

}  // namespace

TEST_CASE("key id is SHA-256 of the canonical TUF key object") {
  // Computed independently: sha256 of
  // {"keytype":"ed25519","keyval":{"public":"d75a98..."},"scheme":"ed25519"}
  CHECK(ed25519_key_id(rfc_public()) == "74c181c7ad8a0855d4b55e44d2ba87aabdddb196832571f15f92fece332e4916");
  CHECK(ed25519_tuf_key(rfc_public())["keyval"]["public"] == kRfc8032Test1Public);
}

TEST_CASE("public key file round trip and refusals") {
  PublicKey pk{"rfc", rfc_public(), ed25519_key_id(rfc_public())};
  Json doc = public_key_json(pk);
  auto back = parse_public_key(doc);
  REQUIRE(back.ok());
  CHECK(back->name == "rfc");
  CHECK(back->key == pk.key);
  CHECK(back->keyid == pk.keyid);

  SECTION("keyid mismatch") {
    doc["keyid"] = std::string(64, '0');
    auto r = parse_public_key(doc);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::invalid_input);
    CHECK(r.error().message.find("does not match") != std::string::npos);
  }
  SECTION("public key of the wrong length") {
    doc["key"]["keyval"]["public"] = std::string(kRfc8032Test1Public).substr(0, 62);
    auto r = parse_public_key(doc);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::invalid_input);
    CHECK(r.error().message.find("32 bytes") != std::string::npos);
  }
  SECTION("public key that is not hex") {
    doc["key"]["keyval"]["public"] = std::string(64, 'z');
    CHECK(parse_public_key(doc).error().code == Errc::invalid_input);
  }
  SECTION("upper-case hex would give the same key a second key id") {
    std::string upper = kRfc8032Test1Public;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    doc["key"]["keyval"]["public"] = upper;
    CHECK(parse_public_key(doc).error().code == Errc::invalid_input);
  }
  SECTION("other key types") {
    doc["key"]["keytype"] = "rsa";
    CHECK(parse_public_key(doc).error().code == Errc::unsupported);
  }
  SECTION("wrong schema, unknown member, missing name") {
    Json a = doc, b = doc, c = doc;
    a["schema"] = "cocoon-public-key/v2";
    b["extra"] = 1;
    c.erase("name");
    CHECK(parse_public_key(a).error().code == Errc::invalid_input);
    CHECK(parse_public_key(b).error().code == Errc::invalid_input);
    CHECK(parse_public_key(c).error().code == Errc::invalid_input);
    CHECK(parse_public_key(Json::array()).error().code == Errc::invalid_input);
  }
}

TEST_CASE("public key list refuses a key listed twice") {
  Fixture f;
  auto other = generate_secret_key("bob").value();
  Json list = Json::array({public_key_json(f.key.public_key()), public_key_json(other.public_key())});
  auto p = f.dir.path() / "builders.json";
  write_json(p, list);
  auto keys = load_public_keys(p);
  REQUIRE(keys.ok());
  REQUIRE(keys->size() == 2);
  CHECK(keys->at(1).name == "bob");
  list.push_back(public_key_json(f.key.public_key()));
  write_json(p, list);
  auto dup = load_public_keys(p);
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().message.find("listed twice") != std::string::npos);
  write_json(p, Json::object());
  CHECK(load_public_keys(p).error().code == Errc::invalid_input);
}

TEST_CASE("encrypted secret key round trip, mode 0600, signs like the original") {
  Fixture f;
  REQUIRE(save_secret_key(f.path, f.key, std::string("correct horse")).ok());
  struct stat st {};
  REQUIRE(::stat(f.path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(secret_key_is_encrypted(f.path));
  Json doc = read_json(f.path);
  CHECK_FALSE(doc.contains("seed"));
  CHECK(read_text_file(f.path)->find(hex_encode(f.key.pair.seed)) == std::string::npos);

  auto loaded = load_secret_key(f.path, std::string("correct horse"));
  REQUIRE(loaded.ok());
  CHECK(loaded->name == "alice");
  CHECK(loaded->pair.seed == f.key.pair.seed);
  CHECK(loaded->public_key().keyid == f.key.public_key().keyid);
  auto sig = ed25519_sign(loaded->pair, as_bytes("m"));
  CHECK(ed25519_verify(f.key.pair.public_key, as_bytes("m"), sig));
}

TEST_CASE("unencrypted secret key round trip is an explicit choice") {
  Fixture f;
  REQUIRE(save_secret_key(f.path, f.key, std::nullopt).ok());
  CHECK_FALSE(secret_key_is_encrypted(f.path));
  struct stat st {};
  REQUIRE(::stat(f.path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto loaded = load_secret_key(f.path, std::nullopt);
  REQUIRE(loaded.ok());
  CHECK(loaded->pair.seed == f.key.pair.seed);
  CHECK(save_secret_key(f.path, f.key, std::string()).error().code == Errc::invalid_input);
}

TEST_CASE("secret key file errors are distinct and never crash") {
  Fixture f;
  REQUIRE(save_secret_key(f.path, f.key, std::string("pw")).ok());
  const std::string good = read_text_file(f.path).value();
  const Json doc = parse_json(good).value();
  auto load_with = [&](const Json& j, std::optional<std::string> pw = std::string("pw")) {
    write_json(f.path, j);
    return load_secret_key(f.path, pw);
  };

  SECTION("wrong passphrase") {
    auto r = load_secret_key(f.path, std::string("PW"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::crypto);
    CHECK(r.error().message.find("wrong passphrase") != std::string::npos);
  }
  SECTION("encrypted file without a passphrase") {
    auto r = load_secret_key(f.path, std::nullopt);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::crypto);
    CHECK(r.error().message.find("passphrase is needed") != std::string::npos);
  }
  SECTION("truncated file at every length") {
    // good ends in '}' and a newline; every shorter prefix lacks the closing brace.
    for (size_t n = 0; n + 1 < good.size(); n += 7) {
      REQUIRE(write_file_atomic(f.path, std::string_view(good).substr(0, n)).ok());
      auto r = load_secret_key(f.path, std::string("pw"));
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == Errc::invalid_input);
    }
  }
  SECTION("corrupted ciphertext") {
    Json j = doc;
    std::string ct = j["encryption"]["ciphertext"];
    ct[10] = ct[10] == '0' ? '1' : '0';
    j["encryption"]["ciphertext"] = ct;
    auto r = load_with(j);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::crypto);
  }
  SECTION("flipped kdf parameter") {
    Json j = doc;
    j["encryption"]["kdf"]["opslimit"] = 3;
    CHECK(load_with(j).error().code == Errc::crypto);
    j = doc;
    std::string salt = j["encryption"]["kdf"]["salt"];
    salt[0] = salt[0] == 'a' ? 'b' : 'a';
    j["encryption"]["kdf"]["salt"] = salt;
    CHECK(load_with(j).error().code == Errc::crypto);
  }
  SECTION("hostile kdf cost is refused before deriving") {
    Json j = doc;
    j["encryption"]["kdf"]["memlimit"] = std::uint64_t{1} << 40;
    auto r = load_with(j);
    CHECK(r.error().code == Errc::invalid_input);
    CHECK(r.error().message.find("memlimit") != std::string::npos);
    j = doc;
    j["encryption"]["kdf"]["opslimit"] = 0;
    CHECK(load_with(j).error().code == Errc::invalid_input);
    j = doc;
    j["encryption"]["kdf"]["opslimit"] = -2;
    CHECK(load_with(j).error().code == Errc::invalid_input);
  }
  SECTION("wrong lengths of salt, nonce, ciphertext") {
    for (auto member : {"nonce", "ciphertext"}) {
      Json j = doc;
      std::string v = j["encryption"][member];
      j["encryption"][member] = v.substr(2);
      auto r = load_with(j);
      CHECK(r.error().code == Errc::invalid_input);
      CHECK(r.error().message.find(member) != std::string::npos);
    }
    Json j = doc;
    j["encryption"]["kdf"]["salt"] = "00";
    CHECK(load_with(j).error().code == Errc::invalid_input);
  }
  SECTION("public key replaced: keyid mismatch or seed/public mismatch") {
    auto other = generate_secret_key("mallory").value().public_key();
    Json j = doc;
    j["key"] = ed25519_tuf_key(other.key);
    CHECK(load_with(j).error().message.find("does not match the key") != std::string::npos);
    j["keyid"] = other.keyid;
    auto r = load_with(j);
    CHECK(r.error().code == Errc::crypto);
    CHECK(r.error().message.find("does not match the public key") != std::string::npos);
  }
  SECTION("wrong public key length") {
    Json j = doc;
    j["key"]["keyval"]["public"] = "00";
    CHECK(load_with(j).error().code == Errc::invalid_input);
  }
  SECTION("both or neither of seed and encryption, unknown cipher, not JSON") {
    Json j = doc;
    j["seed"] = std::string(64, '0');
    CHECK(load_with(j).error().code == Errc::invalid_input);
    j = doc;
    j.erase("encryption");
    CHECK(load_with(j).error().code == Errc::invalid_input);
    j = doc;
    j["encryption"]["cipher"] = "aes";
    CHECK(load_with(j).error().code == Errc::unsupported);
    REQUIRE(write_file_atomic(f.path, std::string_view("\x00\xff garbage", 10)).ok());
    CHECK(load_secret_key(f.path, std::string("pw")).error().code == Errc::invalid_input);
    CHECK(load_secret_key(f.dir.path() / "missing", std::string("pw")).error().code == Errc::not_found);
  }
  SECTION("unencrypted seed of the wrong length") {
    Json j = doc;
    j.erase("encryption");
    j["seed"] = "0011";
    CHECK(load_with(j, std::nullopt).error().code == Errc::invalid_input);
  }
}
