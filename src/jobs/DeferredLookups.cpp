#include "jobs/DeferredLookups.h"

#include <map>

namespace sfsync::jobs {

using mapping::LookupOutcome;

namespace {

// Values a queued row carries after the record's source columns: target, lookup, gsid.
constexpr std::size_t kDeferredExtra = 3;

}  // namespace

Status DeferredLookups::add(const salesforce::RecordPage& page,
                            const std::vector<Deferral>& deferrals,
                            const std::vector<std::vector<std::string>>& gsids) {
  std::vector<store::Row> rows;
  for (const auto& [t, l, i] : deferrals) {
    if (gsids[t][i].empty()) continue;  // the record was not written (rejected, skipped)
    store::Row& row = rows.emplace_back(page.rows[i]);
    row.emplace_back(static_cast<std::int64_t>(t));
    row.emplace_back(static_cast<std::int64_t>(l));
    row.emplace_back(gsids[t][i]);
  }
  if (rows.empty()) return Status::OK();
  added_ += static_cast<std::int64_t>(rows.size());
  return store_.appendDeferred(owner_, rows);
}

Result<bool> DeferredLookups::pending() {
  if (added_ > 0) return true;
  // A job without a self-lookup never queues: no store read at the end of each of its runs.
  bool selfLookups = false;
  for (std::size_t t = 0; t < plan_.targetCount(); ++t) {
    for (const auto& lookup : plan_.mapper(t).lookups())
      selfLookups = selfLookups || lookup.selfLookup();
  }
  if (!selfLookups) return false;
  Result<std::vector<std::pair<std::int64_t, store::Row>>> first =
      store_.readDeferred(owner_, 0, 1);
  if (!first.ok()) return first.status();
  return !first->empty();
}

Status DeferredLookups::resolve() {
  std::int64_t after = 0;
  for (;;) {
    Result<std::vector<std::pair<std::int64_t, store::Row>>> batch =
        store_.readDeferred(owner_, after, kBatch);
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    after = batch->back().first;
    Status s = resolveRows(*batch);
    if (!s.ok()) return s;
  }
  added_ = 0;
  return store_.clearDeferred(owner_);
}

Status DeferredLookups::resolveRows(const std::vector<std::pair<std::int64_t, store::Row>>& rows) {
  // Group by (target, lookup); each group is one lookup query and one column update.
  std::map<std::pair<std::size_t, std::size_t>, std::vector<std::size_t>> groups;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const store::Row& row = rows[r].second;
    if (row.size() < kDeferredExtra || !std::holds_alternative<std::int64_t>(row[row.size() - 3]) ||
        !std::holds_alternative<std::int64_t>(row[row.size() - 2]) ||
        !std::holds_alternative<std::string>(row.back())) {
      return Status::DataError("deferred row " + std::to_string(rows[r].first) + " of " + owner_ +
                               " is not a deferred self-lookup");
    }
    const std::size_t width = row.size() - kDeferredExtra;
    const auto t = static_cast<std::size_t>(std::get<std::int64_t>(row[width]));
    const auto l = static_cast<std::size_t>(std::get<std::int64_t>(row[width + 1]));
    if (width != sourceWidth_ || t >= plan_.targetCount() ||
        l >= plan_.mapper(t).lookups().size()) {
      // Queued by the interrupted run under another version of the job (its fields or derived
      // mappings changed before this run resumed it): it cannot be resolved against this one.
      ++record_.warnings;
      ++stale_;
      continue;
    }
    groups[{t, l}].push_back(r);
  }
  for (const auto& [group, records] : groups) {
    const auto [t, l] = group;
    const mapping::TargetMapper& mapper = plan_.mapper(t);
    const mapping::LookupResolver& lookup = mapper.lookups()[l];
    std::vector<store::Row> keys(records.size());
    std::vector<char> keyed(records.size());
    for (std::size_t k = 0; k < records.size(); ++k) {
      keyed[k] = lookup.key(rows[records[k]].second, keys[k]) ? 1 : 0;
    }
    Result<std::vector<std::vector<std::string>>> found =
        store_.lookupGsids(lookup.config().lookupObject, lookup.matchTargets(), keys);
    if (!found.ok()) return found.status();
    std::vector<std::pair<std::string, store::Row>> updates;
    for (std::size_t k = 0; k < records.size(); ++k) {
      std::vector<Value> source = rows[records[k]].second;
      const std::string gsid = std::get<std::string>(source.back());
      source.resize(source.size() - kDeferredExtra);
      LookupOutcome outcome = lookup.resolve(source, keyed[k] ? &(*found)[k] : nullptr, true);
      if (outcome.kind == LookupOutcome::Kind::kRejected) {
        ++record_.warnings;
        Status s = errors_.add(source, {outcome.reasonCode, "load", lookup.config().target,
                                        outcome.key, std::move(outcome.candidates),
                                        outcome.message + " (record loaded with an empty " +
                                            lookup.config().target + ")"});
        if (!s.ok()) return s;
      } else if (!isNull(outcome.value)) {
        updates.push_back({gsid, {std::move(outcome.value)}});
      }
    }
    if (updates.empty()) continue;
    Result<std::int64_t> updated = store_.updateColumns(
        mapper.table().name, {mapper.columns()[mapper.lookupColumn(l)]}, updates);
    if (!updated.ok()) return updated.status();
  }
  return Status::OK();
}

}  // namespace sfsync::jobs
