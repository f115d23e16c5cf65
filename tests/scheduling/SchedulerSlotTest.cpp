// Scheduler and time: on-time slots, misfire after a simulated outage (run-once / skip), pause and
// resume (no catch-up, also across a restart), connection pause, disconnect/reconnect and the
// production timer thread. Time is a FakeClock; tests call tick() and waitIdle().
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "scheduling/SchedulerTestSupport.h"
#include "sfsync/scheduling/Scheduler.h"

namespace sfsync::scheduling {
namespace {

using testing::iso;

class SchedulerSlotTest : public testing::SchedulerTestBase {};

TEST_F(SchedulerSlotTest, OnTimeSlotRunsOnceAndTheNextRunMovesOn) {
  add(entry("Company Sync", R"({"every":"1h"})"));
  EXPECT_EQ(text(scheduler->nextRun("Company Sync")), "2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 0);

  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  EXPECT_EQ(tickAndWait(), 0);  // the same slot never starts twice
  advanceTo("2026-01-05T10:00:40Z");
  EXPECT_EQ(tickAndWait(), 0);

  const std::vector<RunRequest> runs = executor.requests();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].name, "Company Sync");
  EXPECT_EQ(runs[0].kind, RunKind::kJob);
  EXPECT_EQ(runs[0].trigger, "schedule");
  EXPECT_EQ(runs[0].attempt, 1);
  EXPECT_EQ(runs[0].executionId, "");
  EXPECT_EQ(text(runs[0].slot), "2026-01-05T10:00:00Z");
  EXPECT_FALSE(runs[0].catchUp);

  EXPECT_EQ(text(scheduler->nextRun("Company Sync")), "2026-01-05T11:00:00Z");
  EXPECT_EQ(text(recorder.saved("Company Sync")), "2026-01-05T10:00:00Z");
  const std::vector<FinishedRun> finished = recorder.finished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].status, "Success");
  EXPECT_EQ(finished[0].executionId, "exec-1");
  EXPECT_EQ(finished[0].attempts, 1);
  ASSERT_TRUE(scheduler->lastRun("Company Sync").has_value());
  EXPECT_EQ(scheduler->lastRun("Company Sync")->status, "Success");
}

TEST_F(SchedulerSlotTest, ThreeDayOutageWithRunOnceFiresExactlyOnce) {
  // Last handled before a 3-day outage; the daemon comes back at 09:30 on the 5th.
  recorder.setSaved("Company Sync", iso("2026-01-02T09:00:05Z"));
  add(entry("Company Sync", R"({"every":"1h"})"));
  EXPECT_EQ(tickAndWait(), 1);
  EXPECT_EQ(tickAndWait(), 0);
  advanceTo("2026-01-05T09:59:59Z");
  EXPECT_EQ(tickAndWait(), 0);
  advanceTo("2026-01-05T10:00:01Z");
  EXPECT_EQ(tickAndWait(), 1);

  const std::vector<RunRequest> runs = executor.requests();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(text(runs[0].slot), "2026-01-05T09:00:00Z");  // the latest missed slot, once
  EXPECT_TRUE(runs[0].catchUp);
  EXPECT_EQ(text(runs[1].slot), "2026-01-05T10:00:00Z");
  EXPECT_FALSE(runs[1].catchUp);
}

TEST_F(SchedulerSlotTest, ThreeDayOutageWithSkipWaitsForTheNextSlot) {
  recorder.setSaved("Company Sync", iso("2026-01-02T09:00:05Z"));
  add(entry("Company Sync", R"({"every":"1h","misfire":"skip"})"));
  EXPECT_EQ(tickAndWait(), 0);
  EXPECT_TRUE(recorder.noticed("Company Sync: missed slots skipped (misfire policy: skip)"));
  EXPECT_EQ(text(recorder.saved("Company Sync")), "2026-01-05T09:30:00Z");
  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  ASSERT_EQ(executor.requests().size(), 1u);
  EXPECT_FALSE(executor.requests()[0].catchUp);
}

