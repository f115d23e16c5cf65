#include "store/SqliteDb.h"

#include <Poco/Logger.h>

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>

#include "store/SqliteRowsTable.h"

namespace sfsync::store {

namespace {
// Tuned on the 200,000-row x 10-column load in 2,000-row requests (tests/store/StoreBenchTest.cpp),
// when gsids were random (v4) and scattered every request's inserts over the whole gsid index:
// fewer, larger pages and fewer checkpoints roughly doubled insert throughput. gsids are
// time-ordered (v7) now, but an index keyed by a random value (Company Person Sync's Email) behaves
// the same, and 4 KiB pages re-measured on the load benchmarks (bench/sync_bench, 2026-12-05) were
// still slower.
// - page_size only takes effect when the file is created; an existing database keeps its own.
// - cache_size: per connection (negative = KiB), from store.cacheMb (default 24 MiB: the hot
//   indexes of a few million rows); what the store's tables cost in memory, however large.
// - secure_delete: Debian builds SQLite with SECURE_DELETE on, which zero-fills the old content of
//   every updated cell; OFF is SQLite's own default (freed space is reused, not wiped).
// - wal_autocheckpoint: pages (16 KiB each), so about 64 MiB of WAL between checkpoints, for as
//   long as the background checkpointer (SqliteWalCheckpointer, same threshold) is not running;
//   journal_size_limit: the checkpointer's cap (4 x 64 MiB and the tail allowance, in frames): the
//   WAL file is truncated only when a transaction grew it past that, not on every cycle (the WAL
//   routinely passes 64 MiB while the thread copies it).
constexpr const char* kPragmas =
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA temp_store=MEMORY;"
    "PRAGMA secure_delete=OFF;";
constexpr std::int64_t kPageBytes = 16384;

// Process-wide, before SQLite initialises: no memory statistics. SQLite then skips the global
// mutex it takes around every malloc/free to count bytes (nothing here reads sqlite3_status).
// Best effort: if SQLite was already initialised (another library opened a database first)
// sqlite3_config answers SQLITE_MISUSE and the statistics stay on, which is only slower.
void configureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK) {
      // Deliberately ignored: see above.
    }
  });
}
}  // namespace

Result<std::unique_ptr<SqliteDb>> SqliteDb::open(const std::string& path, int cacheMb,
                                                 int checkpointFrames) {
  if (path.empty()) return Status::InvalidArgument("SQLite store path is empty");
  if (checkpointFrames <= 0 || checkpointFrames > SqliteWalCheckpointer::kMaxFrames) {
    return Status::InvalidArgument("SQLite store " + path + ": checkpoint threshold " +
                                   std::to_string(checkpointFrames) + " is out of range");
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Status::IoError("cannot create directory " + parent.string() +
                             " for SQLite store: " + ec.message());
    }
  }
  configureSqliteOnce();
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close_v2(raw);
    return Status::IoError("cannot open SQLite store " + path + ": " + message);
  }
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw, path));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  Status s = db->applyPragmas(cacheMb, checkpointFrames);
  if (s.ok()) s = SqliteRowsTable::registerOn(raw);
  if (!s.ok()) return s;
  // After the pragmas: setting wal_autocheckpoint would replace the checkpointer's commit hook.
  Result<std::unique_ptr<SqliteWalCheckpointer>> checkpointer =
      SqliteWalCheckpointer::start(path, raw, checkpointFrames);
  if (checkpointer.ok()) {
    db->checkpointer_ = std::move(checkpointer).value();
  } else {  // still correct, only slower: SQLite checkpoints inside the commits as it always did
    Poco::Logger::get("sfsync.store")
        .warning("SQLite store %s: checkpoints run inside commits: %s", path,
                 checkpointer.status().message());
  }
  return db;
}

SqliteDb::~SqliteDb() {
  // Statements are owned (and finalized) by their users, which the store destroys first; close_v2
  // defers the close if any were left behind. The checkpointer goes first, so that this, the last
  // connection, makes SQLite's final checkpoint and removes the WAL.
  checkpointer_.reset();
  kept_.clear();
  sqlite3_close_v2(db_);
}

