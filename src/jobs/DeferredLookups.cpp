#include "jobs/DeferredLookups.h"

#include <map>

namespace sfsync::jobs {

using mapping::LookupOutcome;

namespace {

// Columns a deferred record's spilled row carries after its source columns.
const char* const kDeferredColumns[] = {"sfsync.target", "sfsync.lookup", "sfsync.gsid"};
constexpr std::size_t kDeferredExtra = 3;

}  // namespace

Status DeferredLookups::add(const salesforce::RecordPage& page,
                            const std::vector<Deferral>& deferrals,
                            const std::vector<std::vector<std::string>>& gsids) {
  salesforce::RecordPage spilled;
  for (const auto& [t, l, i] : deferrals) {
    if (gsids[t][i].empty()) continue;  // the record was not written (rejected, skipped)
    std::vector<Value>& row = spilled.rows.emplace_back(page.rows[i]);
    row.emplace_back(static_cast<std::int64_t>(t));
    row.emplace_back(static_cast<std::int64_t>(l));
    row.emplace_back(gsids[t][i]);
  }
  if (spilled.rows.empty()) return Status::OK();
  spilled.columns = page.columns;
  spilled.columns.insert(spilled.columns.end(), std::begin(kDeferredColumns),
                         std::end(kDeferredColumns));
  count_ += static_cast<std::int64_t>(spilled.rows.size());
  return spill_.append(spilled);
}

Status DeferredLookups::resolve() {
  if (count_ == 0) return Status::OK();
  Status replayed =
      spill_.replay([&](salesforce::RecordPage& spilled) { return resolvePage(spilled); });
  if (replayed.ok()) count_ = 0;
  return replayed;
}

Status DeferredLookups::resolvePage(const salesforce::RecordPage& spilled) {
  // Group by (target, lookup); each group is one lookup query and one column update.
  std::map<std::pair<std::size_t, std::size_t>, std::vector<std::size_t>> groups;
  for (std::size_t r = 0; r < spilled.rows.size(); ++r) {
    const std::vector<Value>& row = spilled.rows[r];
    const std::size_t width = row.size() - kDeferredExtra;
    groups[{static_cast<std::size_t>(std::get<std::int64_t>(row[width])),
            static_cast<std::size_t>(std::get<std::int64_t>(row[width + 1]))}]
        .push_back(r);
  }
  for (const auto& [group, records] : groups) {
    const auto [t, l] = group;
    const mapping::TargetMapper& mapper = plan_.mapper(t);
    const mapping::LookupResolver& lookup = mapper.lookups()[l];
    std::vector<store::Row> keys(records.size());
    std::vector<char> keyed(records.size());
    for (std::size_t k = 0; k < records.size(); ++k) {
      keyed[k] = lookup.key(spilled.rows[records[k]], keys[k]) ? 1 : 0;
    }
    Result<std::vector<std::vector<std::string>>> found =
        store_.lookupGsids(lookup.config().lookupObject, lookup.matchTargets(), keys);
    if (!found.ok()) return found.status();
    std::vector<std::pair<std::string, store::Row>> updates;
    for (std::size_t k = 0; k < records.size(); ++k) {
      std::vector<Value> source = spilled.rows[records[k]];
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
