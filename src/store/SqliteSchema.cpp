#include "store/SqliteSchema.h"

#include <utility>

#include "store/SqlNames.h"

namespace sfsync::store {

namespace {

const char* sqlType(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
    case ColumnType::kBoolean:
      return "INTEGER";
    case ColumnType::kReal:
      return "REAL";
    case ColumnType::kText:
    case ColumnType::kDate:
    case ColumnType::kDateTime:
      return "TEXT";
  }
  return "TEXT";
}

constexpr const char* kMetadataDdl =
    "CREATE TABLE IF NOT EXISTS sfsync_tables ("
    "  table_name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE"
    ") STRICT;"
    "CREATE TABLE IF NOT EXISTS sfsync_columns ("
    "  table_name TEXT NOT NULL COLLATE NOCASE,"
    "  column_name TEXT NOT NULL COLLATE NOCASE,"
    "  column_type TEXT NOT NULL,"
    "  position INTEGER NOT NULL,"
    "  PRIMARY KEY (table_name, column_name)"
    ") STRICT;";

}  // namespace

const ColumnSpec* TableInfo::find(const std::string& column) const {
  for (const ColumnSpec& c : columns) {
    if (equalsIgnoreCase(c.name, column)) return &c;
  }
  return nullptr;
}

bool SqliteSchema::isReservedTableName(const std::string& name) {
  const std::string lower = toLowerAscii(name);
  return lower.rfind("sqlite_", 0) == 0 || lower.rfind("sfsync_", 0) == 0;
}

Status SqliteSchema::initialize() {
  Status s = db_.exec(kMetadataDdl);
  if (!s.ok()) return Status::IoError("cannot create store metadata tables: " + s.message());
  Result<SqliteStatement> t =
      db_.prepare("SELECT table_name FROM sfsync_tables WHERE table_name = ?1");
  if (!t.ok()) return t.status();
  findTable_ = std::move(t).value();
  Result<SqliteStatement> c = db_.prepare(
      "SELECT column_name, column_type FROM sfsync_columns WHERE table_name = ?1 ORDER BY "
      "position");
  if (!c.ok()) return c.status();
  findColumns_ = std::move(c).value();
  return Status::OK();
}

Result<std::optional<TableInfo>> SqliteSchema::load(const std::string& table) {
  TableInfo info;
  findTable_.bindText(1, table);
  int rc = findTable_.step();
  if (rc == SQLITE_ROW) info.name = findTable_.columnText(0);
  findTable_.reset();
  if (rc == SQLITE_DONE) return std::optional<TableInfo>();
  if (rc != SQLITE_ROW) return db_.ioError("cannot read metadata of table " + table);

  findColumns_.bindText(1, table);
  while ((rc = findColumns_.step()) == SQLITE_ROW) {
    ColumnSpec column;
    column.name = findColumns_.columnText(0);
    const std::string typeName = findColumns_.columnText(1);
    if (!parseColumnType(typeName, &column.type)) {
      findColumns_.reset();
      return Status::IoError("store metadata of table " + table + " column " + column.name +
                             " has an unknown type '" + typeName + "'");
    }
    info.columns.push_back(std::move(column));
  }
  findColumns_.reset();
  if (rc != SQLITE_DONE) return db_.ioError("cannot read columns of table " + table);
  return std::optional<TableInfo>(std::move(info));
}

Status SqliteSchema::validateSpec(const TableSpec& spec) {
  if (spec.name.empty()) return Status::InvalidArgument("table name is empty");
  if (isReservedTableName(spec.name)) {
    return Status::InvalidArgument("table name '" + spec.name +
                                   "' is reserved (sqlite_* and sfsync_* belong to the store)");
  }
  for (std::size_t i = 0; i < spec.columns.size(); ++i) {
    const std::string& name = spec.columns[i].name;
    if (name.empty()) {
      return Status::InvalidArgument("table " + spec.name + " has a column with an empty name");
    }
    if (equalsIgnoreCase(name, kGsid)) {
      return Status::InvalidArgument(
          "table " + spec.name + ": column 'gsid' is the store's primary key and cannot be mapped");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (equalsIgnoreCase(spec.columns[j].name, name)) {
        return Status::InvalidArgument("table " + spec.name + " lists column '" + name + "' twice");
      }
    }
  }
  return Status::OK();
}

