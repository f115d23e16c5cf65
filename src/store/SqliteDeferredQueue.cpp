#include "store/SqliteDeferredQueue.h"

#include "sfsync/core/ValueCodec.h"

namespace sfsync::store {

Status SqliteDeferredQueue::initialize() {
  return db_.exec(
      "CREATE TABLE IF NOT EXISTS sfsync_deferred (owner TEXT NOT NULL, seq INTEGER NOT NULL, "
      "row BLOB NOT NULL, PRIMARY KEY (owner, seq)) WITHOUT ROWID");
}

Status SqliteDeferredQueue::append(const std::string& owner, const std::vector<Row>& rows) {
  if (owner.empty()) return Status::InvalidArgument("deferred rows: empty owner");
  if (rows.empty()) return Status::OK();
  Result<SqliteStatement> last =
      db_.prepare("SELECT COALESCE(MAX(seq), 0) FROM sfsync_deferred WHERE owner = ?1");
  if (!last.ok()) return last.status();
  last->bindText(1, owner);
  if (last->step() != SQLITE_ROW) return db_.ioError("deferred rows of " + owner);
  std::int64_t seq = last->columnInt64(0);
  Result<SqliteStatement> insert =
      db_.prepare("INSERT INTO sfsync_deferred (owner, seq, row) VALUES (?1, ?2, ?3)");
  if (!insert.ok()) return insert.status();
  std::string encoded;
  for (const Row& row : rows) {
    encoded.clear();
    appendRow(row, encoded);
    insert->reset();
    if (insert->bindText(1, owner) != SQLITE_OK || insert->bindInt64(2, ++seq) != SQLITE_OK ||
        sqlite3_bind_blob64(insert->get(), 3, encoded.data(), encoded.size(), SQLITE_STATIC) !=
            SQLITE_OK ||
        insert->step() != SQLITE_DONE) {
      return db_.ioError("store deferred rows of " + owner);
    }
  }
  return Status::OK();
}

Result<std::vector<std::pair<std::int64_t, Row>>> SqliteDeferredQueue::read(
    const std::string& owner, std::int64_t after, std::size_t limit) {
  Result<SqliteStatement> stmt = db_.prepare(
      "SELECT seq, row FROM sfsync_deferred WHERE owner = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
  if (!stmt.ok()) return stmt.status();
  stmt->bindText(1, owner);
  stmt->bindInt64(2, after);
  stmt->bindInt64(3, static_cast<std::int64_t>(limit));
  std::vector<std::pair<std::int64_t, Row>> out;
  int rc;
  while ((rc = stmt->step()) == SQLITE_ROW) {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt->get(), 1));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt->get(), 1));
    std::pair<std::int64_t, Row>& entry = out.emplace_back(stmt->columnInt64(0), Row{});
    std::size_t pos = 0;
    if (!readRow(std::string_view(data == nullptr ? "" : data, size), pos, entry.second) ||
        pos != size) {
      return Status::DataError("deferred row " + std::to_string(entry.first) + " of " + owner +
                               " is corrupt");
    }
  }
  if (rc != SQLITE_DONE) return db_.ioError("read deferred rows of " + owner);
  return out;
}

Status SqliteDeferredQueue::clear(const std::string& owner) {
  Result<SqliteStatement> stmt = db_.prepare("DELETE FROM sfsync_deferred WHERE owner = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->bindText(1, owner);
  if (stmt->step() != SQLITE_DONE) return db_.ioError("clear deferred rows of " + owner);
  return Status::OK();
}

}  // namespace sfsync::store
