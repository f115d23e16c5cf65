// Fuzz target: BulkCsvReader, the streaming reader of Bulk API 2.0 CSV result sets (libcsv plus
// header matching, typing, paging, resume and validation). The first byte picks the rows to skip
// and the Sforce-NumberOfRecords to expect; the rest is the body. Errors are Status values;
// crashes, hangs, sanitizer reports and unbounded memory are bugs. Checked invariants: no page
// holds more than pageRows rows, no row has another width than the columns, and a set that parses
// OK hands out exactly its rows minus the skipped ones.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "salesforce/BulkCsvReader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using sfsync::salesforce::BulkCellType;
  static const std::vector<std::string> columns = {"Id", "Name", "NumberOfEmployees",
                                                   "AnnualRevenue", "IsDeleted", "CreatedDate",
                                                   "Account.Name", "name"};
  static const std::vector<BulkCellType> types = {
      BulkCellType::kString, BulkCellType::kString, BulkCellType::kInt,
      BulkCellType::kDouble, BulkCellType::kBool,   BulkCellType::kDateTime,
      BulkCellType::kString, BulkCellType::kString};
  constexpr std::size_t kPageRows = 3;
  static const sfsync::salesforce::BulkCsvReader reader(columns, types, kPageRows);
  if (size == 0) return 0;
  const std::int64_t skip = data[0] & 0x7;
  const std::int64_t expected = (data[0] & 0x80) ? -1 : ((data[0] >> 3) & 0xF);
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  std::int64_t handed = 0;
  sfsync::salesforce::BulkSetOutcome outcome;
  const sfsync::Status status = reader.parseSet(
      body, skip, expected,
      [&handed](sfsync::salesforce::RecordPage& page, bool) {
        if (page.rows.size() > kPageRows) std::abort();
        for (const auto& row : page.rows) {
          if (row.size() != columns.size()) std::abort();
        }
        handed += static_cast<std::int64_t>(page.rows.size());
        return sfsync::Status::OK();
      },
      outcome);
  if (status.ok() && handed != outcome.rowsInSet - skip) std::abort();
  return 0;
}