Status SqliteSchema::ensureTable(const TableSpec& spec,
                                 const std::vector<std::string>& indexColumns) {
  Status s = validateSpec(spec);
  if (!s.ok()) return s;
  s = db_.begin();
  if (!s.ok()) return s;
  // From here every exit path either commits or rolls back.
  auto fail = [this](Status status) {
    db_.rollback();
    return status;
  };

  Result<std::optional<TableInfo>> loaded = load(spec.name);
  if (!loaded.ok()) return fail(loaded.status());
  if (!loaded->has_value()) {
    s = createTable(spec);
    if (!s.ok()) return fail(s);
    loaded = load(spec.name);
    if (!loaded.ok()) return fail(loaded.status());
  } else {
    const TableInfo& existing = **loaded;
    std::vector<ColumnSpec> added;
    std::string changed;
    for (const ColumnSpec& column : spec.columns) {
      const ColumnSpec* old = existing.find(column.name);
      if (old == nullptr) {
        added.push_back(column);
      } else if (old->type != column.type) {
        if (!changed.empty()) changed += "; ";
        changed += "column " + old->name + " is " + columnTypeName(old->type) + ", spec says " +
                   columnTypeName(column.type);
      }
    }
    if (!changed.empty()) {
      return fail(Status::InvalidArgument("table " + existing.name +
                                          ": column type changed (the store never converts "
                                          "columns): " +
                                          changed));
    }
    if (!added.empty()) {
      s = addColumns(existing, added);
      if (!s.ok()) return fail(s);
      loaded = load(spec.name);
      if (!loaded.ok()) return fail(loaded.status());
    }
  }

  const TableInfo& table = **loaded;
  if (!indexColumns.empty()) {
    std::vector<std::string> canonical;
    for (const std::string& name : indexColumns) {
      if (equalsIgnoreCase(name, kGsid)) {
        canonical.push_back(kGsid);
        continue;
      }
      const ColumnSpec* column = table.find(name);
      if (column == nullptr) {
        return fail(Status::InvalidArgument("table " + table.name + " has no column '" + name +
                                            "' to index"));
      }
      canonical.push_back(column->name);
    }
    s = ensureIndex(table, canonical);
    if (!s.ok()) return fail(s);
  }
  return db_.commit();
}

Status SqliteSchema::createTable(const TableSpec& spec) {
  std::string sql = "CREATE TABLE " + quoteIdentifier(spec.name) + " (" + quoteIdentifier(kGsid) +
                    " TEXT NOT NULL PRIMARY KEY";
  for (const ColumnSpec& column : spec.columns) {
    sql += ", " + quoteIdentifier(column.name) + " " + sqlType(column.type);
  }
  sql += ") STRICT";
  Status s = db_.exec(sql);
  if (!s.ok()) return Status::IoError("cannot create table " + spec.name + ": " + s.message());

  Result<SqliteStatement> insert =
      db_.prepare("INSERT INTO sfsync_tables (table_name) VALUES (?1)");
  if (!insert.ok()) return insert.status();
  insert->bindText(1, spec.name);
  if (insert->step() != SQLITE_DONE) return db_.ioError("cannot record table " + spec.name);
  for (std::size_t i = 0; i < spec.columns.size(); ++i) {
    s = recordColumn(spec.name, spec.columns[i], static_cast<int>(i));
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status SqliteSchema::addColumns(const TableInfo& existing, const std::vector<ColumnSpec>& added) {
  int position = static_cast<int>(existing.columns.size());
  for (const ColumnSpec& column : added) {
    const std::string sql = "ALTER TABLE " + quoteIdentifier(existing.name) + " ADD COLUMN " +
                            quoteIdentifier(column.name) + " " + sqlType(column.type);
    Status s = db_.exec(sql);
    if (!s.ok()) {
      return Status::IoError("cannot add column " + column.name + " to table " + existing.name +
                             ": " + s.message());
    }
    s = recordColumn(existing.name, column, position++);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status SqliteSchema::recordColumn(const std::string& table, const ColumnSpec& column,
                                  int position) {
  Result<SqliteStatement> insert = db_.prepare(
      "INSERT INTO sfsync_columns (table_name, column_name, column_type, position) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  const std::string typeName = columnTypeName(column.type);
  insert->bindText(1, table);
  insert->bindText(2, column.name);
  insert->bindText(3, typeName);
  insert->bindInt64(4, position);
  if (insert->step() != SQLITE_DONE) {
    return db_.ioError("cannot record column " + column.name + " of table " + table);
  }
  return Status::OK();
}

Status SqliteSchema::ensureIndex(const TableInfo& table, const std::vector<std::string>& columns) {
  std::string sql = "CREATE INDEX IF NOT EXISTS " +
                    quoteIdentifier(indexName(table.name, columns)) + " ON " +
                    quoteIdentifier(table.name) + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += quoteIdentifier(columns[i]);
  }
  sql += ")";
  Status s = db_.exec(sql);
  if (!s.ok()) return Status::IoError("cannot index table " + table.name + ": " + s.message());
  return s;
}

}  // namespace sfsync::store
