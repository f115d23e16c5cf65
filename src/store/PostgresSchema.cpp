#include "store/PostgresSchema.h"

#include <cstdint>
#include <cstdio>

#include "store/PostgresValues.h"
#include "store/SqlNames.h"

namespace sfsync::store {

namespace {

constexpr std::size_t kMaxIdentifier = 63;  // NAMEDATALEN - 1

constexpr const char* kMetadataDdl =
    "CREATE TABLE IF NOT EXISTS sfsync_tables ("
    "  table_key text COLLATE \"C\" NOT NULL PRIMARY KEY,"
    "  table_name text NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sfsync_columns ("
    "  table_key text COLLATE \"C\" NOT NULL,"
    "  column_key text COLLATE \"C\" NOT NULL,"
    "  column_name text NOT NULL,"
    "  column_type text NOT NULL,"
    "  position integer NOT NULL,"
    "  PRIMARY KEY (table_key, column_key));";

Status checkIdentifier(const std::string& what, const std::string& name) {
  if (name.size() > kMaxIdentifier) {
    return Status::InvalidArgument(what + " '" + name + "' is longer than PostgreSQL's " +
                                   std::to_string(kMaxIdentifier) + "-byte identifier limit");
  }
  return Status::OK();
}

}  // namespace

std::string PostgresSchema::pgIndexName(const std::string& table,
                                        const std::vector<std::string>& columns) {
  const std::string full = indexName(table, columns);
  if (full.size() <= kMaxIdentifier) return full;
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : full) h = (h ^ c) * 1099511628211ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return full.substr(0, kMaxIdentifier - 17) + "#" + hex;
}

Status PostgresSchema::initialize() {
  Status s = db_.exec(kMetadataDdl);
  if (!s.ok()) return Status::IoError("cannot create store metadata tables: " + s.message());
  return s;
}

Result<std::optional<TableInfo>> PostgresSchema::load(const std::string& table) {
  Result<PgResult> r = db_.query(
      "SELECT t.table_name, c.column_name, c.column_type FROM sfsync_tables t "
      "LEFT JOIN sfsync_columns c ON c.table_key = t.table_key "
      "WHERE t.table_key = $1 ORDER BY c.position",
      {toLowerAscii(table)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<TableInfo>();
  TableInfo info;
  info.name = r->text(0, 0);
  for (int i = 0; i < r->rows(); ++i) {
    if (r->isNull(i, 1)) continue;
    ColumnSpec column;
    column.name = r->text(i, 1);
    const std::string typeName = r->text(i, 2);
    if (!parseColumnType(typeName, &column.type)) {
      return Status::IoError("store metadata of table " + table + " column " + column.name +
                             " has an unknown type '" + typeName + "'");
    }
    info.columns.push_back(std::move(column));
  }
  return std::optional<TableInfo>(std::move(info));
}

Status PostgresSchema::ensureTable(const TableSpec& spec,
                                   const std::vector<std::string>& indexColumns) {
  Status s = SqliteSchema::validateSpec(spec);
  if (s.ok()) s = checkIdentifier("table name", spec.name);
  for (const ColumnSpec& c : spec.columns) {
    if (s.ok()) s = checkIdentifier("column name", c.name);
  }
  if (!s.ok()) return s;
  Result<std::optional<TableInfo>> loaded = load(spec.name);
  if (!loaded.ok()) return loaded.status();
  if (!loaded->has_value()) {
    s = createTable(spec);
  } else {
    const TableInfo& existing = **loaded;
    std::vector<ColumnSpec> added;
    std::string changed;
    for (const ColumnSpec& column : spec.columns) {
      const ColumnSpec* old = existing.find(column.name);
      if (old == nullptr) {
        added.push_back(column);
      } else if (old->type != column.type) {
        changed += std::string(changed.empty() ? "" : "; ") + "column " + old->name + " is " +
                   columnTypeName(old->type) + ", spec says " + columnTypeName(column.type);
      }
    }
    if (!changed.empty()) {
      return Status::InvalidArgument(
          "table " + existing.name +
          ": column type changed (the store never converts columns): " + changed);
    }
    if (!added.empty()) s = addColumns(existing, added);
  }
  if (!s.ok()) return s;
  if (indexColumns.empty()) return Status::OK();
  loaded = load(spec.name);
  if (!loaded.ok()) return loaded.status();
  const TableInfo& table = **loaded;
  std::vector<std::string> canonical;
  for (const std::string& name : indexColumns) {
    if (equalsIgnoreCase(name, kGsid)) {
      canonical.push_back(kGsid);
      continue;
    }
    const ColumnSpec* column = table.find(name);
    if (column == nullptr) {
      return Status::InvalidArgument("table " + table.name + " has no column '" + name +
                                     "' to index");
    }
    canonical.push_back(column->name);
  }
  return ensureIndex(table, canonical);
}

Status PostgresSchema::createTable(const TableSpec& spec) {
  std::string sql = "CREATE TABLE " + quoteIdentifier(spec.name) + " (" + quoteIdentifier(kGsid) +
                    " text COLLATE \"C\" NOT NULL PRIMARY KEY";
  for (const ColumnSpec& column : spec.columns) {
    sql += ", " + quoteIdentifier(column.name) + " " + pgvalue::ddlType(column.type);
  }
  sql += ")";
  Status s = db_.exec(sql);
  if (!s.ok()) return Status::IoError("cannot create table " + spec.name + ": " + s.message());
  Result<PgResult> r =
      db_.query("INSERT INTO sfsync_tables (table_key, table_name) VALUES ($1, $2)",
                {toLowerAscii(spec.name), spec.name});
  if (!r.ok()) return r.status();
  for (std::size_t i = 0; i < spec.columns.size(); ++i) {
    s = recordColumn(spec.name, spec.columns[i], static_cast<int>(i));
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status PostgresSchema::addColumns(const TableInfo& existing, const std::vector<ColumnSpec>& added) {
  int position = static_cast<int>(existing.columns.size());
  for (const ColumnSpec& column : added) {
    Status s = db_.exec("ALTER TABLE " + quoteIdentifier(existing.name) + " ADD COLUMN " +
                        quoteIdentifier(column.name) + " " + pgvalue::ddlType(column.type));
    if (!s.ok()) {
      return Status::IoError("cannot add column " + column.name + " to table " + existing.name +
                             ": " + s.message());
    }
    s = recordColumn(existing.name, column, position++);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status PostgresSchema::recordColumn(const std::string& table, const ColumnSpec& column,
                                    int position) {
  Result<PgResult> r = db_.query(
      "INSERT INTO sfsync_columns (table_key, column_key, column_name, column_type, position) "
      "VALUES ($1, $2, $3, $4, $5)",
      {toLowerAscii(table), toLowerAscii(column.name), column.name,
       std::string(columnTypeName(column.type)), std::to_string(position)});
  return r.ok() ? Status::OK() : r.status();
}

Status PostgresSchema::ensureIndex(const TableInfo& table,
                                   const std::vector<std::string>& columns) {
  std::string sql = "CREATE INDEX IF NOT EXISTS " +
                    quoteIdentifier(pgIndexName(table.name, columns)) + " ON " +
                    quoteIdentifier(table.name) + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    sql += (i > 0 ? ", " : "") + quoteIdentifier(columns[i]);
  }
  Status s = db_.exec(sql + ")");
  if (!s.ok()) return Status::IoError("cannot index table " + table.name + ": " + s.message());
  return s;
}

}  // namespace sfsync::store
