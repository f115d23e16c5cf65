#include "jobs/PageProcessor.h"

#include <algorithm>
#include <optional>

#include "sfsync/core/EqualGroups.h"
#include "sfsync/core/Ids.h"
#include "sfsync/core/ReasonCodes.h"

namespace sfsync::jobs {

using mapping::LookupOutcome;

namespace {

// The counts a page adds to, and the cursor the caller shows (what a rolled-back group gives back).
void copyCounts(const store::ExecutionRecord& from, store::ExecutionRecord& to) {
  to.cursorEnd = from.cursorEnd;
  to.created = from.created;
  to.updated = from.updated;
  to.unchanged = from.unchanged;
  to.skipped = from.skipped;
  to.failed = from.failed;
  to.warnings = from.warnings;
  to.targets = from.targets;
}

}  // namespace

PageProcessor::PageProcessor(const config::JobConfig& job, RunPlan& plan, store::Store& store,
                             activity::ErrorFile& errors, activity::SuccessFile* successes,
                             store::ExecutionRecord& record, const DuplicateStamp& stamp,
                             std::string deferredOwner, std::size_t sourceWidth)
    : job_(job),
      plan_(plan),
      store_(store),
      errors_(errors),
      successes_(successes),
      record_(record),
      stamp_(stamp),
      rows_(plan.targetCount()),
      gsids_(plan.targetCount()),
      actions_(plan.targetCount()),
      unchanged_(plan.targetCount()),
      requests_(plan.targetCount()),
      extras_(plan.targetCount()),
      runTag_(stamp.runTag != 0 ? stamp.runTag : newRunTag()),
      deferred_(plan, store, errors, record, std::move(deferredOwner), sourceWidth) {
  record_.targets.assign(plan.targetCount(), store::TargetCounts{});
  for (std::size_t t = 0; t < plan.targetCount(); ++t) {
    const mapping::TargetMapper& mapper = plan.mapper(t);
    record_.targets[t].target =
        t < job.targets.size() ? job.targets[t].object : mapper.table().name;
    requests_[t].table = mapper.table().name;
    requests_[t].columns = mapper.columns();
    requests_[t].keyColumns = mapper.keyColumns();
    requests_[t].updateOnly = job.updateOnly;
    auto extra = [&](const char* column, Extra kind) {
      if (mapper.columnIndex(column) >= 0) return;
      requests_[t].columns.push_back(column);
      extras_[t].push_back(kind);
    };
    if (markDeletes()) {  // writing a record clears its delete mark (an undelete in Salesforce)
      extra(store::kIsDeletedColumn, Extra::kNotDeleted);
      extra(store::kDeletedAtColumn, Extra::kDeletedAt);
    }
    if (plan.trackDuplicates(t)) {
      extra(store::kRunTagColumn, Extra::kRunTag);
      extra(store::kRunStampColumn, Extra::kStamp);
      stamped_ = true;
      requests_[t].runColumn = store::kRunTagColumn;
      requests_[t].stampColumn = store::kRunStampColumn;
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

Status PageProcessor::mapAndResolve(const salesforce::RecordPage& page) {
  mapping::MapError error;
  for (std::size_t t = 0; t < plan_.targetCount(); ++t) {
    const mapping::TargetMapper& mapper = plan_.mapper(t);
    for (std::size_t i = 0; i < page.rows.size(); ++i) {
      if (!rejected_[i] && !mapper.map(page, i, rows_[t][i], error)) {
        reject(i, {error.reasonCode, "map", error.mapping, error.value, {}, error.message});
      }
    }
    for (std::size_t l = 0; l < mapper.lookups().size(); ++l) {
      Status s = resolveLookup(page, t, l);
      if (!s.ok()) return s;
    }
  }
  return Status::OK();
}

Status PageProcessor::resolveLookup(const salesforce::RecordPage& page, std::size_t t,
                                    std::size_t l) {
  const mapping::TargetMapper& mapper = plan_.mapper(t);
  const mapping::LookupResolver& lookup = mapper.lookups()[l];
  const std::size_t n = page.rows.size();
  // The page's distinct keys, in the order the records first have them.
  const std::vector<long> first = firstEqual(
      n,
      [&](std::size_t i, std::size_t* hash) {
        return !rejected_[i] && lookup.keyHash(page.rows[i], hash);
      },
      [&](std::size_t a, std::size_t b) { return lookup.sameKey(page.rows[a], page.rows[b]); });
  lookupKeys_.clear();
  lookupSlot_.assign(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    if (first[i] < 0) continue;
    if (first[i] < static_cast<long>(i)) {
      lookupSlot_[i] = lookupSlot_[static_cast<std::size_t>(first[i])];
      continue;
    }
    lookupSlot_[i] = static_cast<long>(lookupKeys_.size());
    lookup.key(page.rows[i], lookupKeys_.emplace_back());  // true: keyHash was
  }
  Result<std::vector<std::vector<std::string>>> found =
      store_.lookupGsids(lookup.config().lookupObject, lookup.matchTargets(), lookupKeys_);
  if (!found.ok()) return found.status();
  for (std::size_t i = 0; i < n; ++i) {
    if (rejected_[i]) continue;
    const std::vector<std::string>* gsids =
        lookupSlot_[i] < 0 ? nullptr : &(*found)[static_cast<std::size_t>(lookupSlot_[i])];
    LookupOutcome outcome = lookup.resolve(page.rows[i], gsids, false);
    if (outcome.kind == LookupOutcome::Kind::kRejected) {
      reject(i, {outcome.reasonCode, "map", lookup.config().target, outcome.key,
                 std::move(outcome.candidates), outcome.message});
      continue;
    }
    rows_[t][i][mapper.lookupColumn(l)] = std::move(outcome.value);
    if (outcome.kind == LookupOutcome::Kind::kDeferred) deferredHere_.emplace_back(t, l, i);
  }
  return Status::OK();
}

void PageProcessor::fillFromTargets(std::size_t t, std::size_t i) {
  std::vector<Value>& row = rows_[t][i];
  for (const auto& [position, earlierTarget] : plan_.mapper(t).fromTargets()) {
    const std::string& gsid = gsids_[plan_.targetIndex(earlierTarget)][i];
    row[position] = gsid.empty() ? Value{} : Value(gsid);
  }
}

void PageProcessor::appendExtras(std::size_t t, std::size_t i, std::vector<Value>& row) const {
  for (Extra extra : extras_[t]) {
    Value& value = row.emplace_back();
    switch (extra) {
      case Extra::kNotDeleted:  // writing a record clears its delete mark; DeletedAt: null
        value = false;
        break;
      case Extra::kDeletedAt:
        break;
      case Extra::kRunTag:
        value = runTag_;
        break;
      case Extra::kStamp:
        value = stamps_[i];
        break;
    }
  }
}

void PageProcessor::warnDuplicate(const std::string& table, std::size_t record) {
  ++record_.warnings;
  const std::string stamp = job_.dedupeBy.empty() ? "stamp" : job_.dedupeBy;
  activity::RejectedRecord warning{"DUPLICATE_KEY", "load", table, "", {}, ""};
  warning.message = "another record of this run has the same upsert key in " + table +
                    "; the row with the newest " + stamp + " is kept";
  warningReports_.push_back({record, std::move(warning)});
}

Status PageProcessor::loadTargets(const salesforce::RecordPage& page) {
  std::vector<std::size_t>& requestRecords = requestRecords_;  // keeps its capacity between pages
  stamps_.clear();
  if (stamped_) {
    for (const auto& source : page.rows) stamps_.push_back(stampOf(stamp_, source));
  }
  for (std::size_t t = 0; t < plan_.targetCount(); ++t) {
    const mapping::TargetMapper& mapper = plan_.mapper(t);
    store::UpsertRequest& request = requests_[t];
    request.rows.clear();
    requestRecords.clear();
    for (std::size_t i = 0; i < rows_[t].size(); ++i) {
      if (rejected_[i]) continue;
      fillFromTargets(t, i);
      request.rows.push_back(std::move(rows_[t][i]));  // handed back after the upsert (below)
      appendExtras(t, i, request.rows.back());
      requestRecords.push_back(i);
    }
    if (request.rows.empty()) continue;
    Result<std::vector<store::RowOutcome>> outcomes = store_.upsert(request);
    // The rows go back where the next page maps into them: their vectors and texts keep their
    // buffers, so mapping the next page allocates (almost) nothing.
    for (std::size_t j = 0; j < request.rows.size(); ++j) {
      rows_[t][requestRecords[j]] = std::move(request.rows[j]);
    }
    if (!outcomes.ok()) return outcomes.status();
    for (std::size_t j = 0; j < outcomes->size(); ++j) {
      store::RowOutcome& outcome = (*outcomes)[j];
      const std::size_t i = requestRecords[j];
      actions_[t][i] = outcome.action;
      unchanged_[t][i] = outcome.unchanged ? 1 : 0;
      if (outcome.duplicate) warnDuplicate(mapper.table().name, i);
      switch (outcome.action) {
        case store::RowAction::kCreated:
        case store::RowAction::kUpdated:
          gsids_[t][i] = std::move(outcome.gsid);
          break;
        case store::RowAction::kSkipped:
          if (outcome.duplicate) {  // an older duplicate: links to the newer record's row
            gsids_[t][i] = std::move(outcome.gsid);
            if (t == 0) olderDuplicate_[i] = 1;
            break;
          }
          reports_.push_back(
              {i, {outcome.reasonCode, "load", mapper.table().name, "", {}, outcome.message}});
          break;
        case store::RowAction::kRejected:
          reject(i, {outcome.reasonCode, "load", mapper.table().name, "",
                     std::move(outcome.candidates), outcome.message});
          break;
      }
    }
  }
  return Status::OK();
}

void PageProcessor::resetPage(std::size_t n) {
  for (std::size_t t = 0; t < plan_.targetCount(); ++t) {
    rows_[t].resize(n);  // map() overwrites every row; keeps the rows' capacity
    gsids_[t].assign(n, {});
    actions_[t].assign(n, store::RowAction::kSkipped);
    unchanged_[t].assign(n, 0);
  }
  rejected_.assign(n, 0);
  olderDuplicate_.assign(n, 0);
  reports_.clear();
  warningReports_.clear();
  deferredHere_.clear();
}

Status PageProcessor::process(const salesforce::RecordPage& page) {
  resetPage(page.rows.size());
  Status applied = applyPage(page);
  if (!applied.ok()) {
    abandon();
    return applied;
  }
  if (!group_) return Status::OK();  // committed by its own transaction
  groupRecords_ += page.rows.size();
  if (groupRecords_ < kGroupRecords && page.nextPageReady && page.nextPageReady()) {
    return Status::OK();  // the next page is here already: it joins this transaction
  }
  return flush();
}

Status PageProcessor::applyPage(const salesforce::RecordPage& page) {
  Status resolved = mapAndResolve(page);
  if (!resolved.ok()) return resolved;
  // A record rejected at a later target or lookup was not written: nothing to resolve.
  deferredHere_.erase(std::remove_if(deferredHere_.begin(), deferredHere_.end(),
                                     [&](const auto& d) { return rejected_[std::get<2>(d)] != 0; }),
                      deferredHere_.end());
  Status opened = openGroup();
  if (!opened.ok()) return opened;
  Status loaded = store_.transaction([&] {  // joins the open group, if any
    Status applied = loadTargets(page);
    if (applied.ok()) applied = deferred_.add(page, deferredHere_, gsids_);  // with the page
    if (!applied.ok() || !commitHook_) return applied;
    return commitHook_(&page, deferred_.addedAny());
  });
  if (!loaded.ok()) return loaded;

  countTargets();
  Status written = writeSuccesses(page);
  if (!written.ok()) return written;
  for (const Report& report : reports_) {
    Status s = errors_.add(page.rows[report.record], report.rejected);
    if (!s.ok()) return s;
  }
  for (const Report& report : warningReports_) {
    if (warnings_ == nullptr) break;
    Status s = warnings_->add(page.rows[report.record], report.rejected);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status PageProcessor::openGroup() {
  if (!grouping_ || group_) return Status::OK();
  Result<std::unique_ptr<store::Store::OpenTransaction>> opened = store_.begin();
  if (!opened.ok()) return opened.status();
  group_ = std::move(opened).value();
  groupRecords_ = 0;
  copyCounts(record_, countsBefore_);
  holdFiles(true);
  return Status::OK();
}

Status PageProcessor::flush() {
  if (!group_) return Status::OK();
  Status committed = group_->commit();
  group_.reset();
  if (!committed.ok()) {
    undoGroup();
    return committed;
  }
  Status released = errors_.release();
  for (Status more : {successes_ != nullptr ? successes_->release() : Status::OK(),
                      warnings_ != nullptr ? warnings_->release() : Status::OK()}) {
    if (released.ok()) released = std::move(more);
  }
  return released;
}

void PageProcessor::abandon() {
  if (!group_) return;
  group_.reset();  // rolls back
  undoGroup();
}

void PageProcessor::undoGroup() {
  copyCounts(countsBefore_, record_);
  holdFiles(false);
}

void PageProcessor::holdFiles(bool hold) {
  auto apply = [hold](auto* file) {
    if (file == nullptr) return;
    if (hold) {
      file->hold();
    } else {
      file->discard();
    }
  };
  apply(&errors_);
  apply(warnings_);
  apply(successes_);
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
          counts.unchanged += unchanged_[t][i];
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
      if (first == store::RowAction::kUpdated && unchangedEverywhere(i)) ++record_.unchanged;
    }
  }
}

bool PageProcessor::unchangedEverywhere(std::size_t i) const {
  for (std::size_t t = 0; t < plan_.targetCount(); ++t) {
    const store::RowAction action = actions_[t][i];
    if (action == store::RowAction::kCreated) return false;
    if (action == store::RowAction::kUpdated && unchanged_[t][i] == 0) return false;
  }
  return true;
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
  Status flushed = flush();
  if (!flushed.ok()) return flushed;
  Result<bool> pending = deferred_.pending();
  if (!pending.ok()) return pending.status();
  if (!*pending) return Status::OK();
  return store_.transaction([&]() -> Status {
    Status s = deferred_.resolve();
    if (!s.ok()) return s;
    return commitHook_ ? commitHook_(nullptr, false) : Status::OK();
  });
}

}  // namespace sfsync::jobs
