#include "jobs/JobExecution.h"

#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/String.h>

#include "sfsync/core/LogLine.h"
#include "sfsync/core/Names.h"

#include "jobs/JobMetadataCheck.h"
#include "jobs/PageProcessor.h"
#include "jobs/RerunQuery.h"
#include "sfsync/jobs/MetadataCache.h"
#include "sfsync/jobs/MetadataRefresh.h"
#include "sfsync/jobs/ReplicationState.h"
#include "sfsync/source/PrefetchingSource.h"
#include "sfsync/source/SourceFactory.h"

namespace sfsync::jobs {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("sfsync.jobs"); }

// Rolls the processor's open group back when it goes out of scope, unless `ok` was set.
struct AbandonUnlessOk {
  explicit AbandonUnlessOk(PageProcessor& p) : processor(p) {}
  ~AbandonUnlessOk() {
    if (!ok) processor.abandon();
  }
  AbandonUnlessOk(const AbandonUnlessOk&) = delete;
  AbandonUnlessOk& operator=(const AbandonUnlessOk&) = delete;
  PageProcessor& processor;
  bool ok = false;
};

std::vector<std::string> targetNames(const config::JobConfig& job) {
  std::vector<std::string> names;
  for (const auto& target : job.targets) names.push_back(target.object);
  return names;
}

}  // namespace

JobExecution::JobExecution(const config::JobConfig& job, RunContext& context)
    : job_(job), context_(context), log_(context.store, context.clock), progress_(context.events) {
  log_.setEvents(context.events);
  store::ExecutionRecord start;
  start.kind = "job";
  start.name = job.name;
  start.connection = job.connection;
  start.trigger = context.trigger;
  start.parentId = context.parentId;
  start.executionId = context.executionId;
  start.attempts = context.attempt;
  start.chainName = context.chainName;
  start.rerunOf = context.rerunOf;
  begun_ = log_.begin(std::move(start));
  if (!begun_.ok()) {
    logger().error("job %s: cannot record the start of execution %s: %s", job.name,
                   log_.record().executionId, begun_.toString());
    begun_ =
        Status::IoError("cannot record the start of the run in the store: " + begun_.message());
  }

  columns_ = job.sourceFields();
  sources_ = openSources();
  retriesAtStart_ = sourceRetries();
  Poco::Path files(context.errorDir);
  files.makeDirectory().pushDirectory(JobRunner::slug(job.name));
  const std::string id = log_.record().executionId;
  errors_ = std::make_unique<activity::ErrorFile>(files.setFileName(id + ".errors.csv").toString(),
                                                  columns_);
  warnings_ = std::make_unique<activity::ErrorFile>(
      files.setFileName(id + ".warnings.csv").toString(), columns_);
  if (job.successFile) {
    successes_ = std::make_unique<activity::SuccessFile>(
        files.setFileName(id + ".success.csv").toString(), columns_, targetNames(job));
  }
  spill_ = std::make_unique<PageSpill>(files.setFileName(id + ".extract.bin").toString());
}

source::ConnectionSourcesPtr JobExecution::openSources() const {
  if (job_.snowflakeSource() && context_.snowflake != nullptr) {
    return snowflake::makeSnowflakeSources(*context_.snowflake, context_.clock, snowflakeSpec());
  }
  return source::makeSalesforceSources(context_.client);
}

std::int64_t JobExecution::sourceRetries() const { return sources_->retries(); }

source::SourceOptions JobExecution::sourceOptions(const config::JobConfig& job,
                                                  const RunContext& context) {
  source::SourceOptions options;
  options.api = job.api == config::SourceApi::kRest   ? source::ApiChoice::kRest
                : job.api == config::SourceApi::kBulk ? source::ApiChoice::kBulk
                                                      : source::ApiChoice::kAuto;
  options.bulkThreshold = job.bulkThreshold.value_or(context.bulkThreshold);
  options.bulkPollTimeout = context.bulkPollTimeout;
  return options;
}

