#include "jobs/SourceDeletes.h"

#include <Poco/Logger.h>

#include "jobs/DeleteApplier.h"
#include "jobs/DeleteDetector.h"
#include "jobs/DeleteRoutes.h"
#include "mapping/IsoDateTime.h"

namespace sfsync::jobs {

namespace {

// Drops a scratch set when the run's deletes are done, whatever happened.
class ScratchSet {
 public:
  explicit ScratchSet(store::Store& store) : store_(store) {}
  ~ScratchSet() {
    // Best effort: a scratch set left behind only costs temporary space until the store closes.
    if (!name_.empty()) store_.dropIdSet(name_).ignoreError();
  }
  ScratchSet(const ScratchSet&) = delete;
  ScratchSet& operator=(const ScratchSet&) = delete;
  Status create() {
    Result<std::string> set = store_.createIdSet();
    if (!set.ok()) return set.status();
    name_ = *set;
    return Status::OK();
  }
  const std::string& name() const { return name_; }

 private:
  store::Store& store_;
  std::string name_;
};

std::string nowIso(Clock& clock) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch()).count();
  return mapping::IsoDateTime::formatDateTime(ms);
}

void logApplied(const config::JobConfig& job, bool fullComparison,
                const std::vector<TargetDeletes>& applied) {
  std::string text;
  for (const TargetDeletes& t : applied) {
    text += (text.empty() ? "" : ", ") + t.target + " " + std::to_string(t.rows) + " of " +
            std::to_string(t.total);
  }
  Poco::Logger::get("sfsync.jobs")
      .information("%s: source deletes (%s, %s): %s", job.name,
                   std::string(fullComparison ? "full Id comparison" : "incremental"),
                   std::string(job.onSourceDelete == config::DeletePolicy::kDelete ? "delete"
                                                                                   : "markDeleted"),
                   text.empty() ? std::string("no target reachable") : text);
}

}  // namespace

Status SourceDeletes::apply(const config::JobConfig& job, RunPlan& plan,
                            salesforce::SalesforceClient& client, store::Store& store, Clock& clock,
                            const DeleteWindow& window, store::ExecutionRecord& record) {
  if (job.onSourceDelete == config::DeletePolicy::kIgnore) return Status::OK();
  const std::vector<DeleteRoute> routes = DeleteRoutes::of(job, plan);
  ScratchSet deleted(store);
  Status s = deleted.create();
  if (!s.ok()) return s;
  bool fullComparison = false;
  s = DeleteDetector(job, routes, client, store, window).detect(deleted.name(), &fullComparison);
  if (!s.ok()) return s;
  std::vector<TargetDeletes> applied;
  s = DeleteApplier(job, routes, store).apply(deleted.name(), nowIso(clock), &applied);
  if (!s.ok()) return s;
  for (std::size_t t = 0; t < applied.size(); ++t) {
    if (applied[t].target == routes.front().target) record.deleted += applied[t].rows;
  }
  logApplied(job, fullComparison, applied);
  return Status::OK();
}

}  // namespace sfsync::jobs
