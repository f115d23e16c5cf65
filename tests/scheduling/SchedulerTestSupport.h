// Fakes for the Scheduler tests: a scripted RunExecutor (statuses per attempt, gates that hold a
// run inside execute() until released, every request recorded, per-name concurrency tracked) and
// a recorder for the Scheduler's hooks with an in-memory "last handled" store. Waits use
// condition variables with generous real-time timeouts that only matter when a test fails.
//
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <memory>

#include "fakes/FakeClock.h"
#include "scheduling/ChainTestSupport.h"
#include "scheduling/ScheduleTestSupport.h"
#include "sfsync/scheduling/RunStatus.h"
#include "sfsync/scheduling/Scheduler.h"

namespace sfsync::scheduling::testing {

class FakeRunExecutor : public RunExecutor {
 public:
  // Statuses for successive executions of `name` (any attempt); the last one repeats. Default
  // Success.
  void script(const std::string& name, std::vector<std::string> statuses) {
    std::lock_guard<std::mutex> lock(mu_);
    scripts_[name] = std::move(statuses);
  }
  // Executions of `name` block inside execute() until release(name) (one release per run).
  void gate(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    gated_.insert(name);
  }
  void release(const std::string& name, int runs = 1) {
    std::lock_guard<std::mutex> lock(mu_);
    released_[name] += runs;
    cv_.notify_all();
  }
  // Waits until `count` executions of `name` have begun; false on timeout.
  bool waitStarted(const std::string& name, int count = 1) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kGenerousTimeout, [&] { return started_[name] >= count; });
  }

  ExecutionOutcome execute(const RunRequest& request) override {
    std::unique_lock<std::mutex> lock(mu_);
    requests_.push_back(request);
    const int n = started_[request.name]++;
    const int running = ++running_[request.name];
    maxRunning_[request.name] = std::max(maxRunning_[request.name], running);
    cv_.notify_all();
    if (gated_.count(request.name) != 0) {
      cv_.wait_for(lock, kGenerousTimeout, [&] { return released_[request.name] > 0; });
      --released_[request.name];
    }
    --running_[request.name];
    const std::vector<std::string>& s = scripts_[request.name];
    ExecutionOutcome outcome;
    outcome.status = s.empty() ? kRunSuccess : s[std::min<std::size_t>(n, s.size() - 1)];
    outcome.executionId =
        request.executionId.empty() ? "exec-" + std::to_string(++nextId_) : request.executionId;
    outcome.message = request.name + " run " + std::to_string(n + 1) + " " + outcome.status;
    return outcome;
  }

  std::vector<RunRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  std::vector<RunRequest> requestsFor(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<RunRequest> out;
    for (const RunRequest& r : requests_) {
      if (r.name == name) out.push_back(r);
    }
    return out;
  }
  int maxRunning(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = maxRunning_.find(name);
    return it == maxRunning_.end() ? 0 : it->second;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::vector<std::string>> scripts_;
  std::set<std::string> gated_;
  std::map<std::string, int> released_;
  std::map<std::string, int> started_;
  std::map<std::string, int> running_;
  std::map<std::string, int> maxRunning_;
  std::vector<RunRequest> requests_;
  int nextId_ = 0;
};

// Records the Scheduler's hooks; `saved` doubles as the persisted last-handled store.
class HookRecorder {
 public:
  Scheduler::Hooks hooks() {
    Scheduler::Hooks h;
    h.onFinished = [this](const FinishedRun& run) {
      std::lock_guard<std::mutex> lock(mu_);
      finished_.push_back(run);
    };
    h.loadLastHandled = [this](const std::string& name) -> std::optional<Clock::TimePoint> {
      std::lock_guard<std::mutex> lock(mu_);
      const auto it = saved_.find(name);
      if (it == saved_.end()) return std::nullopt;
      return it->second;
    };
    h.saveLastHandled = [this](const std::string& name, Clock::TimePoint t) -> Status {
      std::unique_lock<std::mutex> lock(mu_);
      ++savesStarted_;
      cv_.notify_all();
      cv_.wait_for(lock, kGenerousTimeout, [&] { return !holdSaves_; });
      if (!saveError_.ok()) return saveError_;
      saved_[name] = t;
      return Status::OK();
    };
    h.loadHeartbeat = [this] {
      std::lock_guard<std::mutex> lock(mu_);
      return heartbeat_;
    };
    h.saveHeartbeat = [this](Clock::TimePoint t) {
      std::lock_guard<std::mutex> lock(mu_);
      heartbeat_ = t;
      return Status::OK();
    };
    h.onRetryScheduled = [this](const RetryScheduled& r) {
      std::lock_guard<std::mutex> lock(mu_);
      retries_.push_back(r);
    };
    h.onNotice = [this](const std::string& name, const std::string& message) {
      std::lock_guard<std::mutex> lock(mu_);
      notices_.push_back(name + ": " + message);
    };
    return h;
  }

