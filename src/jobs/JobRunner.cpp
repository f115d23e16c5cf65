#include "sfsync/jobs/JobRunner.h"

#include <Poco/Path.h>

#include <cctype>

#include "sfsync/activity/ErrorFile.h"
#include "sfsync/activity/ExecutionLog.h"
#include "sfsync/mapping/RecordMapper.h"
#include "sfsync/salesforce/SoqlBuilder.h"

namespace sfsync::jobs {

namespace {

activity::RejectedRecord rejectedFromOutcome(const store::RowOutcome& outcome) {
  activity::RejectedRecord r;
  r.reasonCode = outcome.reasonCode;
  r.stage = "load";
  r.candidates = outcome.candidates;
  r.message = outcome.message;
  return r;
}

// Loads one extracted page: map every row, upsert the good ones in one transaction, report the rest.
class PageLoader {
 public:
  PageLoader(const mapping::RecordMapper& mapper, const config::JobConfig& job,
             store::Store& store, activity::ErrorFile& errors, store::ExecutionRecord& record)
      : mapper_(mapper), store_(store), errors_(errors), record_(record) {
    request_.table = job.targetObject;
    request_.columns = mapper.targetColumns();
    request_.keyColumns = mapper.keyColumns();
    request_.updateOnly = job.updateOnly;
  }

  Status load(const salesforce::RecordPage& page) {
    record_.recordsRead += static_cast<std::int64_t>(page.rows.size());
    request_.rows.clear();
    sourceIndex_.clear();
    mapping::MapError error;
    for (std::size_t i = 0; i < page.rows.size(); ++i) {
      std::vector<Value> out;
      if (mapper_.map(page.rows[i], out, error)) {
        request_.rows.push_back(std::move(out));
        sourceIndex_.push_back(i);
        continue;
      }
      ++record_.failed;
      Status s = errors_.add(page.rows[i], {error.reasonCode, "map", error.mapping, error.value,
                                            {}, error.message});
      if (!s.ok()) return s;
    }
    if (request_.rows.empty()) return Status::OK();

    Result<std::vector<store::RowOutcome>> outcomes = store_.upsert(request_);
    if (!outcomes.ok()) return outcomes.status();
    for (std::size_t j = 0; j < outcomes->size(); ++j) {
      const store::RowOutcome& outcome = (*outcomes)[j];
      switch (outcome.action) {
        case store::RowAction::kCreated: ++record_.created; break;
        case store::RowAction::kUpdated: ++record_.updated; break;
        case store::RowAction::kSkipped: ++record_.skipped; break;
        case store::RowAction::kRejected: {
          ++record_.failed;
          Status s = errors_.add(page.rows[sourceIndex_[j]], rejectedFromOutcome(outcome));
          if (!s.ok()) return s;
          break;
        }
      }
    }
    return Status::OK();
  }

 private:
  const mapping::RecordMapper& mapper_;
  store::Store& store_;
  activity::ErrorFile& errors_;
  store::ExecutionRecord& record_;
  store::UpsertRequest request_;
  std::vector<std::size_t> sourceIndex_;
};

// Extract -> map -> load for one execution; returns the run-level status.
Status execute(const config::JobConfig& job, const std::vector<std::string>& columns,
               RunContext& context, store::ExecutionRecord& record, activity::ErrorFile& errors) {
  Result<salesforce::ObjectDescribe> describe = context.client.describe(job.sourceObject);
  if (!describe.ok()) return describe.status();

  Result<mapping::RecordMapper> mapper = mapping::RecordMapper::create(job, *describe, columns);
  if (!mapper.ok()) return mapper.status();
  Status s = context.store.ensureTable(mapper->table(), mapper->keyColumns());
  if (!s.ok()) return s;

  salesforce::SoqlBuilder soql(job.sourceObject);
  soql.select(columns);
  if (!job.filter.empty()) soql.where(job.filter);

  PageLoader loader(*mapper, job, context.store, errors, record);
  return context.client.query(soql.build(), columns, [&](salesforce::RecordPage& page) {
    Status loaded = loader.load(page);
    if (!loaded.ok()) return loaded;
    record.apiCalls = context.client.usage().calls;
    return context.store.saveExecution(record);  // progress visible while the run goes on
  });
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
  Status s = log.begin(std::move(start));

  const std::vector<std::string> columns = job.sourceFields();
  Poco::Path errorPath(context.errorDir);
  errorPath.makeDirectory().pushDirectory(slug(job.name));
  errorPath.setFileName(log.record().executionId + ".errors.csv");
  activity::ErrorFile errors(errorPath.toString(), columns);
  if (s.ok()) s = execute(job, columns, context, log.record(), errors);
  Status closed = errors.close();
  if (s.ok()) s = closed;
  log.record().errorFile = errors.path();
  log.record().apiCalls = context.client.usage().calls;
  log.finish(s);
  return log.record();
}

}  // namespace sfsync::jobs
