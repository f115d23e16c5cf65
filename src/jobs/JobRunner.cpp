#include "sfsync/jobs/JobRunner.h"

#include <Poco/Path.h>
#include <Poco/String.h>

#include <cctype>

#include "jobs/PageProcessor.h"
#include "jobs/RunPlan.h"
#include "sfsync/activity/ErrorFile.h"
#include "sfsync/activity/SuccessFile.h"
#include "sfsync/activity/ExecutionLog.h"
#include "sfsync/salesforce/SoqlBuilder.h"

namespace sfsync::jobs {

namespace {

int findColumn(const std::vector<std::string>& columns, const std::string& name) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (Poco::icompare(columns[i], name) == 0) return static_cast<int>(i);
  }
  return -1;
}

// Extract -> map -> resolve -> load for one execution; returns the run-level status.
Status execute(const config::JobConfig& job, const std::vector<std::string>& columns,
               RunContext& context, store::ExecutionRecord& record, activity::ErrorFile& errors,
               activity::SuccessFile* successes) {
  Result<salesforce::ObjectDescribe> describe = context.client.describe(job.sourceObject);
  if (!describe.ok()) return describe.status();
  Result<std::unique_ptr<RunPlan>> plan = RunPlan::build(job, *describe, columns, context.store);
  if (!plan.ok()) return plan.status();

  salesforce::SoqlBuilder soql(job.sourceObject);
  soql.select(columns);
  if (!job.filter.empty()) soql.where(job.filter);

  const int dedupeColumn = job.dedupeBy.empty() ? -1 : findColumn(columns, job.dedupeBy);
  PageProcessor processor(job, **plan, context.store, errors, successes, record, dedupeColumn);
  Status extracted =
      context.client.query(soql.build(), columns, [&](salesforce::RecordPage& page) {
        Status loaded = processor.process(page);
        if (!loaded.ok()) return loaded;
        record.apiCalls = context.client.usage().calls;
        return context.store.saveExecution(record);  // progress visible while the run goes on
      });
  if (!extracted.ok()) return extracted;
  return processor.finish();
}

}  // namespace

std::string JobRunner::slug(const std::string& name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "job" : out;
}

store::ExecutionRecord JobRunner::run(const config::JobConfig& job, RunContext& context) {
  activity::ExecutionLog log(context.store, context.clock);
  store::ExecutionRecord start;
  start.kind = "job";
  start.name = job.name;
  start.connection = job.connection;
  start.trigger = context.trigger;
  start.parentId = context.parentId;
  start.executionId = context.executionId;
  start.attempts = context.attempt;
  start.chainName = context.chainName;
  Status s = log.begin(std::move(start));

  const std::vector<std::string> columns = job.sourceFields();
  Poco::Path files(context.errorDir);
  files.makeDirectory().pushDirectory(slug(job.name));
  activity::ErrorFile errors(files.setFileName(log.record().executionId + ".errors.csv").toString(),
                             columns);
  std::unique_ptr<activity::SuccessFile> successes;
  if (job.successFile) {
    successes = std::make_unique<activity::SuccessFile>(
        files.setFileName(log.record().executionId + ".success.csv").toString(), columns);
  }
  if (s.ok()) s = execute(job, columns, context, log.record(), errors, successes.get());
  for (Status closed : {errors.close(), successes ? successes->close() : Status::OK()}) {
    if (s.ok()) s = closed;
  }
  log.record().errorFile = errors.path();
  if (successes) log.record().successFile = successes->path();
  log.record().apiCalls = context.client.usage().calls;
  log.finish(s);
  return log.record();
}

}  // namespace sfsync::jobs
