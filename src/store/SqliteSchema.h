// SqliteSchema: the store's knowledge of its target tables. Keeps two metadata tables -
// sfsync_tables(table_name) and sfsync_columns(table_name, column_name, column_type, position) -
// with each column's declared store type, because SQLite's storage classes cannot tell a Boolean
// from an Integer or a Date from Text. Creates target tables (STRICT, so a value that does not fit
// its column is a row-level error), widens them with ALTER TABLE ADD COLUMN (never drops) and
// maintains indexes.
//
// Names compare ASCII case-insensitively, as SQLite compares identifiers: "Company" and "company"
// are the same table. TableInfo carries the names as first created.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/TableSpec.h"
#include "store/SqliteDb.h"
#include "store/SqliteStatement.h"

namespace sfsync::store {

// A target table as recorded in the metadata: canonical names and declared column types.
struct TableInfo {
  std::string name;
  std::vector<ColumnSpec> columns;  // without gsid, in creation order

  // The column named `column` (case-insensitive), or nullptr. "gsid" is not among `columns`.
  const ColumnSpec* find(const std::string& column) const;
};

class SqliteSchema {
 public:
  static constexpr const char* kGsid = "gsid";

  explicit SqliteSchema(SqliteDb& db) : db_(db) {}

  // Creates the metadata tables if missing and prepares the lookup statements. Call once after
  // open.
  Status initialize();

  // Store::ensureTable, in its own transaction: on any error nothing is changed.
  // InvalidArgument for a bad spec or a changed column type; IoError for SQLite failures.
  Status ensureTable(const TableSpec& spec, const std::vector<std::string>& indexColumns);

  // The table's metadata; std::nullopt when the store has no such table. IoError on SQLite
  // failures.
  Result<std::optional<TableInfo>> load(const std::string& table);

  // CREATE INDEX IF NOT EXISTS over `columns` (canonical names) of `table`. Runs inside the
  // caller's transaction when there is one.
  Status ensureIndex(const TableInfo& table, const std::vector<std::string>& columns);

  // True for names the store keeps for itself (sqlite_*, sfsync_*), which cannot be target tables.
  static bool isReservedTableName(const std::string& name);
  // InvalidArgument for an empty or reserved name, an empty, duplicate or gsid column (shared with
  // PostgresSchema).
  static Status validateSpec(const TableSpec& spec);

 private:
  Status createTable(const TableSpec& spec);
  Status addColumns(const TableInfo& existing, const std::vector<ColumnSpec>& added);
  Status recordColumn(const std::string& table, const ColumnSpec& column, int position);

  SqliteDb& db_;
  SqliteStatement findTable_;
  SqliteStatement findColumns_;
};

}  // namespace sfsync::store
