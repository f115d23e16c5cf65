// SqlSubset: the simulator's SQL: SELECT <* | col, ...> FROM <DB.SCHEMA.TABLE | (SELECT ...)>
// [WHERE [(]col op literal[)] [AND ...]] [ORDER BY col] [LIMIT n], op one of = != <> < <= > >=,
// literals 'text', numbers, TRUE, FALSE. A result is a View over a table (row indices and
// projected columns), so a million generated rows are never materialised.
//
// Thread-safety: pure functions over the tables passed in.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "snowflake_sim/SnowflakeSim.h"

namespace sfsync::snowsim {

struct View {
  const SimTable* table = nullptr;
  bool allRows = true;                // true: rows 0..count-1 of the table
  std::vector<std::int64_t> indices;  // else these table rows, in order
  std::vector<std::size_t> columns;   // projected table columns

  std::int64_t size() const;
  std::int64_t tableRow(std::int64_t i) const { return allRows ? i : indices[i]; }
  // Cell `c` (projected) of result row `i`.
  void row(std::int64_t i, Row& out) const;
};

struct SqlError {
  std::string code;  // Snowflake error code, e.g. "002003"
  std::string sqlState;
  std::string message;
};

// Looks tables up by upper-cased name. Fills `view` or `error`; returns true on success.
bool runSelect(const std::string& sql, const std::map<std::string, SimTable>& tables, View& view,
               SqlError& error);

}  // namespace sfsync::snowsim
