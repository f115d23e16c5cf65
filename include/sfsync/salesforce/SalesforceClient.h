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
// Limits against a hostile or broken server (ConnectionSettings): responses over maxResponseBytes
// (decoded or read) fail with kDataError; a response not complete within responseDeadline counts
// as a network failure (retried); query() stops with kDataError when a nextRecordsUrl repeats or
// when more records arrive than the first page's totalSize promised plus slack (10% + 2000); a
// client makes at most maxCallsPerRun instance calls (then kPermissionDenied). Every retry is
// counted (retryStats()) and logged once (Poco Logger "sfsync.salesforce", warning).
//
// Thread-safety: a client instance is NOT thread-safe; use one per running job. Instances are
// cheap. Exceptions: cancel() and retryStats() may be called from any thread at any time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sfsync/core/Clock.h"
#include "sfsync/core/Result.h"
#include "sfsync/salesforce/CancellationToken.h"
#include "sfsync/salesforce/ConnectionSettings.h"
#include "sfsync/salesforce/ObjectDescribe.h"
#include "sfsync/salesforce/Outbound.h"
#include "sfsync/salesforce/RecordPage.h"

namespace sfsync::salesforce {

// Called once per page, in order, as pages arrive. Returning a non-ok Status stops the query and
// query() returns that Status.
using PageHandler = std::function<Status(RecordPage& page)>;

// Status::remoteCode() values of the client's own guards.
inline constexpr const char* kCallBudgetExceeded = "CALL_BUDGET_EXCEEDED";  // kPermissionDenied
inline constexpr const char* kRepeatedNextRecordsUrl = "REPEATED_NEXT_RECORDS_URL";  // kDataError
inline constexpr const char* kMoreRecordsThanPromised =
    "MORE_RECORDS_THAN_TOTAL_SIZE";  // kDataError

// Retries made by one client, by cause. Each retry is one extra request.
struct RetryStats {
  std::int64_t reauthentications = 0;   // 401 INVALID_SESSION_ID: new token, call repeated
  std::int64_t serverErrors = 0;        // HTTP 5xx answers retried
  std::int64_t networkErrors = 0;       // connection failures, timeouts, missed deadlines retried
  std::int64_t malformedResponses = 0;  // 2xx bodies that did not parse, fetched again
  std::int64_t total() const {
    return reauthentications + serverErrors + networkErrors + malformedResponses;
  }
};

struct ApiUsage {
  std::int64_t calls = 0;            // HTTP requests made to the instance (not the token endpoint)
  std::int64_t authentications = 0;  // token requests made
  std::string limitInfo;             // last Sforce-Limit-Info header, e.g. "api-usage=25/15000"
  // Parsed from the last Sforce-Limit-Info "api-usage=USED/MAX" (the org's rolling 24-hour API
  // requests, every integration included); -1 until a response carried the header.
  std::int64_t orgApiUsed = -1;
  std::int64_t orgApiMax = -1;
};

// Status::remoteCode() when a call would take the org's API usage past this connection's budget
// (ConnectionSettings::apiBudgetPercent of the daily maximum): kPermissionDenied, not retried, the
// request is NOT sent. Salesforce's own REQUEST_LIMIT_EXCEEDED (403) is also kPermissionDenied.
inline constexpr const char* kApiBudgetExhausted = "API_BUDGET_EXHAUSTED";
inline constexpr const char* kRequestLimitExceeded = "REQUEST_LIMIT_EXCEEDED";
// Status::remoteCode() of awaitBulkQuery() when the job stayed UploadComplete/InProgress past the
// deadline (the job has been aborted): kUnavailable, not retried.
inline constexpr const char* kBulkJobTimedOut = "BULK_JOB_TIMED_OUT";
// Status::remoteCode() when a Bulk job ended Failed or Aborted (message: Salesforce's
// errorMessage).
inline constexpr const char* kBulkJobFailed = "BULK_JOB_FAILED";

// Status::remoteCode() when a Bulk result download is sent a Sforce-Locator it already followed
// (the download would not end): kDataError, not retried.
inline constexpr const char* kRepeatedBulkLocator = "REPEATED_BULK_LOCATOR";

// A Bulk API 2.0 query job as GET /jobs/query/{id} reports it.
struct BulkQueryJob {
  std::string id;     // 750...
  std::string state;  // UploadComplete, InProgress, JobComplete, Failed, Aborted
  std::int64_t numberRecordsProcessed = 0;
  std::string errorMessage;  // set when Failed
};

// Where a Bulk result download starts: the locator of a result set ("" = the first set) and how
// many rows of that set were already consumed (skipped on resume).
struct BulkResultPosition {
  std::string locator;
  std::int64_t rowsIntoSet = 0;
};

// GET sobjects/{Object}/deleted/?start&end.
struct DeletedRecords {
  std::vector<std::pair<std::string, std::string>> records;  // (18-char Id, deletedDate ISO)
  std::string earliestDateAvailable;                         // ISO-8601 as Salesforce sent it
  std::string latestDateCovered;
};

// GET /limits, the part sfsync uses.
struct OrgLimits {
  std::int64_t dailyApiRequestsMax = 0;
  std::int64_t dailyApiRequestsRemaining = 0;
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

