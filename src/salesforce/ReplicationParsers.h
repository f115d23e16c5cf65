// ReplicationParsers: the small JSON and header shapes of the replication calls (issue 10):
//   - Bulk API 2.0 job info (POST/GET/PATCH jobs/query[/{id}]): id, state, numberRecordsProcessed,
//     errorMessage; a body without a string "id" and "state" is malformed (kDataError);
//   - sobjects/{Object}/deleted: deletedRecords[{id, deletedDate}], earliestDateAvailable,
//     latestDateCovered;
//   - limits: DailyApiRequests {Max, Remaining};
//   - the Sforce-Limit-Info header's "api-usage=USED/MAX" item.
// Bodies are already capped by the transport (maxResponseBytes); nothing here sizes anything from
// a number the server sent.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sfsync/core/Result.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::salesforce {

class ReplicationParsers {
 public:
  static Result<BulkQueryJob> bulkJob(const std::string& body);
  static Result<DeletedRecords> deleted(const std::string& body);
  static Result<OrgLimits> limits(const std::string& body);
  // "api-usage=25/15000" (possibly among other comma-separated items): true and both numbers set
  // when the item is present and well-formed (0 <= used, 0 < max, both fitting int64).
  static bool apiUsage(std::string_view header, std::int64_t& used, std::int64_t& max);
  // A Salesforce record or job id: 15 or 18 ASCII letters and digits.
  static bool isSalesforceId(const std::string& id);
};

}  // namespace sfsync::salesforce
