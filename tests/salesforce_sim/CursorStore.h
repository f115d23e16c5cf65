// CursorStore: open query cursors (Salesforce "query locators"): the snapshotted result of a query
// whose records did not fit into one page, keyed by a 01g... locator id. The nextRecordsUrl of a
// page is "/services/data/vNN.N/query/<locator>-<offset>". At most `maxOpen` cursors are kept;
// opening another releases the oldest, as Salesforce does, after which its locator answers
// INVALID_QUERY_LOCATOR.
//
// Thread-safety: all methods are safe from any thread (internal mutex); results are immutable.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "salesforce_sim/QueryExecutor.h"

namespace sfsync::sim {

struct QueryCursor {
  std::shared_ptr<const QueryResult> result;
  std::size_t pageSize = 2000;
};

class CursorStore {
 public:
  explicit CursorStore(std::size_t maxOpen = 50) : maxOpen_(maxOpen) {}

  // Stores the cursor and returns its locator id.
  std::string open(QueryCursor cursor);
  // The cursor, or an empty result when unknown/released.
  std::shared_ptr<const QueryCursor> find(const std::string& locator) const;
  void clear();
  std::size_t size() const;

 private:
  const std::size_t maxOpen_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const QueryCursor>> cursors_;
  std::deque<std::string> order_;
  std::uint64_t serial_ = 0;
};

}  // namespace sfsync::sim
