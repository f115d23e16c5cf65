// Store: where synced records and the activity log live. One table per target object (primary key gsid,
// a UUID, plus the mapped columns), created and widened from a job's TableSpec; batch upserts by upsert
// key; execution activity rows. SQLite is the embedded default (openSqliteStore).
//
// Atomicity: upsert() applies a whole request inside ONE transaction: either every accepted row of the
// request is committed or (on a store-level failure, a crash or a kill) none is. Per-row rejections do not
// abort the transaction.
//
// Thread-safety: implementations are safe to call from several threads (calls are serialised inside).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/ExecutionRecord.h"
#include "sfsync/store/TableSpec.h"
#include "sfsync/store/Upsert.h"

namespace sfsync::store {

using Row = std::vector<Value>;

class Store {
 public:
  virtual ~Store() = default;

  // Creates the table if missing, adds columns the spec has and the table lacks (never drops), and
  // keeps an index over `indexColumns` when non-empty. A column whose type changed is an error.
  virtual Status ensureTable(const TableSpec& spec, const std::vector<std::string>& indexColumns) = 0;

  // Resolves and writes one batch in one transaction; one outcome per input row, in order.
  virtual Result<std::vector<RowOutcome>> upsert(const UpsertRequest& request) = 0;

  // Reads rows (for tests, lookups and the admin API): `columns` may include "gsid"; rows where every
  // (column = value) pair of `equals` holds; ordered by gsid. Empty `equals` returns all rows.
  virtual Result<std::vector<Row>> select(
      const std::string& table, const std::vector<std::string>& columns,
      const std::vector<std::pair<std::string, Value>>& equals = {}) = 0;

  // Number of rows in the table (0 when the table does not exist).
  virtual Result<std::int64_t> count(const std::string& table) = 0;

  // Inserts or replaces the execution row with this executionId.
  virtual Status saveExecution(const ExecutionRecord& record) = 0;
  virtual Result<std::vector<ExecutionRecord>> listExecutions(const ExecutionQuery& query) = 0;
  // Marks executions left "Running" by a crashed or killed process as Failed; returns how many.
  virtual Result<int> failInterruptedExecutions(const std::string& endTime,
                                                const std::string& message) = 0;
};

using StorePtr = std::unique_ptr<Store>;

// Opens (creating if needed) an SQLite database file; parent directories are created.
Result<StorePtr> openSqliteStore(const std::string& path);

}  // namespace sfsync::store
