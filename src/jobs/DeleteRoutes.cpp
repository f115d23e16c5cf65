#include "jobs/DeleteRoutes.h"

#include <Poco/String.h>

namespace sfsync::jobs {

namespace {
// The target column of a direct mapping from the source record's Id (a Snowflake source: its
// identifier column, which is the records' "Id"), or "".
std::string directIdColumn(const config::TargetConfig& target, const std::string& idSource) {
  for (const auto& m : target.mappings) {
    if (!m.constant && m.fromTarget.empty() &&
        (Poco::icompare(m.source, "Id") == 0 || Poco::icompare(m.source, idSource) == 0)) {
      return m.target;
    }
  }
  return "";
}
}  // namespace

std::vector<DeleteRoute> DeleteRoutes::of(const config::JobConfig& job, const RunPlan& plan) {
  std::vector<DeleteRoute> routes;
  for (std::size_t t = 0; t < job.targets.size() && t < plan.targetCount(); ++t) {
    DeleteRoute route;
    route.target = job.targets[t].object;
    route.table = plan.mapper(t).table().name;
    route.idColumn =
        directIdColumn(job.targets[t], job.snowflakeSource() ? job.identifierColumn : "Id");
    route.rowsAtStart = plan.rowsAtStart(t);
    routes.push_back(std::move(route));
  }
  for (std::size_t t = 0; t < routes.size(); ++t) {
    if (!routes[t].idColumn.empty()) continue;
    for (std::size_t u = t + 1; u < routes.size(); ++u) {
      if (routes[u].idColumn.empty()) continue;
      for (const auto& m : job.targets[u].mappings) {
        if (!m.fromTarget.empty() && Poco::icompare(m.fromTarget, job.targets[t].object) == 0) {
          routes[t].links.push_back({routes[u].table, m.target, routes[u].idColumn});
        }
      }
    }
  }
  return routes;
}

}  // namespace sfsync::jobs
