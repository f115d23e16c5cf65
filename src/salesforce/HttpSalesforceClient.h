// HttpSalesforceClient: the SalesforceClient over HTTP(S) (see sfsync/salesforce/SalesforceClient.h
// for the contract). It composes the pieces of this module:
//   Authenticator    - token endpoint, instance_url
//   HttpTransport    - one exchange, keep-alive sessions, TLS, URL policy
//   Backoff          - retry budget and delays on the injected Clock
//   SalesforceError  - error bodies -> Status
//   QueryPageParser  - streaming page -> RecordPage; DescribeParser - describe -> ObjectDescribe
//   BulkCsvReader    - Bulk API 2.0 result set (CSV, libcsv) -> RecordPages typed by describe
//   BulkCsvStream    - one result set parsed as its bytes arrive
//   BulkPrefetch     - the next result set, asked for on another connection while one loads
//   ReplicationParsers - Bulk job info, deleted, limits bodies; Sforce-Limit-Info
// Every instance call goes through one loop: authenticate lazily, send with `Authorization:
// Bearer`, renew the session once on 401, retry 5xx / network failures / malformed bodies with
// backoff, and map error bodies. Query pages are fetched one at a time and handed to the caller
// before the next request, so memory is bounded by one page.
//
// API budget: every response's Sforce-Limit-Info "api-usage=USED/MAX" is kept in usage(); a call
// that would take USED past apiBudgetPercent of MAX is not sent (kApiBudgetExhausted).
// Bulk result sets (bulkQueryResults, HttpSalesforceBulk.cpp): each set is streamed from the socket
// (capped at maxResponseBytes) and parsed as it arrives, page by page, so memory holds a window,
// not a set; a set found malformed (or a failed connection) is fetched again and the rows already
// handed out are skipped, so nothing is delivered twice; a repeated Sforce-Locator stops the
// download (kRepeatedBulkLocator).
//
// Paging guards (query()): a repeated nextRecordsUrl, more records than the first page's totalSize
// plus slack (kRecordSlackPercent % + kRecordSlackRecords), and the per-client call budget
// (maxCallsPerRun) each stop the query with a Status naming the cause.
//
// Thread-safety: NOT thread-safe (one instance per running job), like the interface says;
// cancel() and retryStats() may be called from any thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "salesforce/Authenticator.h"
#include "salesforce/BulkCsvReader.h"
#include "salesforce/HttpTransport.h"
#include "salesforce/RetryRecorder.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::salesforce {

class HttpSalesforceClient final : public SalesforceClient, public Outbound {
 public:
  HttpSalesforceClient(ConnectionSettings settings, std::shared_ptr<Clock> clock,
                       std::shared_ptr<CancellationToken> cancellation = nullptr);

  Status authenticate() override;
  Result<ObjectDescribe> describe(const std::string& object) override;
  Status query(const std::string& soql, const std::vector<std::string>& columns,
               const PageHandler& onPage, bool includeDeleted = false) override;
  Result<std::int64_t> count(const std::string& countSoql, bool includeDeleted = false) override;
  Result<BulkQueryJob> createBulkQuery(const std::string& soql, bool includeDeleted) override;
  Result<BulkQueryJob> bulkQueryJob(const std::string& jobId) override;
  Result<BulkQueryJob> awaitBulkQuery(const std::string& jobId,
                                      std::chrono::seconds maxWait) override;
  Status abortBulkQuery(const std::string& jobId) override;
  Status bulkQueryResults(const std::string& jobId, const std::string& object,
                          const std::vector<std::string>& columns, const BulkResultPosition& from,
                          const PageHandler& onPage) override;
  Result<DeletedRecords> deleted(const std::string& object, const std::string& startIso,
                                 const std::string& endIso) override;
  Result<OrgLimits> limits() override;
  const ApiUsage& usage() const override { return usage_; }
  RetryStats retryStats() const override { return retries_.snapshot(); }
  void cancel() override { transport_.cancellation()->cancel(); }
  Outbound* outbound() override { return this; }
  // Outbound (HttpSalesforceOutbound.cpp).
  Result<std::vector<WriteResult>> write(WriteOperation operation, const std::string& object,
                                         const std::string& externalIdField,
                                         const std::vector<OutboundRecord>& records) override;
  // Test hook: the most result-set bytes a Bulk download ever held in a prefetch window (a set
  // streamed on the client's own connection holds one 64 KiB read buffer).
  std::int64_t bulkPeakBufferedBytesForTest() const { return bulkPeakBuffered_; }

  static constexpr std::int64_t kRecordSlackPercent = 10;
  static constexpr std::int64_t kRecordSlackRecords = 2000;

 private:
  // Inspects a 2xx response; a kDataError result means "malformed, fetch again".
  using BodyCheck = std::function<Status(const HttpResponse&)>;

