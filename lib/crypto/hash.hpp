#pragma once
// Streaming SHA-2 digests through OpenSSL's EVP interface.
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::crypto {

enum class HashAlg { sha256, sha384, sha512 };

size_t digest_size(HashAlg alg);
const char* hash_name(HashAlg alg);  // "sha256", "sha384", "sha512" (TUF's hash names)

// An incremental hash. Feed bytes with update(), then finish() once; the object can be reused after
// reset(). Move-only: it owns an EVP_MD_CTX.
class Hasher {
 public:
  explicit Hasher(HashAlg alg);
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  ~Hasher();

  void update(ByteView data);
  void update(std::string_view data) { update(as_bytes(data)); }
  Bytes finish();
  void reset();
  HashAlg alg() const { return alg_; }

 private:
  struct CtxDeleter {
    void operator()(void* ctx) const;
  };
  HashAlg alg_;
  std::unique_ptr<void, CtxDeleter> ctx_;
};

Bytes digest(HashAlg alg, ByteView data);
inline Bytes sha256(ByteView data) {
  return digest(HashAlg::sha256, data);
}
inline Bytes sha256(std::string_view data) {
  return digest(HashAlg::sha256, as_bytes(data));
}
inline Bytes sha384(ByteView data) {
  return digest(HashAlg::sha384, data);
}
inline Bytes sha512(ByteView data) {
  return digest(HashAlg::sha512, data);
}
inline std::string sha256_hex(ByteView data) {
  return hex_encode(sha256(data));
}
inline std::string sha256_hex(std::string_view data) {
  return hex_encode(sha256(data));
}

// Digest and length of a file, read in large blocks.
struct FileDigest {
  std::uint64_t size = 0;
  Bytes digest;
};
Result<FileDigest> digest_file(HashAlg alg, const std::filesystem::path& path);

// Several digests of one file in a single read (TUF targets carry sha256 and sha512).
struct FileDigests {
  std::uint64_t size = 0;
  Bytes sha256;
  Bytes sha512;
};
Result<FileDigests> digest_file_sha256_sha512(const std::filesystem::path& path);

}  // namespace cocoon::crypto
