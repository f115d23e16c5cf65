// FailedRerun: re-running only the records an execution failed (issue 16). plan() reads the
// execution row and the distinct record Ids of its error file; run() runs the job for those Ids
// only (RerunQuery: WHERE Id IN (...) in batches, over REST) as a NEW execution whose rerunOf names
// the first. Such a run never reads or moves the job's incremental cursor or checkpoint, detects
// no deletes and keeps its deferred self-lookups in a queue of its own.
//
// Thread-safety: stateless; run() has JobRunner::run's contract.
#pragma once

#include <string>
#include <vector>

#include "sfsync/config/Config.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

// The store state key of a pending re-run request of `job` (the daemon: its value is the execution
// id; the job's next run-now consumes it).
inline std::string rerunFailedKey(const std::string& job) { return "job.rerunFailed/" + job; }

struct FailedRecords {
  std::string executionId;       // the execution re-run
  std::string job;               // its job's name
  std::vector<std::string> ids;  // distinct record Ids of its error file, in file order
};

class FailedRerun {
 public:
  // Errors: kNotFound - no such execution, or its error file no longer exists (retention);
  // kInvalidArgument (a conflict, HTTP 409) - a chain execution (re-run its job runs), a run still
  // going, no error file (no record failed) or no record Id in it; kDataError - an unreadable
  // file or more than activity::ErrorFileReader::kMaxRerunIds failed records; store errors.
  static Result<FailedRecords> plan(store::Store& store, const std::string& executionId);

  // Runs `job` (the execution's job, by the caller's current configuration) for `failed.ids`;
  // `context.onlyIds` / `rerunOf` are set from `failed`. Returns the new, saved execution row.
  static store::ExecutionRecord run(const config::JobConfig& job, RunContext& context,
                                    const FailedRecords& failed);
};

}  // namespace sfsync::jobs
