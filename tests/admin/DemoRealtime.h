// DemoRealtime: admin_demo_server's --realtime-demo (issue 18): makes the FakeAdminControl report
// two real-time jobs ("Company Sync" connected and streaming, "Person Sync" reconnecting) whose
// numbers grow every 200 ms, each step also published as a "realtime" event on the EventBus, the
// way the daemon's RealtimeRunner does once a second. For the browser test of the live real-time
// view (tests/browser/realtime.test.mjs) and for trying the page by hand.
//
// Thread-safety: the constructor starts one thread, the destructor stops and joins it (destroy it
// before the fake and the bus).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "admin/FakeAdminControl.h"
#include "sfsync/admin/RealtimeJson.h"
#include "sfsync/core/EventBus.h"

namespace sfsync::admin::testing {

class DemoRealtime {
 public:
  DemoRealtime(FakeAdminControl& fake, EventBus& bus) : fake_(fake), bus_(bus) {
    fake_.setRealtime(step(0));
    thread_ = std::thread([this] { loop(); });
  }
  ~DemoRealtime() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  DemoRealtime(const DemoRealtime&) = delete;
  DemoRealtime& operator=(const DemoRealtime&) = delete;

 private:
  static std::vector<RealtimeStats> step(int i) {
    RealtimeStats a;
    a.job = "Company Sync";
    a.connection = "Production";
    a.topic = "/data/AccountChangeEvent";
    a.state = "connected";
    a.events = 100 + 25 * i;
    a.records = a.events;
    a.batches = 10 + i;
    a.lagP50Ms = 180 + i % 7;
    a.lagP99Ms = 640 + i % 13;
    a.lastLagMs = 200;
    a.eventsPerSecond = 125.0;
    a.lastEventMs = 1772928000000LL + 200LL * i;  // 2026-03-08T00:00:00Z on
    a.lastAppliedMs = a.lastEventMs + 200;
    a.lastReplayId = "00000000000" + std::to_string(1000 + i);
    a.lastReplayStoredMs = a.lastAppliedMs;
    a.hourStart = "2026-03-08T00:00:00.000Z";
    a.hourRead = a.events;
    a.hourCreated = 40 + 10 * i;
    a.hourUpdated = 55 + 15 * i;
    a.hourDeleted = 5;
    RealtimeStats b;
    b.job = "Person Sync";
    b.connection = "Production";
    b.topic = "/data/ContactChangeEvent";
    b.state = "reconnecting";
    b.reconnects = 1 + i / 10;
    b.lastError = "lost the Pub/Sub stream (UNAVAILABLE)";
    return {a, b};
  }

  void loop() {
    std::unique_lock<std::mutex> lock(mu_);
    for (int i = 1; !stop_; ++i) {
      if (cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) break;
      const std::vector<RealtimeStats> stats = step(i);
      lock.unlock();
      fake_.setRealtime(stats);
      bus_.publish("realtime", realtimeListJson(stats));
      lock.lock();
    }
  }

  FakeAdminControl& fake_;
  EventBus& bus_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sfsync::admin::testing
