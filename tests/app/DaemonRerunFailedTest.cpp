// Issue 16 through the daemon's admin control: rerunFailed stores the request, starts the job like
// run-now, and that run reads only the failed Ids as a new execution linked by rerunOf; errors are
// kNotFound (unknown execution, job no longer configured) and kInvalidArgument (no error file).
#include <gtest/gtest.h>

#include "app/DaemonRuntimeFixture.h"
#include "sfsync/activity/ErrorFile.h"
#include "sfsync/jobs/FailedRerun.h"

namespace sfsync::app {
namespace {

using DaemonRerunFailedTest = testing::DaemonRuntimeFixture;

// A finished Partial Success of `job` whose error file lists two Account Ids.
// Started an hour before `now` (retention keeps it).
store::ExecutionRecord failedRun(store::Store& store, const std::string& dir,
                                 const std::string& job, const std::string& id,
                                 Clock::TimePoint now) {
  activity::ErrorFile errors(dir + "/var/errors/" + id + ".errors.csv", {"Id", "Name"});
  for (const char* account : {"0015g0000000tvxAAA", "0015g0000000xq6AAA"}) {
    EXPECT_TRUE(errors
                    .add({Value(std::string(account)), Value(std::string("x"))},
                         {"LOAD_FAILED", "load", "Company", "", {}, "refused"})
                    .ok());
  }
  EXPECT_TRUE(errors.close().ok());
  store::ExecutionRecord r;
  r.executionId = id;
  r.name = job;
  r.connection = "sample";
  r.trigger = "schedule";
  r.status = "Partial Success";
  r.startTime = formatIso8601(now - std::chrono::hours(1));
  r.endTime = formatIso8601(now - std::chrono::minutes(59));
  r.failed = 2;
  r.errorFile = errors.path();
  EXPECT_TRUE(store.saveExecution(r).ok());
  return r;
}

TEST_F(DaemonRerunFailedTest, RunsOnlyTheFailedIdsAsALinkedExecution) {
  auto r = runtime();
  const store::ExecutionRecord first =
      failedRun(*store_, dir_.path(), "Companies", "first-run", clock_->now());
  Result<std::string> started = r->rerunFailed(first.executionId, "ops");
  ASSERT_TRUE(started.ok()) << started.status().toString();
  EXPECT_NE(started->find("re-run of 2 failed record(s) of 'Companies'"), std::string::npos)
      << *started;
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));

  std::vector<store::ExecutionRecord> runs = executions("Companies");
  ASSERT_EQ(runs.size(), 2u);
  const store::ExecutionRecord& rerun = runs.front();  // newest first
  EXPECT_EQ(rerun.rerunOf, first.executionId);
  EXPECT_EQ(rerun.trigger, "run-now");
  EXPECT_EQ(rerun.status, "Success") << rerun.message;
  EXPECT_EQ(rerun.recordsRead, 2);
  EXPECT_EQ(rerun.created, 2);
  EXPECT_EQ(*store_->count("Company"), 2);
  // The request was consumed: the next run-now is an ordinary run of every record.
  EXPECT_FALSE(store_->getState(jobs::rerunFailedKey("Companies"))->has_value());
  ASSERT_TRUE(r->runNow("job", "Companies", "ops").ok());
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));
  EXPECT_EQ(executions("Companies").front().rerunOf, "");
  EXPECT_EQ(*store_->count("Company"), static_cast<std::int64_t>(sim_.recordCount("Account")));
}

TEST_F(DaemonRerunFailedTest, RefusesUnknownExecutionsGoneJobsAndRunsWithoutFailures) {
  auto r = runtime();
  EXPECT_EQ(r->rerunFailed("nope", "ops").status().code(), StatusCode::kNotFound);
  failedRun(*store_, dir_.path(), "Removed Job", "gone-job-run", clock_->now());
  EXPECT_EQ(r->rerunFailed("gone-job-run", "ops").status().code(), StatusCode::kNotFound);
  store::ExecutionRecord clean =
      failedRun(*store_, dir_.path(), "Companies", "clean-run", clock_->now());
  clean.errorFile.clear();
  clean.status = "Success";
  clean.failed = 0;
  ASSERT_TRUE(store_->saveExecution(clean).ok());
  EXPECT_EQ(r->rerunFailed("clean-run", "ops").status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));
  EXPECT_EQ(executions("Companies").size(), 1u);  // nothing ran
}

}  // namespace
}  // namespace sfsync::app
