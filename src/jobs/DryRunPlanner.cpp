#include "jobs/DryRunPlanner.h"

#include <Poco/String.h>

#include <type_traits>

#include "sfsync/store/Upsert.h"

namespace sfsync::jobs {

using mapping::LookupOutcome;

namespace {

// The text key of a tuple of values (unit-separated); false when one is null.
bool keyText(const store::Row& values, std::string& key) {
  key.clear();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (isNull(values[i])) return false;
    if (i > 0) key += '\x1f';
    key += valueToText(values[i]);
  }
  return true;
}

bool numeric(const Value& v, double& out) {
  if (const auto* b = std::get_if<bool>(&v)) {
    out = *b ? 1.0 : 0.0;
  } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
    out = static_cast<double>(*i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    out = *d;
  } else {
    return false;
  }
  return true;
}

DryRunChange change(const std::string& column, const Value& before, const Value& after) {
  return {column, valueToText(before), valueToText(after), isNull(before), isNull(after)};
}

}  // namespace

DryRunPlanner::DryRunPlanner(const config::JobConfig& job,
                             std::vector<mapping::TargetMapper> mappers,
                             const std::vector<std::string>& sourceColumns, store::Store& store,
                             DryRunReport& report)
    : job_(job),
      mappers_(std::move(mappers)),
      store_(store),
      report_(report),
      rows_(mappers_.size()),
      actions_(mappers_.size()),
      gsids_(mappers_.size()),
      changes_(mappers_.size()),
      seenKeys_(mappers_.size()) {
  for (std::size_t c = 0; c < sourceColumns.size(); ++c) {
    if (Poco::icompare(sourceColumns[c], "Id") == 0) idColumn_ = static_cast<int>(c);
  }
  report_.targets.assign(mappers_.size(), DryRunTargetCounts{});
  for (std::size_t t = 0; t < mappers_.size(); ++t) {
    report_.targets[t].target =
        t < job.targets.size() ? job.targets[t].object : mappers_[t].table().name;
  }
}

bool DryRunPlanner::sameValue(const Value& a, const Value& b, store::ColumnType type) {
  if (isNull(a) || isNull(b)) return isNull(a) && isNull(b);
  double x = 0;
  double y = 0;
  const bool numericType = type == store::ColumnType::kInteger ||
                           type == store::ColumnType::kReal || type == store::ColumnType::kBoolean;
  if (numericType && numeric(a, x) && numeric(b, y)) return x == y;
  return valueToText(a) == valueToText(b);
}

store::ColumnType DryRunPlanner::typeOf(std::size_t t, std::size_t column) const {
  const store::TableSpec& table = mappers_[t].table();
  const std::string& name = mappers_[t].columns()[column];
  for (const store::ColumnSpec& spec : table.columns) {
    if (Poco::icompare(spec.name, name) == 0) return spec.type;
  }
  return store::ColumnType::kText;
}

void DryRunPlanner::reject(std::size_t i, std::size_t t, const std::string& code,
                           const std::string& message) {
  if (rejected_[i]) return;
  rejected_[i] = 1;
  rejections_[i] = {"", report_.targets[t].target, code, message};
}

Status DryRunPlanner::plan(const salesforce::RecordPage& page, std::size_t count) {
  n_ = count;
  rejected_.assign(n_, 0);
  duplicate_.assign(n_, 0);
  rejections_.assign(n_, DryRunRejection{});
  for (std::size_t t = 0; t < mappers_.size(); ++t) {
    rows_[t].resize(n_);
    actions_[t].assign(n_, Action::kNone);
    gsids_[t].assign(n_, std::string());
    changes_[t].assign(n_, std::vector<DryRunChange>());
  }
  for (std::size_t t = 0; t < mappers_.size(); ++t) {
    Status s = mapAndResolve(page, t);
    if (!s.ok()) return s;
    for (std::size_t i = 0; i < n_; ++i) {
      if (!rejected_[i]) fillFromTargets(t, i);
    }
    s = matchTarget(t);
    if (!s.ok()) return s;
  }
  this->count(page);
  return Status::OK();
}

