#include "jobs/RealtimeApplier.h"

#include <algorithm>
#include <cctype>

#include <Poco/DateTimeFormatter.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>

#include "jobs/DeleteApplier.h"
#include "jobs/DeleteRoutes.h"
#include "jobs/PageProcessor.h"
#include "jobs/RerunQuery.h"
#include "jobs/ScratchIdSet.h"
#include "sfsync/core/Names.h"
#include "sfsync/core/Value.h"
#include "sfsync/jobs/ReplicationState.h"

namespace sfsync::jobs {

namespace {

std::string lower(const std::string& s) { return Poco::toLower(s); }

bool has(const std::vector<std::string>& sortedLower, const std::string& field) {
  return std::binary_search(sortedLower.begin(), sortedLower.end(), lower(field));
}

std::string toHex(const std::string& bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

bool fromHex(const std::string& hex, std::string& bytes) {
  if (hex.size() % 2) return false;
  bytes.clear();
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    if (!std::isxdigit(static_cast<unsigned char>(hex[i])) ||
        !std::isxdigit(static_cast<unsigned char>(hex[i + 1]))) {
      return false;
    }
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return true;
}

std::string isoMs(std::int64_t ms, const char* format) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000), format);
}

}  // namespace

RealtimeApplier::RealtimeApplier(const config::JobConfig& job,
                                 const salesforce::ObjectDescribe& describe, store::Store& store,
                                 salesforce::SalesforceClient& client, activity::ErrorFile& errors)
    : job_(job),
      describe_(describe),
      store_(store),
      client_(client),
      errors_(errors),
      columns_(job.sourceFields()) {}

Status RealtimeApplier::prepare() {
  Result<std::unique_ptr<RunPlan>> plan = RunPlan::build(job_, describe_, columns_, store_);
  return plan.ok() ? Status::OK() : plan.status();
}

Result<std::optional<RealtimeApplier::Position>> RealtimeApplier::storedPosition(
    store::Store& store, const config::JobConfig& job) {
  Result<std::optional<std::string>> raw = store.getState(replayKey(job.connection, job.name));
  if (!raw.ok()) return raw.status();
  if (!raw.value()) return std::optional<Position>();
  const std::string& text = *raw.value();
  const auto space = text.find(' ');
  Position p;
  if (space == std::string::npos || !fromHex(text.substr(0, space), p.replayId)) {
    return Status::DataError("stored replay id of job " + job.name + " is malformed");
  }
  try {
    p.storedAtMs = std::stoll(text.substr(space + 1));
  } catch (const std::exception&) {
    return Status::DataError("stored replay id of job " + job.name + " has no time");
  }
  return std::optional<Position>(p);
}

Status RealtimeApplier::storePosition(store::Store& store, const config::JobConfig& job,
                                      const std::string& replayId, std::int64_t nowMs) {
  return store.putState(replayKey(job.connection, job.name),
                        toHex(replayId) + " " + std::to_string(nowMs));
}

Status RealtimeApplier::clearPosition(store::Store& store, const config::JobConfig& job) {
  return store.transaction([&]() -> Status {
    Status s = store.eraseState(catchUpPendingKey(job.connection, job.name));
    if (!s.ok()) return s;
    return store.eraseState(replayKey(job.connection, job.name));
  });
}

Result<bool> RealtimeApplier::catchUpPending(store::Store& store, const config::JobConfig& job) {
  Result<std::optional<std::string>> raw =
      store.getState(catchUpPendingKey(job.connection, job.name));
  if (!raw.ok()) return raw.status();
  return raw.value().has_value();
}

Value RealtimeApplier::convert(const std::string& field, const Value& v) const {
  const auto* n = std::get_if<std::int64_t>(&v);
  const salesforce::FieldDescribe* f = n ? describe_.findField(field) : nullptr;
  if (!f) return v;
  if (f->type == "datetime") return isoMs(*n, "%Y-%m-%dT%H:%M:%S.%i+0000");
  if (f->type == "date") return isoMs(*n * 86400000, "%Y-%m-%d");
  return v;
}

bool RealtimeApplier::keyCovered(const std::vector<std::string>& presentLower) const {
  for (const auto& target : job_.targets) {
    for (const auto& m : target.mappings) {
      if (m.upsertKey && !m.source.empty() && !has(presentLower, m.source)) return false;
    }
    for (const auto& d : target.derived) {
      if (!d.upsertKey) continue;
      for (const auto& pair : d.match) {
        if (!has(presentLower, pair.source)) return false;
      }
    }
  }
  return true;
}

