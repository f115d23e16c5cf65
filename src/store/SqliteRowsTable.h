// SqliteRowsTable: the table-valued function sfsync_rows(?) through which one SQL statement reads
// a page of rows held in memory, so that the load path writes and searches a page set-based
// (one INSERT ... SELECT, one join) instead of running a statement per row.
//
//   SELECT i, g, c0, c1 ... FROM sfsync_rows(?1)
//
// lists, for each position k of RowsView::pick in order: i = pick[k] (the row's index in `rows`),
// g = gsids[k] (NULL without gsids) and c<n> = rows[pick[k]][n] (NULL past the row's end). The
// parameter is a RowsView bound with bindRows(); it must outlive the statement's execution (until
// reset). Values are handed to SQLite without copying (SQLITE_STATIC). At most kMaxColumns value
// columns.
//
// Types: an INSERT applies the target column's type to c<n>, as to a bound parameter. A
// comparison does not: c<n> has no declared type, i.e. BLOB affinity, and SQLite compares TEXT
// with BLOB affinity unconverted, so 42 would not find '42'. joinOn() writes the value as
// "+p.c<n>", which has no affinity, so `t.k = +p.c<n>` compares exactly as `t.k = ?` does (with
// t.k's collation, and still searching t's index on k).
//
// Thread-safety: the module is registered once per connection (registerOn, at open); a
// RowsView is read only by the statement it is bound to, on the connection's thread.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/core/Value.h"
#include "store/SqliteStatement.h"

namespace sfsync::store {

struct RowsView {
  const std::vector<std::vector<Value>>* rows = nullptr;
  const std::vector<std::size_t>* pick = nullptr;
  const std::vector<std::string>* gsids = nullptr;  // parallel to pick, or nullptr
};

class SqliteRowsTable {
 public:
  static constexpr const char* kName = "sfsync_rows";
  static constexpr int kMaxColumns = 1000;

  // Registers sfsync_rows on `db` (IoError when SQLite refuses).
  static Status registerOn(sqlite3* db);
  // Binds `view` as parameter `index` of `stmt` (an SQLite result code). The view is read when
  // the statement steps: a temporary would be gone by then.
  static int bindRows(sqlite3_stmt* stmt, int index, const RowsView& view);
  static int bindRows(sqlite3_stmt* stmt, int index, RowsView&& view) = delete;
  // Binds `view` as ?1 of `stmt` and steps it, calling `onRow` on each result row until it
  // returns false; the last result code (SQLITE_DONE when every row was read or onRow stopped).
  // The caller resets the statement.
  static int query(SqliteStatement& stmt, const RowsView& view, const std::function<bool()>& onRow);
  static int query(SqliteStatement& stmt, RowsView&& view,
                   const std::function<bool()>& onRow) = delete;
  // "c<n>": the name of value column n.
  static std::string column(std::size_t n) { return "c" + std::to_string(n); }
  // "t.k1 = +p.c<i1> AND t.k2 = +p.c<i2> ...": table `t`'s `columns` (canonical names, quoted here)
  // equal to the function `p`'s value columns `positions`, compared as bound parameters would be.
  static std::string joinOn(const std::vector<std::string>& columns,
                            const std::vector<std::size_t>& positions);
};

}  // namespace sfsync::store
