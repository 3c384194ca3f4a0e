// crypto::TufKey against keys and signatures made by tools that are not ours: Debian's openssl CLI and
// pyca/cryptography driven the way securesystemslib drives it (tests/verify/foreign_keys.py).
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "../support/shell.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "crypto/hash.hpp"
#include "crypto/key_file.hpp"
#include "crypto/tuf_key.hpp"

using namespace cocoon;
using namespace cocoon::crypto;
namespace fs = std::filesystem;
using cocoon::test::run_shell;
using cocoon::test::shell_quote;

namespace {

const std::string kHelper = COCOON_SOURCE_DIR "/tests/verify/foreign_keys.py";
// Debian's interpreter: the PATH python3 may be another one without python3-cryptography.
const std::string kPython = "/usr/bin/python3";

std::string q(const fs::path& p) {
  return shell_quote(p.string());
}

Bytes slurp(const fs::path& p) {
  auto data = read_file(p, 1 << 20);
  REQUIRE(data.ok());
  return *data;
}

TufKey load(const Json& object) {
  auto key = TufKey::from_json(object);
  REQUIRE(key.ok());
  return *key;
}

Json key_object(const std::string& keytype, const std::string& scheme, const std::string& pub) {
  return Json{{"keytype", keytype}, {"scheme", scheme}, {"keyval", Json{{"public", pub}}}};
}

// A scratch directory where the openssl CLI makes keys and signatures over one message.
struct OpensslBench {
  TempDir dir = TempDir::create("tufkey-openssl-").value();
  fs::path message = dir.path() / "message";
  Bytes message_bytes;

  OpensslBench() {
    // Canonical JSON shaped, but any bytes would do: what is signed is what is verified.
    std::string text = R"({"_type":"root","note":"made by openssl","version":1})";
    REQUIRE(write_file_atomic(message, text).ok());
    message_bytes = Bytes(text.begin(), text.end());
  }
  fs::path path(const std::string& name) const { return dir.path() / name; }
  void run(const std::string& command) const {
    auto r = run_shell(command);
    INFO(command << "\n" << r.output);
    REQUIRE(r.exit_code == 0);
  }
  // genpkey with `options`; returns the PEM SubjectPublicKeyInfo text.
  std::string generate(const std::string& name, const std::string& options) const {
    run("openssl genpkey " + options + " -out " + q(path(name + ".key")));
    run("openssl pkey -in " + q(path(name + ".key")) + " -pubout -out " + q(path(name + ".pub")));
    return to_string(slurp(path(name + ".pub")));
  }
  Bytes sign(const std::string& name, const std::string& digest_and_options) const {
    fs::path sig = path(name + ".sig");
    run("openssl dgst " + digest_and_options + " -sign " + q(path(name + ".key")) + " -out " + q(sig) + " " +
        q(message));
    return slurp(sig);
  }
};

}  // namespace

TEST_CASE("securesystemslib-style keys and signatures made by pyca/cryptography",
          "[crypto][tufkey][foreign]") {
  auto dir = TempDir::create("tufkey-py-");
  REQUIRE(dir.ok());
  fs::path out = dir->path() / "cases.json";
  auto r = run_shell(kPython + " " + q(kHelper) + " cases " + q(out));
  INFO(r.output << "\n(python3-cryptography is installed by ci/setup)");
  REQUIRE(r.exit_code == 0);
  auto doc = parse_json(to_string(slurp(out)), "cases");
  REQUIRE(doc.ok());
  const Json& cases = doc->at("cases");
  REQUIRE(cases.size() >= 30);
  int valid = 0, refused = 0;
  for (const Json& c : cases) {
    INFO("case: " << c.at("name").get<std::string>());
    TufKey key = load(c.at("key"));
    // The key id is python's SHA-256 of python's canonical JSON of the whole object, extra members included.
    CHECK(key.key_id() == c.at("keyid").get<std::string>());
    CHECK(key.usable() == c.at("usable").get<bool>());
    CHECK(key.problem().empty() == key.usable());
    Bytes message = hex_decode(c.at("message").get<std::string>()).value();
    Bytes sig = hex_decode(c.at("sig").get<std::string>()).value();
    bool ok = key.verify(message, sig);
    CHECK(ok == c.at("valid").get<bool>());
    (ok ? valid : refused)++;
  }
  CHECK(valid >= 10);
  CHECK(refused >= 10);

  // One P-256 key as PEM and as a hex point: two key ids, one key.
  TufKey pem = load(doc->at("same_key").at("pem"));
  TufKey hex = load(doc->at("same_key").at("hex"));
  CHECK(pem.key_id() != hex.key_id());
  CHECK(pem == hex);
  CHECK_FALSE(pem < hex);
  CHECK_FALSE(hex < pem);
}

