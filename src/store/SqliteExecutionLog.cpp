#include "store/SqliteExecutionLog.h"

#include <cstddef>
#include <utility>

#include "store/SqlNames.h"
#include "store/TargetCountsJson.h"

namespace sfsync::store {

namespace {

constexpr const char* kTable = "sfsync_executions";

struct ColumnDef {
  const char* name;
  const char* type;
};

// Every column, in the order shared by CREATE TABLE, the insert and the select (and readRecord).
// Columns from kFirstAddedColumn on came with schema 2 or later: an older table gets them by ALTER
// TABLE ADD COLUMN, which needs the defaults.
constexpr ColumnDef kColumns[] = {
    {"execution_id", "TEXT NOT NULL PRIMARY KEY"},
    {"kind", "TEXT NOT NULL"},
    {"name", "TEXT NOT NULL"},
    {"parent_id", "TEXT NOT NULL"},
    {"connection", "TEXT NOT NULL"},
    {"trigger", "TEXT NOT NULL"},
    {"status", "TEXT NOT NULL"},
    {"start_time", "TEXT NOT NULL"},
    {"end_time", "TEXT NOT NULL"},
    {"records_read", "INTEGER NOT NULL"},
    {"created", "INTEGER NOT NULL"},
    {"updated", "INTEGER NOT NULL"},
    {"skipped", "INTEGER NOT NULL"},
    {"failed", "INTEGER NOT NULL"},
    {"api_calls", "INTEGER NOT NULL"},
    {"error_file", "TEXT NOT NULL"},
    {"message", "TEXT NOT NULL"},
    // Schema 2.
    {"warnings", "INTEGER NOT NULL DEFAULT 0"},
    {"attempts", "INTEGER NOT NULL DEFAULT 1"},
    {"success_file", "TEXT NOT NULL DEFAULT ''"},
    {"cursor", "TEXT NOT NULL DEFAULT ''"},
    {"chain_name", "TEXT NOT NULL DEFAULT ''"},
    // Schema 3.
    {"next_attempt", "TEXT NOT NULL DEFAULT ''"},
    {"retries", "INTEGER NOT NULL DEFAULT 0"},
    {"target_counts", "TEXT NOT NULL DEFAULT ''"},
    // Schema 4 (replication).
    {"mode", "TEXT NOT NULL DEFAULT ''"},
    {"api", "TEXT NOT NULL DEFAULT ''"},
    {"cursor_end", "TEXT NOT NULL DEFAULT ''"},
    {"deleted", "INTEGER NOT NULL DEFAULT 0"},
    {"api_remaining", "INTEGER NOT NULL DEFAULT -1"},
    // Schema 5 (issue 16, triage).
    {"rerun_of", "TEXT NOT NULL DEFAULT ''"},
    {"warning_file", "TEXT NOT NULL DEFAULT ''"},
    // Schema 6 (issue 13, write-back).
    {"outbound_sent", "INTEGER NOT NULL DEFAULT 0"},
    {"outbound_succeeded", "INTEGER NOT NULL DEFAULT 0"},
    {"outbound_failed", "INTEGER NOT NULL DEFAULT 0"},
    {"conflicts", "INTEGER NOT NULL DEFAULT 0"},
    {"outbound_file", "TEXT NOT NULL DEFAULT ''"},
    // Schema 7 (issue 10, the unchanged outcome).
    {"unchanged", "INTEGER NOT NULL DEFAULT 0"},
};
constexpr std::size_t kColumnCount = sizeof kColumns / sizeof kColumns[0];
constexpr std::size_t kFirstAddedColumn = 17;

constexpr const char* kIndexes =
    "CREATE INDEX IF NOT EXISTS sfsync_executions_start ON sfsync_executions (start_time);"
    "CREATE INDEX IF NOT EXISTS sfsync_executions_name ON sfsync_executions (name, start_time);"
    "CREATE INDEX IF NOT EXISTS sfsync_executions_parent ON sfsync_executions (parent_id);"
    "CREATE INDEX IF NOT EXISTS sfsync_executions_status ON sfsync_executions (status);"
    // Newest-first order and keyset pages.
    "CREATE INDEX IF NOT EXISTS sfsync_executions_page ON sfsync_executions "
    "(start_time, execution_id);";

// "execution_id", "kind", ... (quoted: "trigger" is a keyword).
const std::string& columnList() {
  static const std::string list = [] {
    std::string out;
    for (std::size_t i = 0; i < kColumnCount; ++i) {
      out += (i > 0 ? ", " : "") + quoteIdentifier(kColumns[i].name);
    }
    return out;
  }();
  return list;
}

std::string createTableSql() {
  std::string sql = std::string("CREATE TABLE IF NOT EXISTS ") + kTable + " (";
  for (std::size_t i = 0; i < kColumnCount; ++i) {
    sql +=
        std::string(i > 0 ? ", " : "") + quoteIdentifier(kColumns[i].name) + " " + kColumns[i].type;
  }
  return sql + ") STRICT";
}

// The added columns missing from `have`.
std::vector<const ColumnDef*> missingColumns(const std::vector<std::string>& have) {
  std::vector<const ColumnDef*> missing;
  for (std::size_t i = kFirstAddedColumn; i < kColumnCount; ++i) {
    bool found = false;
    for (const std::string& name : have) found = found || equalsIgnoreCase(name, kColumns[i].name);
    if (!found) missing.push_back(&kColumns[i]);
  }
  return missing;
}

// The newest execution of each (kind, name) and the runs inside those (a chain's job runs): the
// rows retention keeps whatever their age.
constexpr const char* kKeptCte =
    "WITH newest AS ("
    "  SELECT execution_id FROM ("
    "    SELECT execution_id, row_number() OVER ("
    "      PARTITION BY kind, name ORDER BY start_time DESC, execution_id DESC) AS rn"
    "    FROM sfsync_executions)"
    "  WHERE rn = 1),"
    " kept AS ("
    "  SELECT execution_id FROM newest"
    "  UNION"
    "  SELECT e.execution_id FROM sfsync_executions AS e"
    "  JOIN newest AS n ON e.parent_id = n.execution_id) ";

}  // namespace

Status SqliteExecutionLog::initialize() {
  Status s = db_.exec(createTableSql());
  if (s.ok()) s = upgrade();
  if (s.ok()) s = db_.exec(kIndexes);
  if (!s.ok()) return Status::IoError("cannot create the executions table: " + s.message());
  return s;
}

Status SqliteExecutionLog::upgrade() {
  Result<std::vector<std::string>> have = db_.columnNames(kTable);
  if (!have.ok()) return have.status();
  if (missingColumns(*have).empty()) return Status::OK();

  Status s = db_.begin();
  if (!s.ok()) return s;
  // Read again under the write lock: another process may have upgraded the file meanwhile.
  have = db_.columnNames(kTable);
  if (!have.ok()) {
    db_.rollback();
    return have.status();
  }
  for (const ColumnDef* column : missingColumns(*have)) {
    s = db_.exec(std::string("ALTER TABLE ") + kTable + " ADD COLUMN " +
                 quoteIdentifier(column->name) + " " + column->type);
    if (!s.ok()) {
      db_.rollback();
      return Status::IoError("cannot upgrade the executions table: " + s.message());
    }
  }
  return db_.commit();
}

Status SqliteExecutionLog::save(const ExecutionRecord& r) {
  if (r.executionId.empty()) return Status::InvalidArgument("execution record without an id");
  std::string placeholders;
  for (std::size_t i = 1; i <= kColumnCount; ++i) {
    placeholders += (i > 1 ? ", ?" : "?") + std::to_string(i);
  }
  Result<SqliteStatement> stmt =
      db_.prepare(std::string("INSERT OR REPLACE INTO ") + kTable + " (" + columnList() +
                  ") VALUES (" + placeholders + ")");
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
  stmt->bindInt64(++i, r.warnings);
  stmt->bindInt64(++i, r.attempts);
  for (const std::string* text : {&r.successFile, &r.cursor, &r.chainName, &r.nextAttempt}) {
    stmt->bindText(++i, *text);
  }
  stmt->bindInt64(++i, r.retries);
  const std::string targets = targetCountsToJson(r.targets);  // bound without a copy: keep alive
  stmt->bindText(++i, targets);
  for (const std::string* text : {&r.mode, &r.api, &r.cursorEnd}) stmt->bindText(++i, *text);
  stmt->bindInt64(++i, r.deleted);
  stmt->bindInt64(++i, r.apiRemaining);
  for (const std::string* text : {&r.rerunOf, &r.warningFile}) stmt->bindText(++i, *text);
  for (std::int64_t n : {r.outboundSent, r.outboundSucceeded, r.outboundFailed, r.conflicts}) {
    stmt->bindInt64(++i, n);
  }
  stmt->bindText(++i, r.outboundFile);
  stmt->bindInt64(++i, r.unchanged);
  if (stmt->step() != SQLITE_DONE) return db_.ioError("cannot save execution " + r.executionId);
  return Status::OK();
}

Result<ExecutionRecord> SqliteExecutionLog::readRecord(const SqliteStatement& stmt) {
  ExecutionRecord r;
  int c = 0;
  for (std::string* text : {&r.executionId, &r.kind, &r.name, &r.parentId, &r.connection,
                            &r.trigger, &r.status, &r.startTime, &r.endTime}) {
    *text = stmt.columnText(c++);
  }
  for (std::int64_t* n :
       {&r.recordsRead, &r.created, &r.updated, &r.skipped, &r.failed, &r.apiCalls}) {
    *n = stmt.columnInt64(c++);
  }
  r.errorFile = stmt.columnText(c++);
  r.message = stmt.columnText(c++);
  r.warnings = stmt.columnInt64(c++);
  r.attempts = static_cast<int>(stmt.columnInt64(c++));
  for (std::string* text : {&r.successFile, &r.cursor, &r.chainName, &r.nextAttempt}) {
    *text = stmt.columnText(c++);
  }
  r.retries = stmt.columnInt64(c++);
  Result<std::vector<TargetCounts>> targets = targetCountsFromJson(stmt.columnText(c++));
  if (!targets.ok()) {
    return Status::DataError("execution " + r.executionId + ": " + targets.status().message());
  }
  r.targets = std::move(targets).value();
  for (std::string* text : {&r.mode, &r.api, &r.cursorEnd}) *text = stmt.columnText(c++);
  r.deleted = stmt.columnInt64(c++);
  r.apiRemaining = stmt.columnInt64(c++);
  for (std::string* text : {&r.rerunOf, &r.warningFile}) *text = stmt.columnText(c++);
  for (std::int64_t* n : {&r.outboundSent, &r.outboundSucceeded, &r.outboundFailed, &r.conflicts}) {
    *n = stmt.columnInt64(c++);
  }
  r.outboundFile = stmt.columnText(c++);
  r.unchanged = stmt.columnInt64(c++);
  return r;
}

Result<std::vector<ExecutionRecord>> SqliteExecutionLog::list(const ExecutionQuery& query) {
  if (!query.beforeExecutionId.empty() && query.beforeStartTime.empty()) {
    return Status::InvalidArgument(
        "execution query: beforeExecutionId needs beforeStartTime (the previous page's last row)");
  }
  std::string sql = "SELECT " + columnList() + " FROM " + kTable;
  std::vector<const std::string*> params;
  // "?N" for a new parameter.
  auto param = [&params](const std::string& value) {
    params.push_back(&value);
    return "?" + std::to_string(params.size());
  };
  bool first = true;
  auto where = [&sql, &first](const std::string& condition) {
    sql += (first ? " WHERE " : " AND ") + condition;
    first = false;
  };
  auto equals = [&](const char* column, const std::string& value) {
    if (!value.empty()) where(std::string(column) + " = " + param(value));
  };
  equals("execution_id", query.executionId);
  equals("name", query.name);
  equals("parent_id", query.parentId);
  equals("status", query.status);
  equals("connection", query.connection);
  equals("kind", query.kind);
  if (!query.chain.empty()) {
    const std::string chain = param(query.chain);
    where("((kind = 'chain' AND name = " + chain + ") OR chain_name = " + chain + ")");
  }
  if (!query.since.empty()) where("start_time >= " + param(query.since));
  if (!query.until.empty()) where("start_time < " + param(query.until));
  if (!query.beforeStartTime.empty()) {
    const std::string time = param(query.beforeStartTime);
    where("(start_time, execution_id) < (" + time + ", " + param(query.beforeExecutionId) + ")");
  }
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
    Result<ExecutionRecord> record = readRecord(*stmt);
    if (!record.ok()) return record.status();
    out.push_back(std::move(record).value());
  }
  if (rc != SQLITE_DONE) return db_.ioError("cannot list executions");
  return out;
}

