// Names of the store column types (declared in sfsync/store/TableSpec.h).
#include "sfsync/store/TableSpec.h"

#include "store/SqlNames.h"

namespace sfsync::store {

const char* columnTypeName(ColumnType t) {
  switch (t) {
    case ColumnType::kText:
      return "text";
    case ColumnType::kInteger:
      return "integer";
    case ColumnType::kReal:
      return "real";
    case ColumnType::kBoolean:
      return "boolean";
    case ColumnType::kDate:
      return "date";
    case ColumnType::kDateTime:
      return "datetime";
  }
  return "text";
}

bool parseColumnType(const std::string& name, ColumnType* out) {
  struct Entry {
    const char* name;
    ColumnType type;
  };
  static const Entry kEntries[] = {
      {"text", ColumnType::kText},       {"string", ColumnType::kText},
      {"integer", ColumnType::kInteger}, {"real", ColumnType::kReal},
      {"number", ColumnType::kReal},     {"boolean", ColumnType::kBoolean},
      {"date", ColumnType::kDate},       {"datetime", ColumnType::kDateTime},
  };
  for (const Entry& e : kEntries) {
    if (equalsIgnoreCase(name, e.name)) {
      if (out != nullptr) *out = e.type;
      return true;
    }
  }
  return false;
}

}  // namespace sfsync::store
