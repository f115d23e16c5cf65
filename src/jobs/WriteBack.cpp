#include "jobs/WriteBack.h"

#include "sfsync/jobs/WriteBackCapture.h"
#include "sfsync/salesforce/CancellationToken.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace sfsync::jobs {
namespace {

using salesforce::WriteOperation;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool plainId(const std::string& id) {
  if (id.size() != 15 && id.size() != 18) return false;
  return std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
}

std::string text(const Value& v) { return isNull(v) ? std::string("(null)") : valueToText(v); }

const char* statusOf(WriteOperation op, bool created) {
  if (op == WriteOperation::kUpdate) return "Updated in Salesforce";
  if (op == WriteOperation::kCreate || created) return "Created in Salesforce";
  return "Upserted in Salesforce";
}

// A failed create call that Salesforce may have carried out: the client's OUTCOME_UNKNOWN, and for
// creates any failure after the request may have gone out (cancelled by shutdown, an answer over
// maxResponseBytes, an unreadable answer, a bug while reading it). Resending those would create
// the records a second time.
bool outcomeUnknown(WriteOperation op, const Status& s) {
  if (s.remoteCode() == salesforce::kOutcomeUnknown) return true;
  if (op != WriteOperation::kCreate) return false;
  // kDataError: RESPONSE_TOO_LARGE or a malformed answer.
  return s.remoteCode() == salesforce::kCancelled || s.code() == StatusCode::kDataError ||
         s.code() == StatusCode::kInternal;
}

}  // namespace

WriteBack::WriteBack(const config::JobConfig& job, RunContext& context,
                     store::ExecutionRecord& record, OutboundFiles files, bool dryRun,
                     std::function<void(const OutboundLine&)> lines)
    : job_(job),
      context_(context),
      record_(record),
      dryRun_(dryRun),
      lines_(std::move(lines)),
      files_(std::move(files)),
      sourceColumns_(job.sourceFields()),
      targets_(writeBackTargets(job)) {
  std::vector<std::string> targetNames;
  for (const config::TargetConfig& t : job.targets) targetNames.push_back(t.object);
  if (files_.successes == nullptr && !files_.successPath.empty() && !dryRun_) {
    ownSuccesses_ =
        std::make_unique<activity::SuccessFile>(files_.successPath, sourceColumns_, targetNames);
    files_.successes = ownSuccesses_.get();
  }
}

Status WriteBack::begin() {
  Result<store::OutboxPtr> outbox = store::openOutbox(context_.store, dryRun_);
  if (!outbox.ok()) {
    return Status::InvalidArgument("job '" + job_.name + "' (" + job_.file +
                                   "): \"direction\": " + outbox.status().message());
  }
  outbox_ = std::move(outbox).value();
  return dryRun_ ? Status::OK() : install(/*tablesMayBeMissing=*/true);
}

Status WriteBack::install(bool tablesMayBeMissing) {
  for (const store::OutboxTarget& spec : outboxTargetsOf(job_)) {
    Status s = outbox_->install(spec);
    const bool missing = s.code() == StatusCode::kInvalidArgument &&
                         s.message().find("no table") != std::string::npos;
    if (!s.ok() && !(missing && tablesMayBeMissing)) return s;
  }
  return Status::OK();
}

Status WriteBack::validate(const salesforce::ObjectDescribe& describe) {
  Status s = validateWriteBack(job_, describe, targets_);
  validated_ = s.ok();
  return s;
}

Status WriteBack::run(const salesforce::ObjectDescribe& describe) {
  if (!outbox_) return Status::Internal("write-back: begin() was not called");
  Status s = validated_ ? Status::OK() : validate(describe);
  if (!s.ok()) return s;
  if (!dryRun_) s = install(/*tablesMayBeMissing=*/false);
  const std::string stampField = describe.findField("SystemModstamp")     ? "SystemModstamp"
                                 : describe.findField("LastModifiedDate") ? "LastModifiedDate"
                                                                          : "";
  for (const WriteBackTarget& t : targets_) {
    Result<std::int64_t> n = outbox_->size(t.table);
    if (n.ok()) total_ += *n;
  }
  if (total_ > 0 && !dryRun_) progress();  // the phase begins
  for (const WriteBackTarget& t : targets_) {
    if (s.ok()) s = runTarget(t, stampField);
  }
  if (ownSuccesses_) {
    Status closed = ownSuccesses_->close();
    if (s.ok()) s = closed;
    if (!ownSuccesses_->path().empty()) record_.successFile = ownSuccesses_->path();
  }
  return s;
}

