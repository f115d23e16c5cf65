// Source: where a job's records come from. A job run asks its Source for the describe of the
// source object and then for the records of one SOQL statement, page by page, optionally resuming
// a Bulk API 2.0 job at a result locator. Mapping, lookups and loading see only RecordPages: they
// do not know which implementation fed them.
//   RestSource  - REST query + nextRecordsUrl paging (SalesforceClient::query).
//   BulkSource  - Bulk API 2.0 query job: create, await, stream results by locator
//                 (SalesforceClient::createBulkQuery / awaitBulkQuery / bulkQueryResults).
//   snowflake::SnowflakeSource (module snowflake, issue 14) - Snowflake SQL API v2: one statement,
//                 its result partitions handed on one page each; api() "snowflake".
// Both wrap a SalesforceClient owned by the caller (the run's RunContext keeps it) and never buffer
// more than one page (REST) or a window of a result set streamed from the socket (Bulk).
//
// Thread-safety: not thread-safe; one per run, used by one thread at a time.
#pragma once

#include <cstdint>
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
};

using SourcePtr = std::unique_ptr<Source>;

}  // namespace sfsync::source
