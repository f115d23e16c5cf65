// Source: where a job's records come from. A job run asks its Source for the describe of the
// source object and then for the records of one SOQL statement, page by page, optionally resuming
// a Bulk API 2.0 job at a result locator. Mapping, lookups and loading see only RecordPages: they
// do not know which implementation fed them.
//   RestSource  - REST query + nextRecordsUrl paging (SalesforceClient::query).
//   BulkSource  - Bulk API 2.0 query job: create, await, stream results by locator
//                 (SalesforceClient::createBulkQuery / awaitBulkQuery / bulkQueryResults).
//   snowflake::SnowflakeSource (module snowflake, issue 14) - Snowflake SQL API v2: one statement
//                 (its cursor a bind variable), rows decoded as its result partitions stream from
//                 the socket and handed on in pages of at most 2,000 rows that span partitions;
//                 api() "snowflake".
// RestSource and BulkSource wrap a SalesforceClient owned by the caller (the run's RunContext keeps
// it) and never buffer more than one page (REST) or a window of a result set streamed from the
// socket (Bulk); SnowflakeSource holds the page being filled, not a partition.
// Delete detection goes through the Source too (issue 10): deletedIds() answers an incremental
// window from the source's own delete feed when it has one (Salesforce: sobjects/{O}/deleted and
// queryAll IsDeleted = true; Snowflake: none), and listIds() streams the Ids the source currently
// holds for the full Id-set comparison (Salesforce: the object's Ids through REST or Bulk;
// Snowflake: the identifier column of the job's own table or query, with its filter).
//
// Thread-safety: not thread-safe; one per run, used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sfsync/core/Result.h"
#include "sfsync/salesforce/ObjectDescribe.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::source {

// What to extract. `soql` is the complete statement in the source's language (SOQL; SQL for
// Snowflake, where "" means the source's own statement); `columns` are the flattened columns of
// every page, in order.
struct ExtractRequest {
  std::string object;
  std::vector<std::string> columns;
  std::string soql;
  // Bulk only: resume this job (when it still exists and completed) at `resumeFrom` instead of
  // creating a new one. Ignored by RestSource.
  std::string resumeBulkJobId;
  salesforce::BulkResultPosition resumeFrom;
};

// An incremental delete window: records deleted in [startIso, endIso] (ISO-8601 UTC).
struct DeleteWindowQuery {
  std::string startIso;
  std::string endIso;
};

// What deletedIds() could tell.
struct DeletedIdsAnswer {
  // False: the source cannot answer this window (no delete feed, the window is older than what the
  // feed keeps, no usable start); the caller falls back to the full Id comparison (listIds).
  bool answered = false;
  // When answered: deletes up to this time (ISO) are covered; "" = the whole window. A later
  // window should start here.
  std::string checkedUpTo;
};

// Receives Ids batch by batch (one page's worth); a non-OK return stops the listing and is
// returned.
using IdSink = std::function<Status(const std::vector<std::string>& ids)>;

class Source {
 public:
  virtual ~Source() = default;

  // "rest" or "bulk" (ExecutionRecord::api).
  virtual const char* api() const = 0;
  virtual Result<salesforce::ObjectDescribe> describe(const std::string& object) = 0;
  // Hands every page to onPage in order; a non-OK return from onPage stops the extract and is
  // returned. Pages of a Bulk extract carry their position (RecordPage::bulkLocator /
  // bulkRowsIntoSet) within bulkJobId().
  virtual Status extract(const ExtractRequest& request, const salesforce::PageHandler& onPage) = 0;
  // The Bulk job the last extract read ("" for REST or before an extract).
  virtual const std::string& bulkJobId() const = 0;
  // A note on how the extract went (e.g. "Bulk job 750... was gone; a new job was created"), "" if
  // nothing worth saying.
  virtual const std::string& note() const = 0;

  // The Ids of `object`'s records deleted within `window`, handed to `sink`; `answer` says whether
  // the source could tell (see DeletedIdsAnswer). Errors: the source's (network, budget, ...); a
  // window the source cannot answer is not an error. Default: no delete feed (answered = false).
  virtual Status deletedIds(const std::string& object, const DeleteWindowQuery& window,
                            const IdSink& sink, DeletedIdsAnswer* answer);
  // Streams the Ids of every record this source holds for `object` - Salesforce: the whole object;
  // a source built for one job's own statement (Snowflake): that statement with its filter -
  // narrowed by `filter` (a condition in the source's language) when not empty. Memory holds one
  // page of Ids. Default: kInvalidArgument (the source cannot list Ids).
  virtual Status listIds(const std::string& object, const std::string& filter, const IdSink& sink);
};

using SourcePtr = std::unique_ptr<Source>;

}  // namespace sfsync::source
