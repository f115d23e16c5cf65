// SqliteDb: one open SQLite connection (sqlite3 C API) configured for sfsync - WAL journal,
// synchronous=NORMAL, a busy timeout, extended result codes - plus helpers that turn SQLite
// failures into Status values (Status::IoError carrying SQLite's message). Nothing here throws.
//
// Outer transactions (Store::transaction): between beginOuter() and commitOuter()/rollbackOuter()
// the per-call transactions of the store's components join the open one instead of nesting a
// BEGIN: begin() and commit() only check that it is still open, and rollback() leaves it open
// for its owner, who rolls it back.
//
// Thread-safety: none. The connection is opened with SQLITE_OPEN_NOMUTEX; the owning store
// serialises every use behind its own mutex.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/Store.h"
#include "store/SqliteStatement.h"
#include "store/SqliteWalCheckpointer.h"

namespace sfsync::store {

class SqliteDb {
 public:
  // How long a write waits for another connection's lock before failing with SQLITE_BUSY.
  static constexpr int kBusyTimeoutMs = 5000;
  // WAL pages (16 KiB each: 64 MiB) after which a checkpoint copies the WAL into the database.
  static constexpr int kCheckpointFrames = 4000;

  // Creates parent directories, opens (creating) the database file and applies the pragmas.
  // `cacheMb`: the connection's page cache (PRAGMA cache_size). Checkpoints run on a thread of
  // their own (SqliteWalCheckpointer) once the WAL holds `checkpointFrames` pages; if that
  // thread cannot start, SQLite's automatic checkpoint (inside COMMIT) does it instead.
  static Result<std::unique_ptr<SqliteDb>> open(const std::string& path,
                                                int cacheMb = kDefaultCacheMb,
                                                int checkpointFrames = kCheckpointFrames);

  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

  // Runs one or more statements without results; IoError("<context>: <sqlite message>") on failure.
  Status exec(const std::string& sql);
  Result<SqliteStatement> prepare(const std::string& sql);
  // The statement of `sql`, prepared on first use and kept for the connection's life: the load
  // path runs the same few statements for every page. The caller resets it after use and holds
  // the pointer only within one store call: forgetStatements() (after a failure that may have
  // come from a kept statement, e.g. of a dropped table) and trimStatements() (at the start of a
  // store call, once more than kMaxKeptStatements are kept) finalize them. SQLite re-prepares a
  // kept statement itself when the schema changes.
  Result<SqliteStatement*> kept(const std::string& sql);
  void forgetStatements() { kept_.clear(); }
  void trimStatements() {
    if (kept_.size() > kMaxKeptStatements) kept_.clear();
  }
  static constexpr std::size_t kMaxKeptStatements = 256;

  // Transactions. begin() is BEGIN IMMEDIATE (takes the write lock up front, so a busy database
  // fails here rather than mid-request). rollback() is a no-op outside a transaction and never
  // fails. Inside an outer transaction, begin() and commit() join it (IoError if SQLite has
  // already ended it after an error) and rollback() does nothing: the outer owner rolls back.
  Status begin();
  Status commit();
  void rollback();
  bool inTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

  // The outer transaction: BEGIN IMMEDIATE and join mode until commitOuter() (which rolls back
  // when COMMIT fails) or rollbackOuter(); both leave join mode whatever happens.
  Status beginOuter();
  Status commitOuter();
  void rollbackOuter();
  bool inOuterTransaction() const { return outer_; }

  // Column names of `table` (PRAGMA table_info); empty when there is no such table.
  Result<std::vector<std::string>> columnNames(const std::string& table);

  // SQLite's message for the most recent failure on this connection.
  std::string lastMessage() const { return sqlite3_errmsg(db_); }
  // IoError("<context>: <SQLite's message>").
  Status ioError(const std::string& context) const;
  // Rows changed by the most recent INSERT / UPDATE / DELETE.
  std::int64_t changes() const { return sqlite3_changes64(db_); }
  // The background checkpoints so far; null when SQLite's automatic checkpoint is in use.
  const SqliteWalCheckpointer* checkpointer() const { return checkpointer_.get(); }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status applyPragmas(int cacheMb, int checkpointFrames);
  // IoError unless the outer transaction is still open (SQLite may end it after some errors).
  Status checkOuterOpen() const;

  sqlite3* db_;
  std::string path_;
  bool outer_ = false;
  std::unique_ptr<SqliteWalCheckpointer> checkpointer_;    // unhooked and joined before db_ closes
  std::unordered_map<std::string, SqliteStatement> kept_;  // by SQL text; finalized before db_
};

}  // namespace sfsync::store
