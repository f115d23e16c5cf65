// The daemon runtime as an operator reads retries, misfires and control actions (issue 9): a run
// waiting to retry says "Retrying" with its next attempt in its row and in the job summary (which
// agrees with run-now's 409), retries keep the first attempt's trigger and start, a cancelled
// retry closes its row, and a job that never ran is caught up after downtime (heartbeat).
#include <gtest/gtest.h>

#include <string>

#include "app/DaemonRuntimeFixture.h"

namespace sfsync::app {
namespace {

class DaemonRuntimeRetryTest : public testing::DaemonRuntimeFixture {
 protected:
  static admin::EntrySummary summaryOf(DaemonRuntime& r, const std::string& name) {
    for (const admin::EntrySummary& s : r.jobs()) {
      if (s.name == name) return s;
    }
    ADD_FAILURE() << "no job summary for " << name;
    return {};
  }
};

TEST_F(DaemonRuntimeRetryTest, RowWaitingToRetrySaysSoAndTheApiAgrees) {
  auto r = runtime();
  const std::string started = formatIso8601(clock_->now());
  ASSERT_TRUE(r->runNow("job", "Broken", "test").ok());
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));

  auto runs = executions("Broken");
  ASSERT_EQ(runs.size(), 1u);
  const std::string nextAttempt = formatIso8601(clock_->now() + std::chrono::seconds(60));
  EXPECT_EQ(runs[0].status, "Retrying");
  EXPECT_EQ(runs[0].nextAttempt, nextAttempt);
  EXPECT_EQ(runs[0].endTime, "");
  EXPECT_EQ(runs[0].attempts, 1);
  EXPECT_EQ(runs[0].trigger, "run-now");
  EXPECT_NE(runs[0].message.find("attempt 1 failed"), std::string::npos) << runs[0].message;

  admin::EntrySummary s = summaryOf(*r, "Broken");
  EXPECT_TRUE(s.running);  // busy: run-now is refused ...
  EXPECT_TRUE(s.retrying);
  EXPECT_EQ(s.attempt, 2);
  EXPECT_EQ(s.nextAttempt, nextAttempt);
  EXPECT_EQ(s.lastStatus, "Retrying");
  const Result<std::string> refused = r->runNow("job", "Broken", "test");  // ... and it is
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("waiting to retry"), std::string::npos);

  advanceAndRun(*r, std::chrono::seconds(60));  // attempt 2 fails too
  runs = executions("Broken");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, "Retrying");
  EXPECT_EQ(runs[0].attempts, 2);
  EXPECT_EQ(runs[0].startTime, started);

  advanceAndRun(*r, std::chrono::seconds(120));  // attempt 3, the last
  runs = executions("Broken");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, "Failed");
  EXPECT_EQ(runs[0].attempts, 3);
  EXPECT_EQ(runs[0].trigger, "run-now");  // not "retry"
  EXPECT_EQ(runs[0].startTime, started);  // not the last attempt's start
  EXPECT_EQ(runs[0].endTime, formatIso8601(clock_->now()));
  EXPECT_EQ(runs[0].nextAttempt, "");
  s = summaryOf(*r, "Broken");
  EXPECT_FALSE(s.running);
  EXPECT_FALSE(s.retrying);
  EXPECT_EQ(s.nextAttempt, "");
  EXPECT_EQ(s.lastStatus, "Failed");
  ASSERT_EQ(hook_.requests().size(), 1u);
  EXPECT_NE(hook_.requests()[0].body.find("\"run-now\""), std::string::npos)
      << hook_.requests()[0].body;
}

TEST_F(DaemonRuntimeRetryTest, RetryCancelledByStopClosesItsRow) {
  auto r = runtime();
  ASSERT_TRUE(r->runNow("job", "Broken", "test").ok());
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));
  ASSERT_EQ(executions("Broken")[0].status, "Retrying");
  r->stop();
  const auto runs = executions("Broken");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, "Failed");
  EXPECT_EQ(runs[0].nextAttempt, "");
  EXPECT_NE(runs[0].endTime, "");
  EXPECT_NE(runs[0].message.find("retry cancelled"), std::string::npos) << runs[0].message;
}

TEST_F(DaemonRuntimeRetryTest, RetryingRowLeftByACrashIsMarkedInterrupted) {
  auto r = runtime();
  ASSERT_TRUE(r->runNow("job", "Broken", "test").ok());
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));
  const store::ExecutionRecord retrying = executions("Broken")[0];
  ASSERT_EQ(retrying.status, "Retrying");
  ASSERT_FALSE(retrying.nextAttempt.empty());
  // The live runtime holds the row's liveness lock: a sweep leaves it alone.
  ASSERT_EQ(*store_->failInterruptedExecutions(formatIso8601(clock_->now()), "interrupted"), 0);
  // A crash: the same row in a database whose process is gone (its store closed, lock released).
  const std::string crashedPath = dir_.file("crashed.db");
  {
    store::StorePtr crashed = std::move(store::openSqliteStore(crashedPath).value());
    ASSERT_TRUE(crashed->saveExecution(retrying).ok());
  }
  store::StorePtr next = std::move(store::openSqliteStore(crashedPath).value());
  ASSERT_EQ(*next->failInterruptedExecutions(formatIso8601(clock_->now()), "interrupted"), 1);
  store::ExecutionQuery q;
  q.executionId = retrying.executionId;
  const std::vector<store::ExecutionRecord> after = next->listExecutions(q).value();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].status, "Failed");
  EXPECT_EQ(after[0].nextAttempt, "");
}

TEST_F(DaemonRuntimeRetryTest, ScheduledJobThatNeverRanIsCaughtUpAfterDowntime) {
  {
    auto r = runtime();
    advanceAndRun(*r, std::chrono::minutes(10));  // up for 10 minutes, no slot of "Companies"
    ASSERT_TRUE(executions("Companies").empty());
  }
  clock_->advance(std::chrono::hours(5));  // down while slots pass
  auto restarted = runtime();
  restarted->scheduler().tick();
  ASSERT_TRUE(restarted->scheduler().waitIdle(std::chrono::seconds(60)));
  restarted->scheduler().tick();
  ASSERT_TRUE(restarted->scheduler().waitIdle(std::chrono::seconds(60)));
  const auto runs = executions("Companies");
  ASSERT_EQ(runs.size(), 1u);  // one catch-up run
  EXPECT_EQ(runs[0].trigger, "catch-up");
}

}  // namespace
}  // namespace sfsync::app