DescribeLookup JobExecution::sourceOnly(const Result<salesforce::ObjectDescribe>* describe,
                                        const Result<salesforce::ObjectDescribe>* other) const {
  return
      [this, describe, other](const std::string& o) -> const Result<salesforce::ObjectDescribe>& {
        return Poco::icompare(o, job_.sourceObject) == 0 ? *describe : *other;
      };
}

bool JobExecution::lacksMappedField(const salesforce::ObjectDescribe& describe) const {
  if (!job_.dedupeBy.empty() && describe.findField(job_.dedupeBy) == nullptr) return true;
  for (const MappedField& field : mappedFields(job_)) {
    // A relationship path's first hop is a relationship name, not a field: checked by its own
    // describe.
    if (field.path.find('.') == std::string::npos && describe.findField(field.path) == nullptr) {
      return true;
    }
  }
  return false;
}

Status JobExecution::describeSource() {
  // An invalid job (a mapped field gone or retyped, issue 15) fails before any Salesforce call.
  if (std::optional<JobInvalidity> invalid = MetadataRefresh::invalidity(context_.store, job_)) {
    return JobMetadataCheck::refusal(*invalid);
  }
  MetadataCache cache(context_.store, context_.clock, job_.connection,
                      context_.metadataRefreshDays);
  Result<FetchedDescribe> describe = cache.lookup(*sources_, job_.sourceObject);
  // A field added in Salesforce and mapped since the cached describe: ask again, so its column
  // gets the field's real type.
  if (describe.ok() && describe->fromCache && lacksMappedField(describe->current)) {
    describe = cache.fetch(*sources_, job_.sourceObject);
  }
  if (!describe.ok()) return describe.status();
  // What the run can check without further calls: the source object's own fields, and type
  // changes when an age-based refresh just replaced the cached describe.
  const Result<salesforce::ObjectDescribe> current(describe->current);
  const Result<salesforce::ObjectDescribe> previous =
      describe->previous ? Result<salesforce::ObjectDescribe>(*describe->previous)
                         : Result<salesforce::ObjectDescribe>(Status::NotFound(kNotAvailable));
  const Result<salesforce::ObjectDescribe> other(Status::NotFound(kNotAvailable));
  std::optional<JobInvalidity> found =
      JobMetadataCheck::check(job_, sourceOnly(&current, &other), sourceOnly(&previous, &other),
                              std::nullopt, context_.clock.now());
  Result<std::optional<JobValidityChange>> recorded =
      JobMetadataCheck::apply(context_.store, context_.clock, job_, found, "run",
                              "the job was edited and no longer maps the field");
  if (!recorded.ok()) {
    logger().warning("job %s: cannot record its metadata state: %s", job_.name,
                     recorded.status().toString());
  }
  if (found) return JobMetadataCheck::refusal(*found);
  describe_ = std::move(describe->current);
  return Status::OK();
}

Status JobExecution::recheckInvalidField(Status s) {
  // Salesforce refused a field the cached describe still has: it changed since. Describe again and
  // mark the job, so the run and the next ones say which field (not just INVALID_FIELD).
  if (s.ok() || s.remoteCode() != "INVALID_FIELD" || !describe_) return s;
  MetadataCache cache(context_.store, context_.clock, job_.connection,
                      context_.metadataRefreshDays);
  Result<FetchedDescribe> fresh = cache.fetch(*sources_, job_.sourceObject);
  if (!fresh.ok()) return s;
  const Result<salesforce::ObjectDescribe> current(fresh->current);
  const Result<salesforce::ObjectDescribe> used(*describe_);  // what this run was built with
  const Result<salesforce::ObjectDescribe> other(Status::NotFound(kNotAvailable));
  std::optional<JobInvalidity> found =
      JobMetadataCheck::check(job_, sourceOnly(&current, &other), sourceOnly(&used, &other),
                              std::nullopt, context_.clock.now());
  if (!found) return s;
  Result<std::optional<JobValidityChange>> recorded =
      JobMetadataCheck::apply(context_.store, context_.clock, job_, found, "run", "");
  if (!recorded.ok()) {
    logger().warning("job %s: cannot record its metadata state: %s", job_.name,
                     recorded.status().toString());
  }
  return JobMetadataCheck::refusal(*found);
}