TEST_F(SchedulerSlotTest, NewEntryWithoutSavedStateStartsWithTheNextSlot) {
  add(entry("Company Sync", R"({"every":"1h"})"));  // the 09:00 slot passed before it existed
  EXPECT_EQ(tickAndWait(), 0);
  EXPECT_TRUE(executor.requests().empty());
}

TEST_F(SchedulerSlotTest, PausedSlotsAreNotCaughtUpAndTheScheduleResumesAtTheNextSlot) {
  add(entry("Company Sync", R"({"every":"1h"})"));
  ASSERT_TRUE(scheduler->pause("Company Sync").ok());
  EXPECT_EQ(scheduler->nextRun("Company Sync"), std::nullopt);
  EXPECT_TRUE(scheduler->status("Company Sync")->paused);
  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 0);
  advanceTo("2026-01-05T11:00:00Z");
  EXPECT_EQ(tickAndWait(), 0);

  advanceTo("2026-01-05T11:30:00Z");
  ASSERT_TRUE(scheduler->resume("Company Sync").ok());
  EXPECT_EQ(text(scheduler->nextRun("Company Sync")), "2026-01-05T12:00:00Z");
  EXPECT_EQ(tickAndWait(), 0);  // 10:00 and 11:00 are not caught up
  advanceTo("2026-01-05T12:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  ASSERT_EQ(executor.requests().size(), 1u);
  EXPECT_EQ(text(executor.requests()[0].slot), "2026-01-05T12:00:00Z");
  EXPECT_FALSE(executor.requests()[0].catchUp);
}

TEST_F(SchedulerSlotTest, ResumeJustAfterAPausedSlotDoesNotRunIt) {
  add(entry("Company Sync", R"({"every":"1h"})"));
  ASSERT_TRUE(scheduler->pause("Company Sync").ok());
  advanceTo("2026-01-05T10:00:00Z");  // slot passes while paused, no tick in between
  ASSERT_TRUE(scheduler->resume("Company Sync").ok());
  EXPECT_EQ(tickAndWait(), 0);
  EXPECT_EQ(text(scheduler->nextRun("Company Sync")), "2026-01-05T11:00:00Z");
}

TEST_F(SchedulerSlotTest, PausedPeriodIsNotCaughtUpAfterARestart) {
  add(entry("Company Sync", R"({"every":"1h"})"));
  ASSERT_TRUE(scheduler->pause("Company Sync").ok());
  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 0);
  advanceTo("2026-01-05T11:00:00Z");
  EXPECT_EQ(tickAndWait(), 0);
  EXPECT_EQ(text(recorder.saved("Company Sync")), "2026-01-05T11:00:00Z");

  // Restart (pause state is not persisted): the paused slots were recorded as handled.
  advanceTo("2026-01-05T11:30:00Z");
  make();
  add(entry("Company Sync", R"({"every":"1h"})"));
  EXPECT_EQ(tickAndWait(), 0);
  EXPECT_TRUE(executor.requests().empty());
}

TEST_F(SchedulerSlotTest, RunNowWhilePausedIsAllowed) {
  add(entry("Company Sync", R"({"every":"1h"})"));
  ASSERT_TRUE(scheduler->pause("Company Sync").ok());
  const Result<Scheduler::RunNowResult> r = scheduler->runNow("Company Sync");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, Scheduler::RunNowResult::kStarted);
  ASSERT_TRUE(scheduler->waitIdle());
  ASSERT_EQ(executor.requests().size(), 1u);
  EXPECT_EQ(executor.requests()[0].trigger, "run-now");
  EXPECT_EQ(executor.requests()[0].slot, std::nullopt);
  EXPECT_TRUE(scheduler->status("Company Sync")->paused);  // still paused afterwards
}

