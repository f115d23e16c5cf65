// PostgresMetadataTable: cached Salesforce describes (sfsync_metadata) on PostgreSQL; semantics
// as SqliteMetadataTable (the object compares case-insensitively through its lower-case key).
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/MetadataEntry.h"
#include "store/PgConnection.h"

namespace sfsync::store {

class PostgresMetadataTable {
 public:
  explicit PostgresMetadataTable(PgConnection& db) : db_(db) {}
  Status initialize();
  Status put(const MetadataEntry& entry);
  Result<std::optional<MetadataEntry>> get(const std::string& connection,
                                           const std::string& object);
  Result<std::vector<MetadataEntry>> list(const std::string& connection);

 private:
  PgConnection& db_;
};

}  // namespace sfsync::store