Status JobExecution::prepare() {
  if (job_.snowflakeSource()) return prepareSnowflake();
  Status described = describeSource();
  if (!described.ok()) return described;
  Result<ReplicationRun> run =
      ReplicationRun::start(job_, context_.store, context_.clock, *describe_, columns_);
  if (!run.ok()) return run.status();
  replication_ = std::move(run).value();
  source::SourceOptions options = sourceOptions(job_, context_);
  // A resumed Bulk download stays on Bulk, so its job can be reused at its locator.
  if (replication_->resumesBulkJob()) options.api = source::ApiChoice::kBulk;
  Result<source::SourceChoice> choice = sources_->open(
      {replication_->restSoql(columns_), replication_->countSoql(), std::move(options)});
  if (!choice.ok()) return choice.status();
  source_ = std::move(choice->source);
  if (context_.prefetchPages) {
    // The client belongs to the fetching thread while the extract runs: read its usage there.
    source_ = std::make_unique<source::PrefetchingSource>(
        std::move(source_),
        [this](const salesforce::RecordPage&) { apiCallsSeen_.store(sources_->usage().calls); });
  }
  sourceReason_ = choice->reason;
  replication_->setApi(source_->api());
  store::ExecutionRecord& record = log_.record();
  record.mode = replication_->mode();
  record.api = source_->api();
  record.cursor = replication_->full() ? "" : replication_->startCursor().text();
  return context_.store.saveExecution(record);
}

Status JobExecution::extractFromSource(const salesforce::PageHandler& onPage) {
  // Salesforce: the replication window (REST from the checkpoint, Bulk resuming its job);
  // Snowflake: the job's statement above its high-water mark.
  const source::ExtractRequest request =
      replication_ ? replication_->request(columns_, std::string(source_->api()) == "bulk")
                   : snowflakeRequest();
  return source_->extract(request, [&](salesforce::RecordPage& page) {
    countFetched(page);
    return onPage(page);
  });
}

void JobExecution::countFetched(const salesforce::RecordPage& page) {
  store::ExecutionRecord& record = log_.record();
  record.recordsRead += static_cast<std::int64_t>(page.rows.size());
  if (expected_ == 0 && page.totalSize > 0) expected_ = page.totalSize;
  // While a prefetching extract runs, the client is only read on its fetching thread.
  record.apiCalls = context_.prefetchPages ? apiCallsSeen_.load() : sources_->usage().calls;
  record.retries = sourceRetries() - retriesAtStart_;
}

DuplicateStamp JobExecution::duplicateStamp(std::int64_t runTag) const {
  DuplicateStamp stamp;
  stamp.dedupe = job_.dedupeBy.empty() ? -1 : indexOfIgnoreCase(columns_, job_.dedupeBy);
  if (job_.snowflakeSource()) {
    // Its "Id" is the identifier column, the key that repeats: the row itself is the identity, and
    // the incremental column (if any) plays SystemModstamp's part.
    stamp.modstamp =
        job_.incrementalColumn.empty() ? -1 : indexOfIgnoreCase(columns_, job_.incrementalColumn);
    stamp.rowIdentity = true;
  } else {
    stamp.modstamp = indexOfIgnoreCase(columns_, "SystemModstamp");
    stamp.id = indexOfIgnoreCase(columns_, "Id");
  }
  if (stamp.modstamp == stamp.dedupe) stamp.modstamp = -1;  // dedupeBy is that column: once
  stamp.runTag = runTag;
  return stamp;
}

