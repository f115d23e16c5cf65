#include "jobs/ReplicationRun.h"

#include <Poco/Logger.h>

#include <string_view>

#include "mapping/IsoDateTime.h"
#include "sfsync/core/Ids.h"
#include "sfsync/core/Names.h"
#include "sfsync/jobs/ReplicationState.h"
#include "sfsync/salesforce/SoqlBuilder.h"

namespace sfsync::jobs {

namespace {

// The text of a cursor value: a string as it is, anything else through valueToText into `scratch`.
std::string_view textOf(const Value& v, std::string& scratch) {
  if (const std::string* s = std::get_if<std::string>(&v)) return *s;
  scratch = valueToText(v);
  return scratch;
}

// (stamp, id) against `point` in CursorPoint's order: negative, 0 or positive.
int compare(std::string_view stamp, std::string_view id, const CursorPoint& point) {
  const int byStamp = stamp.compare(point.stamp);
  return byStamp != 0 ? byStamp : id.compare(point.id);
}

constexpr const char* kStampField = "SystemModstamp";

Poco::Logger& logger() { return Poco::Logger::get("sfsync.jobs"); }

// Milliseconds since the epoch of an ISO-8601 datetime (Salesforce sends +0000, sfsync writes Z);
// false when it is not one.
bool epochMillis(const std::string& iso, std::int64_t& out) {
  std::string why;
  return mapping::IsoDateTime::parseDateTime(iso, &out, &why);
}

}  // namespace

Result<ReplicationRun> ReplicationRun::start(const config::JobConfig& job, store::Store& store,
                                             Clock& clock,
                                             const salesforce::ObjectDescribe& describe,
                                             std::vector<std::string>& columns) {
  ReplicationRun run(job, store, clock);
  Status loaded = run.load(describe);
  if (!loaded.ok()) return loaded;
  if (run.hasStamp_) {
    run.stampColumn_ = indexOfIgnoreCase(columns, kStampField);
    if (run.stampColumn_ < 0) {
      columns.push_back(kStampField);
      run.stampColumn_ = static_cast<int>(columns.size()) - 1;
    }
  }
  return run;
}

void ReplicationRun::note(const std::string& text) {
  notes_ += (notes_.empty() ? "" : "; ") + text;
}

Status ReplicationRun::load(const salesforce::ObjectDescribe& describe) {
  hasStamp_ = describe.findField(kStampField) != nullptr;
  runStartIso_ = formatIso8601(clock_->now());
  Result<std::optional<std::string>> resync = store_->getState(fullResyncKey(job_->name));
  if (!resync.ok()) return resync.status();
  fullResyncValue_ = resync->value_or("");
  Result<std::optional<std::string>> text =
      store_->getState(cursorKey(job_->connection, job_->name));
  if (!text.ok()) return text.status();
  if (text->has_value() && !(*text)->empty()) {
    Result<ReplicationCursor> parsed = ReplicationCursor::parse(**text);
    if (parsed.ok()) {
      stored_ = std::move(parsed).value();
    } else {
      logger().warning("job %s: %s; running a full pass", job_->name, parsed.status().message());
      note("the stored cursor was unreadable (" + parsed.status().message() + "): full pass");
    }
  }
  const bool discard = stored_.run && !fullResyncValue_.empty() && stored_.run->mode != "full";
  if (stored_.run && !discard) {
    checkpoint_ = *stored_.run;
    checkpointLoaded_ = true;
    full_ = checkpoint_.mode == "full";
    fromStart_ = checkpoint_.deferredPending && !checkpoint_.deferredStored;
    note(std::string("resumed the interrupted run of ") + checkpoint_.startedAt + " from " +
         (fromStart_ ? "its start (deferred self-lookups were pending)"
                     : "its checkpoint " + (checkpoint_.high.empty() ? std::string("(start)")
                                                                     : checkpoint_.high.text())));
    if (fromStart_) {  // the same Bulk job, from its first row
      checkpoint_.bulkLocator.clear();
      checkpoint_.bulkRowsIntoSet = 0;
    }
    if (checkpoint_.runTag == 0 || checkpoint_.stampLayout != stampLayout()) {
      checkpoint_.runTag = newRunTag();  // an older version's checkpoint, or dedupeBy edited since
      checkpoint_.stampLayout = stampLayout();
    }
    return Status::OK();
  }
  if (discard) note("a full resync replaced the interrupted incremental run");
  decideNew(stored_);
  return Status::OK();
}

void ReplicationRun::decideNew(const ReplicationCursor& stored) {
  std::string why;
  if (!hasStamp_) {
    why = "the object has no SystemModstamp";
    if (job_->mode == config::SourceMode::kIncremental) note("incremental impossible: " + why);
  } else if (job_->mode == config::SourceMode::kFull) {
    why = "source.mode full";
  } else if (!fullResyncValue_.empty()) {
    why = "full resync requested";
  } else if (stored.cursor.empty()) {
    why = "no cursor yet";
  } else if (job_->refreshCalculatedEverySeconds > 0) {
    std::int64_t last = 0, now = 0;
    epochMillis(runStartIso_, now);  // the run's own start: always readable
    if (!epochMillis(stored.lastFullAt, last) ||
        now / 1000 - last / 1000 >= job_->refreshCalculatedEverySeconds) {
      why = "refreshCalculatedEvery is due";
    }
  }
  full_ = !why.empty();
  if (full_ && hasStamp_ && !stored.cursor.empty()) note("full pass: " + why);
  checkpoint_ = RunCheckpoint{};
  checkpoint_.runTag = newRunTag();
  checkpoint_.stampLayout = stampLayout();
  checkpoint_.mode = mode();
  checkpoint_.startedAt = runStartIso_;
  if (!full_) checkpoint_.start = stored.cursor;
}

std::string ReplicationRun::stampLayout() const {
  return "2/" + job_->dedupeBy;  // 2: dedupeBy, SystemModstamp, Id (PageProcessor's DuplicateStamp)
}

std::string ReplicationRun::bound(const CursorPoint& from, bool overlap) const {
  if (from.empty()) return "";
  if (!hasStamp_) return "Id > " + salesforce::SoqlBuilder::quote(from.id);
  std::int64_t ms = 0;
  if (!epochMillis(from.stamp, ms)) return "";  // unreadable stamp: read everything
  if (overlap) ms -= job_->overlapSeconds * 1000;
  return std::string(kStampField) + " >= " + mapping::IsoDateTime::soqlDateTime(ms);
}

std::string ReplicationRun::soqlFrom(const std::vector<std::string>& columns,
                                     const std::string& condition, bool ordered) const {
  salesforce::SoqlBuilder soql(job_->sourceObject);
  soql.select(columns);
  if (!job_->filter.empty()) soql.where(job_->filter);
  if (!condition.empty()) soql.where(condition);
  if (ordered) soql.orderBy(hasStamp_ ? std::string(kStampField) + ", Id" : std::string("Id"));
  return soql.build();
}

std::string ReplicationRun::restSoql(const std::vector<std::string>& columns) const {
  return readSoql(columns, true);
}

std::string ReplicationRun::readSoql(const std::vector<std::string>& columns, bool ordered) const {
  // From the greatest applied point (a resumed run), else from the run's start minus the overlap.
  if (!fromStart_ && !checkpoint_.high.empty()) {
    // Objects without SystemModstamp (ordered by Id) resume after the last Id.
    return soqlFrom(columns, bound(checkpoint_.high, false), ordered);
  }
  return soqlFrom(columns, bound(checkpoint_.start, true), ordered);
}

source::ExtractRequest ReplicationRun::request(const std::vector<std::string>& columns,
                                               bool bulk) const {
  source::ExtractRequest r;
  r.object = job_->sourceObject;
  r.columns = columns;
  if (!bulk) {
    r.soql = restSoql(columns);
    return r;
  }
  // The greatest applied point of a Bulk checkpoint is no resume point (a job's rows need not
  // arrive in stamp order): a new job after one reads from the run's start. A REST checkpoint's
  // rows arrived in order, so a Bulk job may continue from it. A Bulk query has no ORDER BY
  // (Salesforce documents that ORDER BY turns off PK chunking: slower, and large jobs time out).
  // Nothing needs the order: the cursor is the greatest point applied, a checkpoint the job's
  // locator, and a repeated upsert key goes to the greatest (dedupeBy, SystemModstamp, Id) in any
  // read order (PageProcessor's DuplicateStamp), also across a resume (the run keeps its tag).
  r.soql = resumesBulkJob() ? soqlFrom(columns, bound(checkpoint_.start, true), false)
                            : readSoql(columns, false);
  if (resumesBulkJob()) {
    r.resumeBulkJobId = checkpoint_.bulkJobId;
    r.resumeFrom = {checkpoint_.bulkLocator, checkpoint_.bulkRowsIntoSet};
  }
  return r;
}

std::string ReplicationRun::countSoql() const {
  salesforce::SoqlBuilder soql(job_->sourceObject);
  soql.select("COUNT()");
  if (!job_->filter.empty()) soql.where(job_->filter);
  const std::string condition = bound(checkpoint_.start, true);
  if (!condition.empty()) soql.where(condition);
  return soql.build();
}

Status ReplicationRun::clearFullResync() {
  if (fullResyncValue_.empty() || fullResyncCleared_) return Status::OK();
  Result<std::optional<std::string>> current = store_->getState(fullResyncKey(job_->name));
  if (!current.ok()) return current.status();
  // A request made after this run started (a different value) is kept for the next run.
  if (current->value_or("") == fullResyncValue_) {
    Status cleared = store_->eraseState(fullResyncKey(job_->name));
    if (!cleared.ok()) return cleared;
  }
  fullResyncCleared_ = true;
  return Status::OK();
}

Status ReplicationRun::save() {
  return store_->putState(cursorKey(job_->connection, job_->name), stored_.toJson());
}

Status ReplicationRun::onPageApplied(const salesforce::RecordPage& page, bool deferredPending,
                                     const std::string& bulkJobId) {
  std::string idText;  // scratch for a value that is not a string (no copy per row otherwise)
  std::string stampText;
  for (const auto& row : page.rows) {
    const std::string_view id = row.empty() ? std::string_view() : textOf(row[0], idText);
    const std::string_view stamp =
        stampColumn_ >= 0 && static_cast<std::size_t>(stampColumn_) < row.size()
            ? textOf(row[stampColumn_], stampText)
            : std::string_view();
    if (!full_ && !checkpoint_.start.empty() && compare(stamp, id, checkpoint_.start) <= 0) {
      ++reread_;
    }
    if (compare(stamp, id, checkpoint_.high) > 0) {
      checkpoint_.high.stamp.assign(stamp);
      checkpoint_.high.id.assign(id);
    }
  }
  checkpoint_.bulkJobId = bulkJobId;
  checkpoint_.bulkLocator = page.bulkLocator;
  checkpoint_.bulkRowsIntoSet = page.bulkRowsIntoSet;
  checkpoint_.deferredPending = checkpoint_.deferredPending || deferredPending;
  checkpoint_.deferredStored = true;  // this version keeps them in the store's deferred queue
  stored_.run = checkpoint_;
  Status cleared = clearFullResync();
  if (!cleared.ok()) return cleared;
  return save();
}

Status ReplicationRun::onDeferredResolved() {
  if (!stored_.run) return Status::OK();
  checkpoint_.deferredPending = false;
  stored_.run = checkpoint_;
  return save();
}

CursorPoint ReplicationRun::endCursor() const {
  CursorPoint end = full_ ? CursorPoint{} : stored_.cursor;
  if (end < checkpoint_.high) end = checkpoint_.high;
  return end.empty() ? stored_.cursor : end;
}

Status ReplicationRun::complete() {
  return store_->transaction([&]() -> Status {
    stored_.cursor = endCursor();
    if (full_) stored_.lastFullAt = checkpoint_.startedAt;
    stored_.run.reset();
    Status cleared = clearFullResync();
    if (!cleared.ok()) return cleared;
    return save();
  });
}

DeleteWindow ReplicationRun::deleteWindow() const {
  DeleteWindow window;
  window.fullComparison = full_;
  window.endIso = runStartIso_;
  std::int64_t ms = 0;
  if (!full_ && epochMillis(checkpoint_.start.stamp, ms)) {
    window.startIso = mapping::IsoDateTime::soqlDateTime(ms - job_->overlapSeconds * 1000);
  }
  return window;
}

}  // namespace sfsync::jobs
