// RecordPage: one page of query results, flattened into rows of the columns the caller asked for.
// Column i of every row holds the value of columns[i], a field API name or a relationship path such
// as "Account.Name" / "Owner.Manager.Email" (null when any hop of the path is null). Matching of
// JSON keys to requested paths is case-insensitive. The order of columns is exactly the caller's
// order.
//
// Thread-safety: plain value type.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sfsync/core/Value.h"

namespace sfsync::salesforce {

struct RecordPage {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  std::int64_t totalSize = 0;  // Salesforce's totalSize for the whole query
  int pageIndex = 0;           // 0 for the first page
  bool done = false;           // true on the last page
  // Cells whose JSON value was an object or an array (kept in `rows` as that JSON text), as
  // (row, column) in row order. Whether that is acceptable depends on the field - an address is
  // compound, an Id is not - so the mapping decides (TargetMapper: TYPE_CONVERSION).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> structuredCells;
  // Strings of this page that held invalid UTF-8; every such byte was replaced by U+FFFD.
  std::int64_t invalidUtf8Strings = 0;
  // Bulk API 2.0 pages only: where the download continues after this page (the result set's
  // locator, and the rows of that set delivered up to and including this page). Empty locator for
  // REST.
  std::string bulkLocator;
  std::int64_t bulkRowsIntoSet = 0;
  // Issue 14, Snowflake pages only: the incremental cursor up to and including this page (the
  // stored text of snowflake::Cursor, committed with the page); empty otherwise.
  std::string sourceCursor;
  // Issue 11: set by a prefetching source while the page handler runs: true when the next page is
  // already fetched and waiting, so a loader may keep its transaction open for it without waiting
  // on the network. Empty (any other source, or a copy kept after the handler): not known.
  std::function<bool()> nextPageReady;
};

}  // namespace sfsync::salesforce