bool RealtimeApplier::carriesDiff(const cdc::ChangeEvent& event) const {
  for (const std::string& field : event.diffFields) {
    for (const std::string& column : columns_) {
      if (Poco::icompare(field, column) == 0) return true;
    }
  }
  return false;
}

namespace {
constexpr std::size_t kEmptyRereadsMax = 10000;
constexpr std::int64_t kEmptyRereadMs = 10 * 60 * 1000;
}  // namespace

Status RealtimeApplier::findMissing(const std::vector<cdc::ChangeEvent>& events,
                                    std::int64_t nowMs) {
  missing_.clear();
  skipped_.clear();
  std::vector<std::string> ids;
  for (const cdc::ChangeEvent& e : events) {
    if (Poco::icompare(e.entityName, job_.sourceObject) != 0) continue;
    if (e.changeType == cdc::ChangeType::kCreate || e.changeType == cdc::ChangeType::kUndelete) {
      for (const std::string& id : e.recordIds) emptyRereads_.erase(id);
    }
    if (e.changeType != cdc::ChangeType::kUpdate) continue;
    ids.insert(ids.end(), e.recordIds.begin(), e.recordIds.end());
  }
  if (ids.empty()) return Status::OK();
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::string> all;
  for (const auto& c : columns_) all.push_back(lower(c));
  std::sort(all.begin(), all.end());
  const config::JobConfig* restricted = nullptr;
  Result<RunPlan*> plan = planFor(all, &restricted);
  if (!plan.ok()) return plan.status();
  for (const DeleteRoute& route : DeleteRoutes::of(*restricted, *plan.value())) {
    if (route.idColumn.empty()) continue;  // the first target holding the source Id decides
    std::vector<store::Row> keys;
    for (const std::string& id : ids) keys.push_back({Value(id)});
    // lookupGsids keeps an index over the Id column (matchRows scanned the table every batch).
    Result<std::vector<std::vector<std::string>>> found =
        store_.lookupGsids(route.table, {route.idColumn}, keys);
    if (!found.ok()) return found.status();
    for (std::size_t i = 0; i < ids.size() && i < found->size(); ++i) {
      if (!(*found)[i].empty()) continue;
      auto known = emptyRereads_.find(ids[i]);
      if (known != emptyRereads_.end() && nowMs - known->second < kEmptyRereadMs) {
        skipped_.push_back(ids[i]);  // read again recently and not found: no REST call
      } else {
        missing_.push_back(ids[i]);
      }
    }
    break;
  }
  return Status::OK();
}

void RealtimeApplier::noteEmptyRereads(const std::vector<salesforce::RecordPage>& pages,
                                       std::int64_t nowMs) {
  if (missing_.empty()) return;
  std::vector<std::string> returned;
  for (const salesforce::RecordPage& page : pages) {
    for (std::size_t c = 0; c < page.columns.size(); ++c) {
      if (Poco::icompare(page.columns[c], "Id") != 0) continue;
      for (const auto& row : page.rows) {
        if (c < row.size()) returned.push_back(valueToText(row[c]));
      }
    }
  }
  std::sort(returned.begin(), returned.end());
  for (const std::string& id : missing_) {
    if (std::binary_search(returned.begin(), returned.end(), id)) continue;
    if (emptyRereads_.size() >= kEmptyRereadsMax) emptyRereads_.clear();
    emptyRereads_[id] = nowMs;
  }
}

