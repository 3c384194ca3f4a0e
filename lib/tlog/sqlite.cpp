#include "tlog/sqlite.hpp"

namespace cocoon::tlog {

Error SqliteDb::error(std::string_view what) const {
  return make_error(Errc::io, std::string(what) + ": " + (db_ ? sqlite3_errmsg(db_.get()) : "no database"));
}

Result<SqliteDb> SqliteDb::open(const std::filesystem::path& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  SqliteDb db;
  db.db_.reset(raw);
  if (rc != SQLITE_OK) return db.error("cannot open database " + path.string());
  sqlite3_busy_timeout(raw, 10000);
  COCOON_TRY(db.exec("PRAGMA journal_mode=WAL"));
  // NORMAL: a commit may be lost on power failure but never corrupts; the log's commit point is the
  // checkpoint file, and opening reconciles the database with it (see log_writer.cpp).
  COCOON_TRY(db.exec("PRAGMA synchronous=NORMAL"));
  // The dedup index is keyed by random hashes, so every batch touches pages all over the tree; a
  // 64 MiB page cache keeps them in memory instead of re-reading them for every insert.
  COCOON_TRY(db.exec("PRAGMA cache_size=-65536"));
  return db;
}

Status SqliteDb::exec(std::string_view sql) {
  char* msg = nullptr;
  std::string s(sql);
  if (sqlite3_exec(db_.get(), s.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg ? msg : "unknown error";
    sqlite3_free(msg);
    return make_error(Errc::io, "sqlite: " + m + " (" + s + ")");
  }
  return Ok{};
}

Result<SqliteStmt> SqliteDb::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK)
    return error("cannot prepare '" + std::string(sql) + "'");
  return SqliteStmt(db_.get(), stmt);
}

Status SqliteStmt::bind(int pos, std::int64_t v) {
  if (sqlite3_bind_int64(stmt_.get(), pos, v) != SQLITE_OK)
    return make_error(Errc::io, std::string("sqlite bind: ") + sqlite3_errmsg(db_));
  return Ok{};
}

Status SqliteStmt::bind(int pos, ByteView v) {
  if (sqlite3_bind_blob(stmt_.get(), pos, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    return make_error(Errc::io, std::string("sqlite bind: ") + sqlite3_errmsg(db_));
  return Ok{};
}

Status SqliteStmt::bind(int pos, std::string_view v) {
  if (sqlite3_bind_text(stmt_.get(), pos, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    return make_error(Errc::io, std::string("sqlite bind: ") + sqlite3_errmsg(db_));
  return Ok{};
}

Result<bool> SqliteStmt::step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return make_error(Errc::io, std::string("sqlite step: ") + sqlite3_errmsg(db_));
}

Status SqliteStmt::run() {
  COCOON_ASSIGN(bool row, step());
  reset();
  if (row) return make_error(Errc::internal, "sqlite statement returned a row where none was expected");
  return Ok{};
}

void SqliteStmt::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

Bytes SqliteStmt::column_blob(int col) const {
  auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_.get(), col));
  int n = sqlite3_column_bytes(stmt_.get(), col);
  return p ? Bytes(p, p + n) : Bytes{};
}

std::string SqliteStmt::column_text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), col));
  int n = sqlite3_column_bytes(stmt_.get(), col);
  return p ? std::string(p, static_cast<size_t>(n)) : std::string{};
}

}  // namespace cocoon::tlog
