// The daemon's runtime end to end with simulated time: the scheduler runs configured jobs against
// the Salesforce simulator, retries keep one execution row, a failure is notified once after the
// last retry (real webhook receiver on loopback), a 3-day outage fires once, pause/resume through
// the admin control interface is persisted and audited.
#include <gtest/gtest.h>

#include "app/DaemonRuntimeFixture.h"

namespace sfsync::app {
namespace {


constexpr auto kHour = std::chrono::hours(1);

using DaemonRuntimeTest = testing::DaemonRuntimeFixture;

TEST_F(DaemonRuntimeTest, ScheduledJobRunsEachSlot) {
  auto r = runtime();
  // To the next full hour: a whole hour from a random start would make that slot late (catch-up).
  const auto sinceHour = clock_->now().time_since_epoch() % kHour;
  advanceAndRun(*r, std::chrono::duration_cast<std::chrono::milliseconds>(kHour - sinceHour));
  advanceAndRun(*r, kHour);
  auto runs = executions("Companies");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].status, "Success");
  EXPECT_EQ(runs[0].trigger, "schedule");
  EXPECT_EQ(*store_->count("Company"), static_cast<std::int64_t>(sim_.recordCount("Account")));
  EXPECT_TRUE(executions("Broken").empty());  // unscheduled: runs only on run-now
}

TEST_F(DaemonRuntimeTest, RetriedFailureKeepsOneRowAndNotifiesOnceAfterTheLastAttempt) {
  auto r = runtime();
  ASSERT_TRUE(r->runNow("job", "Broken", "test").ok());
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));
  EXPECT_EQ(hook_.requests().size(), 0u);  // a retry is pending: nobody is told yet
  advanceAndRun(*r, std::chrono::seconds(60));
  EXPECT_EQ(hook_.requests().size(), 0u);
  advanceAndRun(*r, std::chrono::seconds(120));

  auto runs = executions("Broken");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, "Failed");
  EXPECT_EQ(runs[0].attempts, 3);
  EXPECT_EQ(runs[0].trigger, "run-now");  // a retry keeps the run's trigger; attempts counts
  EXPECT_NE(runs[0].message.find("INVALID_FIELD"), std::string::npos) << runs[0].message;
  ASSERT_EQ(hook_.requests().size(), 1u);
  EXPECT_NE(hook_.requests()[0].body.find("\"status\":\"Failed\""), std::string::npos)
      << hook_.requests()[0].body;
  advanceAndRun(*r, kHour);
  EXPECT_EQ(hook_.requests().size(), 1u);
}

TEST_F(DaemonRuntimeTest, ThreeDayOutageFiresOnceOnRestart) {
  {
    auto r = runtime();
    advanceAndRun(*r, kHour);
    ASSERT_EQ(executions("Companies").size(), 1u);
  }
  clock_->advance(std::chrono::hours(72));  // the daemon is down for three days
  auto restarted = runtime();
  restarted->scheduler().tick();
  ASSERT_TRUE(restarted->scheduler().waitIdle(std::chrono::seconds(60)));
  restarted->scheduler().tick();
  ASSERT_TRUE(restarted->scheduler().waitIdle(std::chrono::seconds(60)));
  EXPECT_EQ(executions("Companies").size(), 2u);  // one catch-up run, not 72
}

TEST_F(DaemonRuntimeTest, PauseAndResumeArePersistedAndAudited) {
  {
    auto r = runtime();
    auto paused = r->pause("job", "Companies", "ops");
    ASSERT_TRUE(paused.ok()) << paused.status().toString();
    EXPECT_EQ(*paused, "paused");
    advanceAndRun(*r, kHour);
    EXPECT_TRUE(executions("Companies").empty());
  }
  auto restarted = runtime();  // still paused after a restart
  advanceAndRun(*restarted, kHour);
  EXPECT_TRUE(executions("Companies").empty());
  for (const auto& job : restarted->jobs()) {
    if (job.name == "Companies") {
      EXPECT_TRUE(job.paused);
    }
  }
  ASSERT_TRUE(restarted->resume("job", "Companies", "ops").ok());
  advanceAndRun(*restarted, kHour);
  EXPECT_EQ(executions("Companies").size(), 1u);  // resumed at the next slot, nothing caught up

  auto updates = store_->listUpdates(10, "").value();
  ASSERT_GE(updates.size(), 2u);
  EXPECT_EQ(updates[0].actor, "ops");
  EXPECT_EQ(updates[0].action, "resumed");
  EXPECT_EQ(updates[1].action, "paused");
  EXPECT_EQ(restarted->pause("job", "Nope", "ops").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sfsync::app
