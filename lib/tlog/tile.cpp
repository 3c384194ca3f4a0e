#include "tlog/tile.hpp"

#include <charconv>
#include <cstdio>
#include <cstring>

namespace cocoon::tlog {

std::string encode_tile_index(std::uint64_t index) {
  std::vector<unsigned> groups;
  do {
    groups.push_back(static_cast<unsigned>(index % 1000));
    index /= 1000;
  } while (index > 0);
  std::string out;
  for (size_t i = groups.size(); i-- > 0;) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%s%03u", i > 0 ? "x" : "", groups[i]);
    out += buf;
    if (i > 0) out += '/';
  }
  return out;
}

std::string tile_path(const TileId& tile) {
  std::string p = "tile/" + std::to_string(tile.level) + "/" + encode_tile_index(tile.index);
  if (tile.width < static_cast<int>(kTileWidth)) p += ".p/" + std::to_string(tile.width);
  return p;
}

std::string entry_bundle_path(std::uint64_t index, int width) {
  std::string p = "tile/entries/" + encode_tile_index(index);
  if (width < static_cast<int>(kTileWidth)) p += ".p/" + std::to_string(width);
  return p;
}

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

Result<std::uint64_t> parse_decimal(std::string_view s, std::string_view what) {
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (!all_digits(s) || ec != std::errc() || ptr != s.data() + s.size() || (s.size() > 1 && s[0] == '0'))
    return make_error(Errc::invalid_input, "bad " + std::string(what) + " in tile path: " + std::string(s));
  return v;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

}  // namespace

Result<ParsedTilePath> parse_tile_path(std::string_view path) {
  auto bad = [&](const std::string& why) {
    return make_error(Errc::invalid_input, "bad tile path '" + std::string(path) + "': " + why);
  };
  auto parts = split(path, '/');
  if (parts.size() < 3 || parts[0] != "tile") return bad("expected tile/<level>/<index>");
  ParsedTilePath out;
  if (parts[1] == "entries") {
    out.is_entries = true;
  } else {
    auto level = parse_decimal(parts[1], "level");
    if (!level.ok() || *level > 63) return bad("level must be 0..63");
    out.tile.level = static_cast<int>(*level);
  }
  size_t end = parts.size();
  int width = static_cast<int>(kTileWidth);
  if (end >= 4 && parts[end - 2].size() > 2 && parts[end - 2].ends_with(".p")) {
    auto w = parse_decimal(parts[end - 1], "width");
    if (!w.ok() || *w == 0 || *w >= kTileWidth) return bad("partial width must be 1..255");
    width = static_cast<int>(*w);
    parts[end - 2].remove_suffix(2);
    --end;
  }
  std::uint64_t index = 0;
  size_t groups = end - 2;
  if (groups > 7) return bad("index too long");
  for (size_t i = 2; i < end; ++i) {
    std::string_view g = parts[i];
    bool last = i + 1 == end;
    if (!last) {
      if (g.size() != 4 || g[0] != 'x') return bad("index groups before the last need the form xNNN");
      g.remove_prefix(1);
    }
    if (g.size() != 3 || !all_digits(g)) return bad("index groups must have three digits");
    if (i == 2 && groups > 1 && g == "000") return bad("leading zero group");
    unsigned v = static_cast<unsigned>((g[0] - '0') * 100 + (g[1] - '0') * 10 + (g[2] - '0'));
    if (index > (UINT64_MAX - v) / 1000) return bad("index overflows");
    index = index * 1000 + v;
  }
  out.tile.index = index;
  out.tile.width = width;
  return out;
}

std::vector<TileId> tiles_for_size(std::uint64_t size) {
  std::vector<TileId> out;
  for (int level = 0; level < 8; ++level) {
    std::uint64_t hashes = level * kTileHeight >= 64 ? 0 : size >> (level * kTileHeight);
    if (hashes == 0) break;
    for (std::uint64_t t = 0; t < hashes / kTileWidth; ++t) out.push_back({level, t, 256});
    if (hashes % kTileWidth)
      out.push_back({level, hashes / kTileWidth, static_cast<int>(hashes % kTileWidth)});
  }
  return out;
}

