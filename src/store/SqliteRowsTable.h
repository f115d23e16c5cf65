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
// with BLOB affinity unconverted, so 42 would not find '42'. keyOf() writes the value as "+p.c<n>",
// which has no affinity, so `t.k = +p.c<n>` compares exactly as `t.k = ?` does (and still
// searches t's index on k).
//
// Thread-safety: the module is registered once per connection (registerRowsTable, at open); a
// RowsView is read only by the statement it is bound to, on the connection's thread.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/core/Value.h"

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
  // Binds `view` as parameter `index` of `stmt` (an SQLite result code).
  static int bindRows(sqlite3_stmt* stmt, int index, const RowsView& view);
  // "c<n>": the name of value column n.
  static std::string column(std::size_t n) { return "c" + std::to_string(n); }
  // "+<alias>.c<n>": value column n of the function named `alias`, to compare with a table's
  // column as a bound parameter would be (see above).
  static std::string keyOf(const std::string& alias, std::size_t n) {
    return "+" + alias + "." + column(n);
  }
};

}  // namespace sfsync::store
