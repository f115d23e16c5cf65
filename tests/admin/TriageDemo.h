// TriageDemo: a stand-in for the daemon's re-run of failed records (issue 16) for the admin tests
// and admin_demo_server - it checks the request with the real jobs::FailedRerun::plan and, instead
// of running the job against Salesforce, writes the new execution row the run would write: linked
// by rerunOf, reading exactly the failed Ids, all of them updated.
//
// Thread-safety: as the Store passed in (thread-safe by contract).
#pragma once

#include <string>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Ids.h"
#include "sfsync/core/Result.h"
#include "sfsync/jobs/FailedRerun.h"
#include "sfsync/store/Store.h"

namespace sfsync::admin::testing {

inline Result<std::string> simulateRerunFailed(store::Store& store,
                                               const std::string& executionId) {
  Result<jobs::FailedRecords> failed = jobs::FailedRerun::plan(store, executionId);
  if (!failed.ok()) return failed.status();
  store::ExecutionQuery query;
  query.executionId = executionId;
  Result<std::vector<store::ExecutionRecord>> rows = store.listExecutions(query);
  if (!rows.ok()) return rows.status();
  const store::ExecutionRecord& first = rows->front();
  store::ExecutionRecord rerun;
  rerun.executionId = newUuid();
  rerun.name = first.name;
  rerun.connection = first.connection;
  rerun.trigger = "run-now";
  rerun.status = "Success";
  rerun.startTime = "2026-03-09T09:00:00.000Z";  // after every seeded row: the newest
  rerun.endTime = "2026-03-09T09:00:01.500Z";
  rerun.recordsRead = static_cast<std::int64_t>(failed->ids.size());
  rerun.updated = rerun.recordsRead;
  rerun.mode = "rerun";
  rerun.api = "rest";
  rerun.rerunOf = executionId;
  rerun.message = "re-run of " + std::to_string(failed->ids.size()) +
                  " failed record(s) of execution " + executionId;
  Status saved = store.saveExecution(rerun);
  if (!saved.ok()) return saved;
  return "re-run of " + std::to_string(failed->ids.size()) + " failed record(s) of '" + first.name +
         "' started";
}

}  // namespace sfsync::admin::testing
