#include "jobs/JobExecution.h"

#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/String.h>

#include "sfsync/core/Names.h"

#include "jobs/PageProcessor.h"
#include "jobs/RunPlan.h"
#include "sfsync/salesforce/SoqlBuilder.h"

namespace sfsync::jobs {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("sfsync.jobs"); }

std::vector<std::string> targetNames(const config::JobConfig& job) {
  std::vector<std::string> names;
  for (const auto& target : job.targets) names.push_back(target.object);
  return names;
}

}  // namespace

JobExecution::JobExecution(const config::JobConfig& job, RunContext& context)
    : job_(job), context_(context), log_(context.store, context.clock) {
  retriesAtStart_ = clientRetries();
  store::ExecutionRecord start;
  start.kind = "job";
  start.name = job.name;
  start.connection = job.connection;
  start.trigger = context.trigger;
  start.parentId = context.parentId;
  start.executionId = context.executionId;
  start.attempts = context.attempt;
  start.chainName = context.chainName;
  begun_ = log_.begin(std::move(start));
  if (!begun_.ok()) {
    logger().error("job %s: cannot record the start of execution %s: %s", job.name,
                   log_.record().executionId, begun_.toString());
    begun_ =
        Status::IoError("cannot record the start of the run in the store: " + begun_.message());
  }

  columns_ = job.sourceFields();
  Poco::Path files(context.errorDir);
  files.makeDirectory().pushDirectory(JobRunner::slug(job.name));
  const std::string id = log_.record().executionId;
  errors_ = std::make_unique<activity::ErrorFile>(files.setFileName(id + ".errors.csv").toString(),
                                                  columns_);
  if (job.successFile) {
    successes_ = std::make_unique<activity::SuccessFile>(
        files.setFileName(id + ".success.csv").toString(), columns_, targetNames(job));
  }
  spill_ = std::make_unique<PageSpill>(files.setFileName(id + ".extract.bin").toString());
}

std::int64_t JobExecution::clientRetries() const { return context_.client.retryStats().total(); }

std::string JobExecution::soql() const {
  salesforce::SoqlBuilder soql(job_.sourceObject);
  soql.select(columns_);
  if (!job_.filter.empty()) soql.where(job_.filter);
  return soql.build();
}

void JobExecution::countFetched(const salesforce::RecordPage& page) {
  store::ExecutionRecord& record = log_.record();
  record.recordsRead += static_cast<std::int64_t>(page.rows.size());
  record.apiCalls = context_.client.usage().calls;
  record.retries = clientRetries() - retriesAtStart_;
}

Status JobExecution::loadFrom(const std::function<Status(const salesforce::PageHandler&)>& feed) {
  if (!describe_) {
    Result<salesforce::ObjectDescribe> describe = context_.client.describe(job_.sourceObject);
    if (!describe.ok()) return describe.status();
    describe_ = std::move(describe).value();
  }
  Result<std::unique_ptr<RunPlan>> plan =
      RunPlan::build(job_, *describe_, columns_, context_.store);
  if (!plan.ok()) return plan.status();
  store::ExecutionRecord& record = log_.record();
  const int dedupeColumn = job_.dedupeBy.empty() ? -1 : indexOfIgnoreCase(columns_, job_.dedupeBy);
  PageProcessor processor(job_, **plan, context_.store, *errors_, successes_.get(), record,
                          dedupeColumn);
  Status fed = feed([&](salesforce::RecordPage& page) {
    Status loaded = processor.process(page);
    if (!loaded.ok()) return loaded;
    return context_.store.saveExecution(record);  // progress visible while the run goes on
  });
  if (!fed.ok()) return fed;
  return processor.finish();
}

store::ExecutionRecord JobExecution::finish(Status s) {
  for (Status closed : {errors_->close(), successes_ ? successes_->close() : Status::OK()}) {
    if (s.ok()) s = closed;
  }
  store::ExecutionRecord& record = log_.record();
  record.errorFile = errors_->path();
  if (successes_) record.successFile = successes_->path();
  record.apiCalls = context_.client.usage().calls;
  record.retries = clientRetries() - retriesAtStart_;
  log_.finishOrReport(s);
  spill_.reset();  // removes any extract buffer
  return record;
}

store::ExecutionRecord JobExecution::runWhole() {
  Status s = begun_;
  if (s.ok()) {
    s = loadFrom([&](const salesforce::PageHandler& onPage) {
      return context_.client.query(soql(), columns_, [&](salesforce::RecordPage& page) {
        countFetched(page);
        return onPage(page);
      });
    });
  }
  return finish(s);
}

Status JobExecution::extract() {
  extracted_ = begun_;
  if (extracted_.ok()) {
    Result<salesforce::ObjectDescribe> describe = context_.client.describe(job_.sourceObject);
    if (!describe.ok()) {
      extracted_ = describe.status();
    } else {
      describe_ = std::move(describe).value();
      extracted_ = context_.client.query(soql(), columns_, [&](salesforce::RecordPage& page) {
        countFetched(page);  // counted here: a failure later in the extract still reports them
        Status spilled = spill_->append(page);
        if (!spilled.ok()) return spilled;
        return context_.store.saveExecution(log_.record());  // progress while extracting
      });
    }
  }
  return extracted_;
}

store::ExecutionRecord JobExecution::load() {
  Status s = extracted_;
  if (s.ok()) {
    // Replayed pages were counted as read when they were extracted.
    s = loadFrom([&](const salesforce::PageHandler& onPage) { return spill_->replay(onPage); });
  }
  return finish(s);
}

store::ExecutionRecord JobExecution::skip(const std::string& reason) {
  spill_.reset();
  log_.record().message = reason;
  log_.finishOrReport(Status::OK(), activity::kStatusSkipped);
  return log_.record();
}

}  // namespace sfsync::jobs
