// ReplicationRun: the replication bookkeeping of one job run - which mode it runs in, what it
// reads, and its cursor and checkpoint (ReplicationCursor at cursorKey(connection, job)).
//
// start() reads the stored cursor and the job's full-resync request and decides:
//   - a run in flight (the previous one was killed, failed or Deferred after committing pages)
//     is resumed: same mode and start cursor; REST re-queries from the greatest applied
//     (SystemModstamp, Id) (same second included: those rows are re-applied idempotently), Bulk
//     resumes the same job at its locator. Deferred self-lookups wait in the store's deferred
//     queue, committed with their pages, so the resumed run resolves them at its end; only a
//     checkpoint of an older version (deferred self-lookups pending, kept in memory) makes the
//     run restart from its start cursor instead.
//     A full-resync request discards an in-flight incremental run.
//   - otherwise full when the object has no SystemModstamp, "source.mode" is full, a full resync
//     is requested, there is no cursor yet, or refreshCalculatedEvery is due; else incremental
//     from the cursor minus the overlap window.
// REST paging reads ORDER BY SystemModstamp, Id (objects without it: ORDER BY Id), so a full run is
// an incremental run from the beginning of time and one checkpoint format serves both; a Bulk job's
// query is unordered (see request()).
//
// onPageApplied() runs INSIDE the transaction that applies a page: it advances the checkpoint
// (and clears the full-resync request on the first page), so the cursor never runs ahead of the
// rows. complete() commits the final cursor and drops the checkpoint.
//
// Thread-safety: not thread-safe; owned by the run.
#pragma once

#include <string>
#include <vector>

#include "jobs/ReplicationCursor.h"
#include "jobs/SourceDeletes.h"
#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/salesforce/ObjectDescribe.h"
#include "sfsync/salesforce/RecordPage.h"
#include "sfsync/source/Source.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

class ReplicationRun {
 public:
  // `columns` gains SystemModstamp (at the end) when the object has it and it is not selected.
  static Result<ReplicationRun> start(const config::JobConfig& job, store::Store& store,
                                      Clock& clock, const salesforce::ObjectDescribe& describe,
                                      std::vector<std::string>& columns);

  bool full() const { return full_; }
  const char* mode() const { return full_ ? "full" : "incremental"; }
  // True when the checkpoint is a Bulk download's (it names its Bulk job): the run stays on Bulk
  // and request() resumes that job at its locator.
  bool resumesBulkJob() const { return !checkpoint_.bulkJobId.empty(); }
  // True when the run continues an interrupted one from its checkpoint (not from its start): the
  // deferred rows that run committed are still to be resolved.
  bool continuesCheckpoint() const { return checkpointLoaded_ && !fromStart_; }
  // The run's duplicate-tracking tag: new for a new run, the interrupted attempt's for a resume.
  std::int64_t runTag() const { return checkpoint_.runTag; }
  // What to read: SOQL for REST (from the checkpoint) and Bulk (from the run's start, resuming the
  // checkpoint's job at its locator).
  source::ExtractRequest request(const std::vector<std::string>& columns, bool bulk) const;
  // SELECT COUNT() with the run's WHERE clause (REST form).
  std::string countSoql() const;
  std::string restSoql(const std::vector<std::string>& columns) const;

  void setApi(const std::string& api) { checkpoint_.api = api; }
  // Inside the page's store transaction.
  Status onPageApplied(const salesforce::RecordPage& page, bool deferredPending,
                       const std::string& bulkJobId);
  // Inside the transaction that writes the resolved deferred self-lookups.
  Status onDeferredResolved();
  // After the last page (and the deletes): the final cursor commit, in one transaction.
  Status complete();

  DeleteWindow deleteWindow() const;
  CursorPoint startCursor() const { return checkpoint_.start; }
  // Where the run stands: the greatest applied point, or the start when nothing was applied.
  CursorPoint endCursor() const;
  std::int64_t rereadInOverlap() const { return reread_; }
  // Human notes for the execution message (resume, mode fallbacks).
  const std::string& notes() const { return notes_; }

 private:
  ReplicationRun(const config::JobConfig& job, store::Store& store, Clock& clock)
      : job_(&job), store_(&store), clock_(&clock) {}
  Status load(const salesforce::ObjectDescribe& describe);
  void decideNew(const ReplicationCursor& stored);
  // The WHERE condition on the stamp (or Id) for a read from `from`; "" = no bound.
  std::string bound(const CursorPoint& from, bool overlap) const;
  // `ordered`: ORDER BY the stamp and Id (REST paging); a Bulk job's query has none.
  std::string readSoql(const std::vector<std::string>& columns, bool ordered) const;
  // RunCheckpoint::stampLayout of this job.
  std::string stampLayout() const;
  std::string soqlFrom(const std::vector<std::string>& columns, const std::string& bound,
                       bool ordered = true) const;
  Status save();
  // Inside a transaction: erases the full-resync request this run read at its start (once).
  Status clearFullResync();
  void note(const std::string& text);

  const config::JobConfig* job_;
  store::Store* store_;
  Clock* clock_;
  bool hasStamp_ = false;
  bool full_ = true;
  bool checkpointLoaded_ = false;  // load() took over an interrupted run's checkpoint
  bool fromStart_ = false;  // resume from the run's start (deferred self-lookups were pending)
  std::string runStartIso_;
  std::string fullResyncValue_;  // the request read at start ("" = none)
  bool fullResyncCleared_ = false;
  ReplicationCursor stored_;
  RunCheckpoint checkpoint_;
  int stampColumn_ = -1;
  std::int64_t reread_ = 0;
  std::string notes_;
};

}  // namespace sfsync::jobs
