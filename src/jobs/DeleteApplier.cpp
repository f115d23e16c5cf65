#include "jobs/DeleteApplier.h"

#include <Poco/URI.h>

#include <cstdio>

#include "sfsync/jobs/ReplicationState.h"

namespace sfsync::jobs {

namespace {
bool markDeleted(const config::JobConfig& job) {
  return job.onSourceDelete == config::DeletePolicy::kMarkDeleted;
}

// A request key counts when present and not blanked (an empty value is a cleared request).
bool present(const std::optional<std::string>& value) { return value && !value->empty(); }

std::string percentText(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", p);
  return buf;
}
}  // namespace

Status DeleteApplier::apply(const std::string& deletedSet, const std::string& nowIso,
                            std::vector<TargetDeletes>* applied,
                            const std::function<Status()>& alsoCommit) {
  Status s = store_.transaction([&] {
    Status done = body(deletedSet, nowIso, applied);
    return done.ok() && alsoCommit ? alsoCommit() : done;
  });
  scratch_.clear();  // drops the linked targets' sets, now that the transaction is over
  if (!s.ok()) applied->clear();
  return s;
}

Result<store::RowFilter> DeleteApplier::rowsOf(const DeleteRoute& route,
                                               const std::string& deletedSet) {
  const bool unmarked = markDeleted(job_);
  if (!route.idColumn.empty()) return store::RowFilter{route.idColumn, deletedSet, true, unmarked};
  Result<ScratchIdSet> created = ScratchIdSet::create(store_);
  if (!created.ok()) return created.status();
  const std::string linked = created->name();
  scratch_.push_back(std::move(created).value());
  for (const DeleteLink& link : route.links) {  // rows the deleted records' links point to
    Result<std::int64_t> n = store_.addColumnToIdSet(linked, link.table, link.column,
                                                     {link.idColumn, deletedSet, true, false});
    if (!n.ok()) return n.status();
  }
  for (const DeleteLink& link : route.links) {  // ... minus those another live link points to
    Result<std::int64_t> n = store_.removeColumnFromIdSet(linked, link.table, link.column,
                                                          {link.idColumn, deletedSet, false, true});
    if (!n.ok()) return n.status();
  }
  return store::RowFilter{"gsid", linked, true, unmarked};
}

Result<bool> DeleteApplier::checkBreaker(const std::vector<Plan>& plans, bool overridden) {
  std::string tripped;
  for (const Plan& plan : plans) {
    const TargetDeletes& c = plan.counts;
    if (c.rows == 0 || c.rows * 100.0 <= job_.massDeletePercent * static_cast<double>(c.total)) {
      continue;
    }
    const double share = c.total > 0 ? c.rows * 100.0 / static_cast<double>(c.total) : 100.0;
    tripped += (tripped.empty() ? "" : "; ") + c.target + ": " + std::to_string(c.rows) + " of " +
               std::to_string(c.total) + " rows (" + percentText(share) + ")";
  }
  if (tripped.empty()) return false;
  if (overridden) return true;  // allowed once
  const std::string verb = markDeleted(job_) ? "mark deleted" : "delete";
  std::string path;
  Poco::URI::encode(job_.name, "/?#%", path);
  return Status::DataError("mass-delete breaker: the run would " + verb + " more than " +
                           percentText(job_.massDeletePercent) + " (massDeletePercent) of " +
                           tripped + "; nothing was deleted. To allow it once: sfsyncd " +
                           "--allow-mass-delete=\"" + job_.name + "\" or POST /api/jobs/" + path +
                           "/allow-mass-delete")
      .withRemote(kMassDeleteBlocked);
}

Status DeleteApplier::change(const Plan& plan, const std::string& nowIso, std::int64_t* rows) {
  const std::string& table = plan.route->table;
  Result<std::int64_t> n =
      markDeleted(job_)
          ? store_.updateWhere(table, {store::kIsDeletedColumn, store::kDeletedAtColumn},
                               {Value(true), Value(nowIso)}, plan.rows)
          : store_.deleteWhere(table, plan.rows);
  if (!n.ok()) return n.status();
  *rows = *n;
  return Status::OK();
}

Status DeleteApplier::body(const std::string& deletedSet, const std::string& nowIso,
                           std::vector<TargetDeletes>* applied) {
  // The one-shot override, read once: it lets a tripped breaker through and is spent below.
  Result<std::optional<std::string>> allowed = store_.getState(allowMassDeleteKey(job_.name));
  if (!allowed.ok()) return allowed.status();
  const bool allowedOnce = present(*allowed);
  std::vector<Plan> plans;
  for (const DeleteRoute& route : routes_) {  // every set is computed before anything changes
    if (!route.reachable()) continue;
    Result<store::RowFilter> rows = rowsOf(route, deletedSet);
    if (!rows.ok()) return rows.status();
    Plan plan{&route, *rows, {route.target, 0, 0}};
    Result<std::int64_t> n = store_.countWhere(route.table, plan.rows);
    if (!n.ok()) return n.status();
    plan.counts.rows = *n;
    if (*n > 0) {  // the table's size only matters to the breaker when something goes
      Result<std::int64_t> total = store_.countWhere(route.table, {"", "", true, true});
      if (!total.ok()) return total.status();
      plan.counts.total = *total;
    }
    plans.push_back(std::move(plan));
  }
  Result<bool> overridden = checkBreaker(plans, allowedOnce);
  if (!overridden.ok()) return overridden.status();
  applied->clear();
  for (const Plan& plan : plans) {
    TargetDeletes done = plan.counts;
    Status s = change(plan, nowIso, &done.rows);
    if (!s.ok()) return s;
    applied->push_back(done);
  }
  // The one-shot override is spent by the run it let through (or any later run that deletes).
  bool any = false;
  for (const auto& a : *applied) any = any || a.rows > 0;
  if (allowedOnce && (any || *overridden)) return store_.eraseState(allowMassDeleteKey(job_.name));
  return Status::OK();
}

}  // namespace sfsync::jobs
