// DeleteApplier: applies a job's onSourceDelete policy to the target rows named by a scratch set of
// deleted source Ids, in ONE store transaction: per target it finds the rows (direct Id column, or
// linked rows no other unmarked link row still refers to), counts them against the target's
// unmarked rows for the mass-delete breaker, and only when no target trips (or the job's one-shot
// override allowMassDeleteKey is present with a non-empty value) deletes them
// ("delete") or sets IsDeleted = true, DeletedAt = the run's time ("markDeleted"; rows already
// marked keep their time). The override is erased in the same transaction by the run it let
// through, or by any run that deletes or marks rows. A tripped breaker fails with kDataError,
// remote code MASS_DELETE_BLOCKED, a message naming each tripped target with its counts and
// percent and both overrides (--allow-mass-delete=NAME, POST /api/jobs/{name}/allow-mass-delete);
// nothing is changed. The breaker trips when rows * 100 > massDeletePercent * unmarked rows.
//
// Thread-safety: not thread-safe; one per run. Holds the store's transaction while it works (SQL
// only, no network I/O).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "jobs/DeleteRoutes.h"
#include "jobs/ScratchIdSet.h"
#include "sfsync/config/Config.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

inline constexpr const char* kMassDeleteBlocked = "MASS_DELETE_BLOCKED";

// What a run did to one target.
struct TargetDeletes {
  std::string target;
  std::int64_t rows = 0;   // deleted or marked
  std::int64_t total = 0;  // unmarked rows before
};

class DeleteApplier {
 public:
  DeleteApplier(const config::JobConfig& job, const std::vector<DeleteRoute>& routes,
                store::Store& store)
      : job_(job), routes_(routes), store_(store) {}

  // `nowIso`: DeletedAt of rows marked now. Fills `applied` (one entry per reachable target).
  // `alsoCommit` (may be empty) runs last inside the same transaction (the caller's bookkeeping).
  Status apply(const std::string& deletedSet, const std::string& nowIso,
               std::vector<TargetDeletes>* applied, const std::function<Status()>& alsoCommit);

 private:
  struct Plan {
    const DeleteRoute* route;
    store::RowFilter rows;  // the target rows to delete / mark
    TargetDeletes counts;
  };

  Status body(const std::string& deletedSet, const std::string& nowIso,
              std::vector<TargetDeletes>* applied);
  // The rows of `route` the deleted set names (for a linked target: fills a scratch set).
  Result<store::RowFilter> rowsOf(const DeleteRoute& route, const std::string& deletedSet);
  // True when a target trips and `overridden` (allowMassDeleteKey is set) lets it through, false
  // when none trips, else the MASS_DELETE_BLOCKED failure naming every tripped target.
  Result<bool> checkBreaker(const std::vector<Plan>& plans, bool overridden);
  Status change(const Plan& plan, const std::string& nowIso, std::int64_t* rows);

  const config::JobConfig& job_;
  const std::vector<DeleteRoute>& routes_;
  store::Store& store_;
  std::vector<ScratchIdSet> scratch_;  // linked targets' sets, dropped after the transaction
};

}  // namespace sfsync::jobs
