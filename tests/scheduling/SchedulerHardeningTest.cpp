// Scheduler hardening (issue 9): retries keep the run's trigger and are announced before they can
// start, catch-up runs say so, new entries are caught up from the previous daemon's heartbeat,
// state saves happen outside the scheduler lock (a blocked store never blocks status or run-now)
// and a failed save is reported. Time is a FakeClock; waits are on conditions, never sleeps.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "scheduling/SchedulerTestSupport.h"
#include "sfsync/scheduling/Scheduler.h"

namespace sfsync::scheduling {
namespace {

using testing::iso;
using testing::isoText;
using testing::kGenerousTimeout;

class SchedulerHardeningTest : public testing::SchedulerTestBase {};

TEST_F(SchedulerHardeningTest, RetryKeepsTheTriggerAndIsAnnouncedBeforeItStarts) {
  SchedulerEntry e = entry("Company Sync", R"({"every":"1h"})");
  e.retry.maxRetries = 1;
  e.retry.initialBackoff = std::chrono::seconds(30);
  add(e);
  executor.script("Company Sync", {"Failed", "Success"});

  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  const std::vector<RetryScheduled> retries = recorder.retries();
  ASSERT_EQ(retries.size(), 1u);
  EXPECT_EQ(retries[0].name, "Company Sync");
  EXPECT_EQ(retries[0].trigger, "schedule");
  EXPECT_EQ(retries[0].executionId, "exec-1");
  EXPECT_EQ(retries[0].failedAttempt, 1);
  EXPECT_EQ(retries[0].nextAttempt, 2);
  EXPECT_EQ(isoText(retries[0].retryAt), "2026-01-05T10:00:30Z");
  EXPECT_NE(retries[0].message.find("Failed"), std::string::npos);

  // What run-now refuses, status() reports: busy, waiting to retry, when.
  const Scheduler::EntryStatus s = *scheduler->status("Company Sync");
  EXPECT_TRUE(s.retrying);
  EXPECT_FALSE(s.running);
  EXPECT_EQ(isoText(s.retryAt), "2026-01-05T10:00:30Z");
  const Result<Scheduler::RunNowResult> refused = scheduler->runNow("Company Sync");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("waiting to retry"), std::string::npos);

  advanceTo("2026-01-05T10:00:30Z");
  EXPECT_EQ(tickAndWait(), 1);
  const std::vector<RunRequest> runs = executor.requests();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1].attempt, 2);
  EXPECT_EQ(runs[1].trigger, "schedule");  // not "retry": the run is still the 10:00 slot
  ASSERT_EQ(recorder.finished().size(), 1u);
  EXPECT_EQ(recorder.finished()[0].trigger, "schedule");
  EXPECT_EQ(isoText(recorder.finished()[0].startedAt), "2026-01-05T10:00:00Z");
  EXPECT_FALSE(scheduler->status("Company Sync")->retrying);
}

TEST_F(SchedulerHardeningTest, MisfireCatchUpRunsAreMarkedCatchUp) {
  recorder.setSaved("Company Sync", iso("2026-01-02T09:00:05Z"));
  add(entry("Company Sync", R"({"every":"1h"})"));
  EXPECT_EQ(tickAndWait(), 1);
  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  const std::vector<RunRequest> runs = executor.requests();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].trigger, "catch-up");
  EXPECT_TRUE(runs[0].catchUp);
  EXPECT_EQ(runs[1].trigger, "schedule");
  EXPECT_EQ(recorder.finished()[0].trigger, "catch-up");
}

TEST_F(SchedulerHardeningTest, EntryThatNeverReachedItsFirstSlotIsCaughtUpAfterDowntime) {
  // The daemon runs 09:30-09:45 on the 5th with a daily 02:00 job (no slot in that time), is down
  // until 09:00 on the 6th: the 02:00 slot of the 6th was missed and runs once (run-once).
  add(entry("Daily", R"({"daily":"02:00"})"));
  EXPECT_EQ(tickAndWait(), 0);
  EXPECT_EQ(isoText(recorder.heartbeat()), "2026-01-05T09:30:00Z");
  advanceTo("2026-01-05T09:45:00Z");
  scheduler->stop();
  EXPECT_EQ(isoText(recorder.heartbeat()), "2026-01-05T09:45:00Z");  // alive until stop
  EXPECT_EQ(recorder.saved("Daily"), std::nullopt);                  // it never had a slot

  advanceTo("2026-01-06T09:00:00Z");
  make();
  add(entry("Daily", R"({"daily":"02:00"})"));
  EXPECT_EQ(tickAndWait(), 1);
  ASSERT_EQ(executor.requests().size(), 1u);
  EXPECT_EQ(isoText(executor.requests()[0].slot), "2026-01-06T02:00:00Z");
  EXPECT_EQ(executor.requests()[0].trigger, "catch-up");
  EXPECT_EQ(tickAndWait(), 0);
}

