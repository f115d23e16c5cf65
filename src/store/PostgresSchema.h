// PostgresSchema: the PostgreSQL store's knowledge of its target tables, the counterpart of
// SqliteSchema. Keeps sfsync_tables(table_key, table_name) and sfsync_columns(table_key,
// column_key, column_name, column_type, position) - keys are the ASCII lower-case names, so names
// compare case-insensitively as in SQLite while the tables keep the names as first created
// (quoted identifiers). Target tables get `gsid text PRIMARY KEY` and native column types
// (PostgresValues::ddlType); widening is ALTER TABLE ADD COLUMN (never drops). Index names longer
// than PostgreSQL's 63 bytes are shortened with a hash so two indexes never share a name.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/TableSpec.h"
#include "store/PgConnection.h"
#include "store/SqliteSchema.h"  // TableInfo

namespace sfsync::store {

class PostgresSchema {
 public:
  static constexpr const char* kGsid = "gsid";

  explicit PostgresSchema(PgConnection& db) : db_(db) {}

  // Creates the metadata tables if missing.
  Status initialize();
  // Store::ensureTable; the caller runs it inside a transaction.
  Status ensureTable(const TableSpec& spec, const std::vector<std::string>& indexColumns);
  // The table's metadata; std::nullopt when the store has no such table.
  Result<std::optional<TableInfo>> load(const std::string& table);
  // CREATE INDEX IF NOT EXISTS over `columns` (canonical names) of `table`.
  Status ensureIndex(const TableInfo& table, const std::vector<std::string>& columns);
  // PostgreSQL's name of the store-maintained index (indexName, hashed when longer than 63).
  static std::string pgIndexName(const std::string& table, const std::vector<std::string>& columns);

 private:
  Status createTable(const TableSpec& spec);
  Status addColumns(const TableInfo& existing, const std::vector<ColumnSpec>& added);
  Status recordColumn(const std::string& table, const ColumnSpec& column, int position);

  PgConnection& db_;
};

}  // namespace sfsync::store
