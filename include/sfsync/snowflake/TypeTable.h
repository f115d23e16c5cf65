// TypeTable: how Snowflake column types (resultSetMetaData.rowType) become sfsync field types and
// values (the seed's type table):
//   array                                   -> multi-select: describe type "multipicklist", the
//                                              elements joined with ';' as text (at most
//                                              kMaxOptions distinct options per property,
//                                              counting those it already holds)
//   boolean                                 -> boolean
//   fixed (scale 0)                         -> number: describe "int", int64 value
//   fixed (scale > 0), real, float, double,
//   decfloat, number, decimal               -> number: describe "double", double value
//   text, string, varchar                   -> text: "string"
//   date                                    -> date: "date", "YYYY-MM-DD"
//   timestamp_ntz / _ltz / _tz              -> date: "datetime", "YYYY-MM-DDTHH:MM:SS.mmmZ"
//   anything else (time, variant, object,
//   binary)                                 -> text ("string"), Snowflake's text form
// Cells arrive as jsonv2 strings (or null): dates as days since 1970-01-01, timestamps as seconds
// since the epoch with a fraction (timestamp_tz followed by " <offset minutes + 1440>"), arrays as
// JSON text.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/core/Value.h"
#include "sfsync/snowflake/ResultMeta.h"

namespace sfsync::snowflake {

// At most this many distinct options per multi-select column (the seed's limit).
inline constexpr std::size_t kMaxOptions = 100;

// The describe type ("multipicklist", "boolean", "int", "double", "string", "date", "datetime").
std::string describeType(const ResultColumn& column);

// The value of one cell; kDataError naming the column when the text does not fit the type.
Result<Value> decodeCell(const ResultColumn& column, const std::string& text);

// The elements of an array cell (JSON text), as text.
Result<std::vector<std::string>> arrayElements(const std::string& json);

}  // namespace sfsync::snowflake