  // GET query?q=SELECT COUNT() FROM ... (queryAll when includeDeleted): the totalSize. One call.
  virtual Result<std::int64_t> count(const std::string& countSoql, bool includeDeleted = false) = 0;

  // Bulk API 2.0 query jobs (POST/GET/PATCH /services/data/vNN.N/jobs/query[/{id}]).
  // createBulkQuery: operation "query" or "queryAll" (includeDeleted); CSV, comma, LF.
  virtual Result<BulkQueryJob> createBulkQuery(const std::string& soql, bool includeDeleted) = 0;
  virtual Result<BulkQueryJob> bulkQueryJob(const std::string& jobId) = 0;
  // Polls bulkQueryJob with backoff (on the client's Clock, cancellable) until JobComplete
  // (returned) or Failed/Aborted (kRemoteError, kBulkJobFailed); past `maxWait` the job is aborted
  // and the call fails with kBulkJobTimedOut.
  virtual Result<BulkQueryJob> awaitBulkQuery(const std::string& jobId,
                                              std::chrono::seconds maxWait) = 0;
  // PATCH {"state":"Aborted"}.
  virtual Status abortBulkQuery(const std::string& jobId) = 0;
  // GET /jobs/query/{id}/results?maxRecords=N&locator=L from `from`, following Sforce-Locator until
  // "null". Each result set's CSV is parsed into RecordPages of at most pageRows rows, flattened to
  // `columns` exactly like query() (same Value types: the describe of `object` and of the objects
  // its relationship paths reach types each column, so Bulk and REST give identical rows). Each
  // page carries its position (RecordPage::bulkPosition: the set's locator and the rows of that set
  // consumed after this page). Each set is streamed: parsed as its bytes arrive and handed out page
  // by page while the rest is still being read, so memory holds a window (a page being filled, a
  // 1 MiB read-ahead), not a set; the next set is asked for on another connection while the
  // current one is handed out (its read-ahead bounded by the same window).
  virtual Status bulkQueryResults(const std::string& jobId, const std::string& object,
                                  const std::vector<std::string>& columns,
                                  const BulkResultPosition& from, const PageHandler& onPage) = 0;

  // GET sobjects/{object}/deleted/?start=&end= (ISO-8601 UTC).
  virtual Result<DeletedRecords> deleted(const std::string& object, const std::string& startIso,
                                         const std::string& endIso) = 0;
  // GET /limits.
  virtual Result<OrgLimits> limits() = 0;

  virtual const ApiUsage& usage() const = 0;

  // The retries made so far by this client (a snapshot). Thread-safe.
  virtual RetryStats retryStats() const = 0;

  // Interrupts the request in flight (its socket is shut down) and makes every later call fail
  // promptly with kUnavailable, remoteCode() == kCancelled ("CANCELLED"), not retried. Thread-safe,
  // never blocks; a backoff sleep already started finishes first. Cancels the client's
  // CancellationToken, i.e. every client sharing it.
  virtual void cancel() = 0;

  // Write-back (issue 13): this client's Outbound (sObject Collections writes), or nullptr when
  // the client cannot write. Owned by the client.
  virtual Outbound* outbound() { return nullptr; }
};

using SalesforceClientPtr = std::unique_ptr<SalesforceClient>;

// The HTTP(S) implementation. `clock` is used for retry backoff sleeps. `cancellation`: a token
// shared with other clients (e.g. the daemon's shutdown token, cancelled on SIGTERM); null gives
// the client its own.
SalesforceClientPtr makeHttpClient(const ConnectionSettings& settings, std::shared_ptr<Clock> clock,
                                   std::shared_ptr<CancellationToken> cancellation = nullptr);

}  // namespace sfsync::salesforce
