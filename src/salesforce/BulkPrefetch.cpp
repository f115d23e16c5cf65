#include "salesforce/BulkPrefetch.h"

#include <chrono>
#include <exception>
#include <system_error>
#include <utility>

namespace sfsync::salesforce {

BulkPrefetch::BulkPrefetch(TransportOptions options, std::shared_ptr<CancellationToken> clientToken)
    : clientToken_(std::move(clientToken)), ownToken_(std::make_shared<CancellationToken>()) {
  options.cancel = ownToken_;
  transport_ = std::make_unique<HttpTransport>(std::move(options));
}

BulkPrefetch::~BulkPrefetch() { abandon(); }

void BulkPrefetch::start(HttpRequest request) {
  if (running_) return;
  request_ = std::move(request);
  running_ = true;
  finished_ = false;
  try {
    worker_ = std::thread([this] {
      try {
        status_ = transport_->send(request_, response_);
      } catch (const std::exception& e) {
        status_ = Status::Internal(std::string("Bulk prefetch failed: ") + e.what());
      } catch (...) {
        status_ = Status::Internal("Bulk prefetch failed");
      }
      finished_ = true;
    });
  } catch (const std::system_error&) {
    // No thread (resource limits): nothing is pending, and the set is fetched normally.
    running_ = false;
  }
}

Status BulkPrefetch::take(HttpResponse& out) {
  if (!worker_.joinable()) return Status::Internal("no Bulk prefetch pending");
  while (!finished_) {
    if (clientToken_ && clientToken_->cancelled()) {
      ownToken_->cancel();  // shutdown while the set downloads: stop it as the client's calls stop
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  worker_.join();
  running_ = false;
  std::swap(out, response_);
  return status_;
}

void BulkPrefetch::abandon() {
  if (!worker_.joinable()) return;
  ownToken_->cancel();
  worker_.join();
  running_ = false;
}

}  // namespace sfsync::salesforce
