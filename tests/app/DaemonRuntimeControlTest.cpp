// The daemon runtime's control actions and state writes against a store that can block or fail
// (issue 9): a pause flag is saved only while it is the live state (per-flag serialisation), a
// flag or audit row that cannot be saved is reported, and a state write that blocks never blocks
// the admin API's status or run-now.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "app/DaemonRuntimeFixture.h"
#include "app/InterceptingStore.h"

namespace sfsync::app {
namespace {

constexpr std::chrono::seconds kGenerous{30};

class DaemonRuntimeControlTest : public testing::DaemonRuntimeFixture {
 protected:
  void SetUp() override {
    DaemonRuntimeFixture::SetUp();
    intercepting_ = std::make_unique<testing::InterceptingStore>(*store_);
  }

  std::unique_ptr<DaemonRuntime> interceptedRuntime() {
    auto r = std::make_unique<DaemonRuntime>(config_, *intercepting_, clock_,
                                             notify::NotificationSettings{},
                                             scheduling::Scheduler::Options{});
    EXPECT_TRUE(r->init().ok());
    return r;
  }

  std::unique_ptr<testing::InterceptingStore> intercepting_;
};

TEST_F(DaemonRuntimeControlTest, PauseFlagIsSavedOnlyWhileItIsTheLiveState) {
  auto r = interceptedRuntime();
  DaemonRuntime* runtime = r.get();
  std::atomic<int> writes{0};
  std::atomic<int> mismatches{0};
  intercepting_->beforePut = [&](const std::string& key, const std::string& value) {
    if (key == "scheduler.paused.Companies") {
      ++writes;
      // Serialised per flag: nobody can apply the opposite between our apply and this write.
      const bool live = runtime->scheduler().status("Companies")->paused;
      if (live != (value == "true")) ++mismatches;
    }
    return Status::OK();
  };
  constexpr int kThreads = 4;
  constexpr int kRounds = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        Result<std::string> done = (i + t) % 2 == 0 ? r->pause("job", "Companies", "ops")
                                                    : r->resume("job", "Companies", "ops");
        if (!done.ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(writes.load(), kThreads * kRounds);
  EXPECT_EQ(mismatches.load(), 0);
  const bool live = r->scheduler().status("Companies")->paused;
  const auto persisted = store_->getState("scheduler.paused.Companies").value();
  ASSERT_TRUE(persisted.has_value());
  EXPECT_EQ(*persisted == "true", live);
}

TEST_F(DaemonRuntimeControlTest, FlagThatCannotBeSavedIsReported) {
  auto r = interceptedRuntime();
  intercepting_->beforePut = [](const std::string& key, const std::string&) {
    return key == "scheduler.paused.Companies" ? Status::IoError("disk full") : Status::OK();
  };
  const Result<std::string> paused = r->pause("job", "Companies", "ops");
  ASSERT_FALSE(paused.ok());
  EXPECT_EQ(paused.status().code(), StatusCode::kIoError);
  EXPECT_NE(paused.status().message().find("could not be saved"), std::string::npos)
      << paused.status().toString();
  EXPECT_NE(paused.status().message().find("disk full"), std::string::npos);
  EXPECT_TRUE(r->scheduler().status("Companies")->paused);  // live: the action itself worked
  EXPECT_TRUE(store_->listUpdates(10, "").value().empty());
}

TEST_F(DaemonRuntimeControlTest, AuditRowThatCannotBeSavedIsReported) {
  auto r = interceptedRuntime();
  intercepting_->beforeUpdate = [](const store::UpdateRecord&) {
    return Status::IoError("disk full");
  };
  const Result<std::string> paused = r->pause("job", "Companies", "ops");
  ASSERT_FALSE(paused.ok());
  EXPECT_EQ(paused.status().code(), StatusCode::kIoError);
  EXPECT_NE(paused.status().message().find("audit row"), std::string::npos)
      << paused.status().toString();
  EXPECT_EQ(store_->getState("scheduler.paused.Companies").value(),
            std::optional<std::string>("true"));
}

TEST_F(DaemonRuntimeControlTest, BlockedStateWriteDoesNotBlockStatusOrRunNow) {
  auto r = interceptedRuntime();
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false;
  bool release = false;
  intercepting_->beforePut = [&](const std::string& key, const std::string&) {
    if (key != "scheduler.lastHandled.Companies") return Status::OK();
    std::unique_lock<std::mutex> lock(mu);
    entered = true;
    cv.notify_all();
    cv.wait_for(lock, kGenerous, [&] { return release; });
    return Status::OK();
  };
  const auto sinceHour = clock_->now().time_since_epoch() % std::chrono::hours(1);
  clock_->advance(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::hours(1) - sinceHour));
  std::thread ticker([&] { r->scheduler().tick(); });  // starts the slot, then saves it: blocks
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, kGenerous, [&] { return entered; }));
  }
  auto jobs = std::async(std::launch::async, [&] { return r->jobs(); });
  auto runNow = std::async(std::launch::async, [&] { return r->runNow("job", "Broken", "ops"); });
  const bool jobsDone = jobs.wait_for(kGenerous) == std::future_status::ready;
  const bool runNowDone = runNow.wait_for(kGenerous) == std::future_status::ready;
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
    cv.notify_all();
  }
  ticker.join();
  EXPECT_TRUE(jobsDone) << "the job summaries waited for a state write";
  EXPECT_TRUE(runNowDone) << "run-now waited for a state write";
  EXPECT_TRUE(runNow.get().ok());
  EXPECT_FALSE(jobs.get().empty());
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));
  r->stop();
  EXPECT_TRUE(store_->getState("scheduler.lastHandled.Companies").value().has_value());
}

}  // namespace
}  // namespace sfsync::app

namespace sfsync::app {
namespace {

// Issue 16: one update row per state change - a repeated pause (or a resume of a job that is not
// paused) is answered "already ..." and records nothing.
TEST_F(DaemonRuntimeControlTest, ARepeatedPauseIsOneUpdateRow) {
  auto r = interceptedRuntime();
  EXPECT_EQ(r->pause("job", "Companies", "ops").value(), "paused");
  EXPECT_EQ(r->pause("job", "Companies", "ops").value(), "already paused");
  EXPECT_TRUE(r->scheduler().status("Companies")->paused);
  EXPECT_EQ(r->resume("job", "Companies", "ops").value(), "resumed");
  EXPECT_EQ(r->resume("job", "Companies", "ops").value(), "already resumed");
  std::vector<std::string> actions;
  for (const store::UpdateRecord& u : store_->listUpdates(0, "").value()) {
    actions.push_back(u.action);
  }
  std::sort(actions.begin(), actions.end());  // same (fake) time: the order is the ids'
  EXPECT_EQ(actions, (std::vector<std::string>{"paused", "resumed"}));
}

}  // namespace
}  // namespace sfsync::app
