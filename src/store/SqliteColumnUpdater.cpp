#include "store/SqliteColumnUpdater.h"

#include "store/SqlNames.h"

namespace sfsync::store {

Result<std::int64_t> SqliteColumnUpdater::run() {
  Status s = validateShape();
  if (!s.ok()) return s;
  s = db_.begin();
  if (!s.ok()) return s;
  // From here every exit path either commits or rolls back.
  auto fail = [this](Status status) {
    db_.rollback();
    return status;
  };

  Result<std::optional<TableInfo>> table = schema_.load(table_);
  if (!table.ok()) return fail(table.status());
  if (!table->has_value()) {
    return fail(Status::InvalidArgument("updateColumns on unknown table '" + table_ + "'"));
  }
  Result<SqliteStatement> update = prepareUpdate(**table);
  if (!update.ok()) return fail(update.status());

  std::int64_t updated = 0;
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    s = updateRow(*update, i, &updated);
    if (!s.ok()) return fail(s);
  }
  s = db_.commit();
  if (!s.ok()) return s;
  return updated;
}

Status SqliteColumnUpdater::validateShape() const {
  if (table_.empty()) return Status::InvalidArgument("updateColumns names no table");
  if (columns_.empty()) {
    return Status::InvalidArgument("updateColumns on " + table_ + " names no columns");
  }
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (equalsIgnoreCase(columns_[i], SqliteSchema::kGsid)) {
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

Result<SqliteStatement> SqliteColumnUpdater::prepareUpdate(const TableInfo& table) const {
  std::vector<std::string> missing;
  // OR FAIL: one row per execution (gsid is unique), so nothing to undo when SQLite refuses it, and
  // no statement journal (a copy of every page the row touches) as ABORT would keep.
  std::string sql = "UPDATE OR FAIL " + quoteIdentifier(table.name) + " SET ";
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const ColumnSpec* column = table.find(columns_[c]);
    if (column == nullptr) {
      missing.push_back(columns_[c]);
      continue;
    }
    sql += (c > 0 ? ", " : "") + quoteIdentifier(column->name) + " = ?" + std::to_string(c + 1);
  }
  if (!missing.empty()) {
    return Status::InvalidArgument("table " + table.name + " has no column(s) " +
                                   joinNames(missing));
  }
  sql += " WHERE " + quoteIdentifier(SqliteSchema::kGsid) + " = ?" +
         std::to_string(columns_.size() + 1);
  return db_.prepare(sql);
}

Status SqliteColumnUpdater::updateRow(SqliteStatement& update, std::size_t i,
                                      std::int64_t* updated) {
  const auto& [gsid, values] = rows_[i];
  int rc = SQLITE_OK;
  for (std::size_t c = 0; c < values.size() && rc == SQLITE_OK; ++c) {
    rc = update.bindValue(static_cast<int>(c + 1), values[c]);
  }
  if (rc == SQLITE_OK) rc = update.bindText(static_cast<int>(values.size() + 1), gsid);
  if (rc == SQLITE_OK) rc = update.step();
  if (rc == SQLITE_DONE) {
    *updated += db_.changes();
    update.reset();
    return Status::OK();
  }
  // Read SQLite's message before reset() can replace it.
  const std::string context = "updateColumns on " + table_ + " (" + joinNames(columns_) +
                              ") failed at row " + std::to_string(i) + " (gsid " + gsid + ")";
  const std::string message = db_.lastMessage();
  update.reset();
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return Status::DataError(context + ": " + message);
    default:
      return Status::IoError(context + ": " + message);
  }
}

}  // namespace sfsync::store
