// DeferredLookups: the self-lookups of one run that found nothing while their page was loaded (the
// referenced record may come later in the same extract). Their records were written with the
// lookup column empty; add() - inside the page's transaction - appends each such record's source
// row with (target, lookup, gsid) to the store's deferred queue of the job (Store::appendDeferred),
// so none of it stays in memory and a run resumed after a kill still has them. resolve() - after
// the whole extract, inside the finishing transaction - reads them back in batches, looks them up
// again set-based (one Store::lookupGsids and one updateColumns per target and lookup per batch)
// with the final no-match policy, and empties the queue. A final miss that rejects is not a failure
// - the record stays loaded with the column empty - but an error-file row (LOOKUP_NO_MATCH /
// LOOKUP_MULTIPLE_MATCHES, stage load) and a warning.
//
// Thread-safety: not thread-safe; owned by the run's PageProcessor.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "jobs/RunPlan.h"
#include "sfsync/activity/ErrorFile.h"
#include "sfsync/salesforce/RecordPage.h"
#include "sfsync/store/ExecutionRecord.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

class DeferredLookups {
 public:
  // (target, lookup, record of the page)
  using Deferral = std::tuple<std::size_t, std::size_t, std::size_t>;

  // `owner`: the job's deferred queue (connection/job); it may hold rows of the interrupted run
  // this one continues. `sourceWidth`: the number of source columns of this run's pages. A queued
  // row that does not fit this run's job (the job changed before the resume) is skipped and
  // counted as a warning (staleRows()); its record keeps the lookup column empty.
  DeferredLookups(RunPlan& plan, store::Store& store, activity::ErrorFile& errors,
                  store::ExecutionRecord& record, std::string owner, std::size_t sourceWidth)
      : plan_(plan),
        store_(store),
        errors_(errors),
        record_(record),
        owner_(std::move(owner)),
        sourceWidth_(sourceWidth) {}

  // Queues the deferrals of `page` whose record was written (gsids[target][record] non-empty).
  Status add(const salesforce::RecordPage& page, const std::vector<Deferral>& deferrals,
             const std::vector<std::vector<std::string>>& gsids);
  // Whether this run queued any (rows of an interrupted run are not counted).
  bool addedAny() const { return added_ > 0; }
  // Whether the queue holds anything (this run's or the interrupted run's); false without reading
  // the store for a job that has no self-lookup.
  Result<bool> pending();
  // Resolves and writes every queued deferral, then empties the queue.
  Status resolve();
  std::int64_t staleRows() const { return stale_; }
  // Empties the queue (a run that starts from the beginning drops an abandoned run's rows).
  Status discard() { return store_.clearDeferred(owner_); }

 private:
  // Rows read back per batch.
  static constexpr std::size_t kBatch = 2000;

  Status resolveRows(const std::vector<std::pair<std::int64_t, store::Row>>& rows);

  RunPlan& plan_;
  store::Store& store_;
  activity::ErrorFile& errors_;
  store::ExecutionRecord& record_;
  std::string owner_;
  std::size_t sourceWidth_;
  std::int64_t added_ = 0;
  std::int64_t stale_ = 0;
};

}  // namespace sfsync::jobs
