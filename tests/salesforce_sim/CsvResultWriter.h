// CsvResultWriter: renders a snapshotted query result as a Bulk API 2.0 result set: RFC 4180 CSV
// with a header row (the SELECT paths as written, relationship paths dotted: Account.Name), every
// non-null value and every header quoted ("" for a quote inside), null as an empty unquoted field.
// Value text as Salesforce's Bulk CSV writes it: datetime 2025-01-15T10:30:00.000Z, date
// 2025-01-15, booleans true/false, numbers as the REST JSON writes them (15000.0, 1.85E9).
//
// Thread-safety: stateless; reads only immutable snapshots, so no lock is needed.
#pragma once

#include <cstddef>
#include <string>

#include "salesforce_sim/QueryExecutor.h"

namespace sfsync::sim {

struct CsvFormat {
  char delimiter = ',';
  std::string lineEnding = "\n";
};

class CsvResultWriter {
 public:
  // The header row and records [from, to). When `middleRecordStart` is given it receives the byte
  // offset where the record at (from + to) / 2 begins (used to cut a result inside a field).
  static std::string write(const QueryResult& result, std::size_t from, std::size_t to,
                           const CsvFormat& format, std::size_t* middleRecordStart = nullptr);
  // One value's text (unquoted); false for null.
  static bool valueText(std::string& out, const CellView& value);

 private:
  static void appendQuoted(std::string& out, std::string_view text);
};

}  // namespace sfsync::sim
