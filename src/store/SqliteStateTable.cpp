#include "store/SqliteStateTable.h"

namespace sfsync::store {

namespace {

constexpr const char* kDdl =
    "CREATE TABLE IF NOT EXISTS sfsync_state ("
    "  key TEXT NOT NULL PRIMARY KEY,"
    "  value TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ") STRICT";

// The smallest string above every string that starts with `prefix` (byte-wise), or "" when there
// is none (an empty prefix, or one of 0xFF bytes only).
std::string prefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
  if (!prefix.empty()) {
    prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  }
  return prefix;
}

}  // namespace

Status SqliteStateTable::initialize() {
  Status s = db_.exec(kDdl);
  if (!s.ok()) return Status::IoError("cannot create the state table: " + s.message());
  return s;
}

Status SqliteStateTable::put(const std::string& key, const std::string& value) {
  if (key.empty()) return Status::InvalidArgument("state key is empty");
  Result<SqliteStatement> stmt = db_.prepare(
      "INSERT OR REPLACE INTO sfsync_state (key, value, updated_at) "
      "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
  if (!stmt.ok()) return stmt.status();
  stmt->bindText(1, key);
  stmt->bindText(2, value);
  if (stmt->step() != SQLITE_DONE) return db_.ioError("cannot save state '" + key + "'");
  return Status::OK();
}

Result<std::optional<std::string>> SqliteStateTable::get(const std::string& key) {
  if (key.empty()) return Status::InvalidArgument("state key is empty");
  Result<SqliteStatement> stmt = db_.prepare("SELECT value FROM sfsync_state WHERE key = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->bindText(1, key);
  const int rc = stmt->step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return db_.ioError("cannot read state '" + key + "'");
  return std::optional<std::string>(stmt->columnText(0));
}

Status SqliteStateTable::erase(const std::string& key) {
  if (key.empty()) return Status::InvalidArgument("state key is empty");
  Result<SqliteStatement> stmt = db_.prepare("DELETE FROM sfsync_state WHERE key = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->bindText(1, key);
  if (stmt->step() != SQLITE_DONE) return db_.ioError("cannot erase state '" + key + "'");
  return Status::OK();
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStateTable::list(
    const std::string& prefix) {
  const std::string end = prefixEnd(prefix);
  std::string sql = "SELECT key, value FROM sfsync_state WHERE key >= ?1";
  if (!end.empty()) sql += " AND key < ?2";
  sql += " ORDER BY key";
  Result<SqliteStatement> stmt = db_.prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->bindText(1, prefix);
  if (!end.empty()) stmt->bindText(2, end);
  std::vector<std::pair<std::string, std::string>> out;
  int rc;
  while ((rc = stmt->step()) == SQLITE_ROW) {
    out.emplace_back(stmt->columnText(0), stmt->columnText(1));
  }
  if (rc != SQLITE_DONE) return db_.ioError("cannot list state '" + prefix + "*'");
  return out;
}

}  // namespace sfsync::store
