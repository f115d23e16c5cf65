// RecordPage: one page of query results, flattened into rows of the columns the caller asked for.
// Column i of every row holds the value of columns[i], a field API name or a relationship path such
// as "Account.Name" / "Owner.Manager.Email" (null when any hop of the path is null). Matching of
// JSON keys to requested paths is case-insensitive. The order of columns is exactly the caller's
// order.
//
// Thread-safety: plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sfsync/core/Value.h"

namespace sfsync::salesforce {

struct RecordPage {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  std::int64_t totalSize = 0;  // Salesforce's totalSize for the whole query
  int pageIndex = 0;           // 0 for the first page
  bool done = false;           // true on the last page
};

}  // namespace sfsync::salesforce
