#include "jobs/PageProcessor.h"

#include <algorithm>

#include "sfsync/core/ReasonCodes.h"

namespace sfsync::jobs {

using mapping::LookupOutcome;

PageProcessor::PageProcessor(const config::JobConfig& job, RunPlan& plan, store::Store& store,
                             activity::ErrorFile& errors, activity::SuccessFile* successes,
                             store::ExecutionRecord& record, int dedupeColumn)
    : job_(job),
      plan_(plan),
      store_(store),
      errors_(errors),
      successes_(successes),
      record_(record),
      dedupeColumn_(dedupeColumn),
      rows_(plan.targetCount()),
      gsids_(plan.targetCount()),
      actions_(plan.targetCount()),
      requests_(plan.targetCount()),
      seen_(plan.targetCount()) {
  record_.targets.assign(plan.targetCount(), store::TargetCounts{});
  for (std::size_t t = 0; t < plan.targetCount(); ++t) {
    const mapping::TargetMapper& mapper = plan.mapper(t);
    record_.targets[t].target =
        t < job.targets.size() ? job.targets[t].object : mapper.table().name;
    requests_[t].table = mapper.table().name;
    requests_[t].columns = mapper.columns();
    requests_[t].keyColumns = mapper.keyColumns();
    requests_[t].updateOnly = job.updateOnly;
    if (markDeletes()) {  // writing a record clears its delete mark (an undelete in Salesforce)
      for (const char* c : {store::kIsDeletedColumn, store::kDeletedAtColumn}) {
        if (mapper.columnIndex(c) < 0) requests_[t].columns.push_back(c);
      }
    }
  }
}

bool PageProcessor::markDeletes() const {
  return job_.onSourceDelete == config::DeletePolicy::kMarkDeleted;
}

void PageProcessor::reject(std::size_t record, activity::RejectedRecord rejected) {
  rejected_[record] = 1;
  reports_.push_back({record, std::move(rejected)});
}

void PageProcessor::mapAndResolve(const salesforce::RecordPage& page) {
  mapping::MapError error;
  for (std::size_t i = 0; i < page.rows.size(); ++i) {
    for (std::size_t t = 0; t < plan_.targetCount() && !rejected_[i]; ++t) {
      const mapping::TargetMapper& mapper = plan_.mapper(t);
      if (!mapper.map(page, i, rows_[t][i], error)) {
        reject(i, {error.reasonCode, "map", error.mapping, error.value, {}, error.message});
        break;
      }
      for (std::size_t l = 0; l < mapper.lookups().size(); ++l) {
        const mapping::LookupResolver& lookup = mapper.lookups()[l];
        LookupOutcome outcome = lookup.resolve(page.rows[i], plan_.index(t, l), false);
        if (outcome.kind == LookupOutcome::Kind::kRejected) {
          reject(i, {outcome.reasonCode, "map", lookup.config().target, outcome.key,
                     std::move(outcome.candidates), outcome.message});
          break;
        }
        rows_[t][i][mapper.lookupColumn(l)] = std::move(outcome.value);
        if (outcome.kind == LookupOutcome::Kind::kDeferred) deferredHere_.emplace_back(t, l, i);
      }
    }
  }
}

bool PageProcessor::olderDuplicate(std::size_t t, std::size_t i, const std::string& stamp) {
  std::string& key = rowKeys_.back();
  if (!plan_.trackDuplicates(t)) return false;
  keyValues_.clear();
  for (int position : plan_.keyPositions(t)) keyValues_.push_back(&rows_[t][i][position]);
  if (!mapping::LookupIndex::makeKey(keyValues_, key)) {  // the store rejects null keys
    key.clear();
    return false;
  }
  auto [seen, inserted] = seen_[t].emplace(key, Seen{stamp, "", static_cast<long>(i)});
  if (inserted) return false;
  ++record_.warnings;
  if (stamp < seen->second.stamp) {
    if (seen->second.pageRecord >= 0) {
      copyGsid_.emplace_back(i, static_cast<std::size_t>(seen->second.pageRecord));
    } else {
      gsids_[t][i] = seen->second.gsid;
    }
    return true;
  }
  seen->second = Seen{stamp, "", static_cast<long>(i)};
  return false;
}

Status PageProcessor::loadTargets(const salesforce::RecordPage& page) {
  std::vector<std::size_t> requestRecords;
  std::vector<const std::vector<Value>*> loadedRows;
  std::vector<std::string> loadedGsids;
  for (std::size_t t = 0; t < plan_.targetCount(); ++t) {
    const mapping::TargetMapper& mapper = plan_.mapper(t);
    store::UpsertRequest& request = requests_[t];
    request.rows.clear();
    requestRecords.clear();
    rowKeys_.clear();
    copyGsid_.clear();
    for (std::size_t i = 0; i < rows_[t].size(); ++i) {
      if (rejected_[i]) continue;
      std::vector<Value>& row = rows_[t][i];
      for (const auto& [position, earlierTarget] : mapper.fromTargets()) {
        const std::string& gsid = gsids_[plan_.targetIndex(earlierTarget)][i];
        row[position] = gsid.empty() ? Value{} : Value(gsid);
      }
      rowKeys_.emplace_back();
      const std::string stamp = dedupeColumn_ >= 0 ? valueToText(page.rows[i][dedupeColumn_]) : "";
      if (olderDuplicate(t, i, stamp)) {
        if (t == 0) olderDuplicate_[i] = 1;  // its action stays kSkipped
        rowKeys_.pop_back();
        continue;
      }
      request.rows.push_back(std::move(row));  // rows_[t][i] is not read after this
      std::vector<Value>& loaded = request.rows.back();
      for (std::size_t c = loaded.size(); c < request.columns.size(); ++c) {  // delete mark: clear
        Value& mark = loaded.emplace_back();                                  // DeletedAt: null
        if (request.columns[c] == store::kIsDeletedColumn) mark = false;
      }
      requestRecords.push_back(i);
    }
    if (request.rows.empty()) continue;
    Result<std::vector<store::RowOutcome>> outcomes = store_.upsert(request);
    if (!outcomes.ok()) return outcomes.status();
    loadedRows.clear();
    loadedGsids.clear();
    for (std::size_t j = 0; j < outcomes->size(); ++j) {
      store::RowOutcome& outcome = (*outcomes)[j];
      const std::size_t i = requestRecords[j];
      actions_[t][i] = outcome.action;
      switch (outcome.action) {
        case store::RowAction::kCreated:
        case store::RowAction::kUpdated:
          gsids_[t][i] = outcome.gsid;
          if (!rowKeys_[j].empty()) {
            auto seen = seen_[t].find(rowKeys_[j]);
            if (seen != seen_[t].end() && seen->second.pageRecord == static_cast<long>(i)) {
              seen->second.gsid = outcome.gsid;
            }
          }
          loadedRows.push_back(&request.rows[j]);
          loadedGsids.push_back(outcome.gsid);
          break;
        case store::RowAction::kSkipped:
          reports_.push_back(
              {i, {outcome.reasonCode, "load", mapper.table().name, "", {}, outcome.message}});
          break;
        case store::RowAction::kRejected:
          reject(i, {outcome.reasonCode, "load", mapper.table().name, "",
                     std::move(outcome.candidates), outcome.message});
          break;
      }
    }
    for (const auto& [older, newer] : copyGsid_) gsids_[t][older] = gsids_[t][newer];
    for (const std::string& key : rowKeys_) {
      auto seen = seen_[t].find(key);
      if (seen != seen_[t].end()) seen->second.pageRecord = -1;  // gsid known from now on
    }
    plan_.indexLoadedRows(t, loadedRows, loadedGsids);
  }
  return Status::OK();
}

Status PageProcessor::process(const salesforce::RecordPage& page) {
  const std::size_t n = page.rows.size();
  for (std::size_t t = 0; t < plan_.targetCount(); ++t) {
    rows_[t].resize(n);  // map() overwrites every row; keeps the rows' capacity
    gsids_[t].assign(n, {});
    actions_[t].assign(n, store::RowAction::kSkipped);
  }
  rejected_.assign(n, 0);
  olderDuplicate_.assign(n, 0);
  reports_.clear();
  deferredHere_.clear();

  mapAndResolve(page);
  Status loaded = store_.transaction([&] {
    Status applied = loadTargets(page);
    if (!applied.ok() || !commitHook_) return applied;
    return commitHook_(&page, !deferred_.empty() || !deferredHere_.empty());
  });
  if (!loaded.ok()) return loaded;

  for (const auto& [t, l, i] : deferredHere_) {
    if (!rejected_[i] && !gsids_[t][i].empty()) {
      deferred_.push_back({t, l, gsids_[t][i], page.rows[i]});
    }
  }
  countTargets();
  Status written = writeSuccesses(page);
  if (!written.ok()) return written;
  for (const Report& report : reports_) {
    Status s = errors_.add(page.rows[report.record], report.rejected);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

void PageProcessor::countTargets() {
  const std::size_t n = rejected_.size();
  for (std::size_t t = 0; t < plan_.targetCount(); ++t) {
    store::TargetCounts& counts = record_.targets[t];
    for (std::size_t i = 0; i < n; ++i) {
      switch (actions_[t][i]) {
        case store::RowAction::kCreated:
          ++counts.created;
          break;
        case store::RowAction::kUpdated:
          ++counts.updated;
          break;
        default:
          ++(rejected_[i] ? counts.failed : counts.skipped);
          break;
      }
    }
  }
  // The record-level counts follow the first target; a rejection anywhere makes the record failed.
  for (std::size_t i = 0; i < n; ++i) {
    const store::RowAction first =
        plan_.targetCount() > 0 ? actions_[0][i] : store::RowAction::kSkipped;
    if (rejected_[i]) {
      ++record_.failed;
    } else if (olderDuplicate_[i] || first == store::RowAction::kSkipped) {
      ++record_.skipped;
    } else {
      ++(first == store::RowAction::kCreated ? record_.created : record_.updated);
    }
  }
}

const char* PageProcessor::actionName(store::RowAction action) {
  switch (action) {
    case store::RowAction::kCreated:
      return "Created";
    case store::RowAction::kUpdated:
      return "Updated";
    default:
      return "Skipped";
  }
}

Status PageProcessor::writeSuccesses(const salesforce::RecordPage& page) {
  if (successes_ == nullptr || plan_.targetCount() == 0) return Status::OK();
  std::vector<activity::SuccessFile::TargetResult> results(plan_.targetCount());
  for (std::size_t i = 0; i < rejected_.size(); ++i) {
    const store::RowAction first = actions_[0][i];
    if (rejected_[i] || olderDuplicate_[i] || first == store::RowAction::kSkipped) continue;
    for (std::size_t t = 0; t < plan_.targetCount(); ++t) {
      results[t] = {gsids_[t][i], actionName(actions_[t][i])};
    }
    Status s = successes_->add(page.rows[i], results);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status PageProcessor::finish() {
  if (deferred_.empty()) return Status::OK();
  // [target][lookup] -> (gsid, {value}) updates
  std::vector<std::vector<std::vector<std::pair<std::string, store::Row>>>> updates(
      plan_.targetCount());
  for (std::size_t t = 0; t < plan_.targetCount(); ++t) {
    updates[t].resize(plan_.mapper(t).lookups().size());
  }
  for (Deferred& d : deferred_) {
    const mapping::LookupResolver& lookup = plan_.mapper(d.target).lookups()[d.lookup];
    LookupOutcome outcome = lookup.resolve(d.source, plan_.index(d.target, d.lookup), true);
    if (outcome.kind == LookupOutcome::Kind::kRejected) {
      ++record_.warnings;
      Status s = errors_.add(d.source, {outcome.reasonCode, "load", lookup.config().target,
                                        outcome.key, std::move(outcome.candidates),
                                        outcome.message + " (record loaded with an empty " +
                                            lookup.config().target + ")"});
      if (!s.ok()) return s;
    } else if (!isNull(outcome.value)) {
      updates[d.target][d.lookup].push_back({d.gsid, {std::move(outcome.value)}});
    }
  }
  return store_.transaction([&]() -> Status {
    for (std::size_t t = 0; t < updates.size(); ++t) {
      const mapping::TargetMapper& mapper = plan_.mapper(t);
      for (std::size_t l = 0; l < updates[t].size(); ++l) {
        if (updates[t][l].empty()) continue;
        Result<std::int64_t> updated = store_.updateColumns(
            mapper.table().name, {mapper.columns()[mapper.lookupColumn(l)]}, updates[t][l]);
        if (!updated.ok()) return updated.status();
      }
    }
    return commitHook_ ? commitHook_(nullptr, false) : Status::OK();
  });
}

}  // namespace sfsync::jobs
