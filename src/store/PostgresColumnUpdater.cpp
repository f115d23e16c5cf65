#include "store/PostgresColumnUpdater.h"

#include <optional>

#include "store/PostgresStage.h"
#include "store/PostgresValues.h"
#include "store/SqlNames.h"

namespace sfsync::store {

Status PostgresColumnUpdater::validateShape() const {
  if (table_.empty()) return Status::InvalidArgument("updateColumns names no table");
  if (columns_.empty()) {
    return Status::InvalidArgument("updateColumns on " + table_ + " names no columns");
  }
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (equalsIgnoreCase(columns_[i], PostgresSchema::kGsid)) {
      return Status::InvalidArgument("updateColumns on " + table_ +
                                     ": column gsid is the store's primary key");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (equalsIgnoreCase(columns_[i], columns_[j])) {
        return Status::InvalidArgument("updateColumns on " + table_ + " lists column '" +
                                       columns_[i] + "' twice");
      }
    }
  }
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    if (rows_[i].second.size() != columns_.size()) {
      return Status::InvalidArgument("updateColumns on " + table_ + ": row " + std::to_string(i) +
                                     " (gsid " + rows_[i].first + ") has " +
                                     std::to_string(rows_[i].second.size()) + " values for " +
                                     std::to_string(columns_.size()) + " columns");
    }
  }
  return Status::OK();
}

Result<std::int64_t> PostgresColumnUpdater::run() {
  Status s = validateShape();
  if (!s.ok()) return s;
  Result<std::optional<TableInfo>> table = schema_.load(table_);
  if (!table.ok()) return table.status();
  if (!table->has_value()) {
    return Status::InvalidArgument("updateColumns on unknown table '" + table_ + "'");
  }
  std::vector<ColumnSpec> specs;
  std::vector<std::string> missing;
  for (const std::string& name : columns_) {
    const ColumnSpec* column = (*table)->find(name);
    if (column == nullptr) {
      missing.push_back(name);
    } else {
      specs.push_back(*column);
    }
  }
  if (!missing.empty()) {
    return Status::InvalidArgument("table " + (*table)->name + " has no column(s) " +
                                   joinNames(missing));
  }
  if (rows_.empty()) return std::int64_t{0};
  PostgresStage stage(db_);
  stage.start(specs.size() + 1);
  std::vector<std::optional<std::string>> fields(specs.size() + 1);
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    fields[0] = rows_[i].first;
    for (std::size_t c = 0; c < specs.size(); ++c) {
      std::string why;
      if (!pgvalue::toText(rows_[i].second[c], specs[c].type, &fields[c + 1], &why)) {
        return Status::DataError("updateColumns on " + table_ + " (" + joinNames(columns_) +
                                 ") failed at row " + std::to_string(i) + " (gsid " +
                                 rows_[i].first + "): column " + specs[c].name + ": " + why);
      }
    }
    stage.add(static_cast<std::int64_t>(i), fields);
  }
  s = stage.load();
  if (!s.ok()) return s;
  std::string sql = "UPDATE " + quoteIdentifier((*table)->name) + " AS t SET ";
  for (std::size_t c = 0; c < specs.size(); ++c) {
    sql += (c > 0 ? ", " : "") + quoteIdentifier(specs[c].name) + " = s.c" + std::to_string(c + 1) +
           "::" + pgvalue::castType(specs[c].type);
  }
  sql += " FROM " + PostgresStage::name(specs.size() + 1) + " AS s WHERE t." +
         quoteIdentifier(PostgresSchema::kGsid) + " = s.c0";
  Result<PgResult> r = db_.query(sql);
  if (!r.ok()) {
    if (db_.lastFailureIsData()) return Status::DataError(r.status().message());
    return r.status();
  }
  return r->affected();
}

}  // namespace sfsync::store
