#include "tlog/log_writer.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "core/file_io.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/proof.hpp"
#include "tlog/sqlite.hpp"
#include "tlog/staged_files.hpp"
#include "tlog/tile.hpp"

namespace cocoon::tlog {
namespace fs = std::filesystem;

namespace {

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Right edge of the tree: for each tile level, the hashes of its right-most, incomplete tile.
// Example: size 300 -> edge[0] holds leaf hashes 256..299 (44), edge[1] holds 1 hash (tile 0/000's root).
using Edge = std::vector<std::vector<Hash>>;

// Subtree hashes of the complete subtrees on the right edge, which are all the root needs (each such
// subtree lies inside its level's incomplete tile).
class EdgeReader : public HashReader {
 public:
  EdgeReader(const Edge& edge, std::uint64_t size) : edge_(edge), size_(size) {}
  Result<Hash> subtree_hash(int level, std::uint64_t index) override {
    TileId id = tile_for_subtree(level, index, size_);
    std::uint64_t at_level = size_ >> (id.level * kTileHeight);
    int k = level % kTileHeight;
    std::uint64_t first = (index << k) % kTileWidth;
    std::uint64_t count = std::uint64_t{1} << k;
    if (static_cast<size_t>(id.level) >= edge_.size() || id.index != at_level / kTileWidth ||
        first + count > edge_[id.level].size())
      return make_error(Errc::internal, "subtree is not on the right edge of the tree");
    return hasher_.subtree_root(std::span<const Hash>(edge_[id.level]).subspan(first, count));
  }

