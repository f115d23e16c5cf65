// DeleteDetector: fills a scratch Id set of the store (Store::createIdSet) with the Ids of the
// job's source records deleted at the source, asking only the run's source::Source:
//   Incremental window: Source::deletedIds (Salesforce: sobjects/{Object}/deleted, or queryAll
//   IsDeleted = true for an object without a feed). Deletes after what the source covered are left
//   to the next run (checkedUpTo() says where this one stopped). A window the source cannot answer
//   (older than the recycle bin, no IsDeleted field, a source without a delete feed such as
//   Snowflake) falls back to the full comparison.
//   Full comparison: streams the source's Ids (Source::listIds: Salesforce's whole object through
//   REST or Bulk; Snowflake's identifier column of the job's own statement with its filter) page by
//   page into a second scratch set, then adds with ONE statement per target the target rows'
//   source Ids that are not in it. No set of all Ids is held in memory. Skipped (no calls) when
//   those targets were empty before the run (a job's first run: everything in them was just read).
//
// Thread-safety: not thread-safe; one per run.
#pragma once

#include <string>
#include <vector>

#include "jobs/DeleteRoutes.h"
#include "jobs/SourceDeletes.h"
#include "sfsync/source/Source.h"

namespace sfsync::jobs {

class DeleteDetector {
 public:
  DeleteDetector(const config::JobConfig& job, const std::vector<DeleteRoute>& routes,
                 source::Source& source, store::Store& store, const DeleteWindow& window)
      : job_(job), routes_(routes), source_(source), store_(store), window_(window) {}

  // Adds the deleted Ids to `deletedSet`. `fullComparison` tells which way was taken.
  Status detect(const std::string& deletedSet, bool* fullComparison);
  // After detect(): deletes up to this time (ISO) are known; the next window may start here.
  const std::string& checkedUpTo() const { return checkedUpTo_; }

 private:
  Status fromComparison(const std::string& deletedSet);

  const config::JobConfig& job_;
  const std::vector<DeleteRoute>& routes_;
  source::Source& source_;
  store::Store& store_;
  const DeleteWindow& window_;
  std::string checkedUpTo_;
};

}  // namespace sfsync::jobs
