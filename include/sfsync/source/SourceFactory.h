// SourceFactory: picks the Source of one run. "rest" and "bulk" are taken as asked; "auto" asks
// Salesforce SELECT COUNT() with the run's WHERE clause (one API call) and uses Bulk API 2.0 when
// the count is above the threshold. Any choice becomes Bulk when the REST query URL would be longer
// than kRestUriLimit (wide field lists: Salesforce answers 414 URI Too Long).
//
// Thread-safety: stateless functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "sfsync/source/Source.h"

namespace sfsync::source {

// Longest REST query URL (path + encoded SOQL) sfsync sends; Salesforce's own limit is 16,384.
inline constexpr std::size_t kRestUriLimit = 16000;

enum class ApiChoice { kAuto, kRest, kBulk };

struct SourceOptions {
  ApiChoice api = ApiChoice::kAuto;
  std::int64_t bulkThreshold = 10000;          // records; auto uses Bulk above this
  std::chrono::seconds bulkPollTimeout{1800};  // a Bulk job not done by then fails the run
};

struct SourceChoice {
  SourcePtr source;
  std::string reason;  // why this API, e.g. "auto: 12000 records > bulkThreshold 10000"
};

// `soql` is the run's query, `countSoql` the same WHERE as SELECT COUNT(). A failed count fails the
// choice (its Status, e.g. an exhausted API budget) - except kInternal / kRemoteError answers,
// which fall back to REST with the reason noted (counting is an optimisation).
Result<SourceChoice> chooseSource(salesforce::SalesforceClient& client,
                                  const SourceOptions& options, const std::string& soql,
                                  const std::string& countSoql);

// The length of the REST query URL path for `soql` (/services/data/vNN.N/query?q=<encoded>).
std::size_t restQueryUrlLength(const std::string& soql);

// `options` serve the source's own REST-or-Bulk choice for listIds (the delete comparison).
SourcePtr makeRestSource(salesforce::SalesforceClient& client, const SourceOptions& options = {});
SourcePtr makeBulkSource(salesforce::SalesforceClient& client, std::chrono::seconds pollTimeout);

}  // namespace sfsync::source
