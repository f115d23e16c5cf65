// ConnectionSources: the per-connection source factory of one job run (issue 14: "a job names its
// connection; the connection's type picks the source"). The generic run (JobExecution) asks it for
// the describe of the source object and for the Source of its extract, and reads the connection's
// call counters from it; it never sees the client behind it.
//   Salesforce (source::makeSalesforceSources): describe = GET sobjects/{O}/describe; open() picks
//   REST or Bulk API 2.0 (chooseSource: configured, or SELECT COUNT() against bulkThreshold, or
//   Bulk for a REST URL that would be too long); usage = the client's ApiUsage and retries.
//   Snowflake (snowflake::makeSnowflakeSources): describe = the job's statement with LIMIT 0 (its
//   rowType); open() = the job's SnowflakeSource (the same one that described); no API budget.
// Mapping, lookups, upsert, activity, chains and schedules see only RecordPages and ObjectDescribes
// (the source-neutral schema: Salesforce's describe as is, a Snowflake rowType converted by
// SnowflakeSource).
//
// Thread-safety: not thread-safe; one per run. usage() may be called from the thread that runs an
// extract (PrefetchingSource's observer) while the run's thread waits for pages.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sfsync/core/Result.h"
#include "sfsync/salesforce/ObjectDescribe.h"
#include "sfsync/source/SourceFactory.h"

namespace sfsync::source {

// What one extract reads: `soql` in the source's language ("" = a statement source's own), the same
// WHERE as SELECT COUNT() for Salesforce's auto choice, and the job's REST-or-Bulk options.
struct OpenRequest {
  std::string soql;
  std::string countSoql;
  SourceOptions options;
};

// The connection's counters, cumulative over the ConnectionSources' life.
struct ConnectionUsage {
  std::int64_t calls = 0;       // API calls made (Salesforce: data calls; Snowflake: 0, no budget)
  std::int64_t retries = 0;     // requests repeated (re-authentication, 5xx, network, bad pages)
  std::int64_t orgApiMax = -1;  // the org's daily API maximum, -1 unknown
  std::int64_t orgApiUsed = -1;
};

class ConnectionSources {
 public:
  virtual ~ConnectionSources() = default;

  // "salesforce" or "snowflake".
  virtual const char* type() const = 0;
  // The uncached describe of `object` (jobs::MetadataCache caches Salesforce's). Errors: the
  // source's (an unknown object, network, auth, ...).
  virtual Result<salesforce::ObjectDescribe> describe(const std::string& object) = 0;
  // The Source of one extract and why it was picked ("rest: auto, 12 records <= bulkThreshold
  // 10000"). Errors as chooseSource's.
  virtual Result<SourceChoice> open(const OpenRequest& request) = 0;
  virtual ConnectionUsage usage() const = 0;
  // usage().retries, but safe from any thread while an extract runs on another (Salesforce: the
  // client's retryStats(), which may be read at any time; its ApiUsage may not).
  virtual std::int64_t retries() const { return usage().retries; }
};

using ConnectionSourcesPtr = std::unique_ptr<ConnectionSources>;

// Salesforce's, over a client owned by the caller (it must outlive the result).
ConnectionSourcesPtr makeSalesforceSources(salesforce::SalesforceClient& client);

}  // namespace sfsync::source
