#include "jobs/DeleteDetector.h"

#include <Poco/Logger.h>

#include <algorithm>

#include "jobs/ScratchIdSet.h"
#include "mapping/IsoDateTime.h"

namespace sfsync::jobs {

namespace {

// A SOQL datetime literal (whole seconds, UTC: a truncated start only widens the window).
bool soqlDateTime(const std::string& iso, std::string* literal) {
  std::int64_t ms = 0;
  std::string why;
  if (!mapping::IsoDateTime::parseDateTime(iso, &ms, &why)) return false;
  *literal = mapping::IsoDateTime::soqlDateTime(ms);
  return true;
}

// The Ids of a page of `SELECT Id ...` (column 0), as text.
std::vector<std::string> idsOf(const salesforce::RecordPage& page) {
  std::vector<std::string> ids;
  ids.reserve(page.rows.size());
  for (const auto& row : page.rows) {
    if (!row.empty() && !isNull(row[0])) ids.push_back(valueToText(row[0]));
  }
  return ids;
}

}  // namespace

Status DeleteDetector::detect(const std::string& deletedSet, bool* fullComparison) {
  checkedUpTo_ = window_.endIso;
  bool tooOld = window_.fullComparison;
  if (!tooOld) {
    Status s = fromFeeds(deletedSet, &tooOld);
    if (!s.ok()) return s;
  }
  *fullComparison = tooOld;
  return tooOld ? fromComparison(deletedSet) : Status::OK();
}

Status DeleteDetector::fromFeeds(const std::string& deletedSet, bool* tooOld) {
  std::int64_t startMs = 0, earliestMs = 0;
  std::string why;
  if (!mapping::IsoDateTime::parseDateTime(window_.startIso, &startMs, &why)) {
    *tooOld = true;  // no usable window start: only the comparison can tell
    return Status::OK();
  }
  Result<salesforce::DeletedRecords> feed =
      client_.deleted(job_.sourceObject, window_.startIso, window_.endIso);
  if (!feed.ok()) {
    // An object without a replication feed answers a Salesforce error: queryAll alone, then.
    if (feed.status().code() != StatusCode::kRemoteError) return feed.status();
    return deletedSince(deletedSet, window_.startIso, tooOld);
  }
  if (!feed->earliestDateAvailable.empty() &&
      (!mapping::IsoDateTime::parseDateTime(feed->earliestDateAvailable, &earliestMs, &why) ||
       startMs < earliestMs)) {
    *tooOld = true;  // the recycle bin no longer covers the window
    return Status::OK();
  }
  std::vector<std::string> ids;
  for (const auto& [id, when] : feed->records) ids.push_back(id);
  // The feed answers up to latestDateCovered, which lags the window's end (Salesforce rounds it
  // down to the minute): deletes after it are the next run's, whose window starts there.
  std::int64_t coveredMs = 0, endMs = 0;
  if (mapping::IsoDateTime::parseDateTime(feed->latestDateCovered, &coveredMs, &why) &&
      mapping::IsoDateTime::parseDateTime(window_.endIso, &endMs, &why) && coveredMs < endMs) {
    checkedUpTo_ = mapping::IsoDateTime::formatDateTime(std::max(coveredMs, startMs));
  }
  return store_.addToIdSet(deletedSet, ids);
}

Status DeleteDetector::deletedSince(const std::string& deletedSet, const std::string& fromIso,
                                    bool* tooOld) {
  std::string from;
  if (!soqlDateTime(fromIso, &from)) {
    *tooOld = true;
    return Status::OK();
  }
  const std::string soql = "SELECT Id FROM " + job_.sourceObject +
                           " WHERE IsDeleted = true AND SystemModstamp >= " + from;
  Status s = client_.query(
      soql, {"Id"},
      [&](salesforce::RecordPage& page) { return store_.addToIdSet(deletedSet, idsOf(page)); },
      true);
  if (!s.ok() && s.remoteCode() == "INVALID_FIELD") {
    *tooOld = true;  // no IsDeleted on this object
    return Status::OK();
  }
  return s;
}

Status DeleteDetector::streamOrgIds(const std::string& orgSet) {
  if (api_.make) {  // another kind of source (Snowflake): its own statement, "Id" its identifier
    Result<source::SourcePtr> other = api_.make();
    if (!other.ok()) return other.status();
    source::ExtractRequest ids;
    ids.object = job_.sourceObject;
    ids.columns = {"Id"};
    return (*other)->extract(
        ids, [&](salesforce::RecordPage& page) { return store_.addToIdSet(orgSet, idsOf(page)); });
  }
  // The run's own REST-or-Bulk rule, for the whole object (no filter, no cursor).
  source::ExtractRequest request;
  request.object = job_.sourceObject;
  request.columns = {"Id"};
  request.soql = "SELECT Id FROM " + job_.sourceObject;
  Result<source::SourceChoice> choice =
      source::chooseSource(client_, api_, request.soql, "SELECT COUNT() FROM " + job_.sourceObject);
  if (!choice.ok()) return choice.status();
  Poco::Logger::get("sfsync.jobs")
      .information("%s: Id download for the full delete comparison via %s", job_.name,
                   choice->reason);
  return choice->source->extract(request, [&](salesforce::RecordPage& page) {
    return store_.addToIdSet(orgSet, idsOf(page));
  });
}

Status DeleteDetector::fromComparison(const std::string& deletedSet) {
  // Rows the run itself wrote were just read from Salesforce: only rows older than the run can be
  // gone. None (a first run): no Id download.
  std::int64_t rows = 0;
  for (const DeleteRoute& route : routes_) rows += route.idColumn.empty() ? 0 : route.rowsAtStart;
  if (rows == 0) return Status::OK();
  Result<ScratchIdSet> orgSet = ScratchIdSet::create(store_);
  if (!orgSet.ok()) return orgSet.status();
  Status s = streamOrgIds(orgSet->name());
  for (const DeleteRoute& route : routes_) {
    if (!s.ok() || route.idColumn.empty()) continue;
    store::RowFilter missing{route.idColumn, orgSet->name(), false, false};
    Result<std::int64_t> added =
        store_.addColumnToIdSet(deletedSet, route.table, route.idColumn, missing);
    if (!added.ok()) s = added.status();
  }
  return s;
}

}  // namespace sfsync::jobs
