// SqlSubset: the simulator's SQL: SELECT <* | col, ...> FROM <DB.SCHEMA.TABLE | (SELECT ...)>
// [WHERE [(]col op operand[)] | col IN (operand, ...) [AND ...]] [ORDER BY col] [LIMIT n], op one
// of = != <> < <= > >=, operands: literals 'text', numbers, TRUE, FALSE, or ? (the next bind
// variable, typed as the SQL API sends it: TIMESTAMP_NTZ/_LTZ/_TZ as nanoseconds since the
// epoch, DATE as milliseconds, FIXED, REAL, BOOLEAN, TEXT). Timestamps and dates compare exactly
// (nanoseconds), also against TEXT in ISO form (YYYY-MM-DD[THH:MM:SS[.f]][Z]). A result is a View
// over a table (row indices and projected columns), so a million generated rows are never
// materialised.
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
// `bindings` are the values of the statement's ? placeholders, in order; a count that does not
// match the placeholders, or an unknown type, is an error (code 002049).
bool runSelect(const std::string& sql, const std::map<std::string, SimTable>& tables, View& view,
               SqlError& error, const std::vector<SimBinding>& bindings = {});

}  // namespace sfsync::snowsim
