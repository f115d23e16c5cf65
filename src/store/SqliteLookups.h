// SqliteLookups: the load path's set-based reads of SqliteStore (Store::lookupGsids,
// Store::matchRows), so a run's memory does not grow with the tables it reads.
//
// lookupGsids: the page's keys are read by ONE statement through sfsync_rows (SqliteRowsTable),
//   SELECT p.i, t.gsid FROM sfsync_rows(?1) AS p JOIN t ON t.c1 = +p.c0 AND ...
// which SQLite serves with one index search per key (an index over the match columns is created on
// the first call for a (table, columns) pair); SQL equality applies the column's type to the key,
// as it does to a bound parameter, so 42 matches '42'. The statement is prepared once per
// (table, columns) and kept by the connection for every page.
//
// Thread-safety: none; used only under the owning SqliteStore's mutex.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sfsync/store/Store.h"
#include "store/SqliteDb.h"
#include "store/SqliteSchema.h"
#include "store/SqliteStatement.h"

namespace sfsync::store {

class SqliteLookups {
 public:
  SqliteLookups(SqliteDb& db, SqliteSchema& schema) : db_(db), schema_(schema) {}

  Result<std::vector<std::vector<std::string>>> lookupGsids(const std::string& table,
                                                            const std::vector<std::string>& columns,
                                                            const std::vector<Row>& keys);
  // Store::matchRows: read-only, one statement per call through sfsync_rows, kept by the
  // connection like lookupGsids' (no index made).
  Result<std::vector<std::vector<Row>>> matchRows(const std::string& table,
                                                  const std::vector<std::string>& keyColumns,
                                                  const std::vector<Row>& keys,
                                                  const std::vector<std::string>& columns,
                                                  bool skipDeleted);

 private:
  // Ends a kept statement's query that returned `rc`: released, and forgotten when it failed
  // (the IoError, naming `what`).
  Status endQuery(SqliteStatement& stmt, int rc, const std::string& what);
  // The SELECT of matchRows; `types` receives the result columns' types.
  static std::string matchSql(const TableInfo& info, const std::vector<std::string>& keyColumns,
                              const std::vector<std::string>& columns, bool skipDeleted,
                              std::vector<ColumnType>& types);
  // The join statement of lookupGsids over `info`'s `columns` (canonical names), kept by the
  // connection (SqliteDb::kept).
  Result<SqliteStatement*> lookupStatement(const TableInfo& info,
                                           const std::vector<std::string>& columns);
  // The positions of `keys` without a null (a null never matches); InvalidArgument when a key
  // is not `width` values wide.
  static Result<std::vector<std::size_t>> usableKeys(const std::string& what,
                                                     const std::vector<Row>& keys,
                                                     std::size_t width);

  SqliteDb& db_;
  SqliteSchema& schema_;
  std::set<std::string> indexed_;  // tables + columns given an index
};

}  // namespace sfsync::store
