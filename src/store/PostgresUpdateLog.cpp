#include "store/PostgresUpdateLog.h"

#include <optional>

#include "sfsync/core/Ids.h"

namespace sfsync::store {

namespace {
constexpr const char* kColumns = "id, time, actor, kind, name, action, diff";
}  // namespace

Status PostgresUpdateLog::initialize() {
  Status s = db_.exec(
      "CREATE TABLE IF NOT EXISTS sfsync_updates (id text COLLATE \"C\" NOT NULL PRIMARY KEY, "
      "time text COLLATE \"C\" NOT NULL, actor text NOT NULL, kind text NOT NULL, "
      "name text NOT NULL, action text NOT NULL, diff text NOT NULL);"
      "CREATE INDEX IF NOT EXISTS sfsync_updates_time ON sfsync_updates (time, id);");
  if (!s.ok()) return Status::IoError("cannot create the updates table: " + s.message());
  return s;
}

Status PostgresUpdateLog::save(const UpdateRecord& record) {
  if (record.time.empty()) return Status::InvalidArgument("update record without a time");
  const std::string id = record.id.empty() ? newUuid() : record.id;
  Result<PgResult> r = db_.query(
      std::string("INSERT INTO sfsync_updates (") + kColumns +
          ") VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET "
          "time = EXCLUDED.time, actor = EXCLUDED.actor, kind = EXCLUDED.kind, "
          "name = EXCLUDED.name, action = EXCLUDED.action, diff = EXCLUDED.diff",
      {id, record.time, record.actor, record.kind, record.name, record.action, record.diff});
  if (!r.ok()) return Status::IoError("cannot save update " + id + ": " + r.status().message());
  return Status::OK();
}

Result<std::vector<UpdateRecord>> PostgresUpdateLog::list(int limit,
                                                          const std::string& beforeTime) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM sfsync_updates";
  std::vector<std::optional<std::string>> params;
  if (!beforeTime.empty()) {
    sql += " WHERE time < $1";
    params.emplace_back(beforeTime);
  }
  sql += " ORDER BY time DESC, id DESC";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  Result<PgResult> r = db_.query(sql, params);
  if (!r.ok()) return r.status();
  std::vector<UpdateRecord> out;
  for (int i = 0; i < r->rows(); ++i) {
    UpdateRecord u;
    int c = 0;
    for (std::string* text : {&u.id, &u.time, &u.actor, &u.kind, &u.name, &u.action, &u.diff}) {
      *text = r->text(i, c++);
    }
    out.push_back(std::move(u));
  }
  return out;
}

Result<std::int64_t> PostgresUpdateLog::prune(const std::string& olderThan) {
  Result<PgResult> r = db_.query("DELETE FROM sfsync_updates WHERE time < $1", {olderThan});
  if (!r.ok()) return r.status();
  return r->affected();
}

}  // namespace sfsync::store