TEST_F(SchedulerSlotTest, PausingAConnectionStopsOnlyItsEntries) {
  add(entry("Accounts", R"({"every":"1h"})", "prod"));
  add(entry("Sandbox Copy", R"({"every":"1h"})", "sandbox"));
  SchedulerEntry chain = entry("Nightly", R"({"every":"1h"})", "marketing");
  chain.kind = RunKind::kChain;
  chain.connections.push_back("prod");
  add(chain);

  EXPECT_EQ(scheduler->pauseConnection("nope").code(), StatusCode::kNotFound);
  ASSERT_TRUE(scheduler->pauseConnection("prod").ok());
  EXPECT_TRUE(scheduler->status("Nightly")->connectionPaused);
  EXPECT_EQ(scheduler->nextRun("Accounts"), std::nullopt);
  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  ASSERT_EQ(executor.requests().size(), 1u);
  EXPECT_EQ(executor.requests()[0].name, "Sandbox Copy");

  // The entry's own pause outlasts the connection's.
  ASSERT_TRUE(scheduler->pause("Nightly").ok());
  advanceTo("2026-01-05T10:30:00Z");
  ASSERT_TRUE(scheduler->resumeConnection("prod").ok());
  EXPECT_EQ(text(scheduler->nextRun("Accounts")), "2026-01-05T11:00:00Z");
  EXPECT_EQ(scheduler->nextRun("Nightly"), std::nullopt);
  EXPECT_EQ(tickAndWait(), 0);  // 10:00 is not caught up
  advanceTo("2026-01-05T11:00:00Z");
  EXPECT_EQ(tickAndWait(), 2);
  EXPECT_EQ(executor.requestsFor("Accounts").size(), 1u);
  EXPECT_EQ(executor.requestsFor("Nightly").size(), 0u);
}

TEST_F(SchedulerSlotTest, DisconnectStopsSchedulingAndRunNowUntilReconnect) {
  SchedulerEntry e = entry("Company Sync", R"({"every":"1h"})", "prod");
  e.retry.maxRetries = 3;
  add(e);
  executor.script("Company Sync", {"Failed", "Success"});
  ASSERT_TRUE(scheduler->runNow("Company Sync").ok());
  ASSERT_TRUE(scheduler->waitIdle());
  ASSERT_TRUE(scheduler->status("Company Sync")->retryAt.has_value());
  EXPECT_TRUE(recorder.finished().empty());

  // Disconnecting cancels the pending retry: the run ends Failed, notified once.
  ASSERT_TRUE(scheduler->disconnect("prod").ok());
  std::vector<FinishedRun> finished = recorder.finished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].status, "Failed");
  EXPECT_EQ(finished[0].attempts, 1);
  EXPECT_EQ(finished[0].message,
            "Company Sync run 1 Failed (retry cancelled: connection 'prod' disconnected)");

  const Result<Scheduler::RunNowResult> refused = scheduler->runNow("Company Sync");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(),
            "'Company Sync' cannot run: connection 'prod' is disconnected");
  EXPECT_TRUE(scheduler->status("Company Sync")->disconnected);
  EXPECT_EQ(scheduler->nextRun("Company Sync"), std::nullopt);
  advanceTo("2026-01-05T12:00:00Z");
  EXPECT_EQ(tickAndWait(), 0);

  advanceTo("2026-01-05T12:10:00Z");
  ASSERT_TRUE(scheduler->reconnect("prod").ok());
  EXPECT_EQ(text(scheduler->nextRun("Company Sync")), "2026-01-05T13:00:00Z");
  EXPECT_EQ(tickAndWait(), 0);
  advanceTo("2026-01-05T13:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  EXPECT_EQ(executor.requests().size(), 2u);
  EXPECT_EQ(recorder.finished().size(), 2u);
}

TEST_F(SchedulerSlotTest, TimerThreadTicksUntilStopped) {
  Scheduler::Options options;
  options.tickInterval = std::chrono::milliseconds(5);
  make(options);
  add(entry("Company Sync", R"({"every":"1h"})"));
  advanceTo("2026-01-05T10:00:00Z");
  scheduler->start();
  scheduler->start();  // idempotent
  ASSERT_TRUE(executor.waitStarted("Company Sync"));
  scheduler->stop();
  scheduler->stop();  // idempotent
  EXPECT_EQ(executor.requests().size(), 1u);
  EXPECT_EQ(recorder.finished().size(), 1u);

  advanceTo("2026-01-05T11:00:00Z");
  EXPECT_EQ(scheduler->tick(), 0);
  EXPECT_EQ(scheduler->runNow("Company Sync").status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace sfsync::scheduling