void RealtimeApplier::addChange(const cdc::ChangeEvent& event, std::vector<Step>& steps,
                                std::vector<std::string>& refetch) const {
  if (event.changeType == cdc::ChangeType::kUpdate && carriesDiff(event)) {
    refetch.insert(refetch.end(), event.recordIds.begin(), event.recordIds.end());
    return;
  }
  std::vector<std::string> present{"id"};
  for (const auto& [name, value] : event.fields) present.push_back(lower(name));
  std::sort(present.begin(), present.end());
  present.erase(std::unique(present.begin(), present.end()), present.end());
  if (!keyCovered(present)) {
    refetch.insert(refetch.end(), event.recordIds.begin(), event.recordIds.end());
    return;
  }
  if (steps.empty() || steps.back().isDelete || steps.back().presentLower != present) {
    steps.push_back(Step{false, present, {}, {}});
  }
  for (const std::string& id : event.recordIds) {
    if (event.changeType == cdc::ChangeType::kUpdate &&
        std::binary_search(skipped_.begin(), skipped_.end(), id)) {
      continue;  // not in the target, and a recent re-read found nothing (outside the filter)
    }
    if (event.changeType == cdc::ChangeType::kUpdate &&
        std::binary_search(missing_.begin(), missing_.end(), id)) {
      refetch.push_back(id);  // not in the target yet: a partial row would lack its other fields
      continue;
    }
    std::vector<Value> row(columns_.size());
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      if (Poco::icompare(columns_[c], "Id") == 0) {
        row[c] = id;
        continue;
      }
      for (const auto& [name, value] : event.fields) {
        if (Poco::icompare(name, columns_[c]) == 0) row[c] = convert(name, value);
      }
    }
    steps.back().rows.push_back(std::move(row));
  }
}

void RealtimeApplier::plan(const std::vector<cdc::ChangeEvent>& events, std::vector<Step>& steps,
                           std::vector<std::string>& refetch, AppliedBatch& applied) const {
  for (const cdc::ChangeEvent& event : events) {
    if (Poco::icompare(event.entityName, job_.sourceObject) != 0) continue;
    ++applied.events;
    switch (event.changeType) {
      case cdc::ChangeType::kCreate:
      case cdc::ChangeType::kUndelete:
      case cdc::ChangeType::kUpdate:
        addChange(event, steps, refetch);
        break;
      case cdc::ChangeType::kDelete:
      case cdc::ChangeType::kGapDelete:
        if (steps.empty() || !steps.back().isDelete) steps.push_back(Step{true, {}, {}, {}});
        steps.back().deletedIds.insert(steps.back().deletedIds.end(), event.recordIds.begin(),
                                       event.recordIds.end());
        break;
      case cdc::ChangeType::kGapOverflow:
        applied.overflow = true;
        break;
      case cdc::ChangeType::kOther:
        break;
      default:  // GAP_CREATE, GAP_UPDATE, GAP_UNDELETE
        refetch.insert(refetch.end(), event.recordIds.begin(), event.recordIds.end());
    }
  }
}

Result<RunPlan*> RealtimeApplier::planFor(const std::vector<std::string>& presentLower,
                                          const config::JobConfig** restricted) {
  config::JobConfig job = job_;
  job.dedupeBy.clear();           // events arrive in commit order: no duplicate tracking
  job.massDeletePercent = 100.0;  // deletes are named by the source, not inferred
  std::string signature;
  for (auto& target : job.targets) {
    std::vector<config::MappingConfig> kept;
    for (const auto& m : target.mappings) {
      const bool keep =
          m.source.empty() || m.upsertKey || (m.realtime && has(presentLower, m.source));
      signature += keep ? '1' : '0';
      if (keep) kept.push_back(m);
    }
    target.mappings = std::move(kept);
    std::vector<config::DerivedMappingConfig> derived;
    for (const auto& d : target.derived) {
      bool keep = true;
      for (const auto& pair : d.match) keep = keep && has(presentLower, pair.source);
      keep = keep || d.upsertKey;
      signature += keep ? '1' : '0';
      if (keep) derived.push_back(d);
    }
    target.derived = std::move(derived);
    signature += '|';
  }
  auto it = plans_.find(signature);
  if (it == plans_.end()) {
    auto r = std::make_unique<Restricted>();
    r->job = std::move(job);
    Result<std::unique_ptr<RunPlan>> built = RunPlan::build(r->job, describe_, columns_, store_);
    if (!built.ok()) return built.status();
    r->plan = std::move(built).value();
    it = plans_.emplace(signature, std::move(r)).first;
  }
  *restricted = &it->second->job;
  return it->second->plan.get();
}

Status RealtimeApplier::applyPage(const std::vector<std::string>& presentLower,
                                  const salesforce::RecordPage& page,
                                  store::ExecutionRecord& record) {
  const config::JobConfig* restricted = nullptr;
  Result<RunPlan*> plan = planFor(presentLower, &restricted);
  if (!plan.ok()) return plan.status();
  PageProcessor processor(*restricted, *plan.value(), store_, errors_, nullptr, record,
                          DuplicateStamp{}, deferredOwner(job_.connection, job_.name) + "#realtime",
                          columns_.size());
  record.recordsRead += static_cast<std::int64_t>(page.rows.size());
  Status s = processor.process(page);
  return s.ok() ? processor.finish() : s;
}

