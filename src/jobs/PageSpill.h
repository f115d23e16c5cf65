// PageSpill: extracted pages written to a temporary binary file and replayed later, so a job can
// finish extracting (pipelined chains) before it loads without holding its whole extract in memory.
// Format per page: row count, the rows as one length-prefixed block (core/ValueCodec), then the
// structured cells (count, (row, column) pairs), then the Bulk position (locator length + bytes,
// rows into set) (host byte order; the file never outlives the run).
//
// Thread-safety: not thread-safe; one writer, then one reader.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::jobs {

class PageSpill {
 public:
  explicit PageSpill(std::string path) : path_(std::move(path)) {}
  ~PageSpill();  // removes the file

  // kIoError when the page cannot be written (a full disk may only show at replay, on flush).
  Status append(const salesforce::RecordPage& page);
  // Replays every page in order (columns and totalSize restored), then removes the file. kIoError
  // when the buffer could not be completely written or read back: never a silently short replay.
  // Every page but the last says its next page is ready (RecordPage::nextPageReady).
  Status replay(const salesforce::PageHandler& onPage);

 private:
  std::string path_;
  std::ofstream out_;
  std::vector<std::string> columns_;
  std::int64_t totalSize_ = 0;
  int pages_ = 0;
};

}  // namespace sfsync::jobs
