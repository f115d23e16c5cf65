#include "store/SqliteLookups.h"

#include <algorithm>

#include "store/SqlNames.h"
#include "store/SqliteRowsTable.h"

namespace sfsync::store {

namespace {

// " ON t.k1 = +p.c0 AND t.k2 = +p.c1 ...": the join of sfsync_rows' keys with table `t`.
std::string joinOn(const std::vector<std::string>& columns) {
  std::vector<std::size_t> positions(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) positions[c] = c;
  return " ON " + SqliteRowsTable::joinOn(columns, positions);
}

// " WHERE (t.mark IS NULL OR t.mark = 0)" when `info` has the delete mark, else "".
std::string notDeleted(const TableInfo& info) {
  const ColumnSpec* mark = info.find(kIsDeletedColumn);
  if (mark == nullptr) return "";
  const std::string m = "t." + quoteIdentifier(mark->name);
  return " WHERE (" + m + " IS NULL OR " + m + " = 0)";
}

}  // namespace

Status SqliteLookups::endQuery(SqliteStatement& stmt, int rc, const std::string& what) {
  const Status failed = rc == SQLITE_DONE ? Status::OK() : db_.ioError(what);
  stmt.release();
  // A statement that failed (e.g. its table was dropped) is not reused.
  if (!failed.ok()) db_.forgetStatements();
  return failed;
}

Result<SqliteStatement*> SqliteLookups::lookupStatement(const TableInfo& info,
                                                        const std::vector<std::string>& columns) {
  // A table that gains the delete mark later gets the statement that filters on it.
  return db_.kept("SELECT p.i, t." + quoteIdentifier(SqliteSchema::kGsid) + " FROM " +
                  SqliteRowsTable::kName + "(?1) AS p JOIN " + quoteIdentifier(info.name) +
                  " AS t" + joinOn(columns) + notDeleted(info));
}

Result<std::vector<std::size_t>> SqliteLookups::usableKeys(const std::string& what,
                                                           const std::vector<Row>& keys,
                                                           std::size_t width) {
  std::vector<std::size_t> usable;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (keys[k].size() != width) {
      return Status::InvalidArgument(what + ": a key of the wrong width");
    }
    if (std::none_of(keys[k].begin(), keys[k].end(), [](const Value& v) { return isNull(v); })) {
      usable.push_back(k);
    }
  }
  return usable;
}

Result<std::vector<std::vector<std::string>>> SqliteLookups::lookupGsids(
    const std::string& table, const std::vector<std::string>& columns,
    const std::vector<Row>& keys) {
  db_.trimStatements();  // no kept statement is in use between store calls
  std::vector<std::vector<std::string>> out(keys.size());
  if (columns.empty() || columns.size() > SqliteRowsTable::kMaxColumns) {
    return Status::InvalidArgument("lookup in " + table + ": " + std::to_string(columns.size()) +
                                   " match columns");
  }
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return out;  // nothing loaded into that table yet: nothing matches
  std::vector<std::string> canonical;
  for (const std::string& c : columns) {
    const ColumnSpec* spec = (*info)->find(c);
    if (spec == nullptr) {
      return Status::InvalidArgument("table " + table + " has no column '" + c + "'");
    }
    canonical.push_back(spec->name);
  }
  const std::string indexKey = indexName((*info)->name, canonical);
  if (indexed_.count(indexKey) == 0) {
    Status s = schema_.ensureIndex(**info, canonical);
    if (!s.ok()) return s;
    indexed_.insert(indexKey);
  }
  Result<std::vector<std::size_t>> usable = usableKeys("lookup in " + table, keys, columns.size());
  if (!usable.ok()) return usable.status();
  if (usable->empty()) return out;
  Result<SqliteStatement*> stmt = lookupStatement(**info, canonical);
  if (!stmt.ok()) return stmt.status();
  SqliteStatement& lookup = **stmt;
  const RowsView view{&keys, &*usable, nullptr};
  const int rc = SqliteRowsTable::query(lookup, view, [&] {
    out[static_cast<std::size_t>(lookup.columnInt64(0))].push_back(lookup.columnText(1));
    return true;
  });
  Status ended = endQuery(lookup, rc, "lookup in " + table);
  if (!ended.ok()) return ended;
  for (std::vector<std::string>& gsids : out) {
    if (gsids.size() > 1) std::sort(gsids.begin(), gsids.end());
  }
  return out;
}

std::string SqliteLookups::matchSql(const TableInfo& info,
                                    const std::vector<std::string>& keyColumns,
                                    const std::vector<std::string>& columns, bool skipDeleted,
                                    std::vector<ColumnType>& types) {
  std::string select = "p.i";
  types.clear();
  for (const std::string& column : columns) {
    const bool gsid = equalsIgnoreCase(column, SqliteSchema::kGsid);
    const ColumnSpec* spec = gsid ? nullptr : info.find(column);
    types.push_back(spec == nullptr ? ColumnType::kText : spec->type);
    select += ", ";
    if (gsid) {
      select += "t." + quoteIdentifier(SqliteSchema::kGsid);
    } else {
      select += spec == nullptr ? std::string("NULL") : "t." + quoteIdentifier(spec->name);
    }
  }
  return "SELECT " + select + " FROM " + SqliteRowsTable::kName + "(?1) AS p JOIN " +
         quoteIdentifier(info.name) + " AS t" + joinOn(keyColumns) +
         (skipDeleted ? notDeleted(info) : "") + " ORDER BY p.i, t." +
         quoteIdentifier(SqliteSchema::kGsid);
}

Result<std::vector<std::vector<Row>>> SqliteLookups::matchRows(
    const std::string& table, const std::vector<std::string>& keyColumns,
    const std::vector<Row>& keys, const std::vector<std::string>& columns, bool skipDeleted) {
  db_.trimStatements();  // no kept statement is in use between store calls
  std::vector<std::vector<Row>> out(keys.size());
  if (keyColumns.empty() || keyColumns.size() > SqliteRowsTable::kMaxColumns) {
    return Status::InvalidArgument("match in " + table + ": " + std::to_string(keyColumns.size()) +
                                   " key columns");
  }
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return out;  // no table yet: nothing matches
  std::vector<std::string> canonical;
  for (const std::string& c : keyColumns) {
    const ColumnSpec* spec = (*info)->find(c);
    if (spec == nullptr) return out;  // a key column the table lacks: every key is new
    canonical.push_back(spec->name);
  }
  Result<std::vector<std::size_t>> usable =
      usableKeys("match in " + table, keys, keyColumns.size());
  if (!usable.ok()) return usable.status();
  if (usable->empty()) return out;
  std::vector<ColumnType> types;
  Result<SqliteStatement*> stmt =
      db_.kept(matchSql(**info, canonical, columns, skipDeleted, types));
  if (!stmt.ok()) return stmt.status();
  SqliteStatement& match = **stmt;
  const RowsView view{&keys, &*usable, nullptr};
  const int rc = SqliteRowsTable::query(match, view, [&] {
    Row row;
    for (std::size_t c = 0; c < types.size(); ++c) {
      row.push_back(match.columnValue(static_cast<int>(c + 1), types[c]));
    }
    out[static_cast<std::size_t>(match.columnInt64(0))].push_back(std::move(row));
    return true;
  });
  Status ended = endQuery(match, rc, "match rows");
  if (!ended.ok()) return ended;
  return out;
}

}  // namespace sfsync::store
