// BulkPrefetch: fetches the next Bulk API 2.0 result set on its own thread and its own HTTP
// connection while the caller streams and loads the current one (issue 10: "fetch the next result
// chunk while the current one loads"). The body is not collected: the worker hands it over in
// chunks through a bounded window (kWindowBytes), so a set that is asked for early costs its
// request latency, not its size; once the window is full the worker stops reading (TCP holds the
// rest) until take() drains it. The exchange is ONE attempt: the client treats any failure
// (network, HTTP error, malformed body) by fetching the set again on its normal retrying path, so
// a prefetch never changes what the caller receives, only when.
// The prefetch has its own CancellationToken: abandon() (and the destructor) cancel it and join, so
// an abandoned prefetch ends at once (a fresh token and connection serve the next start()); while
// take() waits it forwards a cancellation of the client's token (a shutdown), checked every 20 ms.
//
// Thread-safety: one owner thread calls start()/take()/abandon(); the worker thread touches the
// transport, request and response owned here (read by the owner only after joining) and the window,
// which is guarded by a mutex.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "salesforce/HttpTransport.h"

namespace sfsync::salesforce {

class BulkPrefetch {
 public:
  // Bytes of body the worker reads ahead of take() (plus at most one chunk of 64 KiB).
  static constexpr std::int64_t kWindowBytes = 1 << 20;

  // `options.cancel` is replaced by the prefetch's own token; `clientToken` is the client's.
  BulkPrefetch(TransportOptions options, std::shared_ptr<CancellationToken> clientToken,
               std::int64_t windowBytes = kWindowBytes);
  ~BulkPrefetch();
  BulkPrefetch(const BulkPrefetch&) = delete;
  BulkPrefetch& operator=(const BulkPrefetch&) = delete;

  // Starts fetching `request` (an absolute, authorised GET). Ignored while one is pending.
  void start(HttpRequest request);
  // True while a request was started and not taken (or abandoned) yet.
  bool busy() const { return running_; }
  // True when a request for `url` was started and not taken yet.
  bool pendingFor(const std::string& url) const { return running_ && request_.url == url; }
  // Waits for the pending exchange. A 2xx answer is streamed: `stream.begin` gets its head (in
  // `out`), then `stream.write` each chunk as the worker hands it over; a non-OK Status from
  // either abandons the exchange and is returned. Other answers arrive whole in `out`. Returns the
  // exchange's Status (the transport's, e.g. a connection cut mid-body) otherwise.
  Status take(HttpResponse& out, const BodyStream& stream);
  // Cancels and joins a pending exchange; its result is dropped.
  void abandon();
  // The most body bytes the window ever held (test hook for the memory bound).
  std::int64_t peakBufferedBytes() const { return peakBuffered_; }

 private:
  // The worker's side of the window.
  Status beginOnWorker(const HttpResponse& head, bool& stream);
  Status writeOnWorker(const char* data, std::size_t size);
  // Waits (in 20 ms slices, forwarding a shutdown) until `ready` holds; false when cancelled.
  template <typename Ready>
  bool waitFor(std::unique_lock<std::mutex>& lock, Ready ready);
  Status drain(HttpResponse& out, const BodyStream& stream, bool wanted);
  void newConnection();

  TransportOptions options_;
  std::shared_ptr<CancellationToken> clientToken_;
  std::shared_ptr<CancellationToken> ownToken_;
  std::unique_ptr<HttpTransport> transport_;
  const std::int64_t windowBytes_;
  std::thread worker_;
  bool running_ = false;
  HttpRequest request_;
  HttpResponse response_;
  Status status_;

  std::mutex mu_;
  std::condition_variable changed_;
  bool headReady_ = false;  // the worker saw a 2xx head and streams its body
  bool finished_ = false;   // the worker's exchange has ended
  bool abandoned_ = false;  // the owner stopped taking: the worker's writes fail
  HttpResponse head_;
  std::deque<std::string> chunks_;
  std::int64_t buffered_ = 0;
  std::atomic<std::int64_t> peakBuffered_{0};
};

}  // namespace sfsync::salesforce
