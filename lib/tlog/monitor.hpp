#pragma once
// A log monitor: remembers the last checkpoint it verified, and on each run reads only what was
// appended since, recomputing the new root from its remembered right edge plus the new entries. A log
// that rewrote or dropped anything the monitor saw cannot produce a matching root.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "tlog/log_client.hpp"

namespace cocoon::tlog {

// The roots of the complete subtrees a tree of `size` leaves decomposes into, largest first (one per
// set bit of size). Example: size 6 -> {root of leaves 0-3, root of leaves 4-5}.
struct CompactRange {
  std::uint64_t size = 0;
  std::vector<Hash> subtrees;
  void append(const Hash& leaf, MerkleHasher& hasher);
  Hash root(MerkleHasher& hasher) const;
};

// What the monitor keeps between runs (a JSON file written atomically).
struct MonitorState {
  std::string log_key;  // verifier key string, pinned at the first run
  Hash root{};
  CompactRange range;
};
Result<MonitorState> load_monitor_state(const std::filesystem::path& path);
Status save_monitor_state(const std::filesystem::path& path, const MonitorState& state);

struct MonitorUpdate {
  std::uint64_t old_size = 0;
  std::uint64_t first_index = 0;  // index of entries[0]
  std::vector<Bytes> entries;
  std::string checkpoint;
  MonitorState next;
};

// One run. `previous` is null on the first run (everything from index 0 is read). Errors: rollback
// (smaller tree), log_inconsistent (roots or proofs do not match), signature (checkpoint), network/io.
Result<MonitorUpdate> monitor_step(LogClient& client, const MonitorState* previous);

// Describes the entry kinds a module above tlog knows (e.g. lib/rebuild's candidates and verdicts), or
// returns nullopt to leave the entry to describe_entry. tlog must not depend on those modules, so the
// tool that runs the monitor passes the describer in. It escapes what it quotes from the entry.
using EntryDescriber = std::function<std::optional<std::string>(ByteView entry)>;

// A one-line description of an entry for people: first what `extra` (when set) says, then TUF metadata
// ("tuf targets version 3"), in-toto statements and DSSE envelopes ("attestation <subject> <predicate
// type>"), otherwise its size and hash. Strings taken from the entry are escaped with printable(): the
// line is safe to print.
std::string describe_entry(ByteView entry, const EntryDescriber& extra = {});

}  // namespace cocoon::tlog
