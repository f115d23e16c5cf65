// RecordChange: one committed record change of the simulated org, as the change listener
// (SimServer::setChangeListener) sees it: the object's schema and the row before and after the
// write. A create has no `before` (or, for an undelete, a `before` marked IsDeleted); a hard delete
// has no `after`. The Pub/Sub simulator (tests/pubsub_sim) turns these into Change Data Capture
// events.
//
// Thread-safety: plain value type; the schema and rows are immutable and outlive the notice.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "salesforce_sim/ObjectSchema.h"
#include "salesforce_sim/Row.h"

namespace sfsync::sim {

struct RecordChange {
  const ObjectSchema* schema = nullptr;
  std::string id;  // 18 characters
  RowPtr before;   // null: the record did not exist
  RowPtr after;    // null: the record is gone (hard delete)
  std::int64_t commitMs = 0;
  std::string userId;  // who committed it (the simulator's API user)
};

// Called after the writing call released the org lock, with the changes of that call in commit
// order (one call, one transaction).
using ChangeListener = std::function<void(const std::vector<RecordChange>&)>;

}  // namespace sfsync::sim
