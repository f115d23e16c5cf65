// ActivityFilter: the query of GET /api/activity - validated parameters turned into a store query
// plus the one filter the store cannot apply itself (chain: a chain's own executions and the job
// runs inside it) - and the keyset paging over the store's newest-first order.
//
// Parameters: job, chain, connection (exact names), status (Success, Partial Success, Failed,
// Skipped, Running; any capitalisation), since / until (ISO-8601, see IsoTime.h; since inclusive,
// until exclusive, on the start time), limit (1..500, default 50), cursor (from a previous page's
// nextCursor). Empty values mean "any". Anything else is a ParameterError.
//
// Thread-safety: value type; readPage() calls the (thread-safe) store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "admin/PageCursor.h"
#include "admin/RequestTarget.h"
#include "sfsync/core/Result.h"
#include "sfsync/store/Store.h"

namespace sfsync::admin {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

struct ExecutionPage {
  std::vector<store::ExecutionRecord> rows;  // newest first
  std::optional<PageKey> next;               // set when more rows may follow
};

class ActivityFilter {
 public:
  // nullopt and *out set, or the first bad parameter.
  static std::optional<ParameterError> parse(const RequestTarget& target, ActivityFilter* out);

  // One page: at most limit() rows after the cursor, every filter (the chain's included) applied by
  // the store; next is set exactly when more rows follow.
  Result<ExecutionPage> readPage(store::Store& store) const;

  int limit() const { return limit_; }
  const store::ExecutionQuery& storeQuery() const { return query_; }
  const std::string& chain() const { return chain_; }

 private:
  store::ExecutionQuery query_;
  std::string chain_;
  int limit_ = kDefaultPageSize;
};

// Shared by the paginated endpoints: "limit" (1..kMaxPageSize; absent = kDefaultPageSize) and
// "cursor" (absent = first page).
std::optional<ParameterError> parseLimit(const RequestTarget& target, int* limit);
std::optional<ParameterError> parseCursor(const RequestTarget& target,
                                          std::optional<PageKey>* cursor);

}  // namespace sfsync::admin
