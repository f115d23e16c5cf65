// RetryRecorder: counts the retries of one Salesforce client by cause and writes one log line per
// retry (Poco Logger "sfsync.salesforce", warning) with the connection, the cause, the attempt and
// what was being fetched (a path without its query string: no SOQL, no tokens).
// Also the one place that decides whether a failed call is worth retrying.
//
// Thread-safety: note() from the client's thread; snapshot() from any thread (atomic counters).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "sfsync/core/Status.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::salesforce {

enum class RetryCause { kNone, kReauthentication, kServerError, kNetworkError, kMalformedResponse };

class RetryRecorder {
 public:
  explicit RetryRecorder(std::string connection) : connection_(std::move(connection)) {}

  // Counts and logs one retry: `attempt` is the attempt that failed (1-based), `maxRetries` the
  // budget (ignored for re-authentication), `what` e.g. "GET /services/data/v62.0/query".
  void note(RetryCause cause, int attempt, int maxRetries, const std::string& what,
            const Status& failure);
  RetryStats snapshot() const;

  // Transient failures worth another attempt: kUnavailable, except an untrusted certificate or a
  // cancelled call.
  static bool retryable(const Status& status);
  // `target` without its query string (a URL keeps scheme, host and path).
  static std::string withoutQuery(const std::string& target);

 private:
  std::string connection_;
  std::atomic<std::int64_t> reauthentications_{0};
  std::atomic<std::int64_t> serverErrors_{0};
  std::atomic<std::int64_t> networkErrors_{0};
  std::atomic<std::int64_t> malformedResponses_{0};
};

}  // namespace sfsync::salesforce