Result<Bytes> encode_entry_bundle(const std::vector<Bytes>& entries) {
  Bytes out;
  for (const Bytes& e : entries) {
    if (e.size() > kMaxEntrySize)
      return make_error(Errc::invalid_input,
                        "entry of " + std::to_string(e.size()) + " bytes exceeds the bundle limit of 65535");
    out.push_back(static_cast<std::uint8_t>(e.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(e.size() & 0xff));
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

Result<std::vector<Bytes>> decode_entry_bundle(ByteView data, std::size_t expected) {
  std::vector<Bytes> out;
  size_t pos = 0;
  while (pos < data.size()) {
    if (data.size() - pos < 2) return make_error(Errc::invalid_input, "entry bundle truncated in a length");
    size_t len = (size_t{data[pos]} << 8) | data[pos + 1];
    pos += 2;
    if (data.size() - pos < len) return make_error(Errc::invalid_input, "entry bundle truncated in an entry");
    out.emplace_back(data.begin() + pos, data.begin() + pos + len);
    pos += len;
  }
  if (out.size() != expected)
    return make_error(Errc::invalid_input, "entry bundle holds " + std::to_string(out.size()) +
                                               " entries, expected " + std::to_string(expected));
  return out;
}

TileId tile_for_subtree(int level, std::uint64_t index, std::uint64_t size) {
  int tile_level = level / kTileHeight;
  int k = level % kTileHeight;
  std::uint64_t first = index << k;  // first hash at level 8·tile_level
  std::uint64_t t = first / kTileWidth;
  std::uint64_t available = size >> (tile_level * kTileHeight);
  std::uint64_t width = available - t * kTileWidth;
  if (width > kTileWidth) width = kTileWidth;
  return {tile_level, t, static_cast<int>(width)};
}

Result<Bytes> fetch_tile_hashes(TileFetcher& fetcher, const TileId& id) {
  const std::size_t want = static_cast<std::size_t>(id.width) * 32;
  auto data = fetcher.fetch(tile_path(id));
  if (!data.ok() && data.error().code == Errc::not_found && id.width < static_cast<int>(kTileWidth)) {
    TileId full{id.level, id.index, static_cast<int>(kTileWidth)};
    data = fetcher.fetch(tile_path(full));
    if (data.ok() && data->size() != kTileWidth * 32)
      return make_error(Errc::hash_mismatch, "tile " + tile_path(full) + " has " +
                                                 std::to_string(data->size()) + " bytes, expected " +
                                                 std::to_string(kTileWidth * 32));
    if (data.ok()) data->resize(want);
  }
  if (!data.ok()) return std::move(data).error();
  if (data->size() != want)
    return make_error(Errc::hash_mismatch, "tile " + tile_path(id) + " has " + std::to_string(data->size()) +
                                               " bytes, expected " + std::to_string(want));
  return std::move(*data);
}

Result<std::vector<Bytes>> fetch_entry_bundle(TileFetcher& fetcher, std::uint64_t index, std::size_t width) {
  auto data = fetcher.fetch(entry_bundle_path(index, static_cast<int>(width)));
  if (!data.ok() && data.error().code == Errc::not_found && width < kTileWidth) {
    COCOON_ASSIGN(Bytes full, fetcher.fetch(entry_bundle_path(index, static_cast<int>(kTileWidth))));
    COCOON_ASSIGN(std::vector<Bytes> all, decode_entry_bundle(full, kTileWidth));
    all.resize(width);
    return all;
  }
  if (!data.ok()) return std::move(data).error();
  return decode_entry_bundle(*data, width);
}

Result<const Bytes*> TileHashReader::tile(const TileId& id) {
  auto it = cache_.find(id);
  if (it != cache_.end()) return &it->second;
  COCOON_ASSIGN(Bytes data, fetch_tile_hashes(fetcher_, id));
  ++tiles_read_;
  return &cache_.emplace(id, std::move(data)).first->second;
}

Result<Hash> TileHashReader::subtree_hash(int level, std::uint64_t index) {
  if (level < 0 || level >= 64 || (index + 1) > (size_ >> level))
    return make_error(Errc::invalid_input,
                      "subtree (" + std::to_string(level) + ", " + std::to_string(index) +
                          ") is not complete in a tree of size " + std::to_string(size_));
  TileId id = tile_for_subtree(level, index, size_);
  COCOON_ASSIGN(const Bytes* data, tile(id));
  int k = level % kTileHeight;
  std::uint64_t first = (index << k) % kTileWidth;
  std::uint64_t count = std::uint64_t{1} << k;
  std::vector<Hash> hashes(count);
  for (std::uint64_t i = 0; i < count; ++i)
    std::memcpy(hashes[i].data(), data->data() + (first + i) * 32, 32);
  return hasher_.subtree_root(hashes);
}

}  // namespace cocoon::tlog
