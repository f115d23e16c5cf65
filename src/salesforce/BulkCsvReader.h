// BulkCsvReader: turns one Bulk API 2.0 query result set (CSV: a header row, RFC 4180 quoting,
// every value quoted, an empty unquoted field = null, LF line endings) into RecordPages of the
// caller's columns, exactly like QueryPageParser does for REST pages:
//   - header names match the requested columns (field names or relationship paths such as
//     "Account.Name") case-insensitively; a requested column the header lacks stays null;
//   - each cell is typed by the column's describe type (BulkCellType): int -> int64 (double when
//     too large, as the JSON reader does), double/currency/percent -> double, boolean -> bool,
//     datetime "...Z" -> the REST form "...+0000", everything else a string; null stays null;
//   - invalid UTF-8 in strings is replaced by U+FFFD and counted (RecordPage::invalidUtf8Strings).
// Parsing streams through libcsv (BulkCsvStream, which takes a set in chunks as it arrives;
// parseSet feeds it a whole body): a page is handed to the sink as soon as it is full and the next
// row starts, so at most one page of rows exists at a time; the set's last page is handed out only
// after the whole set was checked (complete quoting, a column count equal to the header's on every
// row, a body ending in a line break, at most 20,000 header columns, and the row count of
// Sforce-NumberOfRecords, which is never used to size anything). The first
// `skipRows` data rows are parsed but not converted or handed out (resume inside a set).
//
// Thread-safety: parseSet() is const and keeps no state between calls; one instance may be shared.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sfsync/core/Status.h"
#include "sfsync/salesforce/RecordPage.h"

namespace sfsync::salesforce {

enum class BulkCellType { kString, kInt, kDouble, kBool, kDateTime };

// The BulkCellType of a describe field type ("int", "double", "currency", ...).
BulkCellType bulkCellTypeOf(const std::string& describeType);

// What parseSet() saw.
struct BulkSetOutcome {
  std::int64_t rowsInSet = 0;  // data rows parsed (the header excluded)
  std::int64_t delivered = 0;  // rows handed to the sink by this call
  bool sinkStopped = false;    // the sink returned a non-ok Status (returned as is)
  bool beyondSet = false;      // skipRows > rowsInSet (a resume position that does not exist)
};

class BulkCsvReader {
 public:
  // Receives each page (rows, invalidUtf8Strings and bulkRowsIntoSet set; the rest is the
  // caller's). `lastOfSet`: the set's final page (possibly empty), handed out after validation.
  using PageSink = std::function<Status(RecordPage& page, bool lastOfSet)>;

  // A page is handed on when it has `pageRows` rows or kMaxPageTextBytes of field text, whichever
  // comes first; one record (row) of more than `maxRecordBytes` of field text fails the set
  // (kDataError, remoteCode RESPONSE_TOO_LARGE: not worth fetching again).
  static constexpr std::int64_t kMaxPageTextBytes = 8ll << 20;
  BulkCsvReader(std::vector<std::string> columns, std::vector<BulkCellType> types,
                std::size_t pageRows, std::int64_t maxRecordBytes = 64ll << 20);

  // Parses `body` (through a BulkCsvStream). `expectedRows`: Sforce-NumberOfRecords, or -1 when
  // unknown (never used to size anything). kDataError (retryable as a malformed response) when the
  // set is malformed; the sink's own Status when it stopped (outcome.sinkStopped); kInvalidArgument
  // when skipRows is beyond the set (outcome.beyondSet).
  Status parseSet(std::string_view body, std::int64_t skipRows, std::int64_t expectedRows,
                  const PageSink& sink, BulkSetOutcome& outcome) const;

  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<BulkCellType>& types() const { return types_; }
  std::size_t pageRows() const { return pageRows_; }
  std::int64_t maxRecordBytes() const { return maxRecordBytes_; }

 private:
  std::vector<std::string> columns_;
  std::vector<BulkCellType> types_;
  std::size_t pageRows_;
  std::int64_t maxRecordBytes_;
};

}  // namespace sfsync::salesforce