Status DryRunPlanner::mapAndResolve(const salesforce::RecordPage& page, std::size_t t) {
  const mapping::TargetMapper& mapper = mappers_[t];
  deferred_.clear();
  mapping::MapError error;
  for (std::size_t i = 0; i < n_; ++i) {
    if (!rejected_[i] && !mapper.map(page, i, rows_[t][i], error)) {
      reject(i, t, error.reasonCode, error.message);
    }
  }
  for (std::size_t l = 0; l < mapper.lookups().size(); ++l) {
    Status s = resolveLookup(page, t, l);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status DryRunPlanner::resolveLookup(const salesforce::RecordPage& page, std::size_t t,
                                    std::size_t l) {
  const mapping::TargetMapper& mapper = mappers_[t];
  const mapping::LookupResolver& lookup = mapper.lookups()[l];
  std::vector<store::Row> keys;
  std::vector<long> slot(n_, -1);
  std::unordered_map<std::string, std::size_t> slots;
  store::Row key;
  std::string text;
  for (std::size_t i = 0; i < n_; ++i) {
    if (rejected_[i] || !lookup.key(page.rows[i], key) || !keyText(key, text)) continue;
    auto [it, added] = slots.emplace(text, keys.size());
    if (added) keys.push_back(key);
    slot[i] = static_cast<long>(it->second);
  }
  Result<std::vector<std::vector<store::Row>>> found =
      store_.matchRows(lookup.config().lookupObject, lookup.matchTargets(), keys, {"gsid"}, true);
  if (!found.ok()) return found.status();
  std::vector<std::string> gsids;
  for (std::size_t i = 0; i < n_; ++i) {
    if (rejected_[i]) continue;
    gsids.clear();
    if (slot[i] >= 0) {
      for (const store::Row& row : (*found)[static_cast<std::size_t>(slot[i])]) {
        gsids.push_back(valueToText(row[0]));
      }
    }
    LookupOutcome outcome = lookup.resolve(page.rows[i], slot[i] < 0 ? nullptr : &gsids, false);
    if (outcome.kind == LookupOutcome::Kind::kRejected) {
      reject(i, t, outcome.reasonCode, outcome.message);
      continue;
    }
    rows_[t][i][mapper.lookupColumn(l)] = std::move(outcome.value);
    if (outcome.kind == LookupOutcome::Kind::kDeferred) {
      deferred_.emplace(i, mapper.lookupColumn(l));
      ++report_.deferredLookups;
    }
  }
  return Status::OK();
}

void DryRunPlanner::fillFromTargets(std::size_t t, std::size_t i) {
  for (const auto& [position, earlier] : mappers_[t].fromTargets()) {
    std::size_t e = 0;
    while (e < report_.targets.size() && Poco::icompare(report_.targets[e].target, earlier) != 0) {
      ++e;
    }
    if (e >= t) continue;
    const std::string& gsid = gsids_[e][i];
    // A row this dry run would create gets its gsid only when written.
    rows_[t][i][position] = actions_[e][i] == Action::kCreate
                                ? Value(std::string("(new gsid)"))
                                : (gsid.empty() ? Value{} : Value(gsid));
  }
}

Status DryRunPlanner::matchTarget(std::size_t t) {
  const mapping::TargetMapper& mapper = mappers_[t];
  std::vector<int> keyPositions;
  for (const std::string& k : mapper.keyColumns()) keyPositions.push_back(mapper.columnIndex(k));
  std::vector<store::Row> keys;
  std::vector<std::size_t> recordOf;
  for (std::size_t i = 0; i < n_; ++i) {
    if (rejected_[i]) continue;
    store::Row key;
    std::string nullKeys;
    for (std::size_t k = 0; k < keyPositions.size(); ++k) {
      key.push_back(keyPositions[k] < 0 ? Value{} : rows_[t][i][keyPositions[k]]);
      if (isNull(key.back())) nullKeys += (nullKeys.empty() ? "" : ", ") + mapper.keyColumns()[k];
    }
    if (!nullKeys.empty()) {
      reject(i, t, store::reason::kRequiredMissing, "upsert key column(s) " + nullKeys + " null");
      continue;
    }
    keys.push_back(std::move(key));
    recordOf.push_back(i);
  }
  std::vector<std::string> columns{"gsid"};
  columns.insert(columns.end(), mapper.columns().begin(), mapper.columns().end());
  Result<std::vector<std::vector<store::Row>>> found =
      store_.matchRows(mapper.table().name, mapper.keyColumns(), keys, columns, false);
  if (!found.ok()) return found.status();
  std::string text;
  for (std::size_t j = 0; j < keys.size(); ++j) {
    const std::size_t i = recordOf[j];
    const std::vector<store::Row>& matches = (*found)[j];
    keyText(keys[j], text);
    if (!seenKeys_[t].insert(text).second) {  // a real run updates the row it wrote for this key
      duplicate_[i] = 1;
      actions_[t][i] = Action::kUpdate;
      if (matches.size() == 1) gsids_[t][i] = valueToText(matches[0][0]);
    } else if (matches.size() > 1) {
      reject(i, t, store::reason::kMultipleMatches,
             "upsert key matches " + std::to_string(matches.size()) + " existing rows");
    } else if (matches.empty()) {
      actions_[t][i] = job_.updateOnly ? Action::kSkipped : Action::kCreate;
    } else {
      gsids_[t][i] = valueToText(matches[0][0]);
      compare(t, i, matches[0]);
    }
  }
  return Status::OK();
}

void DryRunPlanner::compare(std::size_t t, std::size_t i, const store::Row& existing) {
  const std::vector<std::string>& columns = mappers_[t].columns();
  std::vector<DryRunChange>& changes = changes_[t][i];
  changes.clear();
  for (std::size_t c = 0; c < columns.size() && c + 1 < existing.size(); ++c) {
    if (deferred_.count({i, c}) > 0) continue;  // resolved by a real run after its extract
    if (!sameValue(existing[c + 1], rows_[t][i][c], typeOf(t, c))) {
      changes.push_back(change(columns[c], existing[c + 1], rows_[t][i][c]));
    }
  }
  actions_[t][i] = changes.empty() ? Action::kUnchanged : Action::kUpdate;
}

void DryRunPlanner::countTarget(std::size_t t, std::size_t i, const std::string& recordId) {
  DryRunTargetCounts& counts = report_.targets[t];
  const Action action = actions_[t][i];
  switch (action) {
    case Action::kCreate:
      ++counts.wouldCreate;
      break;
    case Action::kUpdate:
      ++counts.wouldUpdate;
      break;
    case Action::kUnchanged:
      ++counts.unchanged;
      break;
    default:
      ++counts.skipped;
      break;
  }
  for (const DryRunChange& c : changes_[t][i]) ++counts.changedColumns[c.column];
  if (report_.samples.size() >= report_.maxSamples) return;
  if (action == Action::kCreate) {
    std::vector<DryRunChange> values;
    const std::vector<std::string>& columns = mappers_[t].columns();
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (!isNull(rows_[t][i][c])) values.push_back(change(columns[c], Value{}, rows_[t][i][c]));
    }
    report_.samples.push_back({recordId, counts.target, "create", "", std::move(values)});
  } else if (action == Action::kUpdate && !changes_[t][i].empty()) {
    report_.samples.push_back({recordId, counts.target, "update", gsids_[t][i], changes_[t][i]});
  }
}

void DryRunPlanner::count(const salesforce::RecordPage& page) {
  for (std::size_t i = 0; i < n_; ++i) {
    const std::string id = idColumn_ >= 0 ? valueToText(page.rows[i][idColumn_]) : std::string();
    if (rejected_[i]) {
      ++report_.rejected;
      ++report_.rejectedByReason[rejections_[i].reasonCode];
      for (DryRunTargetCounts& counts : report_.targets) ++counts.rejected;
      if (report_.rejections.size() < report_.maxSamples) {
        rejections_[i].recordId = id;
        report_.rejections.push_back(std::move(rejections_[i]));
      }
      continue;
    }
    for (std::size_t t = 0; t < mappers_.size(); ++t) countTarget(t, i, id);
    if (mappers_.empty()) continue;
    if (duplicate_[i]) ++report_.duplicateKeys;
    switch (actions_[0][i]) {
      case Action::kCreate:
        ++report_.wouldCreate;
        break;
      case Action::kUpdate:
        ++report_.wouldUpdate;
        break;
      case Action::kUnchanged:
        ++report_.unchanged;
        break;
      default:
        ++report_.skipped;
        break;
    }
  }
}

}  // namespace sfsync::jobs