  // One instance request: `target` is an instance-relative path or an absolute URL on the
  // instance; `body` (JSON) is sent with POST/PATCH.
  struct Call {
    std::string method = "GET";
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // false (creates, issue 13): a failure after the request may have reached Salesforce (5xx,
    // network error, timeout, malformed answer) is not retried but answered kUnavailable with
    // remote code kOutcomeUnknown.
    bool idempotent = true;
  };
  // Sends `call` with the session token and the retry rules of the contract; `check` parses the
  // body of a 2xx answer (kDataError from it = malformed, fetched again).
  // `stream`: the body of a 2xx answer is handed to it as it arrives (then `check` sees no body).
  Status call(const Call& call, const BodyCheck& check, const BodyStream* stream = nullptr);
  Status get(const std::string& target,
             const std::vector<std::pair<std::string, std::string>>& headers,
             const BodyCheck& check);
  // One request of call(): the final Status, or a failure with `cause` set when it may be retried.
  Status sendOnce(const Call& call, const BodyCheck& check, RetryCause& cause,
                  const BodyStream* stream);
  // The guards before any request (cancelled, session, call budget, API budget, URL policy) and
  // the authorised request for `call`.
  Status prepare(const Call& call, HttpRequest& request);
  // Books and judges the exchange whose answer is in response_ (`sent`: the transport's Status; a
  // kDataError from a body stream means malformed, fetched again).
  Status evaluate(Status sent, const BodyCheck& check, RetryCause& cause);
  // The API budget (apiBudgetPercent of the org's daily maximum, from Sforce-Limit-Info): not OK
  // (kPermissionDenied, kApiBudgetExhausted) when one more call would pass it.
  Status checkApiBudget() const;
  // Records the last response's Sforce-Limit-Info into usage_.
  void noteLimitInfo();

  // Bulk API 2.0 (HttpSalesforceBulk.cpp).
  Result<BulkQueryJob> jobCall(const std::string& method, const std::string& path,
                               const std::string& body);
  // Waits `pause` on the clock between job status polls; kCancelled as soon as cancel() is seen.
  Status pollPause(std::chrono::milliseconds pause);
  Result<const ObjectDescribe*> cachedDescribe(const std::string& object);
  // The BulkCellType of each column, from the describes of `object` and of the objects its
  // relationship paths reach.
  Result<std::vector<BulkCellType>> columnTypes(const std::string& object,
                                                const std::vector<std::string>& columns);
  Result<BulkCellType> pathType(const std::string& object, const std::string& path);
  // Downloads one result set from `locator`, skipping `skip` rows, retrying malformed sets and
  // failed connections; `nextLocator` is set from Sforce-Locator.
  struct BulkDownload;
  // Starts fetching the set at `locator` on the download's prefetch connection (best effort).
  void startPrefetch(BulkDownload& download, const std::string& locator);
  // The set at `target` from the prefetch when one is pending for it: true when `check` accepted
  // it (`status` is then final), false when the set must be fetched normally.
  bool takePrefetched(BulkDownload& download, const std::string& target, const BodyStream& stream,
                      const BodyCheck& check, Status& status);
  Status resultSet(BulkDownload& download, const std::string& locator, std::int64_t skip,
                   std::string& nextLocator);
  // Hands one parsed page of the set at `locator` (Sforce-NumberOfRecords `setRows`, -1 unknown)
  // to the download's handler with its position and totals.
  Status handOutBulkPage(BulkDownload& download, const std::string& locator, std::int64_t setRows,
                         RecordPage& page);
  // What query() has received so far, checked after every page.
  struct Paging {
    std::int64_t promised = 0;  // the first page's totalSize
    std::int64_t received = 0;
    // Hashes of the nextRecordsUrls followed: 8 bytes each, however long the server makes them.
    std::unordered_set<std::size_t> seenUrls;
  };
  Status checkPaging(const RecordPage& page, const std::string& nextUrl, Paging& paging) const;
  Result<std::string> instanceUrlFor(const std::string& target) const;
  std::string dataPath(const std::string& rest) const;

  ConnectionSettings settings_;
  std::shared_ptr<Clock> clock_;
  TransportOptions transportOptions_;  // also for the Bulk prefetch's own transport
  HttpTransport transport_;
  Authenticator authenticator_;
  std::optional<AccessToken> token_;
  ApiUsage usage_;
  RetryRecorder retries_;
  HttpResponse response_;  // reused between requests so page buffers are not reallocated
  std::int64_t bulkPeakBuffered_ = 0;  // bulkPeakBufferedBytesForTest()
  std::map<std::string, ObjectDescribe>
      describes_;  // by lower-case name: every describe() answer, for Bulk typing
};

}  // namespace sfsync::salesforce