void WriteBack::progress() {
  if (files_.progress != nullptr) {
    files_.progress->update(record_, "writeback", handled_, std::max(total_, handled_));
  }
}

Status WriteBack::runTarget(const WriteBackTarget& target, const std::string& stampField) {
  std::int64_t after = 0;
  while (true) {
    Result<std::vector<store::OutboxEntry>> entries =
        outbox_->pending(target.table, after, kChunkEntries);
    if (!entries.ok()) return entries.status();
    if (entries->empty()) return Status::OK();
    after = entries->back().seq;
    Status s = runChunk(target, *entries, stampField);
    if (!s.ok()) return s;
    if (context_.stopping()) return Status::OK();  // the rest waits in the outbox
  }
}

Status WriteBack::runChunk(const WriteBackTarget& target,
                           const std::vector<store::OutboxEntry>& entries,
                           const std::string& stampField) {
  const std::vector<FieldChange> changes = collapse(entries);
  Result<std::map<std::string, RowKeys>> keys = readKeys(target, changes);
  if (!keys.ok()) return keys.status();
  for (const std::string& gsid : review_[target.table]) keys->erase(gsid);  // not created again
  std::vector<std::string> ids;
  for (const auto& [gsid, k] : *keys) {
    if (!k.id.empty()) ids.push_back(k.id);
  }
  Result<std::map<std::string, SfRecord>> sf = readSalesforce(target, ids, stampField);
  if (!sf.ok()) return sf.status();
  std::vector<Outgoing> outgoing;
  Status s = plan(target, changes, *keys, *sf, outgoing);
  if (s.ok() && !dryRun_) s = send(target, outgoing);
  handled_ += static_cast<std::int64_t>(entries.size());
  if (s.ok() && !dryRun_) progress();
  return s;
}

Result<std::map<std::string, WriteBack::RowKeys>> WriteBack::readKeys(
    const WriteBackTarget& target, const std::vector<FieldChange>& changes) {
  std::vector<std::string> gsids;
  for (const FieldChange& c : changes) {
    if (gsids.empty() || gsids.back() != c.gsid) gsids.push_back(c.gsid);  // sorted by gsid
  }
  Result<std::string> set = context_.store.createIdSet();
  if (!set.ok()) return set.status();
  std::vector<std::string> columns{"gsid"};
  columns.push_back(target.idColumn.empty() ? "gsid" : target.idColumn);
  columns.push_back(target.extColumn.empty() ? "gsid" : target.extColumn);
  Status s = context_.store.addToIdSet(*set, gsids);
  std::vector<store::Row> rows;
  if (s.ok()) {
    Result<std::vector<store::Row>> read =
        context_.store.selectWhere(target.table, columns, {"gsid", *set, true, false});
    if (read.ok()) {
      rows = std::move(read).value();
    } else {
      s = read.status();
    }
  }
  context_.store.dropIdSet(*set).ignoreError();  // best effort: sets vanish with the store anyway
  if (!s.ok()) return s;
  std::map<std::string, RowKeys> out;
  for (const store::Row& row : rows) {
    RowKeys k;
    if (!target.idColumn.empty() && !isNull(row[1])) k.id = valueToText(row[1]);
    if (!target.extColumn.empty()) k.ext = row[2];
    out[valueToText(row[0])] = std::move(k);
  }
  return out;
}