TEST_CASE("ECDSA P-256 keys and DER signatures made by the openssl CLI", "[crypto][tufkey][foreign]") {
  OpensslBench b;
  std::string pub = b.generate("p256", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256");
  Bytes sig = b.sign("p256", "-sha256");
  REQUIRE(sig.size() >= 8);
  CHECK(sig[0] == 0x30);  // a DER SEQUENCE, as TUF's ecdsa-sha2-nistp256 signatures are

  TufKey key = load(key_object("ecdsa", "ecdsa-sha2-nistp256", pub));
  REQUIRE(key.usable());
  CHECK(key.algorithm() == TufKeyAlgorithm::ecdsa_p256_sha256);
  CHECK(key.verify(b.message_bytes, sig));
  CHECK(load(key_object("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", pub)).verify(b.message_bytes, sig));

  Bytes other = b.message_bytes;
  other.back() ^= 1;
  CHECK_FALSE(key.verify(other, sig));
  CHECK_FALSE(key.verify(b.message_bytes, ByteView(sig.data(), sig.size() - 1)));  // truncated
  CHECK_FALSE(key.verify(b.message_bytes, {}));
  Bytes flipped = sig;
  flipped[flipped.size() / 2] ^= 0x40;
  CHECK_FALSE(key.verify(b.message_bytes, flipped));
  Bytes garbage(72, 0xff);
  CHECK_FALSE(key.verify(b.message_bytes, garbage));

  // The raw hex form of older repositories: the uncompressed point is the tail of the DER SPKI.
  b.run("openssl pkey -in " + q(b.path("p256.key")) + " -pubout -outform DER -out " + q(b.path("p256.der")));
  Bytes der = slurp(b.path("p256.der"));
  REQUIRE(der.size() > 65);
  Bytes point(der.end() - 65, der.end());
  REQUIRE(point[0] == 0x04);
  TufKey hex_key = load(key_object("ecdsa", "ecdsa-sha2-nistp256", hex_encode(point)));
  REQUIRE(hex_key.usable());
  CHECK(hex_key.verify(b.message_bytes, sig));
  CHECK(hex_key == key);  // one key, whatever its form
  // Compressed or truncated points are not the form TUF repositories use.
  Bytes compressed(point.begin(), point.begin() + 33);
  compressed[0] = static_cast<std::uint8_t>(0x02 | (point.back() & 1));
  CHECK_FALSE(load(key_object("ecdsa", "ecdsa-sha2-nistp256", hex_encode(compressed))).usable());
  CHECK_FALSE(load(key_object("ecdsa", "ecdsa-sha2-nistp256", hex_encode(point).substr(2))).usable());
}

TEST_CASE("a P-384 key declared as nistp256 verifies nothing", "[crypto][tufkey][foreign][attack]") {
  OpensslBench b;
  std::string pub = b.generate("p384", "-algorithm EC -pkeyopt ec_paramgen_curve:P-384");
  Bytes sig256 = b.sign("p384", "-sha256");
  TufKey wrong = load(key_object("ecdsa", "ecdsa-sha2-nistp256", pub));
  CHECK_FALSE(wrong.usable());
  CHECK_FALSE(wrong.verify(b.message_bytes, sig256));
  // Declared with its own curve it is a good key.
  TufKey right = load(key_object("ecdsa", "ecdsa-sha2-nistp384", pub));
  CHECK(right.usable());
  CHECK(right.verify(b.message_bytes, b.sign("p384", "-sha384")));
  CHECK_FALSE(right.verify(b.message_bytes, sig256));  // nistp384 means SHA-384
}

TEST_CASE("RSA-PSS and PKCS#1 v1.5 keys and signatures made by the openssl CLI",
          "[crypto][tufkey][foreign]") {
  OpensslBench b;
  for (int bits : {2048, 3072}) {
    std::string name = "rsa" + std::to_string(bits);
    INFO(name);
    std::string pub = b.generate(name, "-algorithm RSA -pkeyopt rsa_keygen_bits:" + std::to_string(bits));
    TufKey pss = load(key_object("rsa", "rsassa-pss-sha256", pub));
    TufKey pkcs = load(key_object("rsa", "rsa-pkcs1v15-sha256", pub));
    REQUIRE(pss.usable());
    REQUIRE(pkcs.usable());
    CHECK(pss == pkcs);  // one key under two schemes is still one signer

    const std::string pss_opts = "-sha256 -sigopt rsa_padding_mode:pss ";
    // python-tuf signs with salt length = digest length (32); securesystemslib verifies any salt length
    // (PSS.AUTO), and so do we: the specification names no salt length.
    Bytes salt32 = b.sign(name, pss_opts + "-sigopt rsa_pss_saltlen:32");
    Bytes salt_max = b.sign(name, pss_opts + "-sigopt rsa_pss_saltlen:max");
    Bytes salt0 = b.sign(name, pss_opts + "-sigopt rsa_pss_saltlen:0");
    CHECK(pss.verify(b.message_bytes, salt32));
    CHECK(pss.verify(b.message_bytes, salt_max));
    CHECK(pss.verify(b.message_bytes, salt0));
    // What the scheme does fix: MGF1 over SHA-256 and a SHA-256 message digest.
    CHECK_FALSE(pss.verify(b.message_bytes,
                           b.sign(name, pss_opts + "-sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha1")));
    CHECK_FALSE(pss.verify(b.message_bytes, b.sign(name, "-sha384 -sigopt rsa_padding_mode:pss")));
    Bytes v15 = b.sign(name, "-sha256");
    CHECK_FALSE(pss.verify(b.message_bytes, v15));
    CHECK(pkcs.verify(b.message_bytes, v15));
    CHECK_FALSE(pkcs.verify(b.message_bytes, salt32));
    Bytes other = b.message_bytes;
    other.push_back(' ');
    CHECK_FALSE(pkcs.verify(other, v15));
    CHECK_FALSE(pss.verify(other, salt32));
    CHECK_FALSE(pkcs.verify(b.message_bytes, ByteView(v15.data(), v15.size() - 1)));
    CHECK_FALSE(pss.verify(b.message_bytes, Bytes(v15.size(), 0)));

    // An RSA key declared with the ECDSA scheme, or under no known scheme, verifies nothing.
    TufKey wrong = load(key_object("ecdsa", "ecdsa-sha2-nistp256", pub));
    CHECK_FALSE(wrong.usable());
    CHECK_FALSE(wrong.verify(b.message_bytes, salt32));
    CHECK_FALSE(load(key_object("rsa", "rsassa-pss-md5", pub)).usable());
  }
  // And an EC key declared as RSA.
  std::string ec_pub = b.generate("ec", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256");
  TufKey ec_as_rsa = load(key_object("rsa", "rsassa-pss-sha256", ec_pub));
  CHECK_FALSE(ec_as_rsa.usable());
  CHECK_FALSE(ec_as_rsa.verify(b.message_bytes, b.sign("ec", "-sha256")));
}

TEST_CASE("malformed key objects load as unusable keys, never crash", "[crypto][tufkey][attack]") {
  const std::string pem_head = "-----BEGIN PUBLIC KEY-----\n";
  const std::string pem_tail = "-----END PUBLIC KEY-----\n";
  const Bytes message = {'m'};
  const Bytes sig(64, 1);
  for (const Json& object : {
           key_object("ecdsa", "ecdsa-sha2-nistp256", pem_head + "!!!!\n" + pem_tail),
           key_object("ecdsa", "ecdsa-sha2-nistp256", pem_head + std::string(4000, 'A') + "\n" + pem_tail),
           key_object("rsa", "rsassa-pss-sha256", pem_head),
           key_object("rsa", "rsassa-pss-sha256", ""),
           key_object("ecdsa", "ecdsa-sha2-nistp256", "zz"),
           key_object("ecdsa", "ecdsa-sha2-nistp256", "04"),
           key_object("ed25519", "ed25519", "abcd"),
           key_object("ed25519", "ecdsa-sha2-nistp256", std::string(64, 'a')),
           key_object("", "", ""),
           Json{{"keytype", 5}, {"scheme", "ed25519"}, {"keyval", Json{{"public", std::string(64, 'a')}}}},
           Json{{"keytype", "ed25519"}, {"scheme", "ed25519"}, {"keyval", "not an object"}},
           Json{{"keytype", "ed25519"}, {"scheme", "ed25519"}, {"keyval", Json{{"public", 7}}}},
           Json{{"keytype", "ed25519"}},
           Json::object(),
       }) {
    INFO(object.dump());
    TufKey key = load(object);
    CHECK_FALSE(key.usable());
    CHECK_FALSE(key.problem().empty());
    CHECK_FALSE(key.verify(message, sig));
    CHECK(key.key_id() == sha256_hex(std::string_view(canonical_json(object).value())));
  }
  // Two different unusable keys are two keys (neither can ever count, but neither hides the other).
  CHECK(load(key_object("x", "y", "1")) != load(key_object("x", "y", "2")));
  // Only a non-object, or one canonical JSON cannot write, is an error: no key id can be computed.
  CHECK(TufKey::from_json(Json(5)).error().code == Errc::invalid_input);
  CHECK(TufKey::from_json(Json::array()).error().code == Errc::invalid_input);
  CHECK(TufKey::from_json(Json{{"keytype", 1.5}}).error().code == Errc::invalid_input);
}

TEST_CASE("Ed25519 key objects: the standard form and the one with extra members", "[crypto][tufkey]") {
  auto pair = ed25519_generate();
  REQUIRE(pair.ok());
  TufKey standard(pair->public_key);
  CHECK(standard.key_id() == ed25519_key_id(pair->public_key));
  CHECK(standard.json() == ed25519_tuf_key(pair->public_key));
  CHECK(standard.ed25519() == pair->public_key);
  Bytes message = {'h', 'i'};
  auto sig = ed25519_sign(*pair, message);
  CHECK(standard.verify(message, sig));

  Json extended = ed25519_tuf_key(pair->public_key);
  extended["extra-field"] = "ignored, but covered by the key id";
  extended["keyid_hash_algorithms"] = Json::array({"sha256", "sha512"});
  TufKey with_extra = load(extended);
  CHECK(with_extra.usable());
  CHECK(with_extra.verify(message, sig));
  CHECK(with_extra == standard);
  CHECK(with_extra.key_id() != standard.key_id());
  CHECK(with_extra.key_id() == sha256_hex(std::string_view(canonical_json(extended).value())));
  CHECK(with_extra.json() == extended);
}
