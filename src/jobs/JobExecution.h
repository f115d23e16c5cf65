// JobExecution: one execution of one job, either whole (extract -> map -> load streamed page by
// page) or in two phases for pipelined chains: extract() writes the pages to a PageSpill, load()
// replays them through the same mapping and loading as a whole run (lookup indexes are built at
// load time, so they see everything the job's predecessors loaded). The execution row is begun in
// the constructor and finished by runWhole(), load() or skip(). A row that cannot be begun fails
// the run (nothing is extracted); a final row that cannot be saved is logged and noted in the
// returned record's message.
//
// Replication (issue 10): before extracting, ReplicationRun decides full / incremental and
// whether to resume an interrupted run, and source::chooseSource picks REST or Bulk; every page's
// checkpoint is written in the page's transaction (PageProcessor commit hook, also for spill
// replays). After the last page SourceDeletes::apply runs (unless onSourceDelete is ignore), then
// the final cursor is committed. A run stopped by the API budget (kApiBudgetExhausted) or by
// Salesforce's REQUEST_LIMIT_EXCEEDED ends Deferred with its checkpoint kept; so does a run stopped
// by a shutdown (RunContext::stopRequested: checked before the run and after each committed page).
//
// Sources: the run reaches its connection only through a source::ConnectionSources, picked by the
// connection's type (sources(): Salesforce REST/Bulk over RunContext::client, or Snowflake over
// RunContext::snowflake): the source object's describe (through the metadata cache for
// Salesforce), the Source of the extract, delete detection (SourceDeletes asks that Source) and
// the call counters. Only write-back (WriteBack) uses the Salesforce client directly.
//
// Counts: recordsRead counts the records received from the source as they arrive (so a run failing
// mid-extract reports what it fetched); retries is how many requests the connection repeated
// during this execution (sourceRetries() at the end minus at the start).
//
// Thread-safety: not thread-safe; one thread at a time (phases may run on different threads, in
// order).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jobs/DuplicateStamp.h"
#include "jobs/JobFields.h"
#include "jobs/PageSpill.h"
#include "jobs/ReplicationRun.h"
#include "jobs/RunPlan.h"
#include "jobs/RunProgress.h"
#include "jobs/WriteBack.h"
#include "sfsync/activity/ErrorFile.h"
#include "sfsync/activity/ExecutionLog.h"
#include "sfsync/activity/SuccessFile.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/snowflake/SnowflakeSource.h"
#include "sfsync/source/ConnectionSources.h"
#include "sfsync/source/Source.h"
#include "sfsync/source/SourceFactory.h"

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

  // The job's REST-or-Bulk options (source.api; its bulkThreshold, else the connection's; the
  // connection's poll timeout): for the extract and for the delete comparison's Id download.
  static source::SourceOptions sourceOptions(const config::JobConfig& job,
                                             const RunContext& context);

 private:
  // The source object's describe through the store's metadata cache, after refusing an invalid
  // job (MetadataRefresh); a mapped field missing from it marks the job invalid and fails the run.
  Status describeSource();
  // True when `describe` has no field named by a plain (non-relationship) mapping or dedupeBy.
  bool lacksMappedField(const salesforce::ObjectDescribe& describe) const;
  // A run refused with INVALID_FIELD: describes the source object again and, when a mapped field is
  // gone, marks the job invalid and returns METADATA_FIELD_MISSING instead; else `s` unchanged.
  Status recheckInvalidField(Status s);
  // A describe lookup that knows only the source object (`describe`); every other object answers
  // `other` (not available). Both must outlive the lookup.
  DescribeLookup sourceOnly(const Result<salesforce::ObjectDescribe>* describe,
                            const Result<salesforce::ObjectDescribe>* other) const;
  // Describe, replication decision (mode, resume) and source choice; fills the row's mode, api and
  // cursor.
  Status prepare();
  // Reads the run's records from the chosen source into onPage, counting them as they arrive.
  Status extractFromSource(const salesforce::PageHandler& onPage);
  // The connection's sources, by its type (Snowflake when the job reads a Snowflake source and the
  // context has a Snowflake connection; else Salesforce over RunContext::client).
  source::ConnectionSourcesPtr openSources() const;
  // The connection's cumulative retry counter (re-authentications, 5xx / network and
  // malformed-page retries).
  std::int64_t sourceRetries() const;
  // Adds a page received from Salesforce to recordsRead, apiCalls and retries.
  void countFetched(const salesforce::RecordPage& page);
  // Plans the load and runs `feed` (query or spill replay) through the page processor.
  Status loadFrom(const std::function<Status(const salesforce::PageHandler&)>& feed);
  // The duplicate-tracking stamp columns of this job's source rows (dedupeBy, SystemModstamp, Id);
  // `runTag` 0: a new tag.
  DuplicateStamp duplicateStamp(std::int64_t runTag) const;
  // A re-run of failed records (RunContext::onlyIds): describe, then the Ids' records through the
  // same mapping and loading, without replication bookkeeping or deletes.
  Status runOnlyIds();
  // After the last page: deletes, then the final cursor commit.
  Status conclude();
  // The run's status for the final row: Deferred (with its reason) for an exhausted API budget
  // or a shutdown (RunContext::stopRequested).
  Status finalStatus(Status s, std::string& forcedStatus);
  // The status that ends a run stopped by RunContext::stopRequested (remote code kStopRequested).
  Status stopStatus() const;
  store::ExecutionRecord finish(Status status);
  // Write-back (issue 13; jobs with toSalesforce / twoWay mappings only, else no-ops): before the
  // inbound phase, open the outbox and install its triggers; after it, the outbound phase.
  Status beginWriteBack();
  Status runWriteBack();

  // Issue 14, a job reading from Snowflake (JobExecutionSnowflake.cpp): the source is a
  // SnowflakeSource from sources_ (its spec: the job's statement, the stored cursor, a re-run's
  // identifiers, the held multi-select options); describe from its rowType (no metadata cache);
  // full or incremental (source.incrementalColumn: rows above the last run's highest value, a
  // bind variable at Snowflake's precision, checkpointed with every page); deletes (full runs
  // only) through the same SourceDeletes call, which finds no delete feed and compares
  // identifiers (SnowflakeSource::listIds on the job's filtered statement); the OAuth refresh
  // token's expiry warning in the run's message.
  Status prepareSnowflake();
  // sfRunTag_: the interrupted attempt's tag when this run resumes its checkpoint under the same
  // stamp layout (so what that attempt wrote counts as this run's duplicates), else a new one.
  Status resumeRunTag();
  // The source (RunContext::onlyIds: a re-run of those identifiers), its describe, the held
  // multi-select options and the token warning; shared by a run and a re-run.
  Status openSnowflake();
  snowflake::SnowflakeSourceSpec snowflakeSpec() const;
  // The extract's request: the job's object and columns (the source holds the statement).
  source::ExtractRequest snowflakeRequest() const;
  // The options multi-select target properties already hold (sfOptions_), for the cap.
  void collectHeldOptions();
  // The page's cursor (RecordPage::sourceCursor) and the run tag committed in its transaction.
  Status commitSnowflakePage(const salesforce::RecordPage* page);
  // After the deletes: commits the final cursor and writes the run's message.
  Status concludeSnowflake();

  const config::JobConfig& job_;
  RunContext& context_;
  activity::ExecutionLog log_;
  Status begun_;
  std::vector<std::string> columns_;
  std::unique_ptr<activity::ErrorFile> errors_;
  std::unique_ptr<activity::ErrorFile> warnings_;  // <id>.warnings.csv (issue 16)
  std::unique_ptr<activity::SuccessFile> successes_;
  std::optional<salesforce::ObjectDescribe> describe_;
  std::optional<ReplicationRun> replication_;
  source::ConnectionSourcesPtr sources_;
  source::SourcePtr source_;
  std::string sourceReason_;
  std::unique_ptr<RunPlan> plan_;
  std::unique_ptr<PageSpill> spill_;
  Status extracted_;
  std::int64_t retriesAtStart_ = 0;
  std::atomic<std::int64_t> apiCallsSeen_{0};  // client usage as of the last fetched page
  RunProgress progress_;
  std::int64_t expected_ = 0;  // the first page's totalSize (0: not known yet)
  std::int64_t loaded_ = 0;    // records through the page processor in this run
  std::string sfWarning_;      // Snowflake: the refresh token expiry warning, if any

  // Issue 14, Snowflake: this run reads above sfSince_ (incremental); sfHigh_ is the cursor of the
  // last committed page; sfOptions_ the options multi-select targets already hold. sfRunTag_: the
  // duplicate-tracking tag, kept with each page's checkpoint so a resume continues with it.
  std::optional<snowflake::Cursor> sfSince_;
  std::int64_t sfRunTag_ = 0;
  std::optional<snowflake::Cursor> sfHigh_;
  std::map<std::string, std::vector<std::string>> sfOptions_;
  std::unique_ptr<WriteBack> writeBack_;
};

}  // namespace sfsync::jobs
