// SqliteDb: one open SQLite connection (sqlite3 C API) configured for sfsync - WAL journal,
// synchronous=NORMAL, a busy timeout, extended result codes - plus helpers that turn SQLite
// failures into Status values (Status::IoError carrying SQLite's message). Nothing here throws.
//
// Thread-safety: none. The connection is opened with SQLITE_OPEN_NOMUTEX; the owning store
// serialises every use behind its own mutex.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

#include "sfsync/core/Result.h"
#include "store/SqliteStatement.h"

namespace sfsync::store {

class SqliteDb {
 public:
  // How long a write waits for another connection's lock before failing with SQLITE_BUSY.
  static constexpr int kBusyTimeoutMs = 5000;

  // Creates parent directories, opens (creating) the database file and applies the pragmas.
  static Result<std::unique_ptr<SqliteDb>> open(const std::string& path);

  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

  // Runs one or more statements without results; IoError("<context>: <sqlite message>") on failure.
  Status exec(const std::string& sql);
  Result<SqliteStatement> prepare(const std::string& sql);

  // Transactions. begin() is BEGIN IMMEDIATE (takes the write lock up front, so a busy database
  // fails here rather than mid-request). rollback() is a no-op outside a transaction and never
  // fails.
  Status begin();
  Status commit();
  void rollback();
  bool inTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

  // SQLite's message for the most recent failure on this connection.
  std::string lastMessage() const { return sqlite3_errmsg(db_); }
  // IoError("<context>: <SQLite's message>").
  Status ioError(const std::string& context) const;
  // Rows changed by the most recent INSERT / UPDATE / DELETE.
  std::int64_t changes() const { return sqlite3_changes64(db_); }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status applyPragmas();

  sqlite3* db_;
  std::string path_;
};

}  // namespace sfsync::store
