// BulkPrefetch: fetches the next Bulk API 2.0 result set on its own thread and its own HTTP
// connection while the caller parses and loads the current one (issue 10: "fetch the next result
// chunk while the current one loads"). At most one request is in flight (one set ahead), so memory
// is bounded by two result-set bodies (2 x maxResponseBytes). The exchange is ONE attempt: the
// client treats any failure (network, HTTP error, malformed body) by fetching the set again on its
// normal retrying path, so a prefetch never changes what the caller receives, only when.
// The prefetch has its own CancellationToken: abandon() (and the destructor) cancel it and join, so
// an abandoned prefetch ends at once; while take() waits it forwards a cancellation of the client's
// token (a shutdown), checked every 20 ms.
//
// Thread-safety: one owner thread calls start()/take()/abandon(); the worker thread touches only
// the transport, request and response owned here, which the owner reads only after joining.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "salesforce/HttpTransport.h"

namespace sfsync::salesforce {

class BulkPrefetch {
 public:
  // `options.cancel` is replaced by the prefetch's own token; `clientToken` is the client's.
  BulkPrefetch(TransportOptions options, std::shared_ptr<CancellationToken> clientToken);
  ~BulkPrefetch();
  BulkPrefetch(const BulkPrefetch&) = delete;
  BulkPrefetch& operator=(const BulkPrefetch&) = delete;

  // Starts fetching `request` (an absolute, authorised GET). Ignored while one is pending.
  void start(HttpRequest request);
  // True when a request for `url` was started and not taken yet.
  bool pendingFor(const std::string& url) const { return running_ && request_.url == url; }
  // Waits for the pending exchange and moves its result into `out`.
  Status take(HttpResponse& out);
  // Cancels and joins a pending exchange; its result is dropped.
  void abandon();

 private:
  std::shared_ptr<CancellationToken> clientToken_;
  std::shared_ptr<CancellationToken> ownToken_;
  std::unique_ptr<HttpTransport> transport_;
  std::thread worker_;
  bool running_ = false;
  std::atomic<bool> finished_{false};  // set by the worker when its exchange has ended
  HttpRequest request_;
  HttpResponse response_;
  Status status_;
};

}  // namespace sfsync::salesforce
