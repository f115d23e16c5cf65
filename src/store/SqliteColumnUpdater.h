// SqliteColumnUpdater: carries out one Store::updateColumns call against SQLite - sets the given
// columns on the rows named by gsid, with one UPDATE statement prepared once and bind/step/reset
// per row, inside one BEGIN IMMEDIATE ... COMMIT (or inside the open outer transaction, see
// SqliteDb). A gsid without a row changes nothing and is not counted.
//
// Errors: a call that does not fit the table (unknown table or column, gsid among the columns, a
// duplicate column, no columns, a row of the wrong width) is InvalidArgument before anything is
// written. A value the column refuses (STRICT type, constraint) is DataError naming the gsid and
// column list; any other SQLite failure is IoError. Either way the transaction is rolled back, so
// nothing of the call stays.
//
// Thread-safety: none; a short-lived object used under the owning store's mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/Store.h"
#include "store/SqliteDb.h"
#include "store/SqliteSchema.h"
#include "store/SqliteStatement.h"

namespace sfsync::store {

class SqliteColumnUpdater {
 public:
  SqliteColumnUpdater(SqliteDb& db, SqliteSchema& schema, const std::string& table,
                      const std::vector<std::string>& columns,
                      const std::vector<std::pair<std::string, Row>>& rows)
      : db_(db), schema_(schema), table_(table), columns_(columns), rows_(rows) {}

  // The number of rows updated.
  Result<std::int64_t> run();

 private:
  Status validateShape() const;
  // The UPDATE statement over the canonical names of columns_ of `table`.
  Result<SqliteStatement> prepareUpdate(const TableInfo& table) const;
  // Binds and steps row `i`; adds the rows it changed to *updated.
  Status updateRow(SqliteStatement& update, std::size_t i, std::int64_t* updated);

  SqliteDb& db_;
  SqliteSchema& schema_;
  const std::string& table_;
  const std::vector<std::string>& columns_;
  const std::vector<std::pair<std::string, Row>>& rows_;
};

}  // namespace sfsync::store
