#pragma once
// C2SP tlog-tiles: hash tiles of height 8 and entry bundles, and the paths they are served at.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "tlog/hash.hpp"
#include "tlog/proof.hpp"

namespace cocoon::tlog {

inline constexpr int kTileHeight = 8;
inline constexpr std::uint64_t kTileWidth = 256;
// A bundle stores each entry behind a 2-byte length, so the format caps entries at 65535 bytes.
inline constexpr std::size_t kMaxEntrySize = 65535;

// A tile: `width` consecutive hashes at tree level 8·level, starting at hash number 256·index.
// Level-0 tiles hold leaf hashes; each hash of a level-L tile is the root of a full level-(L-1) tile.
// Invariant: 1 <= width <= 256; width < 256 only for the right-most tile of its level.
// Example: {level 0, index 1234067, width 1} is served at "tile/0/x001/x234/067.p/1" and holds the
// leaf hash of entry 315921152.
struct TileId {
  int level = 0;
  std::uint64_t index = 0;
  int width = 256;
  bool operator==(const TileId&) const = default;
  bool operator<(const TileId& o) const {
    return std::tie(level, index, width) < std::tie(o.level, o.index, o.width);
  }
};

// "x001/x234/067" for 1234067.
std::string encode_tile_index(std::uint64_t index);
std::string tile_path(const TileId& tile);
// The entry bundle holding entries 256·index … 256·index+width-1: "tile/entries/<N>[.p/<W>]".
std::string entry_bundle_path(std::uint64_t index, int width);
// Parses a hash tile path or an entry bundle path (is_entries tells which; level is then 0). Refuses
// non-canonical encodings (leading zero groups, missing x, widths 0 or >= 256 after .p/).
struct ParsedTilePath {
  TileId tile;
  bool is_entries = false;
};
Result<ParsedTilePath> parse_tile_path(std::string_view path);

// The tiles a tree of `size` leaves consists of: every full tile plus the partial right-most tile of
// each level. Example: size 300 -> tile/0/000, tile/0/001.p/44, tile/1/000.p/1.
std::vector<TileId> tiles_for_size(std::uint64_t size);

// Entry bundle bytes: each entry as a big-endian uint16 length followed by its bytes.
Result<Bytes> encode_entry_bundle(const std::vector<Bytes>& entries);
// Refuses truncated input and trailing bytes; `expected` entries must be present exactly.
Result<std::vector<Bytes>> decode_entry_bundle(ByteView data, std::size_t expected);

// Reads files of a log (a directory, an HTTP base URL, ...). Returns Errc::not_found for a missing file.
class TileFetcher {
 public:
  virtual ~TileFetcher() = default;
  virtual Result<Bytes> fetch(const std::string& path) = 0;
};

// A tile's hashes (id.width * 32 bytes) and a bundle's entries. A partial tile or bundle that is gone
// because the full one replaced it (the log deletes superseded partials) is read as the prefix of the
// full one. Example: id {0, 0, 14} with tile/0/000.p/14 deleted -> the first 448 bytes of tile/0/000.
// Errors: not_found, hash_mismatch (wrong length), invalid_input (malformed bundle).
Result<Bytes> fetch_tile_hashes(TileFetcher& fetcher, const TileId& id);
Result<std::vector<Bytes>> fetch_entry_bundle(TileFetcher& fetcher, std::uint64_t index, std::size_t width);

// Subtree hashes of the tree of `size` leaves, read from its tiles. Each tile is fetched at most once
// per reader, so a proof costs O(log n) tile reads. Refuses tiles of the wrong length.
class TileHashReader : public HashReader {
 public:
  TileHashReader(TileFetcher& fetcher, std::uint64_t size) : fetcher_(fetcher), size_(size) {}
  Result<Hash> subtree_hash(int level, std::uint64_t index) override;
  std::size_t tiles_read() const { return tiles_read_; }
  // The tile bytes (fetched or cached); used by callers that compare tiles.
  Result<const Bytes*> tile(const TileId& id);

 private:
  TileFetcher& fetcher_;
  std::uint64_t size_;
  std::map<TileId, Bytes> cache_;
  std::size_t tiles_read_ = 0;
  MerkleHasher hasher_;
};

// The tile that holds the hashes for complete subtree (level, index) in a tree of `size` leaves.
TileId tile_for_subtree(int level, std::uint64_t index, std::uint64_t size);

}  // namespace cocoon::tlog
