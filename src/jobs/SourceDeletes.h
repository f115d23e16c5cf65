// SourceDeletes: what happens to target rows when their source record is deleted. After the
// last page of a run (before the run's final cursor is committed) JobExecution calls apply(): it
// asks the run's source::Source (DeleteDetector) for the records of job.sourceObject deleted within
// the window (Source::deletedIds; a full Id-set comparison through Source::listIds for full runs or
// when the source cannot answer the window) and applies job.onSourceDelete to the job's targets
// (markDeleted / delete, multi-target link rules), behind the mass-delete breaker
// (massDeletePercent, overridden once by allowMassDeleteKey). Nothing is deleted when the breaker
// trips (the run fails with the reason).
//
// Thread-safety: stateless; one call per run.
#pragma once

#include <cstdint>
#include <string>

#include "jobs/RunPlan.h"
#include "sfsync/config/Config.h"
#include "sfsync/core/Clock.h"
#include "sfsync/source/Source.h"
#include "sfsync/store/ExecutionRecord.h"
#include "sfsync/store/Store.h"

namespace sfsync::jobs {

struct DeleteWindow {
  bool fullComparison = false;  // full run: compare the org's Id set with the targets' Ids
  std::string startIso;         // incremental: cursor stamp minus the overlap window
  std::string endIso;           // incremental: the run's start time
};

// Store state key: until when (ISO-8601, a DeleteWindow::endIso) the job's deletes on the
// connection were last applied, written in the delete transaction. An incremental window starts no
// earlier than this minus the job's overlap, so a quiet object (its cursor not moving) keeps
// using the delete feeds instead of falling back to the full comparison once the cursor is older
// than the recycle bin.
inline std::string deletesCheckedKey(const std::string& connection, const std::string& job) {
  return "job.deletesChecked/" + connection + "/" + job;
}

class SourceDeletes {
 public:
  // Adds what it deleted or marked to record.deleted (the first target's rows) and, when it
  // changed anything, every target's count to record.message ("source deletes (delete,
  // incremental): Person 0, Company Person 2 of 20"; also logged to "sfsync.jobs"). With
  // onSourceDelete == kIgnore: OK, no calls. A tripped breaker: kDataError with remoteCode()
  // MASS_DELETE_BLOCKED (DeleteApplier), nothing changed. `source`: the run's source (after its
  // extract), the only thing asked.
  static Status apply(const config::JobConfig& job, RunPlan& plan, source::Source& source,
                      store::Store& store, Clock& clock, const DeleteWindow& window,
                      store::ExecutionRecord& record);
};

}  // namespace sfsync::jobs
