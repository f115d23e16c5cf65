// ColumnNames: how a requested column ("Account.Name") is matched to what Salesforce sends (JSON
// keys of a query page, the header of a Bulk CSV result): case-insensitively, ignoring surrounding
// spaces and tabs. Shared by QueryPageParser and BulkCsvReader so REST and Bulk match alike.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace sfsync::salesforce {

// ASCII lower case of `s` without leading / trailing spaces and tabs.
inline std::string lowerTrimmedColumn(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace sfsync::salesforce