Status JobExecution::loadFrom(const std::function<Status(const salesforce::PageHandler&)>& feed) {
  Result<std::unique_ptr<RunPlan>> plan =
      RunPlan::build(job_, *describe_, columns_, context_.store);
  if (!plan.ok()) return plan.status();
  plan_ = std::move(plan).value();
  store::ExecutionRecord& record = log_.record();
  const std::string owner = deferredOwner(job_.connection, job_.name);
  if (!replication_ || !replication_->continuesCheckpoint()) {
    // A run from the start: what an abandoned run left in the job's deferred queue is moot.
    Status cleared = context_.store.clearDeferred(owner);
    if (!cleared.ok()) return cleared;
  }
  PageProcessor processor(job_, *plan_, context_.store, *errors_, successes_.get(), record,
                          duplicateStamp(replication_ ? replication_->runTag() : sfRunTag_), owner,
                          columns_.size());
  processor.setWarningFile(warnings_.get());
  processor.setGroupCommit(true);  // pages already fetched commit together (issue 11)
  processor.setCommitHook([&](const salesforce::RecordPage* page, bool deferredPending) {
    if (!replication_) return commitSnowflakePage(page);  // issue 14: its cursor per page
    if (page == nullptr) return replication_->onDeferredResolved();
    return replication_->onPageApplied(*page, deferredPending, source_->bulkJobId());
  });
  Status fed = feed([&](salesforce::RecordPage& page) {
    // A failing (or throwing) handler rolls an open group back at once: the source may wait for
    // its fetch thread before it returns, and must not keep the store held meanwhile.
    AbandonUnlessOk guard(processor);
    Status loaded = processor.process(page);
    if (!loaded.ok()) return loaded;
    loaded_ += static_cast<std::int64_t>(page.rows.size());
    if (expected_ == 0 && page.totalSize > 0) expected_ = page.totalSize;  // a replayed spill
    progress_.update(record, "load", loaded_, expected_);
    if (replication_) record.cursorEnd = replication_->endCursor().text();
    // Progress visible while the run goes on (with an open group: committed with it).
    Status saved = context_.store.saveExecution(record);
    if (saved.ok() && context_.stopping()) {
      saved = processor.flush();  // the page is committed before the run stops
      if (saved.ok()) saved = stopStatus();
    }
    guard.ok = saved.ok();
    return saved;
  });
  if (!fed.ok()) return fed;
  Status finished = processor.finish();
  if (!finished.ok()) return finished;
  return conclude();
}

Status JobExecution::runOnlyIds() {
  const bool snowflake = job_.snowflakeSource();  // issue 14: the identifiers' rows re-read
  Status described = snowflake ? openSnowflake() : describeSource();
  if (!described.ok()) return described;
  store::ExecutionRecord& record = log_.record();
  record.mode = "rerun";
  record.api = snowflake ? "snowflake" : "rest";
  Status saved = context_.store.saveExecution(record);
  if (!saved.ok()) return saved;
  Result<std::unique_ptr<RunPlan>> plan =
      RunPlan::build(job_, *describe_, columns_, context_.store);
  if (!plan.ok()) return plan.status();
  plan_ = std::move(plan).value();
  // A queue of its own: the job's queue may hold an interrupted run's rows (its resume needs them).
  const std::string owner = deferredOwner(job_.connection, job_.name) + "#rerun";
  Status cleared = context_.store.clearDeferred(owner);
  if (!cleared.ok()) return cleared;
  PageProcessor processor(job_, *plan_, context_.store, *errors_, successes_.get(), record,
                          duplicateStamp(0), owner, columns_.size());
  processor.setWarningFile(warnings_.get());
  const salesforce::PageHandler onPage = [&](salesforce::RecordPage& page) {
    record.recordsRead += static_cast<std::int64_t>(page.rows.size());
    record.apiCalls = sources_->usage().calls;
    Status loaded = processor.process(page);
    if (loaded.ok()) loaded = context_.store.saveExecution(record);
    if (loaded.ok() && context_.stopping()) return stopStatus();
    return loaded;
  };
  source::ExtractRequest request;
  request.object = job_.sourceObject;
  request.columns = columns_;
  if (snowflake) {  // its source reads the identifiers in batches (onlyIdentifiers)
    Status fed = source_->extract(request, onPage);
    if (!fed.ok()) return fed;
  }
  source::OpenRequest rest;
  rest.options.api = source::ApiChoice::kRest;  // a few Ids per statement
  for (const std::string& soql : snowflake
                                     ? std::vector<std::string>{}
                                     : RerunQuery::batches(job_, columns_, context_.onlyIds)) {
    rest.soql = soql;
    Result<source::SourceChoice> opened = sources_->open(rest);
    if (!opened.ok()) return opened.status();
    request.soql = soql;
    Status fed = opened->source->extract(request, onPage);
    if (!fed.ok()) return fed;
  }
  Status finished = processor.finish();
  if (!finished.ok()) return finished;
  const auto asked = static_cast<std::int64_t>(context_.onlyIds.size());
  record.message =
      "re-run of " + std::to_string(asked) + " failed record(s) of execution " + context_.rerunOf;
  if (record.recordsRead < asked) {
    record.message += "; " + std::to_string(asked - record.recordsRead) + " no longer in " +
                      (snowflake ? "Snowflake" : "Salesforce") + " (or outside the job's filter)";
  }
  return Status::OK();
}

