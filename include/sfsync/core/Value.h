// Value: one field value as it travels from Salesforce through mapping into the store.
// Null, boolean, 64-bit integer, double or string (dates and datetimes travel as ISO-8601 strings).
//
// Thread-safety: plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace sfsync {

using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string>;

inline bool isNull(const Value& v) { return std::holds_alternative<std::monostate>(v); }

// Text form used in CSV files and messages: "" for null, "true"/"false", shortest round-trip
// numbers.
std::string valueToText(const Value& v);

}  // namespace sfsync
