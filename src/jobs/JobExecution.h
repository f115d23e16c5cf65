// JobExecution: one execution of one job, either whole (extract -> map -> load streamed page by
// page) or in two phases for pipelined chains: extract() writes the pages to a PageSpill, load()
// replays them through the same mapping and loading as a whole run (lookup indexes are built at
// load time, so they see everything the job's predecessors loaded). The execution row is begun in
// the constructor and finished by runWhole(), load() or skip(). A row that cannot be begun fails
// the run (nothing is extracted); a final row that cannot be saved is logged and noted in the
// returned record's message.
//
// Counts: recordsRead counts the records received from Salesforce as they arrive (so a run failing
// mid-extract reports what it fetched); retries is how many requests the client repeated during
// this execution (clientRetries() at the end minus at the start).
//
// Thread-safety: not thread-safe; one thread at a time (phases may run on different threads, in
// order).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jobs/PageSpill.h"
#include "sfsync/activity/ErrorFile.h"
#include "sfsync/activity/ExecutionLog.h"
#include "sfsync/activity/SuccessFile.h"
#include "sfsync/jobs/JobRunner.h"

namespace sfsync::jobs {

class JobExecution {
 public:
  JobExecution(const config::JobConfig& job, RunContext& context);

  store::ExecutionRecord runWhole();
  // Phase 1; a failure is final (load() then only finishes the row).
  Status extract();
  // Phase 2.
  store::ExecutionRecord load();
  // The job was prepared but will not load (a predecessor failed): finish the row as Skipped.
  store::ExecutionRecord skip(const std::string& reason);

  const store::ExecutionRecord& record() { return log_.record(); }

 private:
  std::string soql() const;
  // The adapter to the Salesforce client's cumulative retry counter (re-authentications, 5xx /
  // network and malformed-page retries).
  std::int64_t clientRetries() const;
  // Adds a page received from Salesforce to recordsRead, apiCalls and retries.
  void countFetched(const salesforce::RecordPage& page);
  // Plans the load and runs `feed` (query or spill replay) through the page processor.
  Status loadFrom(const std::function<Status(const salesforce::PageHandler&)>& feed);
  store::ExecutionRecord finish(Status status);

  const config::JobConfig& job_;
  RunContext& context_;
  activity::ExecutionLog log_;
  Status begun_;
  std::vector<std::string> columns_;
  std::unique_ptr<activity::ErrorFile> errors_;
  std::unique_ptr<activity::SuccessFile> successes_;
  std::optional<salesforce::ObjectDescribe> describe_;
  std::unique_ptr<PageSpill> spill_;
  Status extracted_;
  std::int64_t retriesAtStart_ = 0;
};

}  // namespace sfsync::jobs
