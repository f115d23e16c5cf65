// DeleteDetector: fills a scratch Id set of the store (Store::createIdSet) with the Ids of the
// job's source records deleted in Salesforce.
//   Incremental window: GET sobjects/{Object}/deleted for [start, end] (one call). Deletes after
//   the feed's latestDateCovered are left to the next run (checkedUpTo() says where this one
//   stopped). An object without a replication feed (/deleted answers a remote error): queryAll
//   `SELECT Id FROM X WHERE IsDeleted = true AND SystemModstamp >= start` instead. When the
//   window starts before earliestDateAvailable, or the object has no IsDeleted field (queryAll
//   answers INVALID_FIELD), it falls back to the full comparison.
//   Full comparison: streams the org's Ids (SELECT Id FROM X, through the Source that
//   source::chooseSource picks with the run's SourceOptions: REST pages or a Bulk API 2.0 job) page
//   by page into a second scratch set, then adds with ONE statement per target the target rows'
//   source Ids that are not in it. No set of all Ids is held in memory. Skipped (no calls) when
//   those targets were empty before the run (a job's first run: everything in them was just read).
//
// Thread-safety: not thread-safe; one per run.
#pragma once

#include <string>
#include <vector>

#include "jobs/DeleteRoutes.h"
#include "jobs/SourceDeletes.h"
#include "sfsync/source/SourceFactory.h"

namespace sfsync::jobs {

class DeleteDetector {
 public:
  DeleteDetector(const config::JobConfig& job, const std::vector<DeleteRoute>& routes,
                 salesforce::SalesforceClient& client, store::Store& store,
                 const DeleteWindow& window, const source::SourceOptions& api)
      : job_(job), routes_(routes), client_(client), store_(store), window_(window), api_(api) {}

  // Adds the deleted Ids to `deletedSet`. `fullComparison` tells which way was taken.
  Status detect(const std::string& deletedSet, bool* fullComparison);
  // After detect(): deletes up to this time (ISO) are known; the next window may start here.
  const std::string& checkedUpTo() const { return checkedUpTo_; }

 private:
  // The incremental feeds; *tooOld when the window cannot be answered by them.
  Status fromFeeds(const std::string& deletedSet, bool* tooOld);
  // queryAll of the Ids with IsDeleted = true and SystemModstamp >= fromIso.
  Status deletedSince(const std::string& deletedSet, const std::string& fromIso, bool* tooOld);
  Status fromComparison(const std::string& deletedSet);
  // Streams the org's Ids of the source object into `orgSet`.
  Status streamOrgIds(const std::string& orgSet);

  const config::JobConfig& job_;
  const std::vector<DeleteRoute>& routes_;
  salesforce::SalesforceClient& client_;
  store::Store& store_;
  const DeleteWindow& window_;
  const source::SourceOptions& api_;
  std::string checkedUpTo_;
};

}  // namespace sfsync::jobs