Status SqliteDb::applyPragmas(int cacheMb, int checkpointFrames) {
  Status s = exec("PRAGMA page_size=" + std::to_string(kPageBytes));
  if (!s.ok())
    return Status::IoError("cannot configure SQLite store " + path_ + ": " + s.message());
  // journal_mode answers with the mode in effect; anything but "wal" means it could not be set.
  Result<SqliteStatement> journal = prepare("PRAGMA journal_mode=WAL");
  if (!journal.ok()) return journal.status();
  const int rc = journal->step();
  if (rc != SQLITE_ROW) return ioError("cannot set WAL journal mode on " + path_);
  const std::string mode = journal->columnText(0);
  journal->reset();
  if (mode != "wal") {
    return Status::IoError("cannot set WAL journal mode on " + path_ + ": journal mode is " + mode);
  }
  // A WAL at the cap, with the tail allowance on top: a 32-byte header, 24 bytes per frame.
  const std::int64_t frames =
      std::int64_t{checkpointFrames} * SqliteWalCheckpointer::kCapFactor + checkpointFrames / 8;
  const std::int64_t walLimit = 32 + (kPageBytes + 24) * frames;
  s = exec(kPragmas + std::string("PRAGMA cache_size=-") + std::to_string(cacheMb * 1024) +
           ";PRAGMA wal_autocheckpoint=" + std::to_string(checkpointFrames) +
           ";PRAGMA journal_size_limit=" + std::to_string(walLimit) + ";");
  if (!s.ok())
    return Status::IoError("cannot configure SQLite store " + path_ + ": " + s.message());
  return s;
}

Status SqliteDb::exec(const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::OK();
  std::string message = err != nullptr ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return Status::IoError(message + " (in: " + sql + ")");
}

Result<SqliteStatement*> SqliteDb::kept(const std::string& sql) {
  auto found = kept_.find(sql);
  if (found != kept_.end()) return &found->second;
  Result<SqliteStatement> stmt = prepare(sql);
  if (!stmt.ok()) return stmt.status();
  return &kept_.emplace(sql, std::move(stmt).value()).first->second;
}

Result<SqliteStatement> SqliteDb::prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc =
      sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), 0, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return ioError("cannot prepare \"" + sql + "\"");
  }
  return SqliteStatement(stmt);
}

Status SqliteDb::begin() {
  if (outer_) return checkOuterOpen();
  Status s = exec("BEGIN IMMEDIATE");
  if (!s.ok()) return Status::IoError("cannot start a write transaction: " + s.message());
  return s;
}

Status SqliteDb::commit() {
  if (outer_) return checkOuterOpen();
  Status s = exec("COMMIT");
  if (!s.ok()) {
    rollback();
    return Status::IoError("cannot commit: " + s.message());
  }
  return s;
}

void SqliteDb::rollback() {
  if (outer_) return;
  if (inTransaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Status SqliteDb::beginOuter() {
  outer_ = false;
  Status s = begin();
  if (s.ok()) outer_ = true;
  return s;
}

Status SqliteDb::commitOuter() {
  outer_ = false;
  if (!inTransaction()) {
    return Status::IoError(
        "cannot commit: SQLite ended the transaction after an earlier error (nothing was "
        "committed)");
  }
  return commit();
}

void SqliteDb::rollbackOuter() {
  outer_ = false;
  rollback();
}

Status SqliteDb::checkOuterOpen() const {
  if (inTransaction()) return Status::OK();
  return Status::IoError(
      "the enclosing transaction is no longer open: SQLite rolled it back after an earlier "
      "error");
}

Result<std::vector<std::string>> SqliteDb::columnNames(const std::string& table) {
  Result<SqliteStatement> stmt = prepare("SELECT name FROM pragma_table_info(?1)");
  if (!stmt.ok()) return stmt.status();
  stmt->bindText(1, table);
  std::vector<std::string> names;
  int rc;
  while ((rc = stmt->step()) == SQLITE_ROW) names.push_back(stmt->columnText(0));
  if (rc != SQLITE_DONE) return ioError("cannot read the columns of " + table);
  return names;
}

Status SqliteDb::ioError(const std::string& context) const {
  return Status::IoError(context + ": " + lastMessage());
}

}  // namespace sfsync::store
