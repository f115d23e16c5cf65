// ErrorFileReader: reads an execution's error or warnings file (the ErrorFile shape: source
// columns, then reason_code, stage, mapping, value, candidates, message) back for triage - counts
// by reason code and by mapping with a few sample rows each, a filtered page of rows, and the
// distinct record Ids (for re-running failed records). Every read streams the file once through
// CsvReader with the caps in Limits, so a large file never grows memory past a page and the
// samples; a file larger than maxScanBytes is read up to the cap and the answer says `truncated`.
//
// Thread-safety: stateless; every function may be called from any thread (each opens the file).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"

namespace sfsync::activity {

struct ErrorFileLimits {
  std::size_t maxRecordBytes = 1 << 20;     // one CSV row
  std::uint64_t maxScanBytes = 256u << 20;  // bytes read per request
  int samplesPerGroup = 3;                  // sample rows per reason code / mapping
  std::size_t maxGroups = 200;              // distinct reason codes / mappings kept
};

// Rows are the file's fields as written (aligned with `header`).
struct ErrorGroup {
  std::string key;  // reason code, or mapping ("" = no mapping)
  std::int64_t count = 0;
  std::vector<std::vector<std::string>> samples;
};

struct ErrorSummary {
  std::vector<std::string> header;
  std::int64_t rows = 0;
  std::vector<ErrorGroup> byReason;   // by count descending, then key
  std::vector<ErrorGroup> byMapping;  // by count descending, then key
  bool truncated = false;             // the scan or group cap was reached
};

struct ErrorRowsPage {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::int64_t matched = 0;  // rows matching the filter (in the part read)
  bool truncated = false;    // the scan cap was reached
};

class ErrorFileReader {
 public:
  static constexpr int kMaxPageLimit = 500;
  // Most Ids failedIds() returns (a re-run of more failed records needs a full run).
  static constexpr std::size_t kMaxRerunIds = 50000;

  // Errors: kNotFound (file missing), kDataError (not CSV, no reason_code column, a row too long).
  static Result<ErrorSummary> summarize(const std::string& path, const ErrorFileLimits& limits);
  // Rows whose reason_code equals `reason` ("" = every row), skipping `offset` matches, at most
  // `limit` (1..kMaxPageLimit, else kInvalidArgument).
  static Result<ErrorRowsPage> page(const std::string& path, const std::string& reason,
                                    std::int64_t offset, int limit, const ErrorFileLimits& limits);
  // The distinct non-empty values of the file's Id column, in file order (rows of stage "writeback"
  // are left out: the outbox retries them); kDataError when the file
  // has no Id column or more than kMaxRerunIds distinct Ids.
  static Result<std::vector<std::string>> failedIds(const std::string& path,
                                                    const ErrorFileLimits& limits);
};

}  // namespace sfsync::activity
