// Test support for the cdc tests: a SimServer with its Pub/Sub server, a logged-in session, a
// PubSubStream on it, and a subscriber thread collecting events until cancelled.
//
// Thread-safety: the collector's methods may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "pubsub_sim/PubSubSim.h"
#include "salesforce_sim/SimHttpClient.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/cdc/PubSubStream.h"

namespace sfsync::testing {

// Collects what a subscription delivers; waits on a condition with a generous deadline.
class EventCollector {
 public:
  Status onBatch(const source::ChangeBatch& batch) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++batches_;
      if (batch.events.empty()) ++keepalives_;
      for (const auto& e : batch.events) events_.push_back(e);
    }
    changed_.notify_all();
    return Status::OK();
  }
  bool waitForEvents(std::size_t n, std::chrono::seconds deadline = std::chrono::seconds(20)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return events_.size() >= n; });
  }
  bool waitForKeepalive(std::chrono::seconds deadline = std::chrono::seconds(20)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return keepalives_ > 0; });
  }
  std::vector<cdc::ChangeEvent> events() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<cdc::ChangeEvent> events_;
  int batches_ = 0;
  int keepalives_ = 0;
};

class PubSubFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    pubsub_ = std::make_unique<sim::PubSubSim>(sim_, sim::PubSubSimOptions{200, 100, {}});
    pubsub_->start();
    token_ = sim::test::SimHttpClient(sim_.port()).loginToken();
    ASSERT_FALSE(token_.empty());
  }
  void TearDown() override {
    pubsub_.reset();
    sim_.stop();
  }

  cdc::PubSubOptions streamOptions() {
    cdc::PubSubOptions o;
    o.endpoint = pubsub_->target();
    o.insecure = true;
    o.rpcTimeoutMs = 10000;
    o.idleTimeoutMs = 20000;
    o.auth = [this]() -> Result<cdc::PubSubAuth> {
      std::lock_guard<std::mutex> lock(tokenMutex_);
      return cdc::PubSubAuth{token_, sim_.baseUrl(), sim_.orgId()};
    };
    return o;
  }

  // Subscribes on a thread; returns the thread's final Status through `result`.
  std::thread subscribeAsync(source::ChangeStream& stream, source::StreamRequest request,
                             EventCollector& collector, Status& result) {
    return std::thread([&stream, request, &collector, &result] {
      result = stream.subscribe(request,
                                [&](const source::ChangeBatch& b) { return collector.onBatch(b); });
    });
  }

  sim::SimServer sim_;
  std::unique_ptr<sim::PubSubSim> pubsub_;
  std::mutex tokenMutex_;
  std::string token_;
};

}  // namespace sfsync::testing
