// tlog-tiles: tile and entry-bundle paths (what a log server is asked for) and entry bundles (what a log
// client is served). A path that parses is the canonical path of what it names; a bundle that decodes
// re-encodes to exactly its bytes.
#include <vector>

#include "fuzz_common.hpp"
#include "tlog/tile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace t = cocoon::tlog;
  std::string_view in = cocoon::fuzz::text(data, size);
  if (auto p = t::parse_tile_path(in)) {
    FUZZ_CHECK(p->tile.width >= 1 && p->tile.width <= 256);
    std::string canonical =
        p->is_entries ? t::entry_bundle_path(p->tile.index, p->tile.width) : t::tile_path(p->tile);
    FUZZ_CHECK(canonical == in);
  }
  // Bundles: the first byte says how many entries the caller expects.
  if (size >= 1) {
    std::size_t expected = data[0];
    auto entries = t::decode_entry_bundle(cocoon::fuzz::bytes(data + 1, size - 1), expected);
    if (entries) {
      FUZZ_CHECK(entries->size() == expected);
      auto encoded = t::encode_entry_bundle(*entries);
      FUZZ_CHECK(encoded);
      FUZZ_CHECK(*encoded == std::vector<std::uint8_t>(data + 1, data + size));
    }
  }
  return 0;
}
