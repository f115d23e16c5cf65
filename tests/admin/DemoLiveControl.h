// DemoLiveControl: admin_demo_server's AdminControl with --simulate-runs - forwards everything to
// a FakeAdminControl, but "Run now" on a job also simulates a slow run on a background thread:
// a real ExecutionLog row (Running, then Success) whose start / finish are published on the
// EventBus, and run.progress events (jobs::RunProgress) from 0 to `total` records over about
// `steps` x `stepDelay`. While it runs, the job's summary says running. For the browser test of
// live progress (tests/browser/live.test.mjs) and for trying the page by hand.
//
// Thread-safety: every AdminControl method may be called from any thread; the simulated runs are
// joined by the destructor (call it before the store and bus go).
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "admin/FakeAdminControl.h"
#include "jobs/RunProgress.h"
#include "sfsync/activity/ExecutionLog.h"
#include "sfsync/core/Clock.h"
#include "sfsync/core/EventBus.h"
#include "sfsync/store/Store.h"

namespace sfsync::admin::testing {

class DemoLiveControl final : public AdminControl {
 public:
  DemoLiveControl(FakeAdminControl& fake, store::Store& store, EventBus& bus)
      : fake_(fake), store_(store), bus_(bus), clock_(systemClock()) {}
  ~DemoLiveControl() override {
    stopping_ = true;
    for (std::thread& t : runs_) t.join();
  }

  std::vector<EntrySummary> connections() override { return fake_.connections(); }
  std::vector<EntrySummary> jobs() override {
    std::vector<EntrySummary> jobs = fake_.jobs();
    std::lock_guard<std::mutex> lock(mu_);
    for (EntrySummary& j : jobs) {
      if (running_.count(j.name) > 0) {
        j.running = true;
        j.lastStatus = "Running";
      }
    }
    return jobs;
  }
  std::vector<EntrySummary> chains() override { return fake_.chains(); }
  std::vector<RealtimeStats> realtime() override { return fake_.realtime(); }  // issue 18
  Result<std::string> runNow(const std::string& kind, const std::string& name,
                             const std::string& actor) override {
    Result<std::string> r = fake_.runNow(kind, name, actor);
    if (!r.ok() || kind != "job") return r;
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_.insert(name).second)
      return Status::InvalidArgument("'" + name + "' is already running");
    runs_.emplace_back([this, name] { simulate(name); });
    return r;
  }
  Result<std::string> pause(const std::string& k, const std::string& n,
                            const std::string& a) override {
    return fake_.pause(k, n, a);
  }
  Result<std::string> resume(const std::string& k, const std::string& n,
                             const std::string& a) override {
    return fake_.resume(k, n, a);
  }
  Result<std::string> disconnect(const std::string& n, const std::string& a) override {
    return fake_.disconnect(n, a);
  }
  Result<std::string> reconnect(const std::string& n, const std::string& a) override {
    return fake_.reconnect(n, a);
  }
  Result<std::string> fullResync(const std::string& n, const std::string& a) override {
    return fake_.fullResync(n, a);
  }
  Result<std::string> allowMassDelete(const std::string& n, const std::string& a) override {
    return fake_.allowMassDelete(n, a);
  }
  Result<std::string> refreshMetadata(const std::string& n, const std::string& a) override {
    return fake_.refreshMetadata(n, a);
  }

  static constexpr std::int64_t kTotal = 5000;
  static constexpr int kSteps = 25;
  static constexpr std::chrono::milliseconds kStepDelay{300};

 private:
  void simulate(const std::string& name) {
    activity::ExecutionLog log(store_, *clock_);
    log.setEvents(&bus_);
    store::ExecutionRecord start;
    start.kind = "job";
    start.name = name;
    start.connection = "Production";
    start.trigger = "run-now";
    if (log.begin(start).ok()) {
      jobs::RunProgress progress(&bus_);
      for (int step = 1; step <= kSteps && !stopping_; ++step) {
        std::this_thread::sleep_for(kStepDelay);  // the simulated work, not synchronisation
        log.record().recordsRead = kTotal * step / kSteps;
        log.record().updated = log.record().recordsRead;
        // Best effort: the demo's progress rows are cosmetic; the events carry the progress.
        store_.saveExecution(log.record()).ignoreError();
        progress.update(log.record(), "load", log.record().recordsRead, kTotal);
      }
      log.finishOrReport(Status::OK());
    }
    std::lock_guard<std::mutex> lock(mu_);
    running_.erase(name);
  }

  FakeAdminControl& fake_;
  store::Store& store_;
  EventBus& bus_;
  std::shared_ptr<Clock> clock_;
  std::mutex mu_;
  std::set<std::string> running_;
  std::vector<std::thread> runs_;
  std::atomic<bool> stopping_{false};
};

}  // namespace sfsync::admin::testing
