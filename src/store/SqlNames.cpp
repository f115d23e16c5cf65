#include "store/SqlNames.h"

namespace sfsync::store {

namespace {
char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

std::string quoteIdentifier(const std::string& name) {
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('"');
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

bool equalsIgnoreCase(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
  }
  return true;
}

std::string toLowerAscii(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = lowerAscii(c);
  return out;
}

std::string joinNames(const std::vector<std::string>& names, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += separator;
    out += names[i];
  }
  return out;
}

std::string valuesList(std::size_t rows, std::size_t width) {
  std::string row = "(?";
  for (std::size_t c = 1; c < width; ++c) row += ",?";
  row += ")";
  std::string sql;
  sql.reserve(rows * (row.size() + 1));
  for (std::size_t r = 0; r < rows; ++r) sql += (r == 0 ? "" : ",") + row;
  return sql;
}

std::string indexName(const std::string& table, const std::vector<std::string>& columns) {
  std::string out = "sfsync_ix:" + std::to_string(table.size()) + ":" + table;
  for (const std::string& c : columns) out += ":" + std::to_string(c.size()) + ":" + c;
  return out;
}

}  // namespace sfsync::store
