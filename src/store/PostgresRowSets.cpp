#include "store/PostgresRowSets.h"

#include <optional>

#include "store/PostgresStage.h"
#include "store/PostgresValues.h"
#include "store/SqlNames.h"

namespace sfsync::store {

namespace {

// `quoted` compared as text with a set's ids.
std::string asText(const std::string& quoted, ColumnType type) {
  return type == ColumnType::kText ? quoted : quoted + "::text";
}

}  // namespace

Result<std::string> PostgresRowSets::createIdSet() {
  const std::string name = "sfsync_idset_" + std::to_string(nextSet_++);
  Status s = db_.exec("CREATE TEMP TABLE " + quoteIdentifier(name) +
                      " (id text COLLATE \"C\" NOT NULL PRIMARY KEY)");
  if (!s.ok()) return s;
  sets_.insert(name);
  return name;
}

Result<std::string> PostgresRowSets::setTable(const std::string& set) const {
  if (sets_.count(set) == 0) return Status::InvalidArgument("no scratch Id set '" + set + "'");
  return "pg_temp." + quoteIdentifier(set);
}

Status PostgresRowSets::addToIdSet(const std::string& set, const std::vector<std::string>& ids) {
  Result<std::string> table = setTable(set);
  if (!table.ok()) return table.status();
  if (ids.empty()) return Status::OK();
  PostgresStage stage(db_);
  stage.start(1);
  std::vector<std::optional<std::string>> field(1);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i].find('\0') != std::string::npos) {
      return Status::InvalidArgument("add to Id set: an id with a NUL byte");
    }
    field[0] = ids[i];
    stage.add(static_cast<std::int64_t>(i), field);
  }
  Status s = stage.load();
  if (!s.ok()) return s;
  return db_.exec("INSERT INTO " + *table + " (id) SELECT c0 FROM " + PostgresStage::name(1) +
                  " WHERE c0 IS NOT NULL ON CONFLICT DO NOTHING");
}

Status PostgresRowSets::dropIdSet(const std::string& set) {
  Result<std::string> table = setTable(set);
  if (!table.ok()) return table.status();
  Status s = db_.exec("DROP TABLE IF EXISTS " + *table);
  if (s.ok()) sets_.erase(set);
  return s;
}

Result<std::string> PostgresRowSets::quotedColumn(const TableInfo& info, const std::string& name,
                                                  ColumnType* type) {
  if (equalsIgnoreCase(name, PostgresSchema::kGsid)) {
    if (type != nullptr) *type = ColumnType::kText;
    return quoteIdentifier(PostgresSchema::kGsid);
  }
  const ColumnSpec* column = info.find(name);
  if (column == nullptr) {
    return Status::InvalidArgument("table " + info.name + " has no column '" + name + "'");
  }
  if (type != nullptr) *type = column->type;
  return quoteIdentifier(column->name);
}

Result<std::string> PostgresRowSets::whereClause(const TableInfo& info,
                                                 const RowFilter& where) const {
  std::string sql;
  if (!where.column.empty()) {
    ColumnType type = ColumnType::kText;
    Result<std::string> column = quotedColumn(info, where.column, &type);
    if (!column.ok()) return column.status();
    Result<std::string> set = setTable(where.idSet);
    if (!set.ok()) return set.status();
    const std::string in = asText(*column, type) + " IN (SELECT id FROM " + *set + ")";
    sql = where.inSet ? in : "(" + *column + " IS NULL OR NOT " + in + ")";
  }
  if (where.unmarkedOnly && info.find(kIsDeletedColumn) != nullptr) {
    const std::string mark = quoteIdentifier(info.find(kIsDeletedColumn)->name);
    sql += (sql.empty() ? "" : " AND ") + ("(" + mark + " IS NULL OR NOT " + mark + ")");
  }
  return sql.empty() ? sql : " WHERE " + sql;
}

