#include "store/SqliteExecutionLog.h"

#include <utility>

namespace sfsync::store {

namespace {

constexpr const char* kDdl =
    "CREATE TABLE IF NOT EXISTS sfsync_executions ("
    "  execution_id TEXT NOT NULL PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  parent_id TEXT NOT NULL,"
    "  connection TEXT NOT NULL,"
    "  \"trigger\" TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  start_time TEXT NOT NULL,"
    "  end_time TEXT NOT NULL,"
    "  records_read INTEGER NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  updated INTEGER NOT NULL,"
    "  skipped INTEGER NOT NULL,"
    "  failed INTEGER NOT NULL,"
    "  api_calls INTEGER NOT NULL,"
    "  error_file TEXT NOT NULL,"
    "  message TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX IF NOT EXISTS sfsync_executions_start ON sfsync_executions (start_time);"
    "CREATE INDEX IF NOT EXISTS sfsync_executions_name ON sfsync_executions (name, start_time);"
    "CREATE INDEX IF NOT EXISTS sfsync_executions_parent ON sfsync_executions (parent_id);"
    "CREATE INDEX IF NOT EXISTS sfsync_executions_status ON sfsync_executions (status);";

// Column order shared by the insert and the select.
constexpr const char* kColumns =
    "execution_id, kind, name, parent_id, connection, \"trigger\", status, start_time, end_time, "
    "records_read, created, updated, skipped, failed, api_calls, error_file, message";

}  // namespace

Status SqliteExecutionLog::initialize() {
  Status s = db_.exec(kDdl);
  if (!s.ok()) return Status::IoError("cannot create the executions table: " + s.message());
  return s;
}

Status SqliteExecutionLog::save(const ExecutionRecord& r) {
  if (r.executionId.empty()) return Status::InvalidArgument("execution record without an id");
  Result<SqliteStatement> stmt =
      db_.prepare(std::string("INSERT OR REPLACE INTO sfsync_executions (") + kColumns +
                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                  "?16, ?17)");
  if (!stmt.ok()) return stmt.status();
  int i = 0;
  for (const std::string* text : {&r.executionId, &r.kind, &r.name, &r.parentId, &r.connection,
                                  &r.trigger, &r.status, &r.startTime, &r.endTime}) {
    stmt->bindText(++i, *text);
  }
  for (std::int64_t n : {r.recordsRead, r.created, r.updated, r.skipped, r.failed, r.apiCalls}) {
    stmt->bindInt64(++i, n);
  }
  stmt->bindText(++i, r.errorFile);
  stmt->bindText(++i, r.message);
  if (stmt->step() != SQLITE_DONE) return db_.ioError("cannot save execution " + r.executionId);
  return Status::OK();
}

Result<std::vector<ExecutionRecord>> SqliteExecutionLog::list(const ExecutionQuery& query) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM sfsync_executions";
  std::vector<const std::string*> params;
  auto filter = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    sql += params.empty() ? " WHERE " : " AND ";
    params.push_back(&value);
    sql += std::string(column) + " = ?" + std::to_string(params.size());
  };
  filter("execution_id", query.executionId);
  filter("name", query.name);
  filter("parent_id", query.parentId);
  filter("status", query.status);
  sql += " ORDER BY start_time DESC, execution_id DESC LIMIT " +
         std::to_string(query.limit > 0 ? query.limit : -1);

  Result<SqliteStatement> stmt = db_.prepare(sql);
  if (!stmt.ok()) return stmt.status();
  for (std::size_t p = 0; p < params.size(); ++p) {
    stmt->bindText(static_cast<int>(p + 1), *params[p]);
  }
  std::vector<ExecutionRecord> out;
  int rc;
  while ((rc = stmt->step()) == SQLITE_ROW) {
    ExecutionRecord r;
    int c = 0;
    for (std::string* text : {&r.executionId, &r.kind, &r.name, &r.parentId, &r.connection,
                              &r.trigger, &r.status, &r.startTime, &r.endTime}) {
      *text = stmt->columnText(c++);
    }
    for (std::int64_t* n :
         {&r.recordsRead, &r.created, &r.updated, &r.skipped, &r.failed, &r.apiCalls}) {
      *n = stmt->columnInt64(c++);
    }
    r.errorFile = stmt->columnText(c++);
    r.message = stmt->columnText(c++);
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return db_.ioError("cannot list executions");
  return out;
}

Result<int> SqliteExecutionLog::failInterrupted(const std::string& endTime,
                                                const std::string& message) {
  Result<SqliteStatement> stmt = db_.prepare(
      "UPDATE sfsync_executions SET status = 'Failed', end_time = ?1, message = ?2 "
      "WHERE status = 'Running'");
  if (!stmt.ok()) return stmt.status();
  stmt->bindText(1, endTime);
  stmt->bindText(2, message);
  if (stmt->step() != SQLITE_DONE) return db_.ioError("cannot mark interrupted executions");
  return static_cast<int>(db_.changes());
}

}  // namespace sfsync::store
