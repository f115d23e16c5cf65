// SqliteStore: the embedded SQLite implementation of Store (built by openSqliteStore; include this
// header only from tests). One connection, the sqlite3 C API, WAL journal; target tables are STRICT
// with `gsid TEXT PRIMARY KEY` and the mapped columns; declared column types live in sfsync_columns
// (SqliteSchema); execution rows in sfsync_executions (SqliteExecutionLog).
//
// upsert() also keeps an index over the request's key columns (CREATE INDEX IF NOT EXISTS), so the
// per-row key lookup never scans the table even when ensureTable was not given the key as index.
//
// Errors: SQLite failures become Status::IoError with SQLite's message. Nothing throws out: an
// exception (bad_alloc) rolls back the open transaction and becomes Status::Internal.
//
// Thread-safety: every public method locks one mutex around the single connection.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sfsync/store/Store.h"
#include "store/SqliteDb.h"
#include "store/SqliteExecutionLog.h"
#include "store/SqliteSchema.h"
#include "store/StoreTestHooks.h"

namespace sfsync::store {

class SqliteStore final : public Store, public StoreTestHooks {
 public:
  // Opens (creating) the database file at `path` and its metadata tables.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);

  Status ensureTable(const TableSpec& spec, const std::vector<std::string>& indexColumns) override;
  Result<std::vector<RowOutcome>> upsert(const UpsertRequest& request) override;
  // Unknown table: NotFound. Unknown column, or no columns asked for: InvalidArgument. A null in
  // `equals` matches NULL (IS NULL).
  Result<std::vector<Row>> select(
      const std::string& table, const std::vector<std::string>& columns,
      const std::vector<std::pair<std::string, Value>>& equals) override;
  Result<std::int64_t> count(const std::string& table) override;
  Status saveExecution(const ExecutionRecord& record) override;
  Result<std::vector<ExecutionRecord>> listExecutions(const ExecutionQuery& query) override;
  Result<int> failInterruptedExecutions(const std::string& endTime,
                                        const std::string& message) override;

  void setAfterRowHookForTest(std::function<void(std::size_t row)> hook) override;
  void failRowWithIoErrorForTest(std::size_t row) override;

 private:
  explicit SqliteStore(std::unique_ptr<SqliteDb> db);
  // Bodies of select() and count(), called with mu_ held.
  Result<std::vector<Row>> selectLocked(const std::string& table,
                                        const std::vector<std::string>& columns,
                                        const std::vector<std::pair<std::string, Value>>& equals);
  Result<std::int64_t> countLocked(const std::string& table);

  std::mutex mu_;
  std::unique_ptr<SqliteDb> db_;  // declared before its users: destroyed after them
  SqliteSchema schema_;
  SqliteExecutionLog executions_;
  std::function<void(std::size_t)> afterRowHook_;
  std::optional<std::size_t> ioErrorAtRow_;
};

}  // namespace sfsync::store
