#include "sfsync/source/SourceFactory.h"

#include "salesforce/HttpTransport.h"
#include "source/BulkSource.h"
#include "source/RestSource.h"

namespace sfsync::source {

namespace {
// "/services/data/v62.0/query?q=" plus room for a long instance host name.
constexpr std::size_t kUrlOverhead = 160;
}  // namespace

std::size_t restQueryUrlLength(const std::string& soql) {
  // Encoded exactly as the client encodes the query it sends.
  return kUrlOverhead + salesforce::HttpTransport::percentEncode(soql).size();
}

SourcePtr makeRestSource(salesforce::SalesforceClient& client, const SourceOptions& options) {
  return std::make_unique<RestSource>(client, options);
}

SourcePtr makeBulkSource(salesforce::SalesforceClient& client, std::chrono::seconds pollTimeout) {
  SourceOptions options;
  options.bulkPollTimeout = pollTimeout;
  return std::make_unique<BulkSource>(client, options);
}

namespace {
SourcePtr bulk(salesforce::SalesforceClient& client, const SourceOptions& options) {
  return std::make_unique<BulkSource>(client, options);
}
}  // namespace

Result<SourceChoice> chooseSource(salesforce::SalesforceClient& client,
                                  const SourceOptions& options, const std::string& soql,
                                  const std::string& countSoql) {
  const std::size_t urlLength = restQueryUrlLength(soql);
  if (urlLength > kRestUriLimit) {
    return SourceChoice{bulk(client, options),
                        "bulk: the REST query URL would be " + std::to_string(urlLength) +
                            " characters (limit " + std::to_string(kRestUriLimit) + ")"};
  }
  if (options.api == ApiChoice::kRest)
    return SourceChoice{makeRestSource(client, options), "rest: configured"};
  if (options.api == ApiChoice::kBulk) {
    return SourceChoice{bulk(client, options), "bulk: configured"};
  }
  Result<std::int64_t> count = client.count(countSoql);
  if (!count.ok()) {
    const StatusCode code = count.status().code();
    if (code != StatusCode::kInternal && code != StatusCode::kRemoteError) return count.status();
    return SourceChoice{makeRestSource(client, options),
                        "rest: the record count failed (" + count.status().message() + ")"};
  }
  const std::string figures = std::to_string(*count) + " records " +
                              (*count > options.bulkThreshold ? ">" : "<=") + " bulkThreshold " +
                              std::to_string(options.bulkThreshold);
  if (*count > options.bulkThreshold) {
    return SourceChoice{bulk(client, options), "bulk: auto, " + figures};
  }
  return SourceChoice{makeRestSource(client, options), "rest: auto, " + figures};
}

}  // namespace sfsync::source
