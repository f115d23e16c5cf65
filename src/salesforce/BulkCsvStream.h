// BulkCsvStream: parses ONE Bulk API 2.0 result set pushed in chunks as they arrive from the
// socket (libcsv is a push parser), handing pages to the sink as they fill; see BulkCsvReader for
// the format, the typing and the checks. Memory: one page of rows being filled plus libcsv's
// buffer for the current field, however large the set. A page is handed out only when the next
// row starts, so it holds complete rows (each checked for its column count); the set's last page
// is handed out by finish() after the whole set was checked (complete quoting, a final line break,
// the row count of Sforce-NumberOfRecords).
//
// Thread-safety: one instance per set, used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>

#include "salesforce/BulkCsvReader.h"

namespace sfsync::salesforce {

class BulkCsvStream {
 public:
  // `reader` must outlive this. The first `skipRows` data rows are parsed but not handed out.
  BulkCsvStream(const BulkCsvReader& reader, std::int64_t skipRows,
                const BulkCsvReader::PageSink& sink);
  ~BulkCsvStream();
  BulkCsvStream(const BulkCsvStream&) = delete;
  BulkCsvStream& operator=(const BulkCsvStream&) = delete;

  // Parses the next bytes of the set. kDataError when the set is malformed so far; the sink's
  // own Status when it stopped (outcome().sinkStopped). After an error, further calls return it.
  Status feed(const char* data, std::size_t size);
  // The end of the set: the checks of the whole set, then the last page (see
  // BulkCsvReader::parseSet for the Statuses). `expectedRows`: Sforce-NumberOfRecords or -1.
  Status finish(std::int64_t expectedRows);
  // Rows parsed and handed out so far.
  const BulkSetOutcome& outcome() const { return outcome_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  BulkSetOutcome outcome_;
};

}  // namespace sfsync::salesforce
