// SqliteLookups: the load path's set-based reads of SqliteStore (Store::lookupGsids), so a run's
// memory does not grow with the tables it reads.
//
// lookupGsids: the page's keys go into ONE statement per batch of kPerStatement keys,
//   WITH k(i, c1..cn) AS (VALUES (?, ?...), ...) SELECT k.i, t.gsid FROM k JOIN t ON t.c1 = k.c1
//   ...
// which SQLite serves with one index search per key (an index over the match columns is created on
// the first call for a (table, columns) pair); SQL equality applies the column's type to the
// parameter, so 42 matches '42'. The full-batch statement is prepared once per (table, columns).
//
// Thread-safety: none; used only under the owning SqliteStore's mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
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
  // Store::matchRows: read-only, prepares one statement per batch (nothing cached, no index made).
  Result<std::vector<std::vector<Row>>> matchRows(const std::string& table,
                                                  const std::vector<std::string>& keyColumns,
                                                  const std::vector<Row>& keys,
                                                  const std::vector<std::string>& columns,
                                                  bool skipDeleted);

 private:
  // The SELECT of matchRows over `n` keys; `types` receives the result columns' types.
  static std::string matchSql(const TableInfo& info, const std::vector<std::string>& keyColumns,
                              const std::vector<std::string>& columns, bool skipDeleted,
                              std::size_t n, std::vector<ColumnType>& types);
  // Keys per statement; a key binds 1 + columns parameters, at most 7 (SQLite allows 32766).
  static constexpr std::size_t kPerStatement = 400;

  // The statement for a batch of `n` (prepared from `sql`); the full batch's is cached under `key`,
  // a shorter one replaces the previous short one.
  Result<SqliteStatement*> batchStatement(const std::string& key, std::size_t n,
                                          const std::function<std::string()>& sql);
  // The join statement over `n` keys of `info`'s `columns` (canonical names).
  Result<SqliteStatement*> lookupStatement(const TableInfo& info,
                                           const std::vector<std::string>& columns, std::size_t n);
  // Runs one batch (the keys at the positions `batch` lists); appends gsids to out[position].
  Status lookupBatch(SqliteStatement& stmt, const std::vector<Row>& keys,
                     const std::vector<std::size_t>& batch,
                     std::vector<std::vector<std::string>>& out);

  SqliteDb& db_;
  SqliteSchema& schema_;
  std::set<std::string> indexed_;  // tables + columns given an index
  // Full-batch statements by index name (+ ":marked").
  std::map<std::string, SqliteStatement> statements_;
  SqliteStatement partial_;  // the last short batch's statement
};

}  // namespace sfsync::store
