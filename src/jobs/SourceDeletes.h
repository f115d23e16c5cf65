// SourceDeletes: what happens to target rows when their Salesforce record is deleted. After the last
// page of a run (before the run's final cursor is committed) JobExecution calls apply(): it finds the
// records of job.sourceObject deleted within the window (queryAll IsDeleted = true and
// sobjects/{Object}/deleted; a full Id-set comparison for full runs or when the window is older than
// earliestDateAvailable) and applies job.onSourceDelete to the job's targets (markDeleted / delete,
// multi-target link rules), behind the mass-delete breaker (massDeletePercent, overridden once by
// allowMassDeleteKey). Nothing is deleted when the breaker trips (the run fails with the reason).
//
// Thread-safety: stateless; one call per run.
#pragma once

#include <string>

#include "jobs/RunPlan.h"
#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/salesforce/SalesforceClient.h"
#include "sfsync/store/ExecutionRecord.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

struct DeleteWindow {
  bool fullComparison = false;  // full run: compare the org's Id set with the targets' Ids
  std::string startIso;         // incremental: cursor stamp minus the overlap window
  std::string endIso;           // incremental: the run's start time
};

class SourceDeletes {
 public:
  // Adds what it deleted or marked to record.deleted. With onSourceDelete == kIgnore: OK, no calls.
  static Status apply(const config::JobConfig& job, RunPlan& plan,
                      salesforce::SalesforceClient& client, store::Store& store, Clock& clock,
                      const DeleteWindow& window, store::ExecutionRecord& record);
};

}  // namespace sfsync::jobs
