#include "salesforce/BulkPrefetch.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <system_error>
#include <utility>

namespace sfsync::salesforce {

namespace {

bool isSuccess(int http) { return http >= 200 && http < 300; }

// The head of `from` (status and headers), without its body.
void copyHead(const HttpResponse& from, HttpResponse& to) {
  to.status = from.status;
  to.reason = from.reason;
  to.limitInfo = from.limitInfo;
  to.sforceLocator = from.sforceLocator;
  to.sforceNumberOfRecords = from.sforceNumberOfRecords;
  to.body.clear();
}

}  // namespace

BulkPrefetch::BulkPrefetch(TransportOptions options, std::shared_ptr<CancellationToken> clientToken,
                           std::int64_t windowBytes)
    : options_(std::move(options)),
      clientToken_(std::move(clientToken)),
      windowBytes_(std::max<std::int64_t>(windowBytes, 1)) {
  newConnection();
}

BulkPrefetch::~BulkPrefetch() { abandon(); }

void BulkPrefetch::newConnection() {
  ownToken_ = std::make_shared<CancellationToken>();
  options_.cancel = ownToken_;
  transport_ = std::make_unique<HttpTransport>(options_);
}

void BulkPrefetch::start(HttpRequest request) {
  if (running_) return;
  request_ = std::move(request);
  {
    std::lock_guard<std::mutex> lock(mu_);
    headReady_ = finished_ = abandoned_ = false;
    chunks_.clear();
    buffered_ = 0;
  }
  running_ = true;
  try {
    worker_ = std::thread([this] {
      BodyStream stream;
      stream.begin = [this](const HttpResponse& head, bool& s) { return beginOnWorker(head, s); };
      stream.write = [this](const char* d, std::size_t n) { return writeOnWorker(d, n); };
      Status status;
      try {
        status = transport_->send(request_, response_, &stream);
      } catch (const std::exception& e) {
        status = Status::Internal(std::string("Bulk prefetch failed: ") + e.what());
      } catch (...) {
        status = Status::Internal("Bulk prefetch failed");
      }
      std::lock_guard<std::mutex> lock(mu_);
      status_ = status;
      finished_ = true;
      changed_.notify_all();
    });
  } catch (const std::system_error&) {
    // No thread (resource limits): nothing is pending, and the set is fetched normally.
    running_ = false;
  }
}

Status BulkPrefetch::beginOnWorker(const HttpResponse& head, bool& stream) {
  stream = isSuccess(head.status);
  if (!stream) return Status::OK();  // an error body is collected whole (capped)
  std::lock_guard<std::mutex> lock(mu_);
  copyHead(head, head_);
  headReady_ = true;
  changed_.notify_all();
  return Status::OK();
}

Status BulkPrefetch::writeOnWorker(const char* data, std::size_t size) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [this] { return buffered_ < windowBytes_ || abandoned_; });
  if (abandoned_) return Status::Unavailable("Bulk prefetch abandoned").withRemote(kCancelled);
  chunks_.emplace_back(data, size);
  buffered_ += static_cast<std::int64_t>(size);
  if (buffered_ > peakBuffered_) peakBuffered_ = buffered_;
  changed_.notify_all();
  return Status::OK();
}

template <typename Ready>
bool BulkPrefetch::waitFor(std::unique_lock<std::mutex>& lock, Ready ready) {
  while (!ready()) {
    if (clientToken_ && clientToken_->cancelled()) return false;
    changed_.wait_for(lock, std::chrono::milliseconds(20));
  }
  return true;
}

Status BulkPrefetch::take(HttpResponse& out, const BodyStream& stream) {
  if (!worker_.joinable()) return Status::Internal("no Bulk prefetch pending");
  bool streamed = false;
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (!waitFor(lock, [this] { return headReady_ || finished_; })) {
      lock.unlock();
      abandon();  // shutdown while the set downloads: stop it as the client's calls stop
      return status_;
    }
    streamed = headReady_;
    if (streamed) copyHead(head_, out);
  }
  if (streamed) {
    bool wanted = false;
    Status begun = stream.begin(out, wanted);
    if (!begun.ok()) {
      abandon();
      return begun;
    }
    if (Status drained = drain(out, stream, wanted); !drained.ok()) return drained;
  }
  worker_.join();
  running_ = false;
  if (!streamed) std::swap(out, response_);
  return status_;
}

Status BulkPrefetch::drain(HttpResponse& out, const BodyStream& stream, bool wanted) {
  for (;;) {
    std::string chunk;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!waitFor(lock, [this] { return !chunks_.empty() || finished_; })) {
        lock.unlock();
        abandon();
        return status_;
      }
      if (chunks_.empty()) return Status::OK();  // finished: the rest is the transport's status
      chunk = std::move(chunks_.front());
      chunks_.pop_front();
      buffered_ -= static_cast<std::int64_t>(chunk.size());
      changed_.notify_all();
    }
    if (!wanted) {
      out.body += chunk;  // a caller that did not ask for the stream gets the body whole
      continue;
    }
    if (Status st = stream.write(chunk.data(), chunk.size()); !st.ok()) {
      abandon();
      return st;
    }
  }
}

void BulkPrefetch::abandon() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    abandoned_ = true;
    changed_.notify_all();
  }
  ownToken_->cancel();
  worker_.join();
  running_ = false;
  newConnection();  // the cancelled token would refuse the next start()
}

}  // namespace sfsync::salesforce
