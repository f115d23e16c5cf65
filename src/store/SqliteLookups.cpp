#include "store/SqliteLookups.h"

#include <algorithm>

#include "store/SqlNames.h"

namespace sfsync::store {

Result<SqliteStatement*> SqliteLookups::batchStatement(const std::string& key, std::size_t n,
                                                       const std::function<std::string()>& sql) {
  if (n == kPerStatement) {
    auto cached = statements_.find(key);
    if (cached != statements_.end()) return &cached->second;
  }
  Result<SqliteStatement> stmt = db_.prepare(sql());
  if (!stmt.ok()) return stmt.status();
  if (n != kPerStatement) {
    partial_ = std::move(*stmt);
    return &partial_;
  }
  return &statements_.emplace(key, std::move(*stmt)).first->second;
}

Result<SqliteStatement*> SqliteLookups::lookupStatement(const TableInfo& info,
                                                        const std::vector<std::string>& columns,
                                                        std::size_t n) {
  const ColumnSpec* mark = info.find(kIsDeletedColumn);
  // A table that gained the delete mark since needs the statement that filters on it.
  const std::string key = "L" + indexName(info.name, columns) + (mark != nullptr ? ":marked" : "");
  return batchStatement(key, n, [&] {
    std::string names = "i";
    std::string on;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      names += ",c" + std::to_string(c);
      on += (c == 0 ? "" : " AND ") + ("t." + quoteIdentifier(columns[c])) + " = k.c" +
            std::to_string(c);
    }
    std::string sql = "WITH k(" + names + ") AS (VALUES " + valuesList(n, columns.size() + 1) +
                      ") SELECT k.i, t." + quoteIdentifier(SqliteSchema::kGsid) + " FROM k JOIN " +
                      quoteIdentifier(info.name) + " AS t ON " + on;
    if (mark != nullptr) {
      const std::string m = "t." + quoteIdentifier(mark->name);
      sql += " WHERE (" + m + " IS NULL OR " + m + " = 0)";
    }
    return sql + " ORDER BY k.i, t." + quoteIdentifier(SqliteSchema::kGsid);
  });
}

Status SqliteLookups::lookupBatch(SqliteStatement& stmt, const std::vector<Row>& keys,
                                  const std::vector<std::size_t>& batch,
                                  std::vector<std::vector<std::string>>& out) {
  stmt.reset();
  int p = 1;
  for (std::size_t b = 0; b < batch.size(); ++b) {
    int rc = stmt.bindInt64(p++, static_cast<std::int64_t>(batch[b]));
    for (const Value& v : keys[batch[b]]) {
      if (rc == SQLITE_OK) rc = stmt.bindValue(p++, v);
    }
    if (rc != SQLITE_OK) return db_.ioError("bind lookup keys");
  }
  int rc;
  while ((rc = stmt.step()) == SQLITE_ROW) {
    const auto key = static_cast<std::size_t>(stmt.columnInt64(0));
    if (key < out.size()) out[key].push_back(stmt.columnText(1));
  }
  stmt.reset();
  return rc == SQLITE_DONE ? Status::OK() : db_.ioError("lookup");
}

Result<std::vector<std::vector<std::string>>> SqliteLookups::lookupGsids(
    const std::string& table, const std::vector<std::string>& columns,
    const std::vector<Row>& keys) {
  std::vector<std::vector<std::string>> out(keys.size());
  if (columns.empty()) return Status::InvalidArgument("lookup in " + table + ": no columns");
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
  std::vector<std::size_t> usable;  // keys without a null (a null never matches)
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (keys[k].size() != columns.size()) {
      return Status::InvalidArgument("lookup in " + table + ": a key of the wrong width");
    }
    if (std::none_of(keys[k].begin(), keys[k].end(), [](const Value& v) { return isNull(v); })) {
      usable.push_back(k);
    }
  }
  std::vector<std::size_t> batch;
  for (std::size_t from = 0; from < usable.size(); from += kPerStatement) {
    const std::size_t n = std::min(kPerStatement, usable.size() - from);
    batch.assign(usable.begin() + static_cast<std::ptrdiff_t>(from),
                 usable.begin() + static_cast<std::ptrdiff_t>(from + n));
    Result<SqliteStatement*> stmt = lookupStatement(**info, canonical, n);
    if (!stmt.ok()) return stmt.status();
    Status s = lookupBatch(**stmt, keys, batch, out);
    if (!s.ok()) {
      statements_.clear();  // a statement that failed (e.g. its table was dropped) is not reused
      return s;
    }
  }
  return out;
}

