#include "store/PostgresExecutionLog.h"

#include <optional>

#include "store/SqlNames.h"
#include "store/TargetCountsJson.h"

namespace sfsync::store {

namespace {

struct ColumnDef {
  const char* name;
  bool integer;
  const char* defaultValue;  // for ADD COLUMN of a later schema; nullptr: first schema
};

// Same order as SqliteExecutionLog (readRecord and save depend on it).
constexpr ColumnDef kColumns[] = {
    {"execution_id", false, nullptr},
    {"kind", false, nullptr},
    {"name", false, nullptr},
    {"parent_id", false, nullptr},
    {"connection", false, nullptr},
    {"trigger", false, nullptr},
    {"status", false, nullptr},
    {"start_time", false, nullptr},
    {"end_time", false, nullptr},
    {"records_read", true, nullptr},
    {"created", true, nullptr},
    {"updated", true, nullptr},
    {"skipped", true, nullptr},
    {"failed", true, nullptr},
    {"api_calls", true, nullptr},
    {"error_file", false, nullptr},
    {"message", false, nullptr},
    {"warnings", true, "0"},
    {"attempts", true, "1"},
    {"success_file", false, "''"},
    {"cursor", false, "''"},
    {"chain_name", false, "''"},
    {"next_attempt", false, "''"},
    {"retries", true, "0"},
    {"target_counts", false, "''"},
    {"mode", false, "''"},
    {"api", false, "''"},
    {"cursor_end", false, "''"},
    {"deleted", true, "0"},
    {"api_remaining", true, "-1"},
    {"rerun_of", false, "''"},
    {"warning_file", false, "''"},
    // Schema 6 (issue 13, write-back).
    {"outbound_sent", true, "0"},
    {"outbound_succeeded", true, "0"},
    {"outbound_failed", true, "0"},
    {"conflicts", true, "0"},
    {"outbound_file", false, "''"},
    // Schema 7 (issue 10, the unchanged outcome).
    {"unchanged", true, "0"},
};
constexpr std::size_t kColumnCount = sizeof kColumns / sizeof kColumns[0];

std::string typeOf(const ColumnDef& c) {
  std::string type = c.integer ? "bigint NOT NULL" : "text COLLATE \"C\" NOT NULL";
  if (c.defaultValue != nullptr) type += std::string(" DEFAULT ") + c.defaultValue;
  return type;
}

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

std::string ddl() {
  std::string sql = "CREATE TABLE IF NOT EXISTS sfsync_executions (";
  for (std::size_t i = 0; i < kColumnCount; ++i) {
    sql += std::string(i > 0 ? ", " : "") + quoteIdentifier(kColumns[i].name) + " " +
           typeOf(kColumns[i]) + (i == 0 ? " PRIMARY KEY" : "");
  }
  sql += "); ALTER TABLE sfsync_executions ";
  bool first = true;
  for (const ColumnDef& c : kColumns) {
    if (c.defaultValue == nullptr) continue;
    sql += std::string(first ? "" : ", ") + "ADD COLUMN IF NOT EXISTS " + quoteIdentifier(c.name) +
           " " + typeOf(c);
    first = false;
  }
  return sql +
         ";"
         "CREATE INDEX IF NOT EXISTS sfsync_executions_start ON sfsync_executions (start_time);"
         "CREATE INDEX IF NOT EXISTS sfsync_executions_name ON sfsync_executions (name, "
         "start_time);"
         "CREATE INDEX IF NOT EXISTS sfsync_executions_parent ON sfsync_executions (parent_id);"
         "CREATE INDEX IF NOT EXISTS sfsync_executions_status ON sfsync_executions (status);"
         "CREATE INDEX IF NOT EXISTS sfsync_executions_page ON sfsync_executions "
         "(start_time, execution_id);";
}

constexpr const char* kKeptCte =
    "WITH newest AS ("
    "  SELECT execution_id FROM ("
    "    SELECT execution_id, row_number() OVER ("
    "      PARTITION BY kind, name ORDER BY start_time DESC, execution_id DESC) AS rn"
    "    FROM sfsync_executions) AS ranked"
    "  WHERE rn = 1),"
    " kept AS ("
    "  SELECT execution_id FROM newest"
    "  UNION"
    "  SELECT e.execution_id FROM sfsync_executions AS e"
    "  JOIN newest AS n ON e.parent_id = n.execution_id) ";

}  // namespace

Status PostgresExecutionLog::initialize() {
  Status s = db_.exec(ddl());
  if (!s.ok()) return Status::IoError("cannot create the executions table: " + s.message());
  return s;
}

Status PostgresExecutionLog::save(const ExecutionRecord& r) {
  if (r.executionId.empty()) return Status::InvalidArgument("execution record without an id");
  std::vector<std::optional<std::string>> p;
  for (const std::string* text : {&r.executionId, &r.kind, &r.name, &r.parentId, &r.connection,
                                  &r.trigger, &r.status, &r.startTime, &r.endTime}) {
    p.emplace_back(*text);
  }
  for (std::int64_t n : {r.recordsRead, r.created, r.updated, r.skipped, r.failed, r.apiCalls}) {
    p.emplace_back(std::to_string(n));
  }
  p.emplace_back(r.errorFile);
  p.emplace_back(r.message);
  p.emplace_back(std::to_string(r.warnings));
  p.emplace_back(std::to_string(r.attempts));
  for (const std::string* text : {&r.successFile, &r.cursor, &r.chainName, &r.nextAttempt}) {
    p.emplace_back(*text);
  }
  p.emplace_back(std::to_string(r.retries));
  p.emplace_back(targetCountsToJson(r.targets));
  for (const std::string* text : {&r.mode, &r.api, &r.cursorEnd}) p.emplace_back(*text);
  p.emplace_back(std::to_string(r.deleted));
  p.emplace_back(std::to_string(r.apiRemaining));
  for (const std::string* text : {&r.rerunOf, &r.warningFile}) p.emplace_back(*text);
  for (std::int64_t n : {r.outboundSent, r.outboundSucceeded, r.outboundFailed, r.conflicts}) {
    p.emplace_back(std::to_string(n));
  }
  p.emplace_back(r.outboundFile);
  p.emplace_back(std::to_string(r.unchanged));
  std::string values;
  std::string updates;
  for (std::size_t i = 0; i < kColumnCount; ++i) {
    values += (i > 0 ? ", $" : "$") + std::to_string(i + 1);
    if (i > 0) {
      const std::string name = quoteIdentifier(kColumns[i].name);
      updates += (i > 1 ? ", " : "") + name + " = EXCLUDED." + name;
    }
  }
  Result<PgResult> res =
      db_.query("INSERT INTO sfsync_executions (" + columnList() + ") VALUES (" + values +
                    ") ON CONFLICT (execution_id) DO UPDATE SET " + updates,
                p);
  if (!res.ok()) {
    return Status::IoError("cannot save execution " + r.executionId + ": " +
                           res.status().message());
  }
  return Status::OK();
}

Result<ExecutionRecord> PostgresExecutionLog::readRecord(const PgResult& res, int row) {
  ExecutionRecord r;
  int c = 0;
  for (std::string* text : {&r.executionId, &r.kind, &r.name, &r.parentId, &r.connection,
                            &r.trigger, &r.status, &r.startTime, &r.endTime}) {
    *text = res.text(row, c++);
  }
  for (std::int64_t* n :
       {&r.recordsRead, &r.created, &r.updated, &r.skipped, &r.failed, &r.apiCalls}) {
    *n = res.int64(row, c++);
  }
  r.errorFile = res.text(row, c++);
  r.message = res.text(row, c++);
  r.warnings = res.int64(row, c++);
  r.attempts = static_cast<int>(res.int64(row, c++));
  for (std::string* text : {&r.successFile, &r.cursor, &r.chainName, &r.nextAttempt}) {
    *text = res.text(row, c++);
  }
  r.retries = res.int64(row, c++);
  Result<std::vector<TargetCounts>> targets = targetCountsFromJson(res.text(row, c++));
  if (!targets.ok()) {
    return Status::DataError("execution " + r.executionId + ": " + targets.status().message());
  }
  r.targets = std::move(targets).value();
  for (std::string* text : {&r.mode, &r.api, &r.cursorEnd}) *text = res.text(row, c++);
  r.deleted = res.int64(row, c++);
  r.apiRemaining = res.int64(row, c++);
  for (std::string* text : {&r.rerunOf, &r.warningFile}) *text = res.text(row, c++);
  for (std::int64_t* n : {&r.outboundSent, &r.outboundSucceeded, &r.outboundFailed, &r.conflicts}) {
    *n = res.int64(row, c++);
  }
  r.outboundFile = res.text(row, c++);
  r.unchanged = res.int64(row, c++);
  return r;
}

Result<std::vector<ExecutionRecord>> PostgresExecutionLog::list(const ExecutionQuery& query) {
  if (!query.beforeExecutionId.empty() && query.beforeStartTime.empty()) {
    return Status::InvalidArgument(
        "execution query: beforeExecutionId needs beforeStartTime (the previous page's last row)");
  }
  std::string sql = "SELECT " + columnList() + " FROM sfsync_executions";
  std::vector<std::optional<std::string>> params;
  auto param = [&params](const std::string& value) {
    params.emplace_back(value);
    return "$" + std::to_string(params.size());
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
  sql += " ORDER BY start_time DESC, execution_id DESC";
  if (query.limit > 0) sql += " LIMIT " + std::to_string(query.limit);
  Result<PgResult> r = db_.query(sql, params);
  if (!r.ok()) return r.status();
  std::vector<ExecutionRecord> out;
  for (int row = 0; row < r->rows(); ++row) {
    Result<ExecutionRecord> record = readRecord(*r, row);
    if (!record.ok()) return record.status();
    out.push_back(std::move(record).value());
  }
  return out;
}

Result<std::vector<std::string>> PostgresExecutionLog::unfinishedIds() {
  Result<PgResult> r = db_.query(
      "SELECT execution_id, status FROM sfsync_executions "
      "WHERE status NOT IN ('Success', 'Partial Success', 'Failed', 'Skipped')");
  if (!r.ok()) return r.status();
  std::vector<std::string> ids;
  for (int row = 0; row < r->rows(); ++row) {
    if (isUnfinishedStatus(r->text(row, 1))) ids.push_back(r->text(row, 0));
  }
  return ids;
}

Result<std::vector<std::string>> PostgresExecutionLog::failInterrupted(
    const std::vector<std::string>& ids, const std::string& endTime, const std::string& message) {
  std::vector<std::string> changed;
  for (const std::string& id : ids) {
    Result<PgResult> r = db_.query(
        "UPDATE sfsync_executions SET status = 'Failed', end_time = $1, message = $2, "
        "next_attempt = '' WHERE execution_id = $3 "
        "AND status IN ('Running', 'Retrying') RETURNING execution_id",
        {endTime, message, id});
    if (!r.ok()) return r.status();
    for (int row = 0; row < r->rows(); ++row) changed.push_back(r->text(row, 0));
  }
  return changed;
}

Result<std::vector<std::string>> PostgresExecutionLog::prune(const std::string& olderThan) {
  Result<PgResult> r = db_.query(std::string(kKeptCte) +
                                     "DELETE FROM sfsync_executions WHERE start_time < $1 "
                                     "AND execution_id NOT IN (SELECT execution_id FROM kept) "
                                     "RETURNING error_file, success_file",
                                 {olderThan});
  if (!r.ok()) return r.status();
  std::vector<std::string> files;
  for (int row = 0; row < r->rows(); ++row) {
    for (int c : {0, 1}) {
      std::string file = r->text(row, c);
      if (!file.empty()) files.push_back(std::move(file));
    }
  }
  return files;
}

}  // namespace sfsync::store
