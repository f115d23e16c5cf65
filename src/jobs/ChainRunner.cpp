#include "sfsync/jobs/ChainRunner.h"

#include "sfsync/activity/ExecutionLog.h"
#include "sfsync/jobs/JobRunner.h"

namespace sfsync::jobs {

namespace {

bool allowsNext(const std::string& status) {
  return status == activity::kStatusSuccess || status == activity::kStatusPartial;
}

// Records a job that did not run because an earlier job of the chain did not succeed.
store::ExecutionRecord skipJob(const config::JobConfig& job, const std::string& reason,
                               const std::string& chainId, ChainContext& context) {
  activity::ExecutionLog log(context.store, context.clock);
  store::ExecutionRecord record;
  record.name = job.name;
  record.connection = job.connection;
  record.trigger = context.trigger;
  record.parentId = chainId;
  log.begin(std::move(record));
  log.record().message = reason;
  log.finish(Status::OK(), activity::kStatusSkipped);
  return log.record();
}

}  // namespace

ChainRun ChainRunner::run(const config::ChainConfig& chain, const config::LoadedConfig& config,
                          ChainContext& context) {
  ChainRun result;
  activity::ExecutionLog chainLog(context.store, context.clock);
  store::ExecutionRecord start;
  start.kind = "chain";
  start.name = chain.name;
  start.trigger = context.trigger;
  chainLog.begin(std::move(start));
  store::ExecutionRecord& chainRecord = chainLog.record();

  std::string blockedBy;  // first job that did not allow the chain to go on
  bool anyPartial = false;
  for (const auto& jobName : chain.jobs) {
    const config::JobConfig* job = config.findJob(jobName);
    if (job == nullptr) continue;  // the loader rejects chains naming unknown jobs
    if (chainRecord.connection.empty()) chainRecord.connection = job->connection;

    store::ExecutionRecord jobRecord;
    if (!blockedBy.empty()) {
      jobRecord = skipJob(*job, "skipped: job '" + blockedBy + "' did not succeed",
                          chainRecord.executionId, context);
    } else {
      salesforce::SalesforceClientPtr client = context.clients(job->connection);
      RunContext run{*client, context.store, context.clock, context.errorDir, context.trigger,
                     chainRecord.executionId};
      jobRecord = JobRunner::run(*job, run);
      if (!allowsNext(jobRecord.status)) blockedBy = job->name;
      anyPartial = anyPartial || jobRecord.status == activity::kStatusPartial;
    }
    chainRecord.recordsRead += jobRecord.recordsRead;
    chainRecord.created += jobRecord.created;
    chainRecord.updated += jobRecord.updated;
    chainRecord.skipped += jobRecord.skipped;
    chainRecord.failed += jobRecord.failed;
    chainRecord.apiCalls += jobRecord.apiCalls;
    result.jobs.push_back(std::move(jobRecord));
  }

  std::string status = activity::kStatusSuccess;
  if (!blockedBy.empty()) {
    status = activity::kStatusFailed;
    chainRecord.message = "job '" + blockedBy + "' did not succeed";
  } else if (anyPartial) {
    status = activity::kStatusPartial;
  }
  chainLog.finish(Status::OK(), status);
  result.chain = chainRecord;
  return result;
}

}  // namespace sfsync::jobs
