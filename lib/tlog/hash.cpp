#include "tlog/hash.hpp"

#include <openssl/evp.h>

#include <cstring>

namespace cocoon::tlog {

struct MerkleHasher::State {
  EVP_MD* md = nullptr;
  EVP_MD_CTX* ctx = nullptr;
  ~State() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
  }
};

MerkleHasher::MerkleHasher() : state_(std::make_unique<State>()) {
  state_->md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  state_->ctx = EVP_MD_CTX_new();
}
MerkleHasher::MerkleHasher(MerkleHasher&&) noexcept = default;
MerkleHasher& MerkleHasher::operator=(MerkleHasher&&) noexcept = default;
MerkleHasher::~MerkleHasher() = default;

namespace {

// OpenSSL only fails here on allocation failure or a missing SHA-256 provider; neither can be
// reported sensibly from a hash function, and continuing would yield a wrong hash, so abort.
void check(int ok) {
  if (ok != 1) std::abort();
}

}  // namespace

Hash MerkleHasher::leaf(ByteView entry) {
  if (state_->md == nullptr || state_->ctx == nullptr) std::abort();
  static constexpr std::uint8_t kLeafPrefix = 0x00;
  Hash out;
  check(EVP_DigestInit_ex2(state_->ctx, state_->md, nullptr));
  check(EVP_DigestUpdate(state_->ctx, &kLeafPrefix, 1));
  if (!entry.empty()) check(EVP_DigestUpdate(state_->ctx, entry.data(), entry.size()));
  check(EVP_DigestFinal_ex(state_->ctx, out.data(), nullptr));
  return out;
}

Hash MerkleHasher::node(const Hash& left, const Hash& right) {
  if (state_->md == nullptr || state_->ctx == nullptr) std::abort();
  std::uint8_t buf[65];
  buf[0] = 0x01;
  std::memcpy(buf + 1, left.data(), 32);
  std::memcpy(buf + 33, right.data(), 32);
  Hash out;
  check(EVP_DigestInit_ex2(state_->ctx, state_->md, nullptr));
  check(EVP_DigestUpdate(state_->ctx, buf, sizeof buf));
  check(EVP_DigestFinal_ex(state_->ctx, out.data(), nullptr));
  return out;
}

Hash MerkleHasher::subtree_root(std::span<const Hash> hashes) {
  if (hashes.size() == 1) return hashes[0];
  size_t half = hashes.size() / 2;
  return node(subtree_root(hashes.first(half)), subtree_root(hashes.subspan(half)));
}

Hash leaf_hash(ByteView entry) {
  return MerkleHasher().leaf(entry);
}
Hash node_hash(const Hash& left, const Hash& right) {
  return MerkleHasher().node(left, right);
}

Hash empty_tree_hash() {
  Hash out;
  unsigned int len = 0;
  check(EVP_Digest("", 0, out.data(), &len, EVP_sha256(), nullptr));
  return out;
}

std::string hash_base64(const Hash& h) {
  return base64_encode(ByteView(h.data(), h.size()));
}

Result<Hash> hash_from_bytes(ByteView bytes) {
  if (bytes.size() != 32)
    return make_error(Errc::invalid_input, "hash must be 32 bytes, got " + std::to_string(bytes.size()));
  Hash h;
  std::memcpy(h.data(), bytes.data(), 32);
  return h;
}

Result<Hash> hash_from_base64(std::string_view text) {
  auto raw = base64_decode(text);
  if (!raw.ok()) return make_error(Errc::invalid_input, "hash is not valid base64: " + std::string(text));
  return hash_from_bytes(*raw);
}

}  // namespace cocoon::tlog
