#include "store/PostgresMetadataTable.h"

#include <Poco/String.h>

namespace sfsync::store {

namespace {

MetadataEntry readEntry(const PgResult& r, int row) {
  MetadataEntry e;
  e.connection = r.text(row, 0);
  e.object = r.text(row, 1);
  e.describeJson = r.text(row, 2);
  e.fetchedAt = r.text(row, 3);
  return e;
}

}  // namespace

Status PostgresMetadataTable::initialize() {
  Status s = db_.exec(
      "CREATE TABLE IF NOT EXISTS sfsync_metadata (connection text COLLATE \"C\" NOT NULL, "
      "object_key text COLLATE \"C\" NOT NULL, object text NOT NULL, describe text NOT NULL, "
      "fetched_at text NOT NULL, PRIMARY KEY (connection, object_key))");
  if (!s.ok()) return Status::IoError("cannot create the metadata table: " + s.message());
  return s;
}

Status PostgresMetadataTable::put(const MetadataEntry& entry) {
  if (entry.connection.empty() || entry.object.empty()) {
    return Status::InvalidArgument("metadata entry without connection or object");
  }
  Result<PgResult> r = db_.query(
      "INSERT INTO sfsync_metadata (connection, object_key, object, describe, fetched_at) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (connection, object_key) DO UPDATE SET "
      "object = EXCLUDED.object, describe = EXCLUDED.describe, fetched_at = EXCLUDED.fetched_at",
      {entry.connection, Poco::toLower(entry.object), entry.object, entry.describeJson,
       entry.fetchedAt});
  if (!r.ok()) {
    return Status::IoError("cannot cache the describe of " + entry.connection + "/" + entry.object +
                           ": " + r.status().message());
  }
  return Status::OK();
}

Result<std::optional<MetadataEntry>> PostgresMetadataTable::get(const std::string& connection,
                                                                const std::string& object) {
  if (connection.empty() || object.empty()) {
    return Status::InvalidArgument("metadata lookup without connection or object");
  }
  Result<PgResult> r = db_.query(
      "SELECT connection, object, describe, fetched_at FROM sfsync_metadata "
      "WHERE connection = $1 AND object_key = $2",
      {connection, Poco::toLower(object)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<MetadataEntry>();
  return std::optional<MetadataEntry>(readEntry(*r, 0));
}

Result<std::vector<MetadataEntry>> PostgresMetadataTable::list(const std::string& connection) {
  Result<PgResult> r = db_.query(
      "SELECT connection, object, describe, fetched_at FROM sfsync_metadata "
      "WHERE connection = $1 ORDER BY object_key",
      {connection});
  if (!r.ok()) return r.status();
  std::vector<MetadataEntry> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(readEntry(*r, i));
  return out;
}

}  // namespace sfsync::store
