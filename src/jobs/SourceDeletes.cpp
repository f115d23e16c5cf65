#include "jobs/SourceDeletes.h"

#include <Poco/Logger.h>

#include <optional>

#include "jobs/DeleteApplier.h"
#include "jobs/DeleteDetector.h"
#include "jobs/DeleteRoutes.h"
#include "jobs/ScratchIdSet.h"
#include "mapping/IsoDateTime.h"

namespace sfsync::jobs {

namespace {

// "source deletes (delete, full Id comparison): Person 0, Company Person 2 of 20".
std::string summary(const config::JobConfig& job, bool fullComparison,
                    const std::vector<TargetDeletes>& applied) {
  std::string text;
  for (const TargetDeletes& t : applied) {
    text += (text.empty() ? "" : ", ") + t.target + " " + std::to_string(t.rows);
    if (t.rows > 0) text += " of " + std::to_string(t.total);
  }
  return std::string("source deletes (") +
         (job.onSourceDelete == config::DeletePolicy::kDelete ? "delete" : "markDeleted") + ", " +
         (fullComparison ? "full Id comparison" : "incremental") +
         "): " + (text.empty() ? std::string("no target reachable") : text);
}

// The window: deletes are known up to the last applied check, so the window starts there (minus
// the overlap), whatever the cursor says (a quiet object's cursor may be older than the recycle
// bin; a busy one's may be newer than the check). Without a check: the caller's start.
Result<DeleteWindow> effectiveWindow(const config::JobConfig& job, store::Store& store,
                                     const DeleteWindow& window) {
  if (window.fullComparison) return window;
  Result<std::optional<std::string>> checked =
      store.getState(deletesCheckedKey(job.connection, job.name));
  if (!checked.ok()) return checked.status();
  std::int64_t checkedMs = 0;
  std::string why;
  if (!checked->has_value() || !mapping::IsoDateTime::parseDateTime(**checked, &checkedMs, &why)) {
    return window;
  }
  DeleteWindow out = window;
  out.startIso = mapping::IsoDateTime::formatDateTime(checkedMs - job.overlapSeconds * 1000);
  return out;
}

}  // namespace

Status SourceDeletes::apply(const config::JobConfig& job, RunPlan& plan, source::Source& source,
                            store::Store& store, Clock& clock, const DeleteWindow& window,
                            store::ExecutionRecord& record) {
  if (job.onSourceDelete == config::DeletePolicy::kIgnore) return Status::OK();
  const std::vector<DeleteRoute> routes = DeleteRoutes::of(job, plan);
  Result<ScratchIdSet> deleted = ScratchIdSet::create(store);  // dropped when the deletes are done
  if (!deleted.ok()) return deleted.status();
  Result<DeleteWindow> effective = effectiveWindow(job, store, window);
  if (!effective.ok()) return effective.status();
  bool fullComparison = false;
  DeleteDetector detector(job, routes, source, store, *effective);
  Status s = detector.detect(deleted->name(), &fullComparison);
  if (!s.ok()) return s;
  std::vector<TargetDeletes> applied;
  const std::string checkedKey = deletesCheckedKey(job.connection, job.name);
  s = DeleteApplier(job, routes, store)
          .apply(deleted->name(), formatIso8601(clock.now()), &applied, [&]() -> Status {
            if (detector.checkedUpTo().empty()) return Status::OK();
            return store.putState(checkedKey, detector.checkedUpTo());
          });
  if (!s.ok()) return s;
  std::int64_t any = 0;
  for (const TargetDeletes& t : applied) {
    if (t.target == routes.front().target) record.deleted += t.rows;
    any += t.rows;
  }
  const std::string text = summary(job, fullComparison, applied);
  Poco::Logger::get("sfsync.jobs").information("%s: %s", job.name, text);
  if (any > 0) record.message += (record.message.empty() ? "" : "; ") + text;
  return Status::OK();
}

}  // namespace sfsync::jobs
