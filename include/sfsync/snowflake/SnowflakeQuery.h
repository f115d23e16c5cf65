// SnowflakeQuery: the read-only SELECT of a job with a Snowflake source: either a table
// ("DB.SCHEMA.TABLE", the fields selected by name) or the admin's own query ("SELECT ..." or
// "WITH ..."), with an optional filter and incremental column (rows with column > the last run's
// high-water mark, ordered by it; the mark is a SQL API bind variable "?", never a literal). sfsync
// never writes to Snowflake: anything but a single SELECT / WITH statement - INSERT, UPDATE,
// DELETE, MERGE, COPY, CREATE, ... or several statements
// - is a validation error (kInvalidArgument naming the JSON path and what is wrong).
//
// Thread-safety: plain value type; functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/snowflake/ResultMeta.h"

namespace sfsync::snowflake {

// One bind variable of the SQL API: "bindings": {"1": {"type": <type>, "value": <value>}}.
// Types used: TIMESTAMP_NTZ / TIMESTAMP_LTZ (value: nanoseconds since the epoch, as the
// Snowflake drivers bind them), DATE (milliseconds since the epoch), FIXED, REAL, BOOLEAN, TEXT.
struct Binding {
  std::string type;
  std::string value;
  bool operator==(const Binding& o) const { return type == o.type && value == o.value; }
};

// A statement and the values of its "?" placeholders, in order.
struct BoundStatement {
  std::string sql;
  std::vector<Binding> bindings;
};

// The incremental cursor of a job: the highest incremental value read, at Snowflake's own
// precision (nanoseconds for timestamps). `inclusive` marks a checkpoint committed mid-run (after
// a page): rows with exactly that value may still be unread, so the next read uses >= (re-reading
// them, upserted not duplicated); a finished run stores it exclusive (>).
struct Cursor {
  Binding value;
  bool inclusive = false;

  // The stored form: {"type":..,"value":..,"inclusive":..} (JSON).
  std::string text() const;
  // For the activity row: a timestamp as YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ, a date as YYYY-MM-DD,
  // others as they are; " (inclusive)" for a checkpoint.
  std::string display() const;
  // A stored cursor: the JSON form, or the literal an earlier version stored ('text' with \ and
  // '' escapes -> TEXT, a number -> FIXED / REAL), which keeps working. kDataError when neither.
  static Result<Cursor> parse(const std::string& stored);
  // The cursor of one cell of the incremental column (jsonv2 text of `column`'s type);
  // kDataError when the text does not fit the type.
  static Result<Cursor> fromCell(const ResultColumn& column, const std::string& cell);
  // True when this cursor's value is above `other`'s (same type; numbers and timestamps compared
  // as numbers, text byte-wise).
  bool above(const Cursor& other) const;
};

struct SnowflakeQuery {
  std::string table;                // "source.table", or
  std::string query;                // "source.query"
  std::vector<std::string> fields;  // columns to select from `table` (ignored with `query`)
  std::string filter;               // "source.filter": SQL boolean expression, may be empty
  std::string incrementalColumn;    // "source.incrementalColumn", may be empty
  std::int64_t limit = 0;           // > 0: at most this many rows (LIMIT; a dry run)

  // kInvalidArgument unless exactly one of table / query is set, the table is a (quoted or plain)
  // identifier path, and every text is one read-only statement.
  Status validate() const;
  // The statement of a run; `since` (the stored cursor, none for a full run) restricts it to
  // newer rows through a bind variable.
  BoundStatement statement(const std::optional<Cursor>& since = std::nullopt) const;
  // A re-run's statement: the rows (within the filter, no cursor) whose `column` is one of
  // `identifiers`, each a TEXT bind variable.
  BoundStatement identifiersStatement(const std::string& column,
                                      const std::vector<std::string>& identifiers) const;
  // The same statement returning no rows (its rowType describes the columns).
  std::string describeStatement() const;
};

// kInvalidArgument when `sql` is not one read-only SELECT / WITH statement (`where` names the
// JSON path in the message).
Status checkReadOnly(const std::string& sql, const std::string& where);

// `text` as a Snowflake string literal: quoted, with every backslash doubled (in Snowflake a
// backslash escapes the next character, so a cursor ending in a backslash would swallow the closing
// quote) and a single quote doubled. Safe for any bytes. The form earlier versions stored text
// cursors in (Cursor::parse reads it back); statements use bind variables instead.
std::string textLiteral(const std::string& text);

}  // namespace sfsync::snowflake
