// What a run logs (issue 15): one line at its start and one at its end (kind, name, execution id,
// trigger, attempt; status, counts, API calls, duration), one per retry (the failed attempt, why,
// when the next starts) and one per deferral (API budget), each with the same facts as LogLine
// fields for log.format = json.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/DaemonRuntimeFixture.h"
#include "fakes/LogCapture.h"

namespace sfsync::app {
namespace {

using sfsync::testing::LogCapture;

class RunLogLinesTest : public testing::DaemonRuntimeFixture {};

TEST_F(RunLogLinesTest, ARunLogsOneStartAndOneEndLineWithItsFacts) {
  LogCapture jobs("sfsync.jobs");
  auto r = runtime();
  ASSERT_TRUE(r->runNow("job", "Companies", "test").ok());
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));
  const auto runs = executions("Companies");
  ASSERT_EQ(runs.size(), 1u);
  const store::ExecutionRecord& row = runs[0];

  const auto starts = jobs.events("run.start");
  const auto ends = jobs.events("run.end");
  ASSERT_EQ(starts.size(), 1u);
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(starts[0].getText(), "job 'Companies' started: execution " + row.executionId +
                                     ", trigger run-now, attempt 1");
  EXPECT_EQ(starts[0].getPriority(), Poco::Message::PRIO_INFORMATION);
  const Poco::Message& end = ends[0];
  EXPECT_EQ(LogCapture::field(end, "executionId"), row.executionId);
  EXPECT_EQ(LogCapture::field(end, "kind"), "job");
  EXPECT_EQ(LogCapture::field(end, "name"), "Companies");
  EXPECT_EQ(LogCapture::field(end, "trigger"), "run-now");
  EXPECT_EQ(LogCapture::field(end, "status"), "Success");
  EXPECT_EQ(LogCapture::field(end, "read"), std::to_string(row.recordsRead));
  EXPECT_EQ(LogCapture::field(end, "created"), std::to_string(row.created));
  EXPECT_EQ(LogCapture::field(end, "apiCalls"), std::to_string(row.apiCalls));
  EXPECT_EQ(LogCapture::field(end, "durationMs"), "0");  // the fake clock did not move
  EXPECT_GT(row.recordsRead, 0);
  EXPECT_NE(
      end.getText().find("job 'Companies' ended Success: execution " + row.executionId +
                         ", trigger run-now, attempt 1, read " + std::to_string(row.recordsRead) +
                         ", created " + std::to_string(row.created)),
      std::string::npos)
      << end.getText();
}

TEST_F(RunLogLinesTest, AFailedAttemptLogsItsRetryWithTheNextAttemptsTime) {
  LogCapture jobs("sfsync.jobs");
  LogCapture runtimeLog("sfsync.runtime");
  auto r = runtime();
  ASSERT_TRUE(r->runNow("job", "Broken", "test").ok());
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));
  const std::string executionId = executions("Broken").at(0).executionId;
  const std::string nextAt = formatIso8601(clock_->now() + std::chrono::seconds(60));

  const auto retries = runtimeLog.events("run.retry");
  ASSERT_EQ(retries.size(), 1u);
  const Poco::Message& retry = retries[0];
  EXPECT_EQ(retry.getPriority(), Poco::Message::PRIO_WARNING);
  EXPECT_EQ(LogCapture::field(retry, "executionId"), executionId);
  EXPECT_EQ(LogCapture::field(retry, "attempt"), "1");
  EXPECT_EQ(LogCapture::field(retry, "nextAttempt"), "2");
  EXPECT_EQ(LogCapture::field(retry, "nextAttemptAt"), nextAt);
  EXPECT_NE(LogCapture::field(retry, "reason").find("Renamed_In_Salesforce__c"), std::string::npos)
      << retry.getText();
  EXPECT_NE(retry.getText().find("job 'Broken' attempt 1 failed (execution " + executionId + ")"),
            std::string::npos)
      << retry.getText();
  EXPECT_NE(retry.getText().find("attempt 2 at " + nextAt), std::string::npos) << retry.getText();
  const auto ends = jobs.events("run.end");
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].getPriority(), Poco::Message::PRIO_ERROR);
  EXPECT_EQ(LogCapture::field(ends[0], "status"), "Failed");

  advanceAndRun(*r, std::chrono::seconds(60));  // attempt 2: its own start, end and retry lines
  EXPECT_EQ(runtimeLog.events("run.retry").size(), 2u);
  const auto starts = jobs.events("run.start");
  ASSERT_EQ(starts.size(), 2u);
  EXPECT_EQ(LogCapture::field(starts[1], "attempt"), "2");
  EXPECT_EQ(LogCapture::field(starts[1], "executionId"), executionId);
}

TEST_F(RunLogLinesTest, AnExhaustedApiBudgetLogsTheDeferral) {
  config_.app.connections[0].settings.apiBudgetPercent = 100;
  const std::int64_t used = sim_.apiUsage();
  sim_.setApiLimit(used + 1, used);  // the login's first call fits, nothing after it
  LogCapture jobs("sfsync.jobs");
  auto r = runtime();
  ASSERT_TRUE(r->runNow("job", "Companies", "test").ok());
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));
  const auto runs = executions("Companies");
  ASSERT_EQ(runs.size(), 1u);
  ASSERT_EQ(runs[0].status, "Deferred") << runs[0].message;

  const auto deferrals = jobs.events("run.deferred");
  ASSERT_EQ(deferrals.size(), 1u);
  EXPECT_EQ(deferrals[0].getPriority(), Poco::Message::PRIO_WARNING);
  EXPECT_EQ(LogCapture::field(deferrals[0], "executionId"), runs[0].executionId);
  EXPECT_EQ(LogCapture::field(deferrals[0], "reason"), "API_BUDGET_EXHAUSTED");
  EXPECT_NE(deferrals[0].getText().find("job 'Companies' deferred: the connection's API budget"),
            std::string::npos)
      << deferrals[0].getText();
  const auto ends = jobs.events("run.end");
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(LogCapture::field(ends[0], "status"), "Deferred");
}

}  // namespace
}  // namespace sfsync::app
