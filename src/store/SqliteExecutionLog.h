// SqliteExecutionLog: execution activity rows (one per job or chain run) in the table
// sfsync_executions, one column per ExecutionRecord field, execution_id the primary key.
//
// Schema upgrades: the columns added after the first release (schema 2: warnings, attempts,
// success_file, cursor, chain_name; schema 3: retries, target_counts - ExecutionRecord::targets as
// JSON, see TargetCountsJson; schema 4: mode, api, cursor_end, deleted, api_remaining; schema 5:
// rerun_of, warning_file) are added in place to a table an older store created (ALTER TABLE ADD
// COLUMN with the field's default, under the write lock so two processes opening the file at once
// do not race), so old rows read back with warnings 0, attempts 1, retries 0, no target counts,
// deleted 0, api_remaining -1 (unknown) and empty strings.
//
// Errors: IoError with SQLite's message; InvalidArgument for a record without an execution id or
// a query with beforeExecutionId but no beforeStartTime.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/ExecutionRecord.h"
#include "store/SqliteDb.h"
#include "store/SqliteStatement.h"

namespace sfsync::store {

class SqliteExecutionLog {
 public:
  explicit SqliteExecutionLog(SqliteDb& db) : db_(db) {}

  // Creates the table and its indexes if missing and upgrades an older table. Call once after
  // open.
  Status initialize();

  // Insert or replace by executionId.
  Status save(const ExecutionRecord& record);
  // Non-empty filters are ANDed; newest startTime first (ties: executionId descending); at most
  // query.limit rows, no limit when limit <= 0. See ExecutionQuery for ranges and keyset paging.
  Result<std::vector<ExecutionRecord>> list(const ExecutionQuery& query);
  // Ids of the rows whose status is unfinished (isUnfinishedStatus).
  Result<std::vector<std::string>> unfinishedIds();
  // The rows `ids` become "Failed" with this endTime and message; returns how many rows changed.
  // Call inside a transaction that also read unfinishedIds().
  Result<int> failInterrupted(const std::vector<std::string>& ids, const std::string& endTime,
                              const std::string& message);
  // Store::pruneExecutions for the execution rows, inside the caller's transaction: deletes the
  // rows with start_time < olderThan except the newest of each (kind, name) and the rows whose
  // parent is such a newest row; returns the deleted rows' non-empty error and success files.
  Result<std::vector<std::string>> prune(const std::string& olderThan);

 private:
  // Adds the columns a table created by an older store lacks.
  Status upgrade();
  // The ExecutionRecord of the current row of a statement selecting the column list.
  // kDataError when a stored target_counts text is not the JSON the store writes.
  static Result<ExecutionRecord> readRecord(const SqliteStatement& stmt);

  SqliteDb& db_;
};

}  // namespace sfsync::store
