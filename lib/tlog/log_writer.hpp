#pragma once
// The single writer of a log directory.
//
// Layout of a log directory D (every file but log.db* can be served by any static web server):
//   D/checkpoint           signed checkpoint note: the commit point of the log
//   D/tile/<L>/<N>[.p/<W>] hash tiles, D/tile/entries/<N>[.p/<W>] entry bundles (C2SP tlog-tiles)
//   D/log.pub              the log's verifier key string "<origin>+<hash>+<base64>"
//   D/log.db               SQLite (WAL): dedup index leaf hash -> index, and the size it covers
//   D/lock                 held (flock) by the one process appending
// An append writes tiles and bundles (staged, one syncfs, renames), commits the database, then
// replaces the checkpoint atomically. Files beyond the checkpoint's size are never read as part of the
// log, so a crash at any instant leaves the log at its last checkpoint; opening reconciles the
// database with that checkpoint.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/hash.hpp"
#include "tlog/note.hpp"

namespace cocoon::tlog {

struct LogFiles {
  static constexpr const char* kCheckpoint = "checkpoint";
  static constexpr const char* kVerifierKey = "log.pub";
  static constexpr const char* kDatabase = "log.db";
  static constexpr const char* kLock = "lock";
};

struct AppendedEntry {
  std::uint64_t index = 0;
  bool duplicate = false;  // the entry was already in the log at `index`
};

struct AppendResult {
  std::vector<AppendedEntry> entries;  // one per submitted entry, same order
  std::uint64_t size = 0;              // tree size of `checkpoint`
  std::string checkpoint;              // the signed checkpoint covering every entry above
};

class LogWriter {
 public:
  // Creates an empty log (size 0) in `dir`, which must not hold a log yet.
  static Status create(const std::filesystem::path& dir, const NoteSigner& signer);
  // Opens an existing log for appending; `signer` must be the key in log.pub. Errors: io (another
  // writer holds the lock), crypto (wrong key), log_inconsistent (tiles do not match the checkpoint).
  static Result<LogWriter> open(const std::filesystem::path& dir, const NoteSigner& signer);

  LogWriter(LogWriter&&) noexcept;
  LogWriter& operator=(LogWriter&&) noexcept;
  ~LogWriter();

  // Appends the entries (duplicates, also within the batch, keep their first index) and returns only
  // once the covering checkpoint is durable. Entries over kMaxEntrySize are refused (invalid_input)
  // before anything is written.
  Result<AppendResult> append(const std::vector<Bytes>& entries);

  std::uint64_t size() const;
  const std::string& checkpoint_note() const;
  const std::filesystem::path& dir() const;

 private:
  struct State;
  explicit LogWriter(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

// The log's verifier key from D/log.pub.
Result<NoteVerifier> read_log_verifier(const std::filesystem::path& dir);

}  // namespace cocoon::tlog
