// SqliteStatement: an owned, prepared sqlite3 statement (RAII) with typed binding of sfsync Values
// and typed reading of result columns. Prepared once, then bind / step / reset per row (the fast
// path for bulk loads: no re-preparation per row).
//
// Binding strings uses SQLITE_STATIC: the caller keeps a bound string alive until the statement has
// been stepped and reset (or rebound).
//
// Thread-safety: none; used only under the owning store's mutex.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sfsync/core/Value.h"
#include "sfsync/store/TableSpec.h"

namespace sfsync::store {

class SqliteStatement {
 public:
  SqliteStatement() = default;
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~SqliteStatement();
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  bool valid() const { return stmt_ != nullptr; }
  sqlite3_stmt* get() const { return stmt_; }

  // Bind helpers; `index` is 1-based. Return an SQLite result code (SQLITE_OK on success).
  // Booleans bind as INTEGER 0/1, null as NULL.
  int bindValue(int index, const Value& value);
  int bindText(int index, const std::string& text);  // SQLITE_STATIC: keep `text` alive
  int bindInt64(int index, std::int64_t v);
  int bindNull(int index);

  // sqlite3_step: SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  // Resets for the next execution (bindings are kept); the result code of the last step is ignored.
  void reset();
  // Resets and clears every binding (a kept statement must not point into freed memory).
  void release();

  bool columnIsNull(int col) const;
  std::string columnText(int col) const;
  std::int64_t columnInt64(int col) const;
  // The column as a Value of the declared store type (bool for Boolean, string for dates).
  Value columnValue(int col, ColumnType type) const;
  // True when result column `col` holds exactly `value`: null and NULL, a boolean and INTEGER 0/1,
  // an integer and the same INTEGER, a real and the same REAL (bit for bit), a text and the same
  // TEXT bytes. Any other pairing is false (so a caller treating false as "differs" never misses a
  // change).
  bool columnEquals(int col, const Value& value) const;
  // Steps to the end, appending one row per result row (column c read as types[c]); returns the
  // final step's code (SQLITE_DONE when every row was read).
  int readRows(const std::vector<ColumnType>& types, std::vector<std::vector<Value>>& rows);

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace sfsync::store
