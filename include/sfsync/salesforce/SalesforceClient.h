// SalesforceClient: the only way sfsync talks to a Salesforce org - over HTTP(S) with the real REST
// shapes (OAuth token endpoint, sObject describe, query + nextRecordsUrl). Salesforce error bodies
// become Status values carrying Salesforce's errorCode (Status::remoteCode()) and message:
//   - INVALID_SESSION_ID (401): the client re-authenticates once and repeats the call; a second 401
//   is a
//     kUnauthenticated error (a changed password revokes the connection; no retry loop).
//   - 5xx, network errors, malformed JSON pages: retried with exponential backoff
//   (ConnectionSettings),
//     bounded by maxRetries; then kUnavailable / kDataError.
//   - INVALID_FIELD, MALFORMED_QUERY, INVALID_TYPE and other 4xx bodies: kRemoteError with the
//   message.
//   - REQUEST_LIMIT_EXCEEDED (403): kPermissionDenied, not retried.
// Plain http is refused unless the host is a loopback address (the simulator); HTTPS verifies
// certificates.
//
// Thread-safety: a client instance is NOT thread-safe; use one per running job. Instances are
// cheap.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/salesforce/ConnectionSettings.h"
#include "sfsync/salesforce/ObjectDescribe.h"
#include "sfsync/salesforce/RecordPage.h"

namespace sfsync::salesforce {

// Called once per page, in order, as pages arrive. Returning a non-ok Status stops the query and
// query() returns that Status.
using PageHandler = std::function<Status(RecordPage& page)>;

struct ApiUsage {
  std::int64_t calls = 0;            // HTTP requests made to the instance (not the token endpoint)
  std::int64_t authentications = 0;  // token requests made
  std::string limitInfo;             // last Sforce-Limit-Info header, e.g. "api-usage=25/15000"
  // Requests repeated: re-authentication after a 401, and each retry after a 5xx, a network error
  // or a malformed page (token endpoint included). Cumulative over the client's life.
  std::int64_t retries = 0;
};

class SalesforceClient {
 public:
  virtual ~SalesforceClient() = default;

  // Obtains an access token from the token endpoint and remembers instance_url. Called lazily by
  // the other methods when no token is held; callable explicitly to test credentials.
  virtual Status authenticate() = 0;

  // GET /services/data/vNN.N/sobjects/{object}/describe.
  virtual Result<ObjectDescribe> describe(const std::string& object) = 0;

  // GET /services/data/vNN.N/query?q=soql (queryAll when includeDeleted), following nextRecordsUrl
  // until done. Each page is flattened to `columns` and handed to onPage before the next page is
  // fetched, so memory does not grow with the object's size.
  virtual Status query(const std::string& soql, const std::vector<std::string>& columns,
                       const PageHandler& onPage, bool includeDeleted = false) = 0;

  virtual const ApiUsage& usage() const = 0;
};

using SalesforceClientPtr = std::unique_ptr<SalesforceClient>;

// The HTTP(S) implementation. `clock` is used for retry backoff sleeps.
SalesforceClientPtr makeHttpClient(const ConnectionSettings& settings,
                                   std::shared_ptr<Clock> clock);

}  // namespace sfsync::salesforce
