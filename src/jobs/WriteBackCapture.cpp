#include "sfsync/jobs/WriteBackCapture.h"

#include "jobs/WriteBackPlan.h"

namespace sfsync::jobs {

std::vector<store::OutboxTarget> outboxTargetsOf(const config::JobConfig& job) {
  std::vector<store::OutboxTarget> out;
  for (const WriteBackTarget& t : writeBackTargets(job)) {
    store::OutboxTarget spec;
    spec.table = t.table;
    spec.captureInserts = job.createInSalesforce || !job.externalIdField.empty();
    for (const WriteBackColumn& c : t.columns) {
      spec.columns.push_back(c.column);
      if (c.direction == config::Direction::kToSalesforce) spec.keepLocal.push_back(c.column);
    }
    out.push_back(std::move(spec));
  }
  return out;
}

std::vector<std::string> installWriteBackCapture(const std::vector<config::JobConfig>& jobs,
                                                 store::Store& store) {
  std::vector<std::string> problems;
  store::OutboxPtr outbox;
  for (const config::JobConfig& job : jobs) {
    const std::vector<store::OutboxTarget> targets = outboxTargetsOf(job);
    if (targets.empty()) continue;
    if (!outbox) {
      Result<store::OutboxPtr> opened = store::openOutbox(store);
      if (!opened.ok()) {
        problems.push_back("job '" + job.name + "': " + opened.status().message());
        continue;
      }
      outbox = std::move(opened).value();
    }
    for (const store::OutboxTarget& t : targets) {
      Status s = outbox->install(t);
      const bool missing = s.code() == StatusCode::kInvalidArgument &&
                           s.message().find("no table") != std::string::npos;
      if (!s.ok() && !missing) problems.push_back("job '" + job.name + "': " + s.message());
    }
  }
  return problems;
}

}  // namespace sfsync::jobs
