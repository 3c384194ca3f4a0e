#pragma once
// Minimal RAII layer over sqlite3: a connection and prepared statements. Errors become Errc::io with
// SQLite's message; nothing here throws.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::tlog {

class SqliteStmt;

// One open database connection. Opened in WAL mode with a busy timeout so readers and one writer in
// different processes wait for each other instead of failing.
class SqliteDb {
 public:
  static Result<SqliteDb> open(const std::filesystem::path& path);
  Status exec(std::string_view sql);
  Result<SqliteStmt> prepare(std::string_view sql);
  sqlite3* handle() const { return db_.get(); }
  Error error(std::string_view what) const;

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
  };
  std::unique_ptr<sqlite3, Closer> db_;
};

// A prepared statement; reset() makes it reusable in loops.
class SqliteStmt {
 public:
  SqliteStmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Status bind(int pos, std::int64_t v);
  Status bind(int pos, ByteView v);
  Status bind(int pos, std::string_view v);
  // True when a row is available, false when done.
  Result<bool> step();
  Status run();  // step to completion, expecting no rows
  void reset();
  std::int64_t column_int(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
  Bytes column_blob(int col) const;
  std::string column_text(int col) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

}  // namespace cocoon::tlog
