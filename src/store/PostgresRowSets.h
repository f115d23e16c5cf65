// PostgresRowSets: the set-based operations of the PostgreSQL store (Store::createIdSet ...
// updateWhere; semantics as SqliteRowSets). Scratch Id sets are session-private temporary tables
// pg_temp.sfsync_idset_<n> (id text PRIMARY KEY): they vanish with the connection, as the
// interface asks. Batches of Ids travel by COPY through a stage; every operation over a table is
// one SQL statement. A column compared with a set is compared as text.
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/RowFilter.h"
#include "sfsync/store/Store.h"
#include "store/PgConnection.h"
#include "store/PostgresSchema.h"

namespace sfsync::store {

class PostgresRowSets {
 public:
  PostgresRowSets(PgConnection& db, PostgresSchema& schema) : db_(db), schema_(schema) {}

  Result<std::string> createIdSet();
  Status addToIdSet(const std::string& set, const std::vector<std::string>& ids);
  Status dropIdSet(const std::string& set);
  // addColumnToIdSet (remove = false) / removeColumnFromIdSet (remove = true).
  Result<std::int64_t> moveColumn(const std::string& set, const std::string& table,
                                  const std::string& column, const RowFilter& where, bool remove);
  Result<std::int64_t> countWhere(const std::string& table, const RowFilter& where);
  Result<std::vector<Row>> selectWhere(const std::string& table,
                                       const std::vector<std::string>& columns,
                                       const RowFilter& where);
  Result<std::int64_t> deleteWhere(const std::string& table, const RowFilter& where);
  Result<std::int64_t> updateWhere(const std::string& table,
                                   const std::vector<std::string>& columns, const Row& values,
                                   const RowFilter& where);

  // The quoted column `name` of `info` ("gsid" included) and its type; InvalidArgument if absent.
  static Result<std::string> quotedColumn(const TableInfo& info, const std::string& name,
                                          ColumnType* type = nullptr);

 private:
  Result<std::string> setTable(const std::string& set) const;
  // " WHERE ..." for `where` over `info` ("" when it selects every row).
  Result<std::string> whereClause(const TableInfo& info, const RowFilter& where) const;

  PgConnection& db_;
  PostgresSchema& schema_;
  std::set<std::string> sets_;
  std::int64_t nextSet_ = 1;
};

}  // namespace sfsync::store
