// SnowflakeQuery: the read-only SELECT of a job with a Snowflake source: either a table
// ("DB.SCHEMA.TABLE", the fields selected by name) or the admin's own query ("SELECT ..." or
// "WITH ..."), with an optional filter and incremental column (rows with column > the last run's
// high-water mark, ordered by it). sfsync never writes to Snowflake: anything but a single
// SELECT / WITH statement - INSERT, UPDATE, DELETE, MERGE, COPY, CREATE, ... or several statements
// - is a validation error (kInvalidArgument naming the JSON path and what is wrong).
//
// Thread-safety: plain value type; functions are pure.
#pragma once

#include <string>
#include <vector>

#include "sfsync/core/Result.h"

namespace sfsync::snowflake {

struct SnowflakeQuery {
  std::string table;                // "source.table", or
  std::string query;                // "source.query"
  std::vector<std::string> fields;  // columns to select from `table` (ignored with `query`)
  std::string filter;               // "source.filter": SQL boolean expression, may be empty
  std::string incrementalColumn;    // "source.incrementalColumn", may be empty

  // kInvalidArgument unless exactly one of table / query is set, the table is a (quoted or plain)
  // identifier path, and every text is one read-only statement.
  Status validate() const;
  // The statement of a run; `since` (a literal of the incremental column, "" for a full run)
  // restricts it to newer rows.
  std::string statement(const std::string& since = "") const;
  // The same statement returning no rows (its rowType describes the columns).
  std::string describeStatement() const;
};

// kInvalidArgument when `sql` is not one read-only SELECT / WITH statement (`where` names the
// JSON path in the message).
Status checkReadOnly(const std::string& sql, const std::string& where);

// `text` as a Snowflake string literal: quoted, with every backslash doubled (in Snowflake a
// backslash escapes the next character, so a cursor ending in a backslash would swallow the closing
// quote) and a single quote doubled. Safe for any bytes.
std::string textLiteral(const std::string& text);

}  // namespace sfsync::snowflake
