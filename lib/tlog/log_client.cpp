#include "tlog/log_client.hpp"

#include <cstring>

namespace cocoon::tlog {

Result<VerifiedCheckpoint> LogClient::checkpoint() {
  COCOON_ASSIGN(Bytes raw, fetcher_.fetch("checkpoint"));
  if (raw.size() > (1 << 16)) return make_error(Errc::invalid_input, "checkpoint larger than 64 KiB");
  return open_checkpoint(to_string(raw), log_key_);
}

Result<Proof> LogClient::inclusion_proof(std::uint64_t index, std::uint64_t size) {
  TileHashReader reader(fetcher_, size);
  return prove_inclusion(reader, size, index);
}

Result<Proof> LogClient::consistency_proof(std::uint64_t old_size, std::uint64_t new_size) {
  TileHashReader reader(fetcher_, new_size);
  return prove_consistency(reader, old_size, new_size);
}

Result<Hash> LogClient::root(std::uint64_t size) {
  TileHashReader reader(fetcher_, size);
  return tree_hash(reader, size);
}

Result<std::vector<Bytes>> LogClient::entries(std::uint64_t begin, std::uint64_t end, std::uint64_t size) {
  if (begin > end || end > size)
    return make_error(Errc::invalid_input, "entries [" + std::to_string(begin) + ", " + std::to_string(end) +
                                               ") are outside a tree of size " + std::to_string(size));
  TileHashReader reader(fetcher_, size);
  MerkleHasher hasher;
  std::vector<Bytes> out;
  for (std::uint64_t b = begin / kTileWidth; b * kTileWidth < end; ++b) {
    std::uint64_t width = std::min<std::uint64_t>(kTileWidth, size - b * kTileWidth);
    std::string path = entry_bundle_path(b, static_cast<int>(width));
    COCOON_ASSIGN(auto bundle, fetch_entry_bundle(fetcher_, b, width));
    TileId tile{0, b, static_cast<int>(width)};
    COCOON_ASSIGN(const Bytes* hashes, reader.tile(tile));
    for (std::uint64_t i = 0; i < width; ++i) {
      std::uint64_t idx = b * kTileWidth + i;
      if (idx < begin || idx >= end) continue;
      Hash h = hasher.leaf(bundle[i]);
      if (std::memcmp(h.data(), hashes->data() + i * 32, 32) != 0)
        return make_error(Errc::hash_mismatch, "entry " + std::to_string(idx) + " in " + path +
                                                   " does not match its leaf hash in " + tile_path(tile));
      out.push_back(std::move(bundle[i]));
    }
  }
  return out;
}

std::string format_proof(const Proof& proof) {
  std::string out;
  for (const auto& h : proof) out += hash_base64(h) + "\n";
  return out;
}

Result<Proof> parse_proof(std::string_view text) {
  Proof out;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    if (nl == std::string_view::npos)
      return make_error(Errc::invalid_input, "proof does not end with a newline");
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    auto h = hash_from_base64(line);
    if (!h.ok())
      return make_error(Errc::invalid_input, "proof line is not a base64 hash: " + std::string(line));
    out.push_back(*h);
    if (out.size() > 64) return make_error(Errc::invalid_input, "proof longer than 64 hashes");
  }
  return out;
}

}  // namespace cocoon::tlog
