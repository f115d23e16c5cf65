#include "store/SqliteMetadataTable.h"

#include <Poco/String.h>

namespace sfsync::store {

namespace {

constexpr const char* kDdl =
    "CREATE TABLE IF NOT EXISTS sfsync_metadata ("
    "  connection TEXT NOT NULL,"
    "  object_key TEXT NOT NULL,"
    "  object TEXT NOT NULL,"
    "  describe TEXT NOT NULL,"
    "  fetched_at TEXT NOT NULL,"
    "  PRIMARY KEY (connection, object_key)"
    ") STRICT, WITHOUT ROWID";

MetadataEntry readEntry(SqliteStatement& stmt) {
  MetadataEntry e;
  e.connection = stmt.columnText(0);
  e.object = stmt.columnText(1);
  e.describeJson = stmt.columnText(2);
  e.fetchedAt = stmt.columnText(3);
  return e;
}

}  // namespace

Status SqliteMetadataTable::initialize() {
  Status s = db_.exec(kDdl);
  if (!s.ok()) return Status::IoError("cannot create the metadata table: " + s.message());
  return s;
}

Status SqliteMetadataTable::put(const MetadataEntry& entry) {
  if (entry.connection.empty() || entry.object.empty()) {
    return Status::InvalidArgument("metadata entry without connection or object");
  }
  Result<SqliteStatement> stmt = db_.prepare(
      "INSERT OR REPLACE INTO sfsync_metadata (connection, object_key, object, describe, "
      "fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!stmt.ok()) return stmt.status();
  const std::string key = Poco::toLower(entry.object);  // bound SQLITE_STATIC: kept alive
  stmt->bindText(1, entry.connection);
  stmt->bindText(2, key);
  stmt->bindText(3, entry.object);
  stmt->bindText(4, entry.describeJson);
  stmt->bindText(5, entry.fetchedAt);
  if (stmt->step() != SQLITE_DONE) {
    return db_.ioError("cannot cache the describe of " + entry.connection + "/" + entry.object);
  }
  return Status::OK();
}

Result<std::optional<MetadataEntry>> SqliteMetadataTable::get(const std::string& connection,
                                                              const std::string& object) {
  if (connection.empty() || object.empty()) {
    return Status::InvalidArgument("metadata lookup without connection or object");
  }
  Result<SqliteStatement> stmt = db_.prepare(
      "SELECT connection, object, describe, fetched_at FROM sfsync_metadata "
      "WHERE connection = ?1 AND object_key = ?2");
  if (!stmt.ok()) return stmt.status();
  const std::string key = Poco::toLower(object);  // bound SQLITE_STATIC: kept alive
  stmt->bindText(1, connection);
  stmt->bindText(2, key);
  const int rc = stmt->step();
  if (rc == SQLITE_DONE) return std::optional<MetadataEntry>();
  if (rc != SQLITE_ROW) return db_.ioError("cannot read the cached describe of " + object);
  return std::optional<MetadataEntry>(readEntry(*stmt));
}

Result<std::vector<MetadataEntry>> SqliteMetadataTable::list(const std::string& connection) {
  Result<SqliteStatement> stmt = db_.prepare(
      "SELECT connection, object, describe, fetched_at FROM sfsync_metadata "
      "WHERE connection = ?1 ORDER BY object_key");
  if (!stmt.ok()) return stmt.status();
  stmt->bindText(1, connection);
  std::vector<MetadataEntry> out;
  int rc;
  while ((rc = stmt->step()) == SQLITE_ROW) out.push_back(readEntry(*stmt));
  if (rc != SQLITE_DONE) return db_.ioError("cannot list the cached describes of " + connection);
  return out;
}

}  // namespace sfsync::store
