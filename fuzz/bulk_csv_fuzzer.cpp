// Fuzz target: BulkCsvReader, the streaming reader of Bulk API 2.0 CSV result sets (libcsv plus
// header matching, typing, paging, resume and validation). The first byte picks the rows to skip
// and the Sforce-NumberOfRecords to expect; the rest is the body. Errors are Status values;
// crashes, hangs, sanitizer reports and unbounded memory are bugs. Checked invariants: no page
// holds more than pageRows rows, no row has another width than the columns, and a set that parses
// OK hands out exactly its rows minus the skipped ones; the same body pushed through a
// BulkCsvStream in small chunks (as it arrives from a socket) gives the same Status and rows.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "salesforce/BulkCsvReader.h"
#include "salesforce/BulkCsvStream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using sfsync::salesforce::BulkCellType;
  static const std::vector<std::string> columns = {
      "Id",        "Name",        "NumberOfEmployees", "AnnualRevenue",
      "IsDeleted", "CreatedDate", "Account.Name",      "name"};
  static const std::vector<BulkCellType> types = {
      BulkCellType::kString, BulkCellType::kString,   BulkCellType::kInt,    BulkCellType::kDouble,
      BulkCellType::kBool,   BulkCellType::kDateTime, BulkCellType::kString, BulkCellType::kString};
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
  // The same set in chunks of 1..16 bytes (sizes from the body itself): chunking changes nothing.
  std::int64_t chunkedHanded = 0;
  const sfsync::salesforce::BulkCsvReader::PageSink countRows =
      [&chunkedHanded](sfsync::salesforce::RecordPage& page, bool) {
        chunkedHanded += static_cast<std::int64_t>(page.rows.size());
        return sfsync::Status::OK();
      };
  sfsync::salesforce::BulkCsvStream stream(reader, skip, countRows);
  sfsync::Status chunked;
  for (std::size_t at = 0; at < body.size() && chunked.ok();) {
    const std::size_t n =
        std::min<std::size_t>(1 + (static_cast<unsigned char>(body[at]) & 0xF), body.size() - at);
    chunked = stream.feed(body.data() + at, n);
    at += n;
  }
  if (chunked.ok()) chunked = stream.finish(expected);
  if (chunked.code() != status.code() || chunkedHanded != handed) std::abort();
  return 0;
}
