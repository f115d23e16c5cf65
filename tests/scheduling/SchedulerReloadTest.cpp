// Scheduler::replaceEntries (configuration reload): kept entries keep their last handled slot,
// pause flag and run in progress; a changed schedule takes effect from the last handled slot; new
// entries appear, removed ones go (a pending retry is cancelled, an executing run finishes without
// retry and releases its locks); invalid entry sets change nothing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scheduling/SchedulerTestSupport.h"
#include "sfsync/scheduling/Scheduler.h"

namespace sfsync::scheduling {
namespace {

using testing::iso;
using RunNow = Scheduler::RunNowResult;

class SchedulerReloadTest : public testing::SchedulerTestBase {};

TEST_F(SchedulerReloadTest, KeptEntriesKeepStateAndTakeTheNewSchedule) {
  add(entry("Hourly", R"({"every":"1h"})"));
  add(entry("Paused", R"({"every":"1h"})"));
  ASSERT_TRUE(scheduler->pause("Paused").ok());
  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);  // Hourly's 10:00 slot
  ASSERT_EQ(text(recorder.saved("Hourly")), "2026-01-05T10:00:00Z");

  ASSERT_TRUE(scheduler
                  ->replaceEntries({entry("Hourly", R"({"every":"2h"})"),
                                    entry("Paused", R"({"every":"1h"})"), entry("New")})
                  .ok());
  // The new schedule counts from the last handled slot; the pause flag stayed.
  EXPECT_EQ(text(scheduler->nextRun("Hourly")), "2026-01-05T12:00:00Z");
  EXPECT_TRUE(scheduler->status("Paused")->paused);
  EXPECT_TRUE(scheduler->status("New").ok());
  EXPECT_EQ(scheduler->statuses().size(), 3u);
  advanceTo("2026-01-05T11:00:00Z");
  EXPECT_EQ(tickAndWait(), 0);  // no longer hourly
  advanceTo("2026-01-05T12:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  EXPECT_EQ(executor.requestsFor("Hourly").size(), 2u);
  EXPECT_TRUE(executor.requestsFor("Paused").empty());
}

TEST_F(SchedulerReloadTest, ARunInProgressFinishesAndKeepsItsEntryBusy) {
  add(entry("Company Sync"));
  executor.gate("Company Sync");
  ASSERT_EQ(*scheduler->runNow("Company Sync"), RunNow::kStarted);
  ASSERT_TRUE(executor.waitStarted("Company Sync"));
  SchedulerEntry changed = entry("Company Sync", R"({"every":"1h"})");
  changed.members = {"Extra"};
  ASSERT_TRUE(scheduler->replaceEntries({changed}).ok());
  EXPECT_TRUE(scheduler->status("Company Sync")->running);
  EXPECT_FALSE(scheduler->runNow("Company Sync").ok());  // still busy: no second run
  executor.release("Company Sync");
  ASSERT_TRUE(scheduler->waitIdle());
  ASSERT_EQ(recorder.finished().size(), 1u);
  // Its locks were released even though its lock names changed meanwhile.
  executor.release("Company Sync");
  EXPECT_EQ(*scheduler->runNow("Company Sync"), RunNow::kStarted);
  ASSERT_TRUE(scheduler->waitIdle());
}

TEST_F(SchedulerReloadTest, RemovedEntriesGoWithoutRetrying) {
  SchedulerEntry failing = entry("Failing");
  failing.retry.maxRetries = 3;
  failing.retry.initialBackoff = std::chrono::seconds(60);
  add(failing);
  SchedulerEntry running = failing;
  running.name = "Running";
  add(running);
  executor.script("Failing", {kRunFailed});
  executor.script("Running", {kRunFailed});
  ASSERT_EQ(*scheduler->runNow("Failing"), RunNow::kStarted);
  ASSERT_TRUE(scheduler->waitIdle());
  ASSERT_TRUE(scheduler->status("Failing")->retrying);
  executor.gate("Running");
  ASSERT_EQ(*scheduler->runNow("Running"), RunNow::kStarted);
  ASSERT_TRUE(executor.waitStarted("Running"));

  ASSERT_TRUE(scheduler->replaceEntries({entry("Other")}).ok());
  EXPECT_EQ(scheduler->status("Failing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(scheduler->status("Running").status().code(), StatusCode::kNotFound);
  executor.release("Running");
  ASSERT_TRUE(scheduler->waitIdle());
  clock.advance(std::chrono::minutes(5));
  EXPECT_EQ(tickAndWait(), 0);  // no retry of either
  EXPECT_EQ(executor.requestsFor("Failing").size(), 1u);
  EXPECT_EQ(executor.requestsFor("Running").size(), 1u);
  const std::vector<FinishedRun> finished = recorder.finished();
  ASSERT_EQ(finished.size(), 2u);
  for (const FinishedRun& run : finished) EXPECT_EQ(run.status, kRunFailed) << run.name;
  EXPECT_NE(finished[0].message.find("removed from the configuration"), std::string::npos)
      << finished[0].message;
}

TEST_F(SchedulerReloadTest, InvalidEntrySetsChangeNothing) {
  add(entry("A"));
  EXPECT_EQ(scheduler->replaceEntries({entry("B"), entry("B")}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(scheduler->replaceEntries({entry("")}).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(scheduler->status("A").ok());
  EXPECT_FALSE(scheduler->status("B").ok());
}

}  // namespace
}  // namespace sfsync::scheduling
