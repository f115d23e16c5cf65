// TableSpec: the shape of one target object's table - the mapped columns and their store types.
// Every table also has the implicit primary key column `gsid` (TEXT UUID, generated on insert).
//
// Thread-safety: plain value type.
#pragma once

#include <string>
#include <vector>

namespace sfsync::store {

enum class ColumnType { kText, kInteger, kReal, kBoolean, kDate, kDateTime };

// "text", "integer", "real", "boolean", "date", "datetime".
const char* columnTypeName(ColumnType t);
// Parses the names above (case-insensitive; also "number" -> real, "string" -> text); false if
// unknown.
bool parseColumnType(const std::string& name, ColumnType* out);

struct ColumnSpec {
  std::string name;
  ColumnType type = ColumnType::kText;
};

struct TableSpec {
  std::string name;                 // target object, e.g. "Company"
  std::vector<ColumnSpec> columns;  // without gsid
};

}  // namespace sfsync::store
