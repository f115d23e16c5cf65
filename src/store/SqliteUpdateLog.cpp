#include "store/SqliteUpdateLog.h"

#include <utility>

#include "sfsync/core/Ids.h"

namespace sfsync::store {

namespace {

constexpr const char* kDdl =
    "CREATE TABLE IF NOT EXISTS sfsync_updates ("
    "  id TEXT NOT NULL PRIMARY KEY,"
    "  time TEXT NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  diff TEXT NOT NULL"
    ") STRICT;"
    "CREATE INDEX IF NOT EXISTS sfsync_updates_time ON sfsync_updates (time, id);";

// Column order shared by the insert and the select.
constexpr const char* kColumns = "id, time, actor, kind, name, action, diff";

}  // namespace

Status SqliteUpdateLog::initialize() {
  Status s = db_.exec(kDdl);
  if (!s.ok()) return Status::IoError("cannot create the updates table: " + s.message());
  return s;
}

Status SqliteUpdateLog::save(const UpdateRecord& record) {
  if (record.time.empty()) return Status::InvalidArgument("update record without a time");
  const std::string id = record.id.empty() ? newUuid() : record.id;
  Result<SqliteStatement> stmt =
      db_.prepare(std::string("INSERT OR REPLACE INTO sfsync_updates (") + kColumns +
                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt.ok()) return stmt.status();
  int i = 0;
  for (const std::string* text : {&id, &record.time, &record.actor, &record.kind, &record.name,
                                  &record.action, &record.diff}) {
    stmt->bindText(++i, *text);
  }
  if (stmt->step() != SQLITE_DONE) return db_.ioError("cannot save update " + id);
  return Status::OK();
}

Result<std::vector<UpdateRecord>> SqliteUpdateLog::list(int limit, const std::string& beforeTime) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM sfsync_updates";
  if (!beforeTime.empty()) sql += " WHERE time < ?1";
  sql += " ORDER BY time DESC, id DESC LIMIT " + std::to_string(limit > 0 ? limit : -1);
  Result<SqliteStatement> stmt = db_.prepare(sql);
  if (!stmt.ok()) return stmt.status();
  if (!beforeTime.empty()) stmt->bindText(1, beforeTime);
  std::vector<UpdateRecord> out;
  int rc;
  while ((rc = stmt->step()) == SQLITE_ROW) {
    UpdateRecord r;
    int c = 0;
    for (std::string* text : {&r.id, &r.time, &r.actor, &r.kind, &r.name, &r.action, &r.diff}) {
      *text = stmt->columnText(c++);
    }
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return db_.ioError("cannot list updates");
  return out;
}

Result<std::int64_t> SqliteUpdateLog::prune(const std::string& olderThan) {
  Result<SqliteStatement> stmt = db_.prepare("DELETE FROM sfsync_updates WHERE time < ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->bindText(1, olderThan);
  if (stmt->step() != SQLITE_DONE) return db_.ioError("cannot prune updates");
  return db_.changes();
}

}  // namespace sfsync::store
