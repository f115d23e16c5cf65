#include "jobs/RunPlan.h"

#include <Poco/String.h>

namespace sfsync::jobs {

namespace {
std::string indexName(const std::string& table, const std::vector<std::string>& columns) {
  std::string name = Poco::toLower(table);
  for (const auto& c : columns) name += '\x1f' + Poco::toLower(c);
  return name;
}

// The target's table; a markDeleted job's tables also carry the delete mark (IsDeleted, DeletedAt).
store::TableSpec tableSpecOf(const config::JobConfig& job, const mapping::TargetMapper& mapper) {
  store::TableSpec spec = mapper.table();
  if (job.onSourceDelete != config::DeletePolicy::kMarkDeleted) return spec;
  for (const auto& [name, type] :
       {std::pair{store::kIsDeletedColumn, store::ColumnType::kBoolean},
        std::pair{store::kDeletedAtColumn, store::ColumnType::kDateTime}}) {
    if (mapper.columnIndex(name) < 0) spec.columns.push_back({name, type});
  }
  return spec;
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
    Status s = store.ensureTable(tableSpecOf(job, *mapper), mapper->keyColumns());
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
    // A key that is the record Id alone cannot repeat within one extract: no duplicate tracking.
    const std::vector<std::string> keyTargets = target.upsertKeyTargets();
    bool keyIsId = false;
    for (const auto& m : target.mappings) {
      keyIsId = keyIsId || (keyTargets.size() == 1 && m.upsertKey && m.constant == std::nullopt &&
                            m.fromTarget.empty() && Poco::icompare(m.source, "Id") == 0);
    }
    plan->trackDuplicates_.push_back(!keyIsId);
    plan->mappers_.push_back(std::move(mapper).value());
  }
  plan->followed_.resize(plan->mappers_.size());
  for (std::size_t t = 0; t < plan->mappers_.size(); ++t) {
    std::vector<mapping::LookupIndex*> indexes;
    for (const auto& lookup : plan->mappers_[t].lookups()) {
      const std::string& table = lookup.config().lookupObject;
      const std::vector<std::string> columns = lookup.matchTargets();
      const std::string name = indexName(table, columns);
      auto found = plan->indexes_.find(name);
      if (found == plan->indexes_.end()) {
        Result<mapping::LookupIndex> loaded = mapping::LookupIndex::load(store, table, columns);
        if (!loaded.ok()) return loaded.status();
        found =
            plan->indexes_.emplace(name, std::make_unique<mapping::LookupIndex>(std::move(*loaded)))
                .first;
        // An index over a table this job writes follows the run's loads.
        const int writer = plan->targetIndex(table);
        if (writer >= 0) {
          FollowedIndex followed{found->second.get(), {}};
          for (const auto& column : columns) {
            const int position = plan->mappers_[writer].columnIndex(column);
            if (position < 0) {
              return Status::InvalidArgument("derived mapping '" + lookup.config().target +
                                             "' matches on " + table + "." + column +
                                             ", which this job does not write");
            }
            followed.columnPositions.push_back(position);
          }
          plan->followed_[writer].push_back(std::move(followed));
        }
      }
      indexes.push_back(found->second.get());
    }
    plan->lookupIndex_.push_back(std::move(indexes));
  }
  return plan;
}

int RunPlan::targetIndex(const std::string& object) const {
  for (std::size_t t = 0; t < mappers_.size(); ++t) {
    if (Poco::icompare(mappers_[t].table().name, object) == 0) return static_cast<int>(t);
  }
  return -1;
}

void RunPlan::indexLoadedRows(std::size_t t, const std::vector<const std::vector<Value>*>& rows,
                              const std::vector<std::string>& gsids) {
  std::string key;
  std::vector<const Value*> values;
  for (FollowedIndex& followed : followed_[t]) {
    values.resize(followed.columnPositions.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (std::size_t c = 0; c < followed.columnPositions.size(); ++c) {
        values[c] = &(*rows[r])[followed.columnPositions[c]];
      }
      if (mapping::LookupIndex::makeKey(values, key)) followed.index->add(key, gsids[r]);
    }
  }
}

}  // namespace sfsync::jobs
