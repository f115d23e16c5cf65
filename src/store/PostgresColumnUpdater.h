// PostgresColumnUpdater: Store::updateColumns on PostgreSQL - the (gsid, values) pairs are
// checked against the column types, COPYed into a stage and applied by ONE UPDATE ... FROM. A value
// that does not fit is kDataError before anything is written; the caller's transaction makes the
// call all-or-nothing.
//
// Thread-safety: none; a short-lived object used under the owning store's mutex.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/store/Store.h"
#include "store/PgConnection.h"
#include "store/PostgresSchema.h"

namespace sfsync::store {

class PostgresColumnUpdater {
 public:
  PostgresColumnUpdater(PgConnection& db, PostgresSchema& schema, const std::string& table,
                        const std::vector<std::string>& columns,
                        const std::vector<std::pair<std::string, Row>>& rows)
      : db_(db), schema_(schema), table_(table), columns_(columns), rows_(rows) {}

  Result<std::int64_t> run();

 private:
  Status validateShape() const;

  PgConnection& db_;
  PostgresSchema& schema_;
  const std::string& table_;
  const std::vector<std::string>& columns_;
  const std::vector<std::pair<std::string, Row>>& rows_;
};

}  // namespace sfsync::store