Result<std::vector<std::string>> SqliteExecutionLog::unfinishedIds() {
  // Every row that is not in a final status; isUnfinishedStatus decides (one place).
  Result<SqliteStatement> stmt = db_.prepare(
      "SELECT execution_id, status FROM sfsync_executions "
      "WHERE status NOT IN ('Success', 'Partial Success', 'Failed', 'Skipped')");
  if (!stmt.ok()) return stmt.status();
  std::vector<std::string> ids;
  int rc;
  while ((rc = stmt->step()) == SQLITE_ROW) {
    if (isUnfinishedStatus(stmt->columnText(1))) ids.push_back(stmt->columnText(0));
  }
  if (rc != SQLITE_DONE) return db_.ioError("cannot list unfinished executions");
  return ids;
}

Result<int> SqliteExecutionLog::failInterrupted(const std::vector<std::string>& ids,
                                                const std::string& endTime,
                                                const std::string& message) {
  Result<SqliteStatement> stmt = db_.prepare(
      "UPDATE sfsync_executions SET status = 'Failed', end_time = ?1, message = ?2, next_attempt = "
      "'' "
      "WHERE execution_id = ?3");
  if (!stmt.ok()) return stmt.status();
  int changed = 0;
  for (const std::string& id : ids) {
    stmt->bindText(1, endTime);
    stmt->bindText(2, message);
    stmt->bindText(3, id);
    if (stmt->step() != SQLITE_DONE) return db_.ioError("cannot mark execution " + id + " Failed");
    changed += static_cast<int>(db_.changes());
    stmt->reset();
  }
  return changed;
}

