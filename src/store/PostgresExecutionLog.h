// PostgresExecutionLog: execution activity rows in sfsync_executions on PostgreSQL, one column per
// ExecutionRecord field (the same columns as SqliteExecutionLog; counts bigint, times ISO-8601
// text in the "C" collation so they compare and sort byte-wise as in SQLite). Columns added by
// later releases are added in place by initialize() (ALTER TABLE ... ADD COLUMN IF NOT EXISTS with
// the field's default), so an older schema upgrades when a newer store opens it.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/ExecutionRecord.h"
#include "store/PgConnection.h"

namespace sfsync::store {

class PostgresExecutionLog {
 public:
  explicit PostgresExecutionLog(PgConnection& db) : db_(db) {}

  Status initialize();
  Status save(const ExecutionRecord& record);
  Result<std::vector<ExecutionRecord>> list(const ExecutionQuery& query);
  Result<std::vector<std::string>> unfinishedIds();
  // Marks the still unfinished rows of `ids` Failed; returns the ids it changed (a row another
  // store finished meanwhile is left alone and not returned).
  Result<std::vector<std::string>> failInterrupted(const std::vector<std::string>& ids,
                                                   const std::string& endTime,
                                                   const std::string& message);
  // As SqliteExecutionLog::prune, in one statement.
  Result<std::vector<std::string>> prune(const std::string& olderThan);

 private:
  static Result<ExecutionRecord> readRecord(const PgResult& r, int row);

  PgConnection& db_;
};

}  // namespace sfsync::store
