// RunPlan: everything one job run needs that is derived once from the job and the source describe:
// a TargetMapper per target (its tables ensured, with an index over every lookup's match columns so
// the page-by-page lookups - Store::lookupGsids - are index searches), the upsert-key positions and
// whether duplicate keys must be tracked.
//
// Thread-safety: not thread-safe; owned by the run.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/mapping/TargetMapper.h"
#include "sfsync/salesforce/ObjectDescribe.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

class RunPlan {
 public:
  // Builds mappers, ensures every target table exists and every lookup's match columns are indexed.
  static Result<std::unique_ptr<RunPlan>> build(const config::JobConfig& job,
                                                const salesforce::ObjectDescribe& describe,
                                                const std::vector<std::string>& sourceColumns,
                                                store::Store& store);

  std::size_t targetCount() const { return mappers_.size(); }
  const mapping::TargetMapper& mapper(std::size_t t) const { return mappers_[t]; }
  // Position of the target named `object` in this job, or -1.
  int targetIndex(const std::string& object) const;
  // Output-column positions (in target `t`) of the key of target `t` (its upsert key).
  const std::vector<int>& keyPositions(std::size_t t) const { return keyPositions_[t]; }
  // False when target `t`'s upsert key is the Salesforce record Id alone (unique per extract).
  bool trackDuplicates(std::size_t t) const { return trackDuplicates_[t]; }
  // Rows target `t`'s table held when the plan was built (before the run wrote anything); counted
  // only for jobs with an onSourceDelete policy (0 otherwise).
  std::int64_t rowsAtStart(std::size_t t) const { return rowsAtStart_[t]; }

 private:
  std::vector<mapping::TargetMapper> mappers_;
  std::vector<std::vector<int>> keyPositions_;  // [target]
  std::vector<bool> trackDuplicates_;           // [target]
  std::vector<std::int64_t> rowsAtStart_;       // [target]
};

}  // namespace sfsync::jobs