std::string SqliteLookups::matchSql(const TableInfo& info,
                                    const std::vector<std::string>& keyColumns,
                                    const std::vector<std::string>& columns, bool skipDeleted,
                                    std::size_t n, std::vector<ColumnType>& types) {
  std::string names = "i";
  std::string on;
  for (std::size_t c = 0; c < keyColumns.size(); ++c) {
    names += ",c" + std::to_string(c);
    on += (c == 0 ? "" : " AND ") + ("t." + quoteIdentifier(keyColumns[c])) + " = k.c" +
          std::to_string(c);
  }
  std::string select = "k.i";
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
  std::string sql = "WITH k(" + names + ") AS (VALUES " + valuesList(n, keyColumns.size() + 1) +
                    ") SELECT " + select + " FROM k JOIN " + quoteIdentifier(info.name) +
                    " AS t ON " + on;
  const ColumnSpec* mark = info.find(kIsDeletedColumn);
  if (skipDeleted && mark != nullptr) {
    const std::string m = "t." + quoteIdentifier(mark->name);
    sql += " WHERE (" + m + " IS NULL OR " + m + " = 0)";
  }
  return sql + " ORDER BY k.i, t." + quoteIdentifier(SqliteSchema::kGsid);
}

Result<std::vector<std::vector<Row>>> SqliteLookups::matchRows(
    const std::string& table, const std::vector<std::string>& keyColumns,
    const std::vector<Row>& keys, const std::vector<std::string>& columns, bool skipDeleted) {
  std::vector<std::vector<Row>> out(keys.size());
  if (keyColumns.empty()) return Status::InvalidArgument("match in " + table + ": no key columns");
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return out;  // no table yet: nothing matches
  std::vector<std::string> canonical;
  for (const std::string& c : keyColumns) {
    const ColumnSpec* spec = (*info)->find(c);
    if (spec == nullptr) return out;  // a key column the table lacks: every key is new
    canonical.push_back(spec->name);
  }
  std::vector<std::size_t> usable;  // keys without a null (a null never matches)
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (keys[k].size() != keyColumns.size()) {
      return Status::InvalidArgument("match in " + table + ": a key of the wrong width");
    }
    if (std::none_of(keys[k].begin(), keys[k].end(), [](const Value& v) { return isNull(v); })) {
      usable.push_back(k);
    }
  }
  std::vector<ColumnType> types;
  for (std::size_t from = 0; from < usable.size(); from += kPerStatement) {
    const std::size_t n = std::min(kPerStatement, usable.size() - from);
    Result<SqliteStatement> stmt =
        db_.prepare(matchSql(**info, canonical, columns, skipDeleted, n, types));
    if (!stmt.ok()) return stmt.status();
    int p = 1;
    int rc = SQLITE_OK;
    for (std::size_t b = from; b < from + n && rc == SQLITE_OK; ++b) {
      rc = stmt->bindInt64(p++, static_cast<std::int64_t>(usable[b]));
      for (const Value& v : keys[usable[b]]) {
        if (rc == SQLITE_OK) rc = stmt->bindValue(p++, v);
      }
    }
    if (rc != SQLITE_OK) return db_.ioError("bind match keys");
    while ((rc = stmt->step()) == SQLITE_ROW) {
      Row row;
      for (std::size_t c = 0; c < types.size(); ++c) {
        row.push_back(stmt->columnValue(static_cast<int>(c + 1), types[c]));
      }
      out[static_cast<std::size_t>(stmt->columnInt64(0))].push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) return db_.ioError("match rows");
  }
  return out;
}

}  // namespace sfsync::store
