// PostgresValues: how sfsync Values travel into and out of PostgreSQL's native column types -
// the type map (text, bigint, numeric, boolean, date, timestamptz), the check that a value fits
// its column before it is sent (so one bad value is a row-level LOAD_FAILED instead of a failed
// page), COPY text-format encoding, and the select expressions that read each type back in the
// form SQLite returns (dates as YYYY-MM-DD, datetimes as YYYY-MM-DDTHH:MM:SS.mmmZ in UTC).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "sfsync/core/Value.h"
#include "sfsync/store/TableSpec.h"
#include "store/PgResult.h"

namespace sfsync::store::pgvalue {

// Column type in DDL, e.g. `text COLLATE "C"`, `numeric`, `timestamptz`.
const char* ddlType(ColumnType type);
// Type name for a cast of a text parameter: "text", "bigint", "numeric", ...
const char* castType(ColumnType type);

// The text form of `value` for a column of `type` (nullopt: NULL), or false with `why` set when
// the value does not fit the column (a number in a text column is its text, as in SQLite; an empty
// date or datetime is NULL; text with a NUL byte or invalid UTF-8 is refused - PostgreSQL cannot
// store it).
bool toText(const Value& value, ColumnType type, std::optional<std::string>* out, std::string* why);
// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF);
// the PostgreSQL store rejects a text value that is not (one row, not the whole COPY).
bool validUtf8(const std::string& text);

// Appends `text` (nullopt: \N) to a COPY text-format line, escaping backslash, tab, CR and LF.
void appendCopyField(const std::optional<std::string>& text, std::string& line);

// The select expression reading `quotedColumn` of `type` back (to_char for dates and datetimes).
std::string selectExpression(const std::string& quotedColumn, ColumnType type);

// The Value of a cell read through selectExpression.
Value fromResult(const PgResult& result, int row, int col, ColumnType type);

// Lower-case hex of `bytes` (bytea travels as decode($n, 'hex') / encode(col, 'hex')), and back
// (false on malformed input).
std::string toHex(const std::string& bytes);
bool fromHex(const std::string& hex, std::string* out);

}  // namespace sfsync::store::pgvalue