Status WriteBack::resolveUncertain(const WriteBackTarget& target,
                                   const std::vector<FieldChange>& changes,
                                   std::map<std::string, RowKeys>& keys) {
  std::map<std::string, std::vector<const FieldChange*>> rows;  // gsid -> its uncertain changes
  for (const FieldChange& c : changes) {
    const auto key = keys.find(c.gsid);
    if (!c.uncertain || key == keys.end() || !key->second.id.empty()) continue;
    if (!target.extColumn.empty() && !isNull(key->second.ext)) continue;  // upsert: idempotent
    rows[c.gsid].push_back(&c);
  }
  for (const auto& [gsid, sent] : rows) {
    Result<std::vector<std::string>> found = lookUpCreated(target, sent);
    if (!found.ok() && found.status().code() != StatusCode::kNotFound) return found.status();
    if (found.ok() && found->empty()) continue;  // it was not created: create it now
    if (found.ok() && found->size() == 1 && !target.idColumn.empty()) {
      Result<std::int64_t> n = context_.store.updateColumns(target.table, {target.idColumn},
                                                            {{gsid, {Value{(*found)[0]}}}});
      if (!n.ok()) return n.status();
      keys[gsid].id = (*found)[0];
      continue;
    }
    std::vector<const FieldChange*> all;
    for (const FieldChange& c : changes) {
      if (c.gsid == gsid) all.push_back(&c);
    }
    const std::string why =
        found.ok() ? std::to_string(found->size()) + " Salesforce records hold the values it sent"
                   : "no field it sent can be looked up in SOQL";
    Status s = failRow(target, all, "", salesforce::kOutcomeUnknown,
                       "a create of this row lost its answer and " + why +
                           "; review: put the right record's Id into the row's " +
                           (target.idColumn.empty() ? std::string("Id column") : target.idColumn) +
                           " (and delete any duplicate in Salesforce)");
    if (!s.ok()) return s;
    keys.erase(gsid);
    review_[target.table].insert(gsid);
  }
  return Status::OK();
}

