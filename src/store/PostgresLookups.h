// PostgresLookups: Store::lookupGsids and Store::matchRows on PostgreSQL. A page's keys are
// COPYed into a stage (each value converted to its column's type first; a key that cannot equal
// any value of its column - "abc" for an integer column - or holds a null matches nothing) and ONE
// join answers the whole page. lookupGsids keeps an index over its columns (created on first use);
// matchRows creates nothing in the store's schema (only the session's stage).
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/Store.h"
#include "store/PgConnection.h"
#include "store/PostgresSchema.h"

namespace sfsync::store {

class PostgresLookups {
 public:
  PostgresLookups(PgConnection& db, PostgresSchema& schema, std::set<std::string>& indexed)
      : db_(db), schema_(schema), indexed_(indexed) {}

  Result<std::vector<std::vector<std::string>>> lookupGsids(const std::string& table,
                                                            const std::vector<std::string>& columns,
                                                            const std::vector<Row>& keys);
  Result<std::vector<std::vector<Row>>> matchRows(const std::string& table,
                                                  const std::vector<std::string>& keyColumns,
                                                  const std::vector<Row>& keys,
                                                  const std::vector<std::string>& columns,
                                                  bool skipDeleted);

 private:
  // Stages the usable keys (index in `keys` as i); returns how many were staged.
  Result<std::size_t> stageKeys(const std::vector<ColumnSpec>& columns,
                                const std::vector<Row>& keys, const std::string& context);
  // "FROM <stage> AS s JOIN <table> AS t ON t.k0 = s.c0::type ... [WHERE unmarked]".
  static std::string joinSql(const TableInfo& info, const std::vector<ColumnSpec>& columns,
                             bool skipDeleted);

  PgConnection& db_;
  PostgresSchema& schema_;
  std::set<std::string>& indexed_;
};

}  // namespace sfsync::store
