// SqliteExecutionLog: execution activity rows (one per job or chain run) in the table
// sfsync_executions, one column per ExecutionRecord field, execution_id the primary key.
//
// Errors: IoError with SQLite's message; InvalidArgument for a record without an execution id.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/ExecutionRecord.h"
#include "store/SqliteDb.h"

namespace sfsync::store {

class SqliteExecutionLog {
 public:
  explicit SqliteExecutionLog(SqliteDb& db) : db_(db) {}

  // Creates the table and its indexes if missing. Call once after open.
  Status initialize();

  // Insert or replace by executionId.
  Status save(const ExecutionRecord& record);
  // Non-empty filters are ANDed; newest startTime first (ties: executionId descending); at most
  // query.limit rows, no limit when limit <= 0.
  Result<std::vector<ExecutionRecord>> list(const ExecutionQuery& query);
  // Every "Running" row becomes "Failed" with this endTime and message; returns how many.
  Result<int> failInterrupted(const std::string& endTime, const std::string& message);

 private:
  SqliteDb& db_;
};

}  // namespace sfsync::store
