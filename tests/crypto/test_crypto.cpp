#include <catch2/catch.hpp>
#include <fstream>

#include "core/file_io.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/hash.hpp"

using namespace cocoon;
using namespace cocoon::crypto;

TEST_CASE("SHA-2 known answers") {
  CHECK(sha256_hex(std::string_view("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_encode(sha384(as_bytes("abc"))) ==
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
  CHECK(hex_encode(sha512(as_bytes("abc"))).substr(0, 32) == "ddaf35a193617abacc417349ae204131");
  Hasher h(HashAlg::sha256);
  h.update(std::string_view("a"));
  h.update(std::string_view("bc"));
  CHECK(hex_encode(h.finish()) == sha256_hex(std::string_view("abc")));
}

TEST_CASE("file digests stream across block boundaries") {
  auto dir = TempDir::create();
  REQUIRE(dir.ok());
  std::string big(3 * (1 << 20) + 17, 'x');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31);
  auto p = dir->path() / "big";
  REQUIRE(write_file_atomic(p, std::string_view(big)).ok());
  auto d = digest_file_sha256_sha512(p);
  REQUIRE(d.ok());
  CHECK(d->size == big.size());
  CHECK(d->sha256 == sha256(std::string_view(big)));
  CHECK(d->sha512 == sha512(as_bytes(big)));
  CHECK(digest_file(HashAlg::sha256, dir->path() / "nope").error().code == Errc::not_found);
}

TEST_CASE("Ed25519 RFC 8032 test 1 and refusals") {
  auto seed = hex_decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  REQUIRE(seed.ok());
  auto kp = ed25519_from_seed(*seed);
  REQUIRE(kp.ok());
  CHECK(hex_encode(kp->public_key) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  auto sig = ed25519_sign(*kp, {});
  CHECK(hex_encode(sig) ==
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25b"
        "f5f0595bbe24655141438e7a100b");
  CHECK(ed25519_verify(kp->public_key, {}, sig));
  Bytes msg{1};
  CHECK_FALSE(ed25519_verify(kp->public_key, msg, sig));
  CHECK_FALSE(ed25519_verify(ByteView(kp->public_key.data(), 31), {}, sig));
  CHECK_FALSE(ed25519_verify(kp->public_key, {}, ByteView(sig.data(), 63)));
  CHECK_FALSE(ed25519_from_seed(ByteView(seed->data(), 31)).ok());
}
