// SqliteMetadataTable: the describe cache (Store::putMetadata, getMetadata, listMetadata) in the
// table sfsync_metadata(connection, object_key, object, describe, fetched_at), keyed by the
// connection and the lower-cased object name.
//
// Errors: IoError with SQLite's message; InvalidArgument for an empty connection or object.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/MetadataEntry.h"
#include "store/SqliteDb.h"

namespace sfsync::store {

class SqliteMetadataTable {
 public:
  explicit SqliteMetadataTable(SqliteDb& db) : db_(db) {}

  // Creates the table if missing. Call once after open.
  Status initialize();
  // Insert or replace.
  Status put(const MetadataEntry& entry);
  // std::nullopt when nothing is cached for (connection, object).
  Result<std::optional<MetadataEntry>> get(const std::string& connection,
                                           const std::string& object);
  // Every entry of the connection, ordered by object key.
  Result<std::vector<MetadataEntry>> list(const std::string& connection);

 private:
  SqliteDb& db_;
};

}  // namespace sfsync::store
