// DeferredLookups: the self-lookups of one run that found nothing while their page was loaded (the
// referenced record may come later in the same extract). Their records were written with the
// lookup column empty; add() spills each such record's source row with (target, lookup, gsid) to
// a file (PageSpill), so none of it stays in memory, and resolve() - after the whole extract -
// looks them up again set-based (one Store::lookupGsids and one updateColumns per target and
// lookup per spilled page) with the final no-match policy. A final miss that rejects is not a
// failure - the record stays loaded with the column empty - but an error-file row
// (LOOKUP_NO_MATCH / LOOKUP_MULTIPLE_MATCHES, stage load) and a warning.
//
// Thread-safety: not thread-safe; owned by the run's PageProcessor.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "jobs/PageSpill.h"
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

  // `path`: the spill file (created on the first add(), removed by resolve() or the destructor).
  DeferredLookups(RunPlan& plan, store::Store& store, activity::ErrorFile& errors,
                  store::ExecutionRecord& record, std::string path)
      : plan_(plan), store_(store), errors_(errors), record_(record), spill_(std::move(path)) {}

  // Spills the deferrals of `page` whose record was written: gsids[target][record] non-empty.
  Status add(const salesforce::RecordPage& page, const std::vector<Deferral>& deferrals,
             const std::vector<std::vector<std::string>>& gsids);
  bool empty() const { return count_ == 0; }
  // Resolves and writes every deferral; call inside the transaction that finishes the run.
  Status resolve();

 private:
  Status resolvePage(const salesforce::RecordPage& spilled);

  RunPlan& plan_;
  store::Store& store_;
  activity::ErrorFile& errors_;
  store::ExecutionRecord& record_;
  PageSpill spill_;
  std::int64_t count_ = 0;
};

}  // namespace sfsync::jobs