Result<std::vector<std::string>> SqliteExecutionLog::prune(const std::string& olderThan) {
  Result<SqliteStatement> select =
      db_.prepare(std::string(kKeptCte) +
                  "SELECT execution_id, error_file, success_file FROM sfsync_executions "
                  "WHERE start_time < ?1 AND execution_id NOT IN (SELECT execution_id FROM kept)");
  if (!select.ok()) return select.status();
  select->bindText(1, olderThan);
  std::vector<std::string> ids;
  std::vector<std::string> files;
  int rc;
  while ((rc = select->step()) == SQLITE_ROW) {
    ids.push_back(select->columnText(0));
    for (int c : {1, 2}) {
      std::string file = select->columnText(c);
      if (!file.empty()) files.push_back(std::move(file));
    }
  }
  if (rc != SQLITE_DONE) return db_.ioError("cannot select executions to prune");

  Result<SqliteStatement> remove =
      db_.prepare("DELETE FROM sfsync_executions WHERE execution_id = ?1");
  if (!remove.ok()) return remove.status();
  for (const std::string& id : ids) {
    remove->bindText(1, id);
    if (remove->step() != SQLITE_DONE) return db_.ioError("cannot delete execution " + id);
    remove->reset();
  }
  return files;
}

}  // namespace sfsync::store