  // saveLastHandled blocks (inside the hook) until holdSaves(false); a held save still counts in
  // savesStarted().
  void holdSaves(bool hold) {
    std::lock_guard<std::mutex> lock(mu_);
    holdSaves_ = hold;
    cv_.notify_all();
  }
  bool waitSavesStarted(int count) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kGenerousTimeout, [&] { return savesStarted_ >= count; });
  }
  // Every saveLastHandled fails with `error` (OK again: saves work).
  void failSaves(Status error) {
    std::lock_guard<std::mutex> lock(mu_);
    saveError_ = std::move(error);
  }
  void setHeartbeat(std::optional<Clock::TimePoint> t) {
    std::lock_guard<std::mutex> lock(mu_);
    heartbeat_ = t;
  }
  std::optional<Clock::TimePoint> heartbeat() const {
    std::lock_guard<std::mutex> lock(mu_);
    return heartbeat_;
  }
  std::vector<RetryScheduled> retries() const {
    std::lock_guard<std::mutex> lock(mu_);
    return retries_;
  }

  void setSaved(const std::string& name, Clock::TimePoint t) {
    std::lock_guard<std::mutex> lock(mu_);
    saved_[name] = t;
  }
  std::optional<Clock::TimePoint> saved(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = saved_.find(name);
    if (it == saved_.end()) return std::nullopt;
    return it->second;
  }
  std::vector<FinishedRun> finished() const {
    std::lock_guard<std::mutex> lock(mu_);
    return finished_;
  }
  std::vector<std::string> notices() const {
    std::lock_guard<std::mutex> lock(mu_);
    return notices_;
  }
  bool noticed(const std::string& text) const {
    std::lock_guard<std::mutex> lock(mu_);
    return std::any_of(notices_.begin(), notices_.end(),
                       [&](const std::string& n) { return n.find(text) != std::string::npos; });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Clock::TimePoint> saved_;
  bool holdSaves_ = false;
  int savesStarted_ = 0;
  Status saveError_;
  std::optional<Clock::TimePoint> heartbeat_;
  std::vector<RetryScheduled> retries_;
  std::vector<FinishedRun> finished_;
  std::vector<std::string> notices_;
};

// A Scheduler over a FakeClock (Monday 2026-01-05 09:30 UTC), the fake executor and the hook
// recorder. make() (re)creates the scheduler, as a daemon restart would.
class SchedulerTestBase : public ::testing::Test {
 protected:
  void SetUp() override { make(); }

  void make(Scheduler::Options options = Scheduler::Options()) {
    scheduler.reset();
    scheduler = std::make_unique<Scheduler>(clock, executor, options, recorder.hooks());
  }

  static SchedulerEntry entry(const std::string& name, const char* scheduleJson = nullptr,
                              const std::string& connection = "prod") {
    SchedulerEntry e;
    e.name = name;
    if (scheduleJson != nullptr) e.schedule = mustParse(scheduleJson);
    e.connections = {connection};
    return e;
  }

  void add(SchedulerEntry e) { ASSERT_TRUE(scheduler->addEntry(std::move(e)).ok()); }

  void advanceTo(const std::string& isoTime) {
    clock.advance(
        std::chrono::duration_cast<std::chrono::milliseconds>(iso(isoTime) - clock.now()));
  }

  // tick() then wait until every started run (and what it queued) has finished.
  int tickAndWait() {
    const int started = scheduler->tick();
    EXPECT_TRUE(scheduler->waitIdle(kGenerousTimeout));
    return started;
  }

  std::string text(const std::optional<Clock::TimePoint>& t) { return isoText(t); }

  sfsync::testing::FakeClock clock{iso("2026-01-05T09:30:00Z")};
  FakeRunExecutor executor;
  HookRecorder recorder;
  std::unique_ptr<Scheduler> scheduler;
};

}  // namespace sfsync::scheduling::testing