TEST_F(SchedulerHardeningTest, EntryAddedWhileTheDaemonWasDownCountsFromTheLastHeartbeat) {
  scheduler.reset();  // its stop() saves a heartbeat: set ours after it
  recorder.setHeartbeat(iso("2026-01-05T07:10:00Z"));
  make();
  add(entry("New Hourly", R"({"every":"1h"})"));  // 08:00 and 09:00 passed since the heartbeat
  add(entry("New Skip", R"({"every":"1h","misfire":"skip"})"));
  EXPECT_EQ(tickAndWait(), 1);
  ASSERT_EQ(executor.requests().size(), 1u);
  EXPECT_EQ(executor.requests()[0].name, "New Hourly");
  EXPECT_EQ(isoText(executor.requests()[0].slot), "2026-01-05T09:00:00Z");
  EXPECT_TRUE(recorder.noticed("New Skip: missed slots skipped"));
}

TEST_F(SchedulerHardeningTest, HeartbeatIsSavedAtMostEveryInterval) {
  Scheduler::Options options;
  options.heartbeatInterval = std::chrono::seconds(60);
  make(options);
  add(entry("Company Sync", R"({"every":"1h"})"));
  tickAndWait();
  EXPECT_EQ(isoText(recorder.heartbeat()), "2026-01-05T09:30:00Z");
  advanceTo("2026-01-05T09:30:59Z");
  tickAndWait();
  EXPECT_EQ(isoText(recorder.heartbeat()), "2026-01-05T09:30:00Z");
  advanceTo("2026-01-05T09:31:00Z");
  tickAndWait();
  EXPECT_EQ(isoText(recorder.heartbeat()), "2026-01-05T09:31:00Z");
}

TEST_F(SchedulerHardeningTest, BlockedStateSaveDoesNotBlockStatusOrRunNow) {
  add(entry("Company Sync", R"({"every":"1h"})"));
  add(entry("Other"));
  recorder.holdSaves(true);
  advanceTo("2026-01-05T10:00:00Z");
  std::thread ticker([&] { scheduler->tick(); });  // handles the slot, then blocks saving it
  ASSERT_TRUE(recorder.waitSavesStarted(1));

  auto status = std::async(std::launch::async, [&] { return scheduler->status("Company Sync"); });
  auto runNow = std::async(std::launch::async, [&] { return scheduler->runNow("Other"); });
  const bool statusDone = status.wait_for(kGenerousTimeout) == std::future_status::ready;
  const bool runNowDone = runNow.wait_for(kGenerousTimeout) == std::future_status::ready;
  recorder.holdSaves(false);  // lets everything finish whatever happened
  ticker.join();
  EXPECT_TRUE(statusDone) << "status() waited for the store";
  EXPECT_TRUE(runNowDone) << "runNow() waited for the store";
  ASSERT_TRUE(scheduler->waitIdle(kGenerousTimeout));
  EXPECT_EQ(*runNow.get(), Scheduler::RunNowResult::kStarted);
  EXPECT_EQ(status.get()->name, "Company Sync");
  EXPECT_EQ(isoText(recorder.saved("Company Sync")), "2026-01-05T10:00:00Z");
  EXPECT_EQ(executor.requestsFor("Company Sync").size(), 1u);
}

TEST_F(SchedulerHardeningTest, FailedStateSaveIsReportedAndClearedByTheNextSave) {
  add(entry("Company Sync", R"({"every":"1h"})"));
  recorder.failSaves(Status::IoError("disk full"));
  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  EXPECT_NE(scheduler->status("Company Sync")->stateError.find("disk full"), std::string::npos);
  EXPECT_TRUE(recorder.noticed("Company Sync: could not save the last handled slot"));
  EXPECT_EQ(recorder.saved("Company Sync"), std::nullopt);

  recorder.failSaves(Status::OK());
  advanceTo("2026-01-05T11:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  EXPECT_EQ(scheduler->status("Company Sync")->stateError, "");
  EXPECT_EQ(isoText(recorder.saved("Company Sync")), "2026-01-05T11:00:00Z");
}

TEST_F(SchedulerHardeningTest, DisconnectWhileARetryIsAnnouncedCancelsIt) {
  SchedulerEntry e = entry("Company Sync");
  e.retry.maxRetries = 2;
  e.retry.initialBackoff = std::chrono::seconds(0);
  executor.script("Company Sync", {"Failed"});
  std::promise<void> announced;
  std::promise<void> proceed;
  Scheduler::Hooks hooks = recorder.hooks();
  hooks.onRetryScheduled = [&](const RetryScheduled&) {
    announced.set_value();
    proceed.get_future().wait();
  };
  scheduler = std::make_unique<Scheduler>(clock, executor, Scheduler::Options(), hooks);
  add(e);
  ASSERT_TRUE(scheduler->runNow("Company Sync").ok());
  ASSERT_EQ(announced.get_future().wait_for(kGenerousTimeout), std::future_status::ready);
  EXPECT_EQ(scheduler->tick(), 0);  // backoff 0 is over, but the row is not marked yet
  ASSERT_TRUE(scheduler->disconnect("prod").ok());
  proceed.set_value();
  ASSERT_TRUE(scheduler->waitIdle(kGenerousTimeout));
  EXPECT_EQ(scheduler->tick(), 0);
  EXPECT_EQ(executor.requestsFor("Company Sync").size(), 1u);
  ASSERT_EQ(recorder.finished().size(), 1u);
  EXPECT_EQ(recorder.finished()[0].status, "Failed");
  EXPECT_NE(recorder.finished()[0].message.find("retry cancelled"), std::string::npos);
  EXPECT_FALSE(scheduler->status("Company Sync")->retrying);
}

}  // namespace
}  // namespace sfsync::scheduling
