#include "jobs/RunPlan.h"

#include <Poco/String.h>

namespace sfsync::jobs {

namespace {
// The target's table; a markDeleted job's tables also carry the delete mark (IsDeleted, DeletedAt),
// and a target whose key can repeat within one extract the duplicate-tracking tags.
store::TableSpec tableSpecOf(const config::JobConfig& job, const mapping::TargetMapper& mapper,
                             bool trackDuplicates) {
  store::TableSpec spec = mapper.table();
  auto add = [&](const char* name, store::ColumnType type) {
    if (mapper.columnIndex(name) < 0) spec.columns.push_back({name, type});
  };
  if (job.onSourceDelete == config::DeletePolicy::kMarkDeleted) {
    add(store::kIsDeletedColumn, store::ColumnType::kBoolean);
    add(store::kDeletedAtColumn, store::ColumnType::kDateTime);
  }
  if (trackDuplicates) {
    add(store::kRunTagColumn, store::ColumnType::kInteger);
    add(store::kRunStampColumn, store::ColumnType::kText);
  }
  return spec;
}

// A key that is the record Id alone cannot repeat within one extract: no duplicate tracking.
bool keyIsRecordId(const config::TargetConfig& target) {
  const std::vector<std::string> keyTargets = target.upsertKeyTargets();
  bool keyIsId = false;
  for (const auto& m : target.mappings) {
    keyIsId = keyIsId || (keyTargets.size() == 1 && m.upsertKey && m.constant == std::nullopt &&
                          m.fromTarget.empty() && Poco::icompare(m.source, "Id") == 0);
  }
  return keyIsId;
}
}  // namespace

Result<std::unique_ptr<RunPlan>> RunPlan::build(const config::JobConfig& job,
                                                const salesforce::ObjectDescribe& describe,
                                                const std::vector<std::string>& sourceColumns,
                                                store::Store& store) {
  auto plan = std::make_unique<RunPlan>();
  for (const auto& target : job.targets) {
    Result<mapping::TargetMapper> mapper =
        mapping::TargetMapper::create(target, describe, sourceColumns);
    if (!mapper.ok()) return mapper.status();
    const bool trackDuplicates = !keyIsRecordId(target);
    Status s = store.ensureTable(tableSpecOf(job, *mapper, trackDuplicates), mapper->keyColumns());
    if (!s.ok()) return s;
    std::int64_t rows = 0;  // only delete detection reads it: no table scan for other jobs
    if (job.onSourceDelete != config::DeletePolicy::kIgnore) {
      Result<std::int64_t> counted = store.count(mapper->table().name);
      if (!counted.ok()) return counted.status();
      rows = *counted;
    }
    plan->rowsAtStart_.push_back(rows);
    std::vector<int> keys;
    for (const auto& k : mapper->keyColumns()) keys.push_back(mapper->columnIndex(k));
    plan->keyPositions_.push_back(std::move(keys));
    plan->trackDuplicates_.push_back(trackDuplicates);
    plan->mappers_.push_back(std::move(mapper).value());
  }
  for (const auto& mapper : plan->mappers_) {
    for (const auto& lookup : mapper.lookups()) {
      const std::string& table = lookup.config().lookupObject;
      const std::vector<std::string> columns = lookup.matchTargets();
      // A lookup into a table this job writes must match on columns this job writes.
      const int writer = plan->targetIndex(table);
      for (const auto& column : columns) {
        if (writer >= 0 && plan->mappers_[writer].columnIndex(column) < 0) {
          return Status::InvalidArgument("derived mapping '" + lookup.config().target +
                                         "' matches on " + table + "." + column +
                                         ", which this job does not write");
        }
      }
      // No keys: only checks the columns and creates their index, before the first page.
      Result<std::vector<std::vector<std::string>>> prepared =
          store.lookupGsids(table, columns, {});
      if (!prepared.ok()) return prepared.status();
    }
  }
  return plan;
}

int RunPlan::targetIndex(const std::string& object) const {
  for (std::size_t t = 0; t < mappers_.size(); ++t) {
    if (Poco::icompare(mappers_[t].table().name, object) == 0) return static_cast<int>(t);
  }
  return -1;
}

}  // namespace sfsync::jobs