Status RealtimeApplier::applyDeletes(const std::vector<std::string>& ids, std::int64_t nowMs,
                                     store::ExecutionRecord& record) {
  if (job_.onSourceDelete == config::DeletePolicy::kIgnore) return Status::OK();
  std::vector<std::string> all;
  for (const auto& c : columns_) all.push_back(lower(c));
  std::sort(all.begin(), all.end());
  const config::JobConfig* restricted = nullptr;
  Result<RunPlan*> plan = planFor(all, &restricted);
  if (!plan.ok()) return plan.status();
  const std::vector<DeleteRoute> routes = DeleteRoutes::of(*restricted, *plan.value());
  Result<ScratchIdSet> set = ScratchIdSet::create(store_);
  if (!set.ok()) return set.status();
  Status s = store_.addToIdSet(set->name(), ids);
  if (!s.ok()) return s;
  std::vector<TargetDeletes> applied;
  s = DeleteApplier(*restricted, routes, store_)
          .apply(set->name(), isoMs(nowMs, "%Y-%m-%dT%H:%M:%S.%iZ"), &applied, {});
  if (!s.ok()) return s;
  for (const TargetDeletes& t : applied) {
    if (!routes.empty() && t.target == routes.front().target) record.deleted += t.rows;
  }
  return Status::OK();
}

Result<std::vector<salesforce::RecordPage>> RealtimeApplier::refetchPages(
    std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<salesforce::RecordPage> pages;
  for (const std::string& soql : RerunQuery::batches(job_, columns_, ids)) {
    Status s = client_.query(soql, columns_, [&](salesforce::RecordPage& page) {
      pages.push_back(page);
      return Status::OK();
    });
    if (!s.ok()) return s;
  }
  return pages;
}

Result<AppliedBatch> RealtimeApplier::apply(const std::vector<cdc::ChangeEvent>& events,
                                            const std::string& replayId, std::int64_t nowMs,
                                            store::ExecutionRecord& record) {
  AppliedBatch applied;
  std::vector<Step> steps;
  std::vector<std::string> refetch;
  Status missing = findMissing(events, nowMs);
  if (!missing.ok()) return missing;
  plan(events, steps, refetch, applied);
  // The position's time: the newest commit the batch delivered (the retention check's base).
  std::int64_t positionMs = 0;
  for (const cdc::ChangeEvent& e : events) positionMs = std::max(positionMs, e.commitTimestamp);
  if (positionMs == 0) positionMs = nowMs;
  // Read what the events cannot give before the transaction: no network I/O while it is open.
  Result<std::vector<salesforce::RecordPage>> pages = refetchPages(refetch);
  if (!pages.ok()) return pages.status();
  noteEmptyRereads(pages.value(), nowMs);
  std::vector<std::string> all;
  for (const auto& c : columns_) all.push_back(lower(c));
  std::sort(all.begin(), all.end());
  Status s = store_.transaction([&]() -> Status {
    for (const Step& step : steps) {
      Status st;
      if (step.isDelete) {
        st = applyDeletes(step.deletedIds, nowMs, record);
        applied.records += static_cast<std::int64_t>(step.deletedIds.size());
      } else if (!step.rows.empty()) {
        salesforce::RecordPage page;
        page.columns = columns_;
        page.rows = step.rows;
        page.done = true;
        st = applyPage(step.presentLower, page, record);
        applied.records += static_cast<std::int64_t>(step.rows.size());
      }
      if (!st.ok()) return st;
    }
    for (const salesforce::RecordPage& page : pages.value()) {
      Status st = applyPage(all, page, record);
      if (!st.ok()) return st;
      applied.refetched += static_cast<std::int64_t>(page.rows.size());
      applied.records += static_cast<std::int64_t>(page.rows.size());
    }
    if (applied.overflow) {
      // The position moves past the overflow: the owed catch-up must survive a restart.
      Status st = store_.putState(catchUpPendingKey(job_.connection, job_.name), "1");
      if (!st.ok()) return st;
    }
    return replayId.empty() ? Status::OK() : storePosition(store_, job_, replayId, positionMs);
  });
  if (!s.ok()) return s;
  return applied;
}

}  // namespace sfsync::jobs