Status JobExecution::conclude() {
  store::ExecutionRecord& record = log_.record();
  // Deletes through the run's Source. Snowflake: after full reads only; its Source has no delete
  // feed, so it is a full identifier comparison.
  if (job_.onSourceDelete != config::DeletePolicy::kIgnore && (replication_ || !sfSince_)) {
    DeleteWindow full;
    full.fullComparison = true;
    Status deleted =
        SourceDeletes::apply(job_, *plan_, *source_, context_.store, context_.clock,
                             replication_ ? replication_->deleteWindow() : full, record);
    if (!deleted.ok()) return deleted;
  }
  if (!replication_) return concludeSnowflake();
  Status completed = replication_->complete();
  if (!completed.ok()) return completed;
  record.cursorEnd = replication_->endCursor().text();
  std::string message = replication_->mode() + std::string(" run via ") + sourceReason_;
  if (replication_->rereadInOverlap() > 0) {
    message +=
        "; " + std::to_string(replication_->rereadInOverlap()) + " re-read in the overlap window";
  }
  if (!replication_->notes().empty()) message += "; " + replication_->notes();
  if (!source_->note().empty()) message += "; " + source_->note();
  // Keep what SourceDeletes (or anything earlier) reported, after the run's summary.
  record.message = record.message.empty() ? message : message + "; " + record.message;
  return Status::OK();
}

Status JobExecution::stopStatus() const {
  return Status::Unavailable("the daemon is shutting down").withRemote(kStopRequested);
}

Status JobExecution::finalStatus(Status s, std::string& forcedStatus) {
  const std::string& code = s.remoteCode();
  const bool checkpoint = replication_ && !replication_->endCursor().empty();
  // A shutdown stops a run at a page boundary (or cancels its Salesforce call after the grace
  // period): its committed pages stay, and the next run resumes like after an API budget stop.
  if (code == kStopRequested || (code == salesforce::kCancelled && context_.stopping())) {
    forcedStatus = store::kStatusDeferred;
    return Status::Unavailable(std::string("deferred: the daemon shut down (") + s.message() +
                               "); the next run resumes from " +
                               (checkpoint ? "its checkpoint" : "where this run started"))
        .withRemote(kStopRequested);
  }
  if (code != salesforce::kApiBudgetExhausted && code != salesforce::kRequestLimitExceeded) {
    return s;
  }
  forcedStatus = store::kStatusDeferred;
  const std::string why = code == salesforce::kApiBudgetExhausted
                              ? "the connection's API budget (apiBudgetPercent) is used up"
                              : "Salesforce refused the call: daily API request limit exceeded";
  const std::string resumes = checkpoint ? "its checkpoint" : "where this run started";
  const std::string& id = log_.record().executionId;
  LogLine(Poco::Message::PRIO_WARNING, "job '" + job_.name + "' deferred: " + why + "; execution " +
                                           id + " resumes from " + resumes)
      .field("event", "run.deferred")
      .field("kind", "job")
      .field("name", job_.name)
      .field("executionId", id)
      .field("reason", code)
      .field("resumesFrom", checkpoint ? "checkpoint" : "start")
      .emit(logger());
  return Status::PermissionDenied("deferred: " + why + " (" + s.message() +
                                  "); the next run resumes from " + resumes)
      .withRemote(code);
}

