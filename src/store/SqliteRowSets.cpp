#include "store/SqliteRowSets.h"

#include <algorithm>
#include <optional>

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Process.h>

#include <atomic>
#include <cstdio>

#include "sfsync/core/Platform.h"
#include "store/SqlNames.h"

namespace sfsync::store {

namespace {

constexpr const char* kScratchInfix = ".scratch-";

// Removes `<db>.scratch-<pid>-<n>` files whose process no longer runs (a crash or kill -9 left
// them). Best effort: a file that cannot be removed is left for the next open.
void removeStaleScratchFiles(const std::string& dbPath) {
  try {
    const Poco::Path db(dbPath);
    const std::string prefix = db.getFileName() + kScratchInfix;
    for (Poco::DirectoryIterator it(db.parent()), end; it != end; ++it) {
      const std::string name = it.name();
      if (name.compare(0, prefix.size(), prefix) != 0) continue;
      const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
      if (!platform::processExists(pid)) {
        std::remove(it.path().toString().c_str());
      }
    }
  } catch (const std::exception&) {
    // Listing the directory failed: nothing is cleaned now, nothing breaks.
  }
}

}  // namespace

SqliteRowSets::~SqliteRowSets() {
  // The connection may still hold the file open: unlinking it is fine on POSIX, and the space is
  // freed when the connection closes.
  if (scratchPath_.empty()) return;
  std::remove(scratchPath_.c_str());
  std::remove((scratchPath_ + "-journal").c_str());
}

Status SqliteRowSets::initialize() {
  static std::atomic<long> instances{0};
  if (db_.path().empty() || db_.path() == ":memory:") return Status::OK();
  removeStaleScratchFiles(db_.path());
  const std::string path = db_.path() + kScratchInfix + std::to_string(Poco::Process::id()) + "-" +
                           std::to_string(++instances);
  Result<SqliteStatement> attach = db_.prepare("ATTACH DATABASE ?1 AS scratch");
  if (!attach.ok()) return attach.status();
  attach->bindText(1, path);
  if (attach->step() != SQLITE_DONE) return db_.ioError("attach scratch database " + path);
  scratchPath_ = path;
  return db_.exec(
      "PRAGMA scratch.journal_mode=TRUNCATE; PRAGMA scratch.synchronous=OFF; "
      "PRAGMA scratch.cache_size=-" +
      std::to_string(kScratchCacheKib) + ";");
}

Result<std::string> SqliteRowSets::createIdSet() {
  if (scratchPath_.empty()) return Status::Internal("scratch Id sets: no scratch database");
  const std::string name = "sfsync_idset_" + std::to_string(nextSet_++);
  Status s = db_.exec("CREATE TABLE scratch." + quoteIdentifier(name) +
                      " (id TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID");
  if (!s.ok()) return s;
  sets_.insert(name);
  return name;
}

Result<std::string> SqliteRowSets::setTable(const std::string& set) const {
  if (sets_.count(set) == 0) return Status::InvalidArgument("no scratch Id set '" + set + "'");
  return "scratch." + quoteIdentifier(set);
}

Status SqliteRowSets::addToIdSet(const std::string& set, const std::vector<std::string>& ids) {
  Result<std::string> table = setTable(set);
  if (!table.ok()) return table.status();
  for (std::size_t from = 0; from < ids.size(); from += kIdsPerStatement) {
    const std::size_t n = std::min(kIdsPerStatement, ids.size() - from);
    Result<SqliteStatement> stmt =
        db_.prepare("INSERT OR IGNORE INTO " + *table + " (id) VALUES " + valuesList(n, 1));
    if (!stmt.ok()) return stmt.status();
    for (std::size_t i = 0; i < n; ++i) {
      if (stmt->bindText(static_cast<int>(i + 1), ids[from + i]) != SQLITE_OK) {
        return db_.ioError("add to Id set");
      }
    }
    if (stmt->step() != SQLITE_DONE) return db_.ioError("add to Id set");
  }
  return Status::OK();
}

Status SqliteRowSets::dropIdSet(const std::string& set) {
  Result<std::string> table = setTable(set);
  if (!table.ok()) return table.status();
  Status s = db_.exec("DROP TABLE IF EXISTS " + *table);
  if (s.ok()) sets_.erase(set);
  return s;
}

Result<std::string> SqliteRowSets::quotedColumn(const TableInfo& info, const std::string& name,
                                                ColumnType* type) {
  if (equalsIgnoreCase(name, SqliteSchema::kGsid)) {
    if (type != nullptr) *type = ColumnType::kText;
    return quoteIdentifier(SqliteSchema::kGsid);
  }
  const ColumnSpec* column = info.find(name);
  if (column == nullptr) {
    return Status::InvalidArgument("table " + info.name + " has no column '" + name + "'");
  }
  if (type != nullptr) *type = column->type;
  return quoteIdentifier(column->name);
}

Result<std::string> SqliteRowSets::whereClause(const TableInfo& info,
                                               const RowFilter& where) const {
  std::string sql;
  if (!where.column.empty()) {
    Result<std::string> column = quotedColumn(info, where.column);
    if (!column.ok()) return column.status();
    Result<std::string> set = setTable(where.idSet);
    if (!set.ok()) return set.status();
    const std::string in = *column + " IN (SELECT id FROM " + *set + ")";
    sql = where.inSet ? in : "(" + *column + " IS NULL OR NOT " + in + ")";
  }
  if (where.unmarkedOnly && info.find(kIsDeletedColumn) != nullptr) {
    const std::string mark = quoteIdentifier(info.find(kIsDeletedColumn)->name);
    sql += (sql.empty() ? "" : " AND ") + ("(" + mark + " IS NULL OR " + mark + " = 0)");
  }
  return sql.empty() ? sql : " WHERE " + sql;
}

Result<std::int64_t> SqliteRowSets::run(const std::string& sql, const std::string& context) {
  Result<SqliteStatement> stmt = db_.prepare(sql);
  if (!stmt.ok()) return stmt.status();
  if (stmt->step() != SQLITE_DONE) return db_.ioError(context);
  return db_.changes();
}

Result<std::int64_t> SqliteRowSets::moveColumn(const std::string& set, const std::string& table,
                                               const std::string& column, const RowFilter& where,
                                               bool remove) {
  Result<std::string> target = setTable(set);
  if (!target.ok()) return target.status();
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return std::int64_t{0};
  Result<std::string> quoted = quotedColumn(**info, column);
  if (!quoted.ok()) return quoted.status();
  Result<std::string> clause = whereClause(**info, where);
  if (!clause.ok()) return clause.status();
  const std::string from = " FROM " + quoteIdentifier((*info)->name) + *clause +
                           (clause->empty() ? " WHERE " : " AND ") + *quoted;
  if (remove) {
    // Correlated, so an index on the column serves it and no list of the table's values is built.
    return run(
        "DELETE FROM " + *target + " WHERE EXISTS (SELECT 1" + from + " = " + *target + ".id)",
        "Id set");
  }
  return run("INSERT OR IGNORE INTO " + *target + " (id) SELECT " + *quoted + from + " IS NOT NULL",
             "Id set");
}

Result<std::int64_t> SqliteRowSets::countWhere(const std::string& table, const RowFilter& where) {
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return std::int64_t{0};
  Result<std::string> clause = whereClause(**info, where);
  if (!clause.ok()) return clause.status();
  Result<SqliteStatement> stmt =
      db_.prepare("SELECT COUNT(*) FROM " + quoteIdentifier((*info)->name) + *clause);
  if (!stmt.ok()) return stmt.status();
  if (stmt->step() != SQLITE_ROW) return db_.ioError("count rows of " + table);
  return stmt->columnInt64(0);
}

Result<std::vector<Row>> SqliteRowSets::selectWhere(const std::string& table,
                                                    const std::vector<std::string>& columns,
                                                    const RowFilter& where) {
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return Status::NotFound("no table '" + table + "' in the store");
  if (columns.empty()) return Status::InvalidArgument("select from " + table + ": no columns");
  std::vector<ColumnType> types(columns.size());
  std::string sql = "SELECT ";
  for (std::size_t c = 0; c < columns.size(); ++c) {
    Result<std::string> quoted = quotedColumn(**info, columns[c], &types[c]);
    if (!quoted.ok()) return quoted.status();
    sql += (c > 0 ? ", " : "") + *quoted;
  }
  Result<std::string> clause = whereClause(**info, where);
  if (!clause.ok()) return clause.status();
  sql += " FROM " + quoteIdentifier((*info)->name) + *clause + " ORDER BY " +
         quoteIdentifier(SqliteSchema::kGsid);
  Result<SqliteStatement> stmt = db_.prepare(sql);
  if (!stmt.ok()) return stmt.status();
  std::vector<Row> rows;
  if (stmt->readRows(types, rows) != SQLITE_DONE) return db_.ioError("select from " + table);
  return rows;
}

Result<std::int64_t> SqliteRowSets::deleteWhere(const std::string& table, const RowFilter& where) {
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return std::int64_t{0};
  Result<std::string> clause = whereClause(**info, where);
  if (!clause.ok()) return clause.status();
  return run("DELETE FROM " + quoteIdentifier((*info)->name) + *clause, "delete from " + table);
}

Result<std::int64_t> SqliteRowSets::updateWhere(const std::string& table,
                                                const std::vector<std::string>& columns,
                                                const Row& values, const RowFilter& where) {
  if (columns.empty() || columns.size() != values.size()) {
    return Status::InvalidArgument("update " + table + ": columns and values differ in number");
  }
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return std::int64_t{0};
  std::string sql = "UPDATE " + quoteIdentifier((*info)->name) + " SET ";
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (equalsIgnoreCase(columns[c], SqliteSchema::kGsid)) {
      return Status::InvalidArgument("update " + table + ": gsid cannot be set");
    }
    Result<std::string> quoted = quotedColumn(**info, columns[c]);
    if (!quoted.ok()) return quoted.status();
    sql += (c > 0 ? ", " : "") + *quoted + " = ?" + std::to_string(c + 1);
  }
  Result<std::string> clause = whereClause(**info, where);
  if (!clause.ok()) return clause.status();
  Result<SqliteStatement> stmt = db_.prepare(sql + *clause);
  if (!stmt.ok()) return stmt.status();
  for (std::size_t c = 0; c < values.size(); ++c) {
    if (stmt->bindValue(static_cast<int>(c + 1), values[c]) != SQLITE_OK) {
      return db_.ioError("update " + table);
    }
  }
  if (stmt->step() != SQLITE_DONE) return db_.ioError("update " + table);
  return db_.changes();
}

}  // namespace sfsync::store
