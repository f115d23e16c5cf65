// SqliteRowSets: the set-based operations of SqliteStore (Store::createIdSet ... updateWhere).
// Scratch Id sets are tables (id TEXT PRIMARY KEY) named sfsync_idset_N in a scratch database file
// private to this store instance, attached to the connection as "scratch" (<db>.scratch-<pid>-<n>
// next to the store; removed when the store closes, and by the next open after a crash once its
// process is gone). On disk rather than in TEMP (temp_store=MEMORY), so a set of millions of Ids
// costs only the scratch database's small page cache, not memory. Its rollback journal is a file
// too (TRUNCATE, never synced): an in-memory journal grew with every page a transaction touched -
// dropping a scratch table of 2M keys held the whole table in memory. A RowFilter becomes one WHERE
// clause with `column IN (SELECT id FROM set)` and the IsDeleted condition, so every operation is
// one statement however large the table or set.
//
// Thread-safety: none; used only under the owning SqliteStore's mutex.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sfsync/store/RowFilter.h"
#include "sfsync/store/Store.h"
#include "store/SqliteDb.h"
#include "store/SqliteSchema.h"

namespace sfsync::store {

class SqliteRowSets {
 public:
  SqliteRowSets(SqliteDb& db, SqliteSchema& schema) : db_(db), schema_(schema) {}
  ~SqliteRowSets();
  SqliteRowSets(const SqliteRowSets&) = delete;
  SqliteRowSets& operator=(const SqliteRowSets&) = delete;

  // Removes scratch files of dead processes, then attaches this store's scratch database. Call
  // once after open, outside any transaction.
  Status initialize();

  // The schema scratch tables live in: "scratch" (the attached file), or "temp" for a store without
  // a file (":memory:").
  const char* scratchSchema() const { return scratchPath_.empty() ? "temp" : "scratch"; }

  Result<std::string> createIdSet();
  Status addToIdSet(const std::string& set, const std::vector<std::string>& ids);
  Status dropIdSet(const std::string& set);
  // remove == false: addColumnToIdSet; true: removeColumnFromIdSet.
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

 private:
  // Page cache of the scratch database (KiB): what a large set costs in memory.
  static constexpr int kScratchCacheKib = 4096;
  // Ids per INSERT statement of addToIdSet (bound parameters; SQLite allows 32766).
  static constexpr std::size_t kIdsPerStatement = 500;

  // The quoted temp table of a set this store created, or InvalidArgument.
  Result<std::string> setTable(const std::string& set) const;
  // The quoted column `name` of `info` ("gsid" included) and its type, or InvalidArgument.
  static Result<std::string> quotedColumn(const TableInfo& info, const std::string& name,
                                          ColumnType* type = nullptr);
  // " WHERE ..." for `where` on `info` (empty when it has no condition).
  Result<std::string> whereClause(const TableInfo& info, const RowFilter& where) const;
  // Runs a statement without parameters and returns the rows it changed.
  Result<std::int64_t> run(const std::string& sql, const std::string& context);

  SqliteDb& db_;
  SqliteSchema& schema_;
  std::string scratchPath_;  // empty until attached
  std::set<std::string> sets_;
  std::int64_t nextSet_ = 1;
};

}  // namespace sfsync::store