store::ExecutionRecord JobExecution::finish(Status s) {
  s = recheckInvalidField(s);
  for (Status closed :
       {errors_->close(), warnings_->close(), successes_ ? successes_->close() : Status::OK()}) {
    if (s.ok()) s = closed;
  }
  store::ExecutionRecord& record = log_.record();
  record.errorFile = errors_->path();
  record.warningFile = warnings_->path();
  if (successes_) record.successFile = successes_->path();
  const source::ConnectionUsage usage = sources_->usage();
  record.apiCalls = usage.calls;
  record.retries = sourceRetries() - retriesAtStart_;
  if (usage.orgApiMax >= 0 && usage.orgApiUsed >= 0) {
    record.apiRemaining = usage.orgApiMax - usage.orgApiUsed;
  }
  std::string forced;
  s = finalStatus(s, forced);
  log_.finishOrReport(s, forced);
  spill_.reset();  // removes any extract buffer
  return record;
}

store::ExecutionRecord JobExecution::runWhole() {
  Status s = begun_;
  if (s.ok() && context_.stopping()) s = stopStatus();
  if (s.ok() && !context_.onlyIds.empty()) return finish(runOnlyIds());
  if (s.ok()) s = beginWriteBack();
  if (s.ok()) s = prepare();
  if (s.ok() && writeBack_ && describe_) s = writeBack_->validate(*describe_);
  if (s.ok() && writeBack_) s = writeBack_->resolveLostCreates();
  if (s.ok()) {
    s = loadFrom([&](const salesforce::PageHandler& onPage) { return extractFromSource(onPage); });
  }
  if (s.ok()) s = runWriteBack();
  return finish(s);
}

Status JobExecution::beginWriteBack() {
  if (!job_.writesBack()) return Status::OK();
  Poco::Path file(context_.errorDir);
  file.makeDirectory().pushDirectory(JobRunner::slug(job_.name));
  // Per-record results go to the execution's own files (a success file of the write-back alone
  // when the job does not write one for its inbound records).
  OutboundFiles files;
  files.errors = errors_.get();
  files.warnings = warnings_.get();
  files.successes = successes_.get();
  files.successPath = file.setFileName(log_.record().executionId + ".success.csv").toString();
  files.progress = &progress_;
  writeBack_ = std::make_unique<WriteBack>(job_, context_, log_.record(), std::move(files));
  return writeBack_->begin();
}

Status JobExecution::runWriteBack() {
  if (!writeBack_ || !describe_) return Status::OK();
  if (context_.stopping()) return stopStatus();
  return writeBack_->run(*describe_);
}

Status JobExecution::extract() {
  extracted_ = begun_;
  if (extracted_.ok() && context_.stopping()) extracted_ = stopStatus();
  if (extracted_.ok()) extracted_ = beginWriteBack();
  if (extracted_.ok()) extracted_ = prepare();
  if (extracted_.ok() && writeBack_ && describe_) extracted_ = writeBack_->validate(*describe_);
  if (extracted_.ok() && writeBack_) extracted_ = writeBack_->resolveLostCreates();
  if (extracted_.ok()) {
    extracted_ = extractFromSource([&](salesforce::RecordPage& page) {
      Status spilled = spill_->append(page);
      if (!spilled.ok()) return spilled;
      progress_.update(log_.record(), "extract", log_.record().recordsRead, expected_);
      Status saved = context_.store.saveExecution(log_.record());  // progress while extracting
      if (saved.ok() && context_.stopping()) return stopStatus();
      return saved;
    });
  }
  return extracted_;
}

store::ExecutionRecord JobExecution::load() {
  Status s = extracted_;
  if (s.ok()) {
    // Replayed pages were counted as read when they were extracted.
    s = loadFrom([&](const salesforce::PageHandler& onPage) { return spill_->replay(onPage); });
  }
  if (s.ok()) s = runWriteBack();
  return finish(s);
}

store::ExecutionRecord JobExecution::skip(const std::string& reason) {
  spill_.reset();
  log_.record().message = reason;
  log_.finishOrReport(Status::OK(), activity::kStatusSkipped);
  return log_.record();
}

}  // namespace sfsync::jobs