Status WriteBack::resolveLostCreates() {
  if (!validated_ || dryRun_ || !outbox_ || !job_.createInSalesforce) return Status::OK();
  for (const WriteBackTarget& target : targets_) {
    std::vector<store::OutboxEntry> uncertain;
    for (std::int64_t after = 0;;) {
      Result<std::vector<store::OutboxEntry>> entries =
          outbox_->pending(target.table, after, kChunkEntries);
      if (!entries.ok()) return entries.status();
      if (entries->empty()) break;
      after = entries->back().seq;
      for (store::OutboxEntry& e : *entries) {
        if (e.uncertain()) uncertain.push_back(std::move(e));
      }
    }
    if (uncertain.empty()) continue;
    const std::vector<FieldChange> changes = collapse(uncertain);
    Result<std::map<std::string, RowKeys>> keys = readKeys(target, changes);
    if (!keys.ok()) return keys.status();
    Status s = resolveUncertain(target, changes, *keys);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Result<std::vector<std::string>> WriteBack::lookUpCreated(
    const WriteBackTarget& target, const std::vector<const FieldChange*>& sent) {
  std::string where;
  for (const FieldChange* c : sent) {
    const WriteBackColumn* column = target.find(c->column);
    const std::string& type = column->fieldType;
    if (type == "textarea" || type == "base64" || type == "address" || type == "location") {
      continue;  // not filterable in SOQL
    }
    const Value v = toSalesforceValue(c->sent, type);
    std::string literal;
    if (isNull(v)) {
      literal = "null";
    } else if (std::holds_alternative<std::string>(v) && type != "date" && type != "datetime") {
      literal = "'";
      for (char ch : std::get<std::string>(v)) {
        if (ch == '\'' || ch == '\\') literal += '\\';
        literal += ch;
      }
      literal += "'";
    } else {
      literal = valueToText(v);  // numbers, booleans, date / datetime literals
    }
    where += (where.empty() ? "" : " AND ") + column->field + " = " + literal;
  }
  if (where.empty()) return Status::NotFound("no filterable field");
  std::vector<std::string> ids;
  Status s =
      context_.client.query("SELECT Id FROM " + job_.sourceObject + " WHERE " + where + " LIMIT 2",
                            {"Id"}, [&](salesforce::RecordPage& page) {
                              for (const std::vector<Value>& row : page.rows)
                                ids.push_back(valueToText(row[0]));
                              return Status::OK();
                            });
  if (!s.ok()) return s;
  return ids;
}

Result<std::map<std::string, WriteBack::SfRecord>> WriteBack::readSalesforce(
    const WriteBackTarget& target, const std::vector<std::string>& ids,
    const std::string& stampField) {
  std::vector<std::string> columns{"Id"};
  if (!stampField.empty()) columns.push_back(stampField);
  for (const WriteBackColumn& c : target.columns) columns.push_back(c.field);
  std::string select;
  for (const std::string& c : columns) select += (select.empty() ? "" : ", ") + c;
  std::map<std::string, SfRecord> out;
  for (std::size_t from = 0; from < ids.size(); from += salesforce::kMaxRecordsPerCall) {
    std::string in;
    const std::size_t to = std::min(ids.size(), from + salesforce::kMaxRecordsPerCall);
    for (std::size_t i = from; i < to; ++i) {
      if (plainId(ids[i])) in += (in.empty() ? "'" : ",'") + ids[i] + "'";
    }
    if (in.empty()) continue;
    const std::string soql =
        "SELECT " + select + " FROM " + job_.sourceObject + " WHERE Id IN (" + in + ")";
    Status s = context_.client.query(soql, columns, [&](salesforce::RecordPage& page) {
      for (const std::vector<Value>& row : page.rows) {
        SfRecord r;
        std::size_t k = 1;
        if (!stampField.empty()) r.stampMs = isoMillis(valueToText(row[k++]));
        for (const WriteBackColumn& c : target.columns) r.values[lower(c.field)] = row[k++];
        out[valueToText(row[0]).substr(0, 15)] = std::move(r);
      }
      return Status::OK();
    });
    if (!s.ok()) return s;
  }
  return out;
}

Result<bool> WriteBack::planExisting(const WriteBackTarget& target, const FieldChange& c,
                                     const WriteBackColumn& column, const std::string& id,
                                     const std::map<std::string, SfRecord>& sf, Planning& p) {
  const auto rec = sf.find(id.substr(0, 15));
  if (rec == sf.end()) {
    Status s = failRow(target, {&c}, id, "ENTITY_IS_DELETED",
                       "no record with this Id in Salesforce (deleted, or not visible)",
                       p.failedRows.insert(c.gsid).second);
    if (!s.ok()) return s;
    return false;
  }
  const auto v = rec->second.values.find(lower(column.field));
  const Value sfValue =
      toSalesforceValue(v == rec->second.values.end() ? Value{} : v->second, column.fieldType);
  const Decision d = decide(c, column, sfValue, isoMillis(c.changedAt), rec->second.stampMs);
  if (d.conflict) ++record_.conflicts;
  if (d.action != Action::kSend) {
    // Salesforce wins, or the values are equal already (acknowledged only).
    p.winners.emplace_back(&c, d.salesforce);
    if (d.action == Action::kNone) return false;
    Status s = line({dryRun_ ? "would-overwrite-local" : "conflict-salesforce-won", target.table,
                     c.gsid, id, column.field, text(c.local), text(sfValue), "", ""});
    if (!s.ok()) return s;
    return false;
  }
  if (d.conflict) {
    Status s = line({"conflict-local-won", target.table, c.gsid, id, column.field, text(c.local),
                     text(sfValue), "", ""});
    if (!s.ok()) return s;
  }
  return true;
}

Status WriteBack::plan(const WriteBackTarget& target, const std::vector<FieldChange>& changes,
                       const std::map<std::string, RowKeys>& keys,
                       const std::map<std::string, SfRecord>& sf, std::vector<Outgoing>& outgoing) {
  Planning p;
  for (const FieldChange& c : changes) {
    const WriteBackColumn* column = target.find(c.column);
    const auto key = keys.find(c.gsid);
    if (column == nullptr || key == keys.end()) continue;  // no longer written back / row gone
    const std::string& id = key->second.id;
    Outgoing o;
    o.gsid = c.gsid;
    if (!id.empty()) {
      Result<bool> send = planExisting(target, c, *column, id, sf, p);
      if (!send.ok()) return send.status();
      if (!*send) continue;
      o.op = WriteOperation::kUpdate;
      o.record.id = id;
    } else if (!target.extColumn.empty() && !isNull(key->second.ext)) {
      o.op = WriteOperation::kUpsert;
      o.record.fields.emplace_back(job_.externalIdField, key->second.ext);
    } else if (job_.createInSalesforce) {
      o.op = WriteOperation::kCreate;
    } else {
      Status s = failRow(target, {&c}, "", "NO_SALESFORCE_ID",
                         "the row has no Salesforce Id and the job does not create records "
                         "(createInSalesforce is false)",
                         p.failedRows.insert(c.gsid).second);
      if (!s.ok()) return s;
      continue;
    }
    auto [at, fresh] = p.byGsid.try_emplace(c.gsid, outgoing.size());
    if (fresh) outgoing.push_back(std::move(o));
    outgoing[at->second].record.fields.emplace_back(column->field,
                                                    toSalesforceValue(c.local, column->fieldType));
    outgoing[at->second].changes.push_back(&c);
    if (dryRun_) {
      Status s =
          line({"would-send", target.table, c.gsid, id, column->field, text(c.local), "", "", ""});
      if (!s.ok()) return s;
    }
  }
  return dryRun_ ? Status::OK() : applySalesforce(target, p.winners);
}

Status WriteBack::applySalesforce(
    const WriteBackTarget& target,
    const std::vector<std::pair<const FieldChange*, Value>>& winners) {
  if (winners.empty()) return Status::OK();
  return context_.store.transaction([&]() -> Status {
    for (const auto& [change, value] : winners) {
      Status s = outbox_->acknowledge(target.table, change->gsid, change->column, change->maxSeq);
      if (!s.ok()) return s;
      if (sameValue(toSalesforceValue(change->local, target.find(change->column)->fieldType),
                    value)) {
        continue;  // already equal: acknowledged only
      }
      Result<std::int64_t> n = context_.store.updateColumns(target.table, {change->column},
                                                            {{change->gsid, store::Row{value}}});
      if (!n.ok()) return n.status();
    }
    return Status::OK();
  });
}

Status WriteBack::send(const WriteBackTarget& target, std::vector<Outgoing>& outgoing) {
  for (WriteOperation op :
       {WriteOperation::kUpdate, WriteOperation::kUpsert, WriteOperation::kCreate}) {
    std::vector<Outgoing*> batch;
    for (Outgoing& o : outgoing) {
      if (o.op != op) continue;
      batch.push_back(&o);
      if (batch.size() == salesforce::kMaxRecordsPerCall) {
        Status s = sendBatch(target, op, std::move(batch));
        if (!s.ok()) return s;
        batch.clear();
      }
    }
    if (!batch.empty()) {
      Status s = sendBatch(target, op, std::move(batch));
      if (!s.ok()) return s;
    }
  }
  return Status::OK();
}

Status WriteBack::sendBatch(const WriteBackTarget& target, WriteOperation op,
                            std::vector<Outgoing*> batch) {
  salesforce::Outbound* outbound = context_.client.outbound();
  if (outbound == nullptr) {
    return Status::InvalidArgument("job '" + job_.name + "': this connection cannot write back");
  }
  record_.outboundSent += static_cast<std::int64_t>(batch.size());
  for (int attempt = 0; !batch.empty(); ++attempt) {
    if (attempt > 0) context_.clock.sleepFor(std::chrono::milliseconds(500 << (attempt - 1)));
    std::vector<salesforce::OutboundRecord> records;
    for (const Outgoing* o : batch) records.push_back(o->record);
    Result<std::vector<salesforce::WriteResult>> results =
        outbound->write(op, job_.sourceObject, job_.externalIdField, records);
    if (!results.ok() && outcomeUnknown(op, results.status())) {
      // A create whose answer was lost: not resent now; the next run looks the records up.
      return markUncertain(target, batch, results.status().message());
    }
    if (!results.ok()) return results.status();
    std::vector<Outgoing*> locked;
    deferFiles_ = true;
    Status s = context_.store.transaction([&]() -> Status {
      for (std::size_t i = 0; i < batch.size(); ++i) {
        const salesforce::WriteResult& r = (*results)[i];
        const bool lockedRow =
            !r.success && !r.errors.empty() && r.errors[0].statusCode == "UNABLE_TO_LOCK_ROW";
        if (lockedRow && attempt < kLockRetries) {
          locked.push_back(batch[i]);
          continue;
        }
        Status settled = settle(target, *batch[i], r);
        if (!settled.ok()) return settled;
      }
      return Status::OK();
    });
    deferFiles_ = false;
    std::vector<std::function<Status()>> files = std::move(deferredFiles_);
    deferredFiles_.clear();
    if (!s.ok() && op == WriteOperation::kCreate) {
      // Salesforce answered 2xx but the new Ids were not stored: the records exist.
      markUncertain(target, batch, "the results could not be stored: " + s.message())
          .ignoreError();  // best effort: the store just failed; the run fails with `s` anyway
    }
    if (!s.ok()) return s;
    for (const std::function<Status()>& write : files) {
      Status written = write();
      if (!written.ok()) return written;
    }
    batch = std::move(locked);
  }
  return Status::OK();
}

Status WriteBack::markUncertain(const WriteBackTarget& target, const std::vector<Outgoing*>& batch,
                                const std::string& why) {
  return context_.store.transaction([&]() -> Status {
    for (Outgoing* o : batch) {
      Status s = failRow(target, o->changes, "", salesforce::kOutcomeUnknown,
                         why + "; the next run looks the record up before creating it again");
      if (!s.ok()) return s;
    }
    return Status::OK();
  });
}

Status WriteBack::toFile(std::function<Status()> write) {
  if (!deferFiles_) return write();
  deferredFiles_.push_back(std::move(write));
  return Status::OK();
}

Status WriteBack::settle(const WriteBackTarget& target, Outgoing& o,
                         const salesforce::WriteResult& r) {
  if (!r.success) {
    const std::string code = r.errors.empty() ? "UNKNOWN_ERROR" : r.errors[0].statusCode;
    const std::string message = r.errors.empty() ? "" : r.errors[0].message;
    return failRow(target, o.changes, o.record.id, code, message);
  }
  ++record_.outboundSucceeded;
  const std::string id = r.id.empty() ? o.record.id : r.id;
  if (o.op != WriteOperation::kUpdate && !target.idColumn.empty() && !id.empty()) {
    Result<std::int64_t> n =
        context_.store.updateColumns(target.table, {target.idColumn}, {{o.gsid, {Value{id}}}});
    if (!n.ok()) return n.status();
  }
  for (const FieldChange* c : o.changes) {
    Status s = outbox_->acknowledge(target.table, c->gsid, c->column, c->maxSeq);
    if (s.ok()) {
      s = line({"sent", target.table, c->gsid, id, target.find(c->column)->field, text(c->local),
                "", "", r.created ? "created" : ""});
    }
    if (!s.ok()) return s;
  }
  return succeeded(target, o, id, r);
}

std::vector<Value> WriteBack::sourceRow(
    const std::string& sfId, const std::vector<std::pair<std::string, Value>>& fields) const {
  std::vector<Value> row(sourceColumns_.size());
  for (std::size_t i = 0; i < sourceColumns_.size(); ++i) {
    const std::string name = lower(sourceColumns_[i]);
    if (name == "id" && !sfId.empty()) row[i] = Value{sfId};
    for (const auto& [field, value] : fields) {
      if (lower(field) == name) row[i] = value;
    }
  }
  return row;
}

Status WriteBack::succeeded(const WriteBackTarget& target, const Outgoing& o, const std::string& id,
                            const salesforce::WriteResult& r) {
  if (files_.successes == nullptr) return Status::OK();
  std::vector<activity::SuccessFile::TargetResult> results(job_.targets.size());
  for (std::size_t t = 0; t < job_.targets.size(); ++t) {
    if (job_.targets[t].object == target.table) results[t] = {o.gsid, statusOf(o.op, r.created)};
  }
  activity::SuccessFile* file = files_.successes;
  std::vector<Value> row = sourceRow(id, o.record.fields);
  return toFile([file, row = std::move(row), results = std::move(results)]() {
    return file->add(row, results);
  });
}

Status WriteBack::rejected(const WriteBackTarget& target,
                           const std::vector<const FieldChange*>& changes, const std::string& sfId,
                           const std::string& code, const std::string& message) {
  if (files_.errors == nullptr || dryRun_) return Status::OK();
  std::vector<std::pair<std::string, Value>> fields;
  std::string mapping;
  for (const FieldChange* c : changes) {
    const WriteBackColumn* column = target.find(c->column);
    fields.emplace_back(column->field, toSalesforceValue(c->local, column->fieldType));
    mapping += (mapping.empty() ? "" : ";") + column->field;
  }
  activity::RejectedRecord r;
  r.reasonCode = code;
  r.stage = "writeback";
  r.mapping = mapping;
  r.message = "writing " + target.table + " row " + (changes.empty() ? "" : changes[0]->gsid) +
              " back to Salesforce failed: " + message +
              " (the change stays in the outbox and is sent again next run)";
  activity::ErrorFile* file = files_.errors;
  std::vector<Value> row = sourceRow(sfId, fields);
  return toFile([file, row = std::move(row), r = std::move(r)]() { return file->add(row, r); });
}

Status WriteBack::failRow(const WriteBackTarget& target,
                          const std::vector<const FieldChange*>& changes, const std::string& sfId,
                          const std::string& code, const std::string& message, bool countRecord) {
  if (countRecord) ++record_.outboundFailed;
  Status written = rejected(target, changes, sfId, code, message);
  if (!written.ok()) return written;
  for (const FieldChange* c : changes) {
    Status s = dryRun_ ? Status::OK()
                       : outbox_->noteFailure(target.table, c->gsid, c->column, c->maxSeq,
                                              code + ": " + message);
    if (s.ok()) {
      s = line({"failed", target.table, c->gsid, sfId, target.find(c->column)->field,
                text(c->local), "", code, message});
    }
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status WriteBack::line(OutboundLine l) {
  if (lines_) lines_(l);
  if (dryRun_ || files_.warnings == nullptr || l.outcome.rfind("conflict-", 0) != 0) {
    return Status::OK();
  }
  const bool localWon = l.outcome == "conflict-local-won";
  activity::RejectedRecord r;
  r.reasonCode = "WRITEBACK_CONFLICT";
  r.stage = "writeback";
  r.mapping = l.field;
  r.value = l.localValue;
  r.message = l.table + " row " + l.gsid + ": " + l.field +
              " changed locally and in Salesforce since the last sync; " +
              (localWon ? "the local change is newer and was sent"
                        : "Salesforce's change is newer "
                          "and was written locally") +
              " (local '" + l.localValue + "', Salesforce '" + l.salesforceValue + "')";
  return files_.warnings->add(sourceRow(l.salesforceId, {}), r);
}

Status previewWriteBack(const config::JobConfig& job, salesforce::SalesforceClient& client,
                        store::Store& store, Clock& clock,
                        const salesforce::ObjectDescribe& describe, std::size_t maxLines,
                        std::vector<std::string>& notes) {
  Result<store::OutboxPtr> outbox = store::openOutbox(store, /*readOnly=*/true);
  if (!outbox.ok()) return outbox.status();
  Result<std::int64_t> pending = (*outbox)->size("");
  if (!pending.ok()) return pending.status();
  if (*pending == 0) {
    notes.push_back("write-back: no local changes waiting to be sent");
    return Status::OK();
  }
  RunContext context{client, store, clock, ""};
  store::ExecutionRecord record;
  std::size_t lines = 0;
  WriteBack preview(job, context, record, OutboundFiles{}, /*dryRun=*/true,
                    [&](const OutboundLine& l) {
                      if (++lines > maxLines) return;
                      std::string note = "write-back: " + l.outcome + " " + l.table + " " + l.gsid +
                                         " " + l.field + ": local '" + l.localValue + "'";
                      if (!l.salesforceValue.empty())
                        note += ", Salesforce '" + l.salesforceValue + "'";
                      if (!l.statusCode.empty())
                        note += " (" + l.statusCode + ": " + l.message + ")";
                      notes.push_back(note);
                    });
  Status s = preview.begin();
  if (s.ok()) s = preview.run(describe);
  if (!s.ok()) return s;
  notes.push_back("write-back: " + std::to_string(lines) + " field change(s) listed" +
                  (lines > maxLines ? " (" + std::to_string(maxLines) + " shown)" : "") + ", " +
                  std::to_string(record.conflicts) + " conflict(s); nothing was sent");
  return Status::OK();
}

}  // namespace sfsync::jobs
