// QueryExecutor: runs a QueryPlan against the live tables (filter, ORDER BY, OFFSET, LIMIT) and
// snapshots the result: per result record, the record's row and one row per relationship slot
// (nullptr when the reference is empty or dangling). Rows are immutable and shared, so the snapshot
// stays stable while the org changes and can be rendered page by page without any lock.
//
// Thread-safety: run() reads the tables; the caller holds the org's read lock. QueryResult is
// immutable afterwards and may be shared across threads.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "salesforce_sim/QueryPlan.h"

namespace sfsync::sim {

struct QueryResult {
  std::shared_ptr<const QueryPlan> plan;
  std::size_t stride = 1;     // rows per record = plan->slotCount()
  std::vector<RowPtr> rows;   // record r, slot s at rows[r * stride + s]
  std::size_t totalSize = 0;  // records (or the COUNT() for count queries)

  std::size_t recordCount() const { return rows.size() / stride; }
};

class QueryExecutor {
 public:
  static QueryResult run(std::shared_ptr<const QueryPlan> plan);
  // Exposed for tests: SOQL LIKE on a value with a lower-cased pattern (% _ and \ escapes),
  // case-insensitive.
  static bool like(std::string_view value, std::string_view loweredPattern);
};

}  // namespace sfsync::sim
