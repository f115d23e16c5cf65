// Type conversion from Salesforce field values (as they arrive in query JSON) to store column
// values. Pure functions, table-tested. Salesforce types: id, reference, string, textarea,
// picklist, multipicklist, email, phone, url, combobox, encryptedstring, int, double, currency,
// percent, boolean, date, datetime, time. Target types: store::ColumnType.
//
// Rules: null stays null. Text accepts anything (numbers in shortest round-trip form, booleans as
// "true"/"false"). Integer accepts JSON integers, integral doubles and decimal strings ("42", " 42
// "); Real accepts numbers and numeric strings; Boolean accepts JSON booleans,
// "true"/"false"/"1"/"0" (case-insensitive) and 0/1; Date accepts "YYYY-MM-DD" or a datetime (its
// UTC date); DateTime accepts Salesforce's "2025-01-15T10:30:00.000+0000", other ISO-8601 offsets
// and "YYYY-MM-DD", normalised to UTC "2025-01-15T10:30:00.000Z". Anything else is a kDataError
// whose message names the value and the target type, e.g. "cannot convert 'abc' to integer".
//
// Guards on what Salesforce sends (issue 9): an object or array where the field holds a single
// value is a TYPE_CONVERSION error, and text longer than the field's describe length plus slack
// (maxTextLength) is VALUE_TOO_LONG; both are decided by TargetMapper with these helpers.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sfsync/core/Result.h"
#include "sfsync/core/Value.h"
#include "sfsync/store/TableSpec.h"

namespace sfsync::mapping {

Result<Value> convertValue(const Value& in, store::ColumnType target);

// The natural store column type for a Salesforce field type (unknown types map to text).
store::ColumnType defaultColumnType(const std::string& salesforceType);

// True for the compound field types whose values are JSON objects: address, location.
bool isCompoundType(const std::string& salesforceType);

// The most characters (code points) accepted for a value of a text-like field (id, reference,
// string, textarea, picklist, multipicklist, combobox, email, phone, url, encryptedstring) with
// this describe length: length + 10% + kTextLengthSlack. 0 (no limit) for other types and for
// lengths <= 0.
inline constexpr std::int64_t kTextLengthSlack = 16;
std::int64_t maxTextLength(const std::string& salesforceType, int describeLength);

// Number of code points of UTF-8 text (continuation bytes are not counted).
std::int64_t utf8Length(std::string_view text);

}  // namespace sfsync::mapping
