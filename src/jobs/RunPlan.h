// RunPlan: everything one job run needs that is derived once from the job and the source describe:
// a TargetMapper per target, the lookup indexes its derived mappings read (one per lookup object
// and match-column set, loaded with one query each), and which indexes follow the run's own loads
// (lookups into a target this job writes - self-lookups and lookups into an earlier target).
//
// Thread-safety: not thread-safe; owned by the run.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/mapping/LookupIndex.h"
#include "sfsync/mapping/TargetMapper.h"
#include "sfsync/salesforce/ObjectDescribe.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

class RunPlan {
 public:
  // Builds mappers, ensures every target table exists, loads the lookup indexes.
  static Result<std::unique_ptr<RunPlan>> build(const config::JobConfig& job,
                                                const salesforce::ObjectDescribe& describe,
                                                const std::vector<std::string>& sourceColumns,
                                                store::Store& store);

  std::size_t targetCount() const { return mappers_.size(); }
  const mapping::TargetMapper& mapper(std::size_t t) const { return mappers_[t]; }
  // Position of the target named `object` in this job, or -1.
  int targetIndex(const std::string& object) const;
  // The index lookup `l` of target `t` reads.
  mapping::LookupIndex& index(std::size_t t, std::size_t l) { return *lookupIndex_[t][l]; }

  // Adds rows just loaded into target `t` (their output values and gsids) to every index over that
  // target's table, so later lookups in the same run see them.
  void indexLoadedRows(std::size_t t, const std::vector<const std::vector<Value>*>& rows,
                       const std::vector<std::string>& gsids);

  // Output-column positions (in target `t`) of the key of target `t` (its upsert key).
  const std::vector<int>& keyPositions(std::size_t t) const { return keyPositions_[t]; }
  // False when target `t`'s upsert key is the Salesforce record Id alone (unique per extract).
  bool trackDuplicates(std::size_t t) const { return trackDuplicates_[t]; }
  // Rows target `t`'s table held when the plan was built (before the run wrote anything); counted
  // only for jobs with an onSourceDelete policy (0 otherwise).
  std::int64_t rowsAtStart(std::size_t t) const { return rowsAtStart_[t]; }

 private:
  struct FollowedIndex {
    mapping::LookupIndex* index;
    std::vector<int> columnPositions;  // positions in the loaded target's output rows
  };

  std::vector<mapping::TargetMapper> mappers_;
  std::map<std::string, std::unique_ptr<mapping::LookupIndex>> indexes_;  // by table + columns
  std::vector<std::vector<mapping::LookupIndex*>> lookupIndex_;           // [target][lookup]
  std::vector<std::vector<FollowedIndex>> followed_;                      // [target]
  std::vector<std::vector<int>> keyPositions_;                            // [target]
  std::vector<bool> trackDuplicates_;                                     // [target]
  std::vector<std::int64_t> rowsAtStart_;                                 // [target]
};

}  // namespace sfsync::jobs
