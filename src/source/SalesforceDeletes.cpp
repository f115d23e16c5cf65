#include "source/SalesforceDeletes.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Logger.h>

#include <algorithm>
#include <optional>
#include <regex>

namespace sfsync::source {

namespace {

// ISO-8601 ("...Z", "...+0000", "+00:00", fraction optional) -> UTC milliseconds.
// Strict: Poco's parser skips what it does not expect, so the shape is checked first.
std::optional<std::int64_t> isoMillis(const std::string& iso) {
  static const std::regex shape(
      R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?))");
  Poco::DateTime parsed;
  int tzd = 0;
  if (iso.size() > 64 || !std::regex_match(iso, shape) ||
      !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, iso, parsed,
                                      tzd)) {
    return std::nullopt;
  }
  parsed.makeUTC(tzd);
  return parsed.timestamp().epochMicroseconds() / 1000;
}

std::string format(std::int64_t millis, const char* pattern) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(millis * 1000), pattern);
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

// queryAll of the Ids with IsDeleted = true and SystemModstamp >= the window's start (whole
// seconds: a truncated start only widens the window).
Status deletedSince(salesforce::SalesforceClient& client, const std::string& object,
                    std::int64_t startMs, const IdSink& sink, DeletedIdsAnswer* answer) {
  const std::string soql =
      "SELECT Id FROM " + object +
      " WHERE IsDeleted = true AND SystemModstamp >= " + format(startMs, "%Y-%m-%dT%H:%M:%SZ");
  Status s = client.query(
      soql, {"Id"}, [&](salesforce::RecordPage& page) { return sink(idsOf(page)); }, true);
  if (!s.ok() && s.remoteCode() == "INVALID_FIELD") {
    answer->answered = false;  // no IsDeleted on this object
    return Status::OK();
  }
  return s;
}

}  // namespace

Status salesforceDeletedIds(salesforce::SalesforceClient& client, const std::string& object,
                            const DeleteWindowQuery& window, const IdSink& sink,
                            DeletedIdsAnswer* answer) {
  *answer = DeletedIdsAnswer{};
  const std::optional<std::int64_t> startMs = isoMillis(window.startIso);
  if (!startMs) return Status::OK();  // no usable window start: only the comparison can tell
  answer->answered = true;
  Result<salesforce::DeletedRecords> feed = client.deleted(object, window.startIso, window.endIso);
  if (!feed.ok()) {
    // An object without a replication feed answers a Salesforce error: queryAll alone, then.
    if (feed.status().code() != StatusCode::kRemoteError) return feed.status();
    return deletedSince(client, object, *startMs, sink, answer);
  }
  if (!feed->earliestDateAvailable.empty()) {
    const std::optional<std::int64_t> earliestMs = isoMillis(feed->earliestDateAvailable);
    if (!earliestMs || *startMs < *earliestMs) {
      answer->answered = false;  // the recycle bin no longer covers the window
      return Status::OK();
    }
  }
  std::vector<std::string> ids;
  for (const auto& [id, when] : feed->records) ids.push_back(id);
  // The feed answers up to latestDateCovered, which lags the window's end (Salesforce rounds it
  // down to the minute): deletes after it are the next window's, which starts there.
  const std::optional<std::int64_t> coveredMs = isoMillis(feed->latestDateCovered);
  const std::optional<std::int64_t> endMs = isoMillis(window.endIso);
  if (coveredMs && endMs && *coveredMs < *endMs) {
    answer->checkedUpTo = format(std::max(*coveredMs, *startMs), "%Y-%m-%dT%H:%M:%S.%iZ");
  }
  return sink(ids);
}

Status salesforceListIds(salesforce::SalesforceClient& client, const SourceOptions& options,
                         const std::string& object, const std::string& filter, const IdSink& sink) {
  const std::string where = filter.empty() ? "" : " WHERE " + filter;
  ExtractRequest request;
  request.object = object;
  request.columns = {"Id"};
  request.soql = "SELECT Id FROM " + object + where;
  Result<SourceChoice> choice =
      chooseSource(client, options, request.soql, "SELECT COUNT() FROM " + object + where);
  if (!choice.ok()) return choice.status();
  Poco::Logger::get("sfsync.source").information("%s: Id download via %s", object, choice->reason);
  return choice->source->extract(request,
                                 [&](salesforce::RecordPage& page) { return sink(idsOf(page)); });
}

}  // namespace sfsync::source
