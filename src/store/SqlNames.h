// SQL identifier helpers shared by the store implementations: quoting of table, column and index
// names (which may contain spaces and quotes) and SQLite's ASCII case-insensitive name comparison.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sfsync::store {

// "name" with embedded double quotes doubled: Company Person -> "Company Person", a"b -> "a""b".
std::string quoteIdentifier(const std::string& name);

// ASCII case-insensitive equality, the way SQLite compares identifiers.
bool equalsIgnoreCase(const std::string& a, const std::string& b);

// ASCII lower-case copy.
std::string toLowerAscii(const std::string& s);

// "a, b, c".
std::string joinNames(const std::vector<std::string>& names, const char* separator = ", ");

// "(?,?,?),(?,?,?)...": `rows` parenthesised groups of `width` parameters, for multi-row VALUES.
std::string valuesList(std::size_t rows, std::size_t width);

// Deterministic, unambiguous name of the store-maintained index over `columns` of `table`
// (length-prefixed parts, so no two (table, columns) combinations share a name).
std::string indexName(const std::string& table, const std::vector<std::string>& columns);

}  // namespace sfsync::store