Result<std::int64_t> PostgresRowSets::moveColumn(const std::string& set, const std::string& table,
                                                 const std::string& column, const RowFilter& where,
                                                 bool remove) {
  Result<std::string> target = setTable(set);
  if (!target.ok()) return target.status();
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return std::int64_t{0};
  ColumnType type = ColumnType::kText;
  Result<std::string> quoted = quotedColumn(**info, column, &type);
  if (!quoted.ok()) return quoted.status();
  Result<std::string> clause = whereClause(**info, where);
  if (!clause.ok()) return clause.status();
  const std::string from = " FROM " + quoteIdentifier((*info)->name) + *clause +
                           (clause->empty() ? " WHERE " : " AND ") + asText(*quoted, type);
  Result<PgResult> r =
      remove ? db_.query("DELETE FROM " + *target + " AS sfsync_set WHERE EXISTS (SELECT 1" + from +
                         " = sfsync_set.id)")
             : db_.query("INSERT INTO " + *target + " (id) SELECT " + asText(*quoted, type) + from +
                         " IS NOT NULL ON CONFLICT DO NOTHING");
  if (!r.ok()) return r.status();
  return r->affected();
}

Result<std::int64_t> PostgresRowSets::countWhere(const std::string& table, const RowFilter& where) {
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return std::int64_t{0};
  Result<std::string> clause = whereClause(**info, where);
  if (!clause.ok()) return clause.status();
  Result<PgResult> r =
      db_.query("SELECT COUNT(*) FROM " + quoteIdentifier((*info)->name) + *clause);
  if (!r.ok()) return r.status();
  return r->int64(0, 0);
}

Result<std::vector<Row>> PostgresRowSets::selectWhere(const std::string& table,
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
    sql += (c > 0 ? ", " : "") + pgvalue::selectExpression(*quoted, types[c]);
  }
  Result<std::string> clause = whereClause(**info, where);
  if (!clause.ok()) return clause.status();
  sql += " FROM " + quoteIdentifier((*info)->name) + *clause + " ORDER BY " +
         quoteIdentifier(PostgresSchema::kGsid);
  Result<PgResult> r = db_.query(sql);
  if (!r.ok()) return r.status();
  std::vector<Row> rows(static_cast<std::size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    for (std::size_t c = 0; c < types.size(); ++c) {
      rows[i].push_back(pgvalue::fromResult(*r, i, static_cast<int>(c), types[c]));
    }
  }
  return rows;
}

Result<std::int64_t> PostgresRowSets::deleteWhere(const std::string& table,
                                                  const RowFilter& where) {
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return std::int64_t{0};
  Result<std::string> clause = whereClause(**info, where);
  if (!clause.ok()) return clause.status();
  Result<PgResult> r = db_.query("DELETE FROM " + quoteIdentifier((*info)->name) + *clause);
  if (!r.ok()) return r.status();
  return r->affected();
}

Result<std::int64_t> PostgresRowSets::updateWhere(const std::string& table,
                                                  const std::vector<std::string>& columns,
                                                  const Row& values, const RowFilter& where) {
  if (columns.empty() || columns.size() != values.size()) {
    return Status::InvalidArgument("update " + table + ": columns and values differ in number");
  }
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return std::int64_t{0};
  std::string sql = "UPDATE " + quoteIdentifier((*info)->name) + " SET ";
  std::vector<std::optional<std::string>> params(values.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (equalsIgnoreCase(columns[c], PostgresSchema::kGsid)) {
      return Status::InvalidArgument("update " + table + ": gsid cannot be set");
    }
    ColumnType type = ColumnType::kText;
    Result<std::string> quoted = quotedColumn(**info, columns[c], &type);
    if (!quoted.ok()) return quoted.status();
    std::string why;
    if (!pgvalue::toText(values[c], type, &params[c], &why)) {
      return Status::IoError("update " + table + ": column " + columns[c] + ": " + why);
    }
    sql += (c > 0 ? ", " : "") + *quoted + " = $" + std::to_string(c + 1) +
           "::" + pgvalue::castType(type);
  }
  Result<std::string> clause = whereClause(**info, where);
  if (!clause.ok()) return clause.status();
  Result<PgResult> r = db_.query(sql + *clause, params);
  if (!r.ok()) return r.status();
  return r->affected();
}

}  // namespace sfsync::store
