#include "sfsync/jobs/FailedRerun.h"

#include "sfsync/activity/ErrorFileReader.h"

namespace sfsync::jobs {

namespace {

Result<store::ExecutionRecord> findExecution(store::Store& store, const std::string& id) {
  store::ExecutionQuery query;
  query.executionId = id;
  query.limit = 1;
  Result<std::vector<store::ExecutionRecord>> rows = store.listExecutions(query);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::NotFound("unknown execution '" + id + "'");
  return std::move(rows->front());
}

}  // namespace

Result<FailedRecords> FailedRerun::plan(store::Store& store, const std::string& executionId) {
  Result<store::ExecutionRecord> row = findExecution(store, executionId);
  if (!row.ok()) return row.status();
  if (row->kind != "job") {
    return Status::InvalidArgument("execution '" + executionId +
                                   "' is a chain run; re-run the failed records of its job runs");
  }
  if (store::isUnfinishedStatus(row->status)) {
    return Status::InvalidArgument("execution '" + executionId + "' has not finished yet");
  }
  if (row->errorFile.empty()) {
    return Status::InvalidArgument("execution '" + executionId +
                                   "' has no error file: no record failed");
  }
  Result<std::vector<std::string>> ids =
      activity::ErrorFileReader::failedIds(row->errorFile, activity::ErrorFileLimits{});
  if (!ids.ok()) {
    if (ids.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("the error file of execution '" + executionId +
                              "' no longer exists (removed by retention?)");
    }
    if (ids.status().code() == StatusCode::kDataError) {  // e.g. the job does not read Id
      return Status::InvalidArgument("the failed records of execution '" + executionId +
                                     "' cannot be re-run: " + ids.status().message());
    }
    return ids.status();
  }
  if (ids->empty()) {
    return Status::InvalidArgument("the error file of execution '" + executionId +
                                   "' names no failed record (only record-less errors)");
  }
  return FailedRecords{executionId, row->name, std::move(ids).value()};
}

store::ExecutionRecord FailedRerun::run(const config::JobConfig& job, RunContext& context,
                                        const FailedRecords& failed) {
  context.onlyIds = failed.ids;
  context.rerunOf = failed.executionId;
  context.executionId.clear();  // always a new execution
  context.attempt = 1;
  return JobRunner::run(job, context);
}

}  // namespace sfsync::jobs