 private:
  const Edge& edge_;
  std::uint64_t size_;
  MerkleHasher hasher_;
};

Bytes hashes_bytes(const std::vector<Hash>& hs) {
  Bytes out;
  out.reserve(hs.size() * 32);
  for (const auto& h : hs) out.insert(out.end(), h.begin(), h.end());
  return out;
}

Result<std::vector<Hash>> parse_hashes(ByteView data, std::size_t count, const std::string& what) {
  if (data.size() != count * 32)
    return make_error(Errc::log_inconsistent, what + " has " + std::to_string(data.size()) +
                                                  " bytes, expected " + std::to_string(count * 32));
  std::vector<Hash> out(count);
  for (std::size_t i = 0; i < count; ++i) std::memcpy(out[i].data(), data.data() + i * 32, 32);
  return out;
}

Status init_schema(SqliteDb& db) {
  return db.exec(
      "CREATE TABLE IF NOT EXISTS entries(hash BLOB PRIMARY KEY, idx INTEGER NOT NULL) WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS meta(id INTEGER PRIMARY KEY CHECK (id = 0), size INTEGER NOT NULL);"
      "INSERT OR IGNORE INTO meta(id, size) VALUES (0, 0);");
}

Result<std::uint64_t> db_size(SqliteDb& db) {
  COCOON_ASSIGN(auto stmt, db.prepare("SELECT size FROM meta WHERE id = 0"));
  COCOON_ASSIGN(bool row, stmt.step());
  if (!row) return make_error(Errc::io, "log database has no meta row");
  return static_cast<std::uint64_t>(stmt.column_int(0));
}

Result<UniqueFd> lock_log(const fs::path& dir) {
  UniqueFd fd(::open((dir / LogFiles::kLock).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (fd.get() < 0)
    return make_error(Errc::io, "cannot open lock file in " + dir.string() + ": " + std::strerror(errno));
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      return make_error(Errc::io, "another process is appending to the log in " + dir.string());
    return make_error(Errc::io, "cannot lock the log in " + dir.string() + ": " + std::strerror(errno));
  }
  return fd;
}

}  // namespace

Result<NoteVerifier> read_log_verifier(const fs::path& dir) {
  auto text = read_text_file(dir / LogFiles::kVerifierKey, 4096);
  if (!text.ok()) {
    if (text.error().code == Errc::not_found)
      return make_error(Errc::not_found,
                        "no log in " + dir.string() + " (missing " + LogFiles::kVerifierKey + ")");
    return std::move(text).error();
  }
  std::string s = *text;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return parse_verifier_key(s);
}

struct LogWriter::State {
  fs::path dir;
  NoteSigner signer;
  UniqueFd lock;
  SqliteDb db;
  std::optional<SqliteStmt> insert;
  std::optional<SqliteStmt> lookup;
  std::optional<SqliteStmt> set_size;
  std::uint64_t size = 0;
  std::string checkpoint;
  Edge edge;
  std::vector<Bytes> bundle;  // entries of the incomplete entry bundle
  MerkleHasher hasher;
  bool poisoned = false;
};

LogWriter::LogWriter(std::unique_ptr<State> s) : s_(std::move(s)) {}
LogWriter::LogWriter(LogWriter&&) noexcept = default;
LogWriter& LogWriter::operator=(LogWriter&&) noexcept = default;
LogWriter::~LogWriter() = default;
std::uint64_t LogWriter::size() const {
  return s_->size;
}
const std::string& LogWriter::checkpoint_note() const {
  return s_->checkpoint;
}
const fs::path& LogWriter::dir() const {
  return s_->dir;
}

Status LogWriter::create(const fs::path& dir, const NoteSigner& signer) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(Errc::io, "cannot create " + dir.string() + ": " + ec.message());
  if (fs::exists(dir / LogFiles::kCheckpoint) || fs::exists(dir / LogFiles::kVerifierKey))
    return make_error(Errc::invalid_input, dir.string() + " already holds a log");
  COCOON_ASSIGN(UniqueFd lock, lock_log(dir));
  COCOON_ASSIGN(SqliteDb db, SqliteDb::open(dir / LogFiles::kDatabase));
  COCOON_TRY(init_schema(db));
  COCOON_TRY(write_file_atomic(dir / LogFiles::kVerifierKey, format_verifier_key(signer.verifier()) + "\n"));
  Checkpoint empty{signer.name, 0, empty_tree_hash(), {}};
  return write_file_atomic(dir / LogFiles::kCheckpoint, sign_checkpoint(empty, signer));
}

Result<LogWriter> LogWriter::open(const fs::path& dir, const NoteSigner& signer) {
  auto s = std::make_unique<State>();
  s->dir = dir;
  COCOON_ASSIGN(NoteVerifier verifier, read_log_verifier(dir));
  NoteVerifier mine = signer.verifier();
  if (mine.name != verifier.name || mine.key != verifier.key)
    return make_error(Errc::crypto, "key " + format_verifier_key(mine) + " is not this log's key " +
                                        format_verifier_key(verifier));
  s->signer = signer;
  COCOON_ASSIGN(s->lock, lock_log(dir));
  COCOON_ASSIGN(std::string note, read_text_file(dir / LogFiles::kCheckpoint, 1 << 16));
  COCOON_ASSIGN(VerifiedCheckpoint cp, open_checkpoint(note, verifier));
  const std::uint64_t n = cp.checkpoint.size;
  DirFetcher files(dir);

  for (int level = 0; level < 8 && (n >> (level * kTileHeight)) > 0; ++level) {
    std::uint64_t c = n >> (level * kTileHeight);
    s->edge.emplace_back();
    if (c % kTileWidth == 0) continue;
    TileId id{level, c / kTileWidth, static_cast<int>(c % kTileWidth)};
    COCOON_ASSIGN(Bytes data, fetch_tile_hashes(files, id));
    COCOON_ASSIGN(s->edge.back(), parse_hashes(data, static_cast<size_t>(id.width), tile_path(id)));
  }
  EdgeReader edge_reader(s->edge, n);
  COCOON_ASSIGN(Hash root, tree_hash(edge_reader, n));
  if (root != cp.checkpoint.root)
    return make_error(
        Errc::log_inconsistent,
        "tiles in " + dir.string() + " do not match its checkpoint (size " + std::to_string(n) + ")");
  if (n % kTileWidth) {
    std::string path = entry_bundle_path(n / kTileWidth, static_cast<int>(n % kTileWidth));
    COCOON_ASSIGN(s->bundle, fetch_entry_bundle(files, n / kTileWidth, n % kTileWidth));
    for (size_t i = 0; i < s->bundle.size(); ++i)
      if (s->hasher.leaf(s->bundle[i]) != s->edge[0][i])
        return make_error(Errc::log_inconsistent, path + " does not match the leaf hashes of its tile");
  }

  COCOON_ASSIGN(s->db, SqliteDb::open(dir / LogFiles::kDatabase));
  COCOON_TRY(init_schema(s->db));
  COCOON_ASSIGN(s->insert, s->db.prepare("INSERT OR IGNORE INTO entries(hash, idx) VALUES (?, ?)"));
  COCOON_ASSIGN(s->lookup, s->db.prepare("SELECT idx FROM entries WHERE hash = ?"));
  COCOON_ASSIGN(s->set_size, s->db.prepare("UPDATE meta SET size = ? WHERE id = 0"));

  // Reconcile the dedup index with the checkpoint: drop rows of a batch that never got its checkpoint,
  // re-add rows of a batch whose database commit was lost.
  COCOON_ASSIGN(std::uint64_t indexed, db_size(s->db));
  if (indexed != n) {
    COCOON_TRY(s->db.exec("BEGIN IMMEDIATE"));
    if (indexed > n) {
      COCOON_ASSIGN(auto del, s->db.prepare("DELETE FROM entries WHERE idx >= ?"));
      COCOON_TRY(del.bind(1, static_cast<std::int64_t>(n)));
      COCOON_TRY(del.run());
    } else {
      for (std::uint64_t b = indexed / kTileWidth; b * kTileWidth < n; ++b) {
        std::uint64_t width = std::min<std::uint64_t>(kTileWidth, n - b * kTileWidth);
        COCOON_ASSIGN(auto entries, fetch_entry_bundle(files, b, width));
        for (std::uint64_t i = 0; i < width; ++i) {
          std::uint64_t idx = b * kTileWidth + i;
          if (idx < indexed) continue;
          Hash h = s->hasher.leaf(entries[i]);
          COCOON_TRY(s->insert->bind(1, ByteView(h.data(), 32)));
          COCOON_TRY(s->insert->bind(2, static_cast<std::int64_t>(idx)));
          COCOON_TRY(s->insert->run());
        }
      }
    }
    COCOON_TRY(s->set_size->bind(1, static_cast<std::int64_t>(n)));
    COCOON_TRY(s->set_size->run());
    COCOON_TRY(s->db.exec("COMMIT"));
  }
  s->size = n;
  s->checkpoint = std::move(note);
  return LogWriter(std::move(s));
}

Result<AppendResult> LogWriter::append(const std::vector<Bytes>& entries) {
  State& s = *s_;
  if (s.poisoned) return make_error(Errc::internal, "an earlier append failed half-way; reopen the log");
  for (const auto& e : entries)
    if (e.size() > kMaxEntrySize)
      return make_error(Errc::invalid_input, "entry of " + std::to_string(e.size()) +
                                                 " bytes exceeds the log's entry limit of 65535 bytes");
  AppendResult out;
  std::vector<const Bytes*> fresh;
  std::vector<Hash> fresh_hashes;
  // Hashes are uniformly random, so their first 8 bytes are a fine bucket key.
  struct HashKey {
    std::size_t operator()(const Hash& h) const {
      std::size_t k;
      std::memcpy(&k, h.data(), sizeof k);
      return k;
    }
  };
  std::unordered_map<Hash, std::uint64_t, HashKey> in_batch;
  in_batch.reserve(entries.size());

  COCOON_TRY(s.db.exec("BEGIN IMMEDIATE"));
  auto rollback = [&](Error e) {
    (void)s.db.exec("ROLLBACK");
    return e;
  };
  for (const auto& e : entries) {
    Hash h = s.hasher.leaf(e);
    if (auto it = in_batch.find(h); it != in_batch.end()) {
      out.entries.push_back({it->second, true});
      continue;
    }
    std::uint64_t idx = s.size + fresh.size();
    auto st = s.insert->bind(1, ByteView(h.data(), 32));
    if (st.ok()) st = s.insert->bind(2, static_cast<std::int64_t>(idx));
    if (st.ok()) st = s.insert->run();
    if (!st.ok()) return rollback(st.error());
    if (sqlite3_changes(s.db.handle()) == 0) {
      auto b = s.lookup->bind(1, ByteView(h.data(), 32));
      if (!b.ok()) return rollback(b.error());
      auto row = s.lookup->step();
      if (!row.ok() || !*row) {
        s.lookup->reset();
        return rollback(make_error(Errc::io, "dedup index lost an entry it just reported"));
      }
      std::uint64_t existing = static_cast<std::uint64_t>(s.lookup->column_int(0));
      s.lookup->reset();
      out.entries.push_back({existing, true});
      in_batch.emplace(h, existing);
      continue;
    }
    in_batch.emplace(h, idx);
    out.entries.push_back({idx, false});
    fresh.push_back(&e);
    fresh_hashes.push_back(h);
  }
  if (fresh.empty()) {
    (void)s.db.exec("ROLLBACK");
    out.size = s.size;
    out.checkpoint = s.checkpoint;
    return out;
  }

  // Work on copies so a failure leaves the writer at its last committed state.
  Edge edge = s.edge;
  std::vector<Bytes> bundle = s.bundle;
  StagedFiles staged(s.dir);
  std::vector<std::string> completed;  // full tiles and bundles this append writes
  const std::uint64_t old_size = s.size;
  std::uint64_t n = old_size;
  for (size_t i = 0; i < fresh.size(); ++i) {
    bundle.push_back(*fresh[i]);
    ++n;
    if (bundle.size() == kTileWidth) {
      auto data = encode_entry_bundle(bundle);
      completed.push_back(entry_bundle_path((n - 1) / kTileWidth, 256));
      auto st = data.ok() ? staged.stage(completed.back(), *data) : Status(data.error());
      if (!st.ok()) return rollback(st.error());
      bundle.clear();
    }
    if (edge.empty()) edge.emplace_back();
    edge[0].push_back(fresh_hashes[i]);
    for (size_t level = 0; edge[level].size() == kTileWidth; ++level) {
      std::uint64_t tile_index = (n >> (level * kTileHeight)) / kTileWidth - 1;
      completed.push_back(tile_path({static_cast<int>(level), tile_index, 256}));
      auto st = staged.stage(completed.back(), hashes_bytes(edge[level]));
      if (!st.ok()) return rollback(st.error());
      Hash up = s.hasher.subtree_root(edge[level]);
      edge[level].clear();
      if (edge.size() == level + 1) edge.emplace_back();
      edge[level + 1].push_back(up);
    }
  }
  for (size_t level = 0; level < edge.size(); ++level) {
    std::uint64_t c_new = n >> (level * kTileHeight), c_old = old_size >> (level * kTileHeight);
    if (c_new == c_old || c_new % kTileWidth == 0) continue;
    TileId id{static_cast<int>(level), c_new / kTileWidth, static_cast<int>(c_new % kTileWidth)};
    auto st = staged.stage(tile_path(id), hashes_bytes(edge[level]));
    if (!st.ok()) return rollback(st.error());
  }
  if (n % kTileWidth) {
    auto data = encode_entry_bundle(bundle);
    auto st = data.ok()
                  ? staged.stage(entry_bundle_path(n / kTileWidth, static_cast<int>(n % kTileWidth)), *data)
                  : Status(data.error());
    if (!st.ok()) return rollback(st.error());
  }
  if (auto st = staged.commit(); !st.ok()) return rollback(st.error());

  EdgeReader edge_reader(edge, n);
  auto root = tree_hash(edge_reader, n);
  if (!root.ok()) return rollback(root.error());
  auto st = s.set_size->bind(1, static_cast<std::int64_t>(n));
  if (st.ok()) st = s.set_size->run();
  if (st.ok()) st = s.db.exec("COMMIT");
  if (!st.ok()) return rollback(st.error());

  std::string note = sign_checkpoint(Checkpoint{s.signer.name, n, *root, {}}, s.signer);
  if (auto w = write_file_atomic(s.dir / LogFiles::kCheckpoint, note); !w.ok()) {
    // The database now runs ahead of the checkpoint; only a reopen reconciles them.
    s.poisoned = true;
    return w.error();
  }
  // The partial versions of tiles that are now full are dead weight (up to 255 per tile). Readers that
  // still hold an older checkpoint fall back to the full tile, which starts with the same hashes
  // (TileHashReader, LogClient::entries). Best effort and after the commit point: a crash here only
  // leaves files behind.
  for (const auto& full : completed) {
    std::error_code ec;
    std::filesystem::remove_all(s.dir / (full + ".p"), ec);
  }
  s.edge = std::move(edge);
  s.bundle = std::move(bundle);
  s.size = n;
  s.checkpoint = note;
  out.size = n;
  out.checkpoint = std::move(note);
  return out;
}

}  // namespace cocoon::tlog
