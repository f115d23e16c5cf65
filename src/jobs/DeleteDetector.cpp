#include "jobs/DeleteDetector.h"

#include "jobs/ScratchIdSet.h"

namespace sfsync::jobs {

Status DeleteDetector::detect(const std::string& deletedSet, bool* fullComparison) {
  checkedUpTo_ = window_.endIso;
  bool tooOld = window_.fullComparison;
  if (!tooOld) {
    source::DeletedIdsAnswer answer;
    Status s = source_.deletedIds(
        job_.sourceObject, source::DeleteWindowQuery{window_.startIso, window_.endIso},
        [&](const std::vector<std::string>& ids) { return store_.addToIdSet(deletedSet, ids); },
        &answer);
    if (!s.ok()) return s;
    tooOld = !answer.answered;
    if (answer.answered && !answer.checkedUpTo.empty()) checkedUpTo_ = answer.checkedUpTo;
  }
  *fullComparison = tooOld;
  return tooOld ? fromComparison(deletedSet) : Status::OK();
}

Status DeleteDetector::fromComparison(const std::string& deletedSet) {
  // Rows the run itself wrote were just read from the source: only rows older than the run can be
  // gone. None (a first run): no Id download.
  std::int64_t rows = 0;
  for (const DeleteRoute& route : routes_) rows += route.idColumn.empty() ? 0 : route.rowsAtStart;
  if (rows == 0) return Status::OK();
  Result<ScratchIdSet> sourceSet = ScratchIdSet::create(store_);
  if (!sourceSet.ok()) return sourceSet.status();
  // The source's own scope ("" = no further filter): what it holds now.
  Status s = source_.listIds(job_.sourceObject, "", [&](const std::vector<std::string>& ids) {
    return store_.addToIdSet(sourceSet->name(), ids);
  });
  for (const DeleteRoute& route : routes_) {
    if (!s.ok() || route.idColumn.empty()) continue;
    store::RowFilter missing{route.idColumn, sourceSet->name(), false, false};
    Result<std::int64_t> added =
        store_.addColumnToIdSet(deletedSet, route.table, route.idColumn, missing);
    if (!added.ok()) s = added.status();
  }
  return s;
}

}  // namespace sfsync::jobs
