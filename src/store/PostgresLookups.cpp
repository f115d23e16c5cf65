#include "store/PostgresLookups.h"

#include <optional>

#include "store/PostgresStage.h"
#include "store/PostgresValues.h"
#include "store/SqlNames.h"

namespace sfsync::store {

Result<std::size_t> PostgresLookups::stageKeys(const std::vector<ColumnSpec>& columns,
                                               const std::vector<Row>& keys,
                                               const std::string& context) {
  PostgresStage stage(db_);
  stage.start(columns.size());
  std::vector<std::optional<std::string>> fields(columns.size());
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (keys[k].size() != columns.size()) {
      return Status::InvalidArgument(context + ": a key of the wrong width");
    }
    bool usable = true;
    for (std::size_t c = 0; c < columns.size() && usable; ++c) {
      std::string why;
      usable = pgvalue::toText(keys[k][c], columns[c].type, &fields[c], &why) && fields[c];
    }
    if (usable) stage.add(static_cast<std::int64_t>(k), fields);
  }
  Status s = stage.load();
  if (!s.ok()) return s;
  return stage.lines();
}

std::string PostgresLookups::joinSql(const TableInfo& info, const std::vector<ColumnSpec>& columns,
                                     bool skipDeleted) {
  std::string sql = " FROM " + PostgresStage::name(columns.size()) + " AS s JOIN " +
                    quoteIdentifier(info.name) + " AS t ON ";
  for (std::size_t c = 0; c < columns.size(); ++c) {
    sql += (c > 0 ? " AND t." : "t.") + quoteIdentifier(columns[c].name) + " = s.c" +
           std::to_string(c) + "::" + pgvalue::castType(columns[c].type);
  }
  const ColumnSpec* mark = info.find(kIsDeletedColumn);
  if (skipDeleted && mark != nullptr) {
    const std::string m = "t." + quoteIdentifier(mark->name);
    sql += " WHERE (" + m + " IS NULL OR NOT " + m + ")";
  }
  return sql;
}

Result<std::vector<std::vector<std::string>>> PostgresLookups::lookupGsids(
    const std::string& table, const std::vector<std::string>& columns,
    const std::vector<Row>& keys) {
  std::vector<std::vector<std::string>> out(keys.size());
  if (columns.empty()) return Status::InvalidArgument("lookup in " + table + ": no columns");
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return out;
  std::vector<ColumnSpec> specs;
  std::vector<std::string> canonical;
  for (const std::string& c : columns) {
    const ColumnSpec* spec = (*info)->find(c);
    if (spec == nullptr) {
      return Status::InvalidArgument("table " + table + " has no column '" + c + "'");
    }
    specs.push_back(*spec);
    canonical.push_back(spec->name);
  }
  const std::string index = PostgresSchema::pgIndexName((*info)->name, canonical);
  if (indexed_.count(index) == 0) {
    Status s = schema_.ensureIndex(**info, canonical);
    if (!s.ok()) return s;
    indexed_.insert(index);
  }
  Result<std::size_t> staged = stageKeys(specs, keys, "lookup in " + table);
  if (!staged.ok()) return staged.status();
  if (*staged == 0) return out;
  Result<PgResult> r = db_.query("SELECT s.i, t." + quoteIdentifier(PostgresSchema::kGsid) +
                                 joinSql(**info, specs, true) + " ORDER BY s.i, t." +
                                 quoteIdentifier(PostgresSchema::kGsid));
  if (!r.ok()) return r.status();
  for (int row = 0; row < r->rows(); ++row) {
    const auto k = static_cast<std::size_t>(r->int64(row, 0));
    if (k < out.size()) out[k].push_back(r->text(row, 1));
  }
  return out;
}

Result<std::vector<std::vector<Row>>> PostgresLookups::matchRows(
    const std::string& table, const std::vector<std::string>& keyColumns,
    const std::vector<Row>& keys, const std::vector<std::string>& columns, bool skipDeleted) {
  std::vector<std::vector<Row>> out(keys.size());
  if (keyColumns.empty()) return Status::InvalidArgument("match in " + table + ": no key columns");
  Result<std::optional<TableInfo>> info = schema_.load(table);
  if (!info.ok()) return info.status();
  if (!info->has_value()) return out;
  std::vector<ColumnSpec> specs;
  for (const std::string& c : keyColumns) {
    const ColumnSpec* spec = (*info)->find(c);
    if (spec == nullptr) return out;  // a key column the table lacks: every key is new
    specs.push_back(*spec);
  }
  for (const Row& key : keys) {
    if (key.size() != keyColumns.size()) {
      return Status::InvalidArgument("match in " + table + ": a key of the wrong width");
    }
  }
  std::string select = "SELECT s.i";
  std::vector<ColumnType> types;
  for (const std::string& column : columns) {
    const bool gsid = equalsIgnoreCase(column, PostgresSchema::kGsid);
    const ColumnSpec* spec = gsid ? nullptr : (*info)->find(column);
    types.push_back(spec == nullptr ? ColumnType::kText : spec->type);
    select += ", ";
    if (gsid) {
      select += "t." + quoteIdentifier(PostgresSchema::kGsid);
    } else {
      select += spec == nullptr
                    ? std::string("NULL")
                    : pgvalue::selectExpression("t." + quoteIdentifier(spec->name), spec->type);
    }
  }
  Result<std::size_t> staged = stageKeys(specs, keys, "match in " + table);
  if (!staged.ok()) return staged.status();
  if (*staged == 0) return out;
  Result<PgResult> r = db_.query(select + joinSql(**info, specs, skipDeleted) +
                                 " ORDER BY s.i, t." + quoteIdentifier(PostgresSchema::kGsid));
  if (!r.ok()) return r.status();
  for (int row = 0; row < r->rows(); ++row) {
    Row values;
    for (std::size_t c = 0; c < types.size(); ++c) {
      values.push_back(pgvalue::fromResult(*r, row, static_cast<int>(c + 1), types[c]));
    }
    out[static_cast<std::size_t>(r->int64(row, 0))].push_back(std::move(values));
  }
  return out;
}

}  // namespace sfsync::store
