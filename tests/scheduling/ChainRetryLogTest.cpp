// A job retried inside a chain logs one line per retry on "sfsync.scheduling": the job, its chain,
// the attempt that failed and why, and when the next attempt starts (issue 15).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "fakes/FakeClock.h"
#include "fakes/LogCapture.h"
#include "scheduling/ChainTestSupport.h"
#include "sfsync/scheduling/ChainExecutor.h"
#include "sfsync/scheduling/ChainPlan.h"
#include "sfsync/scheduling/RunStatus.h"

namespace sfsync::scheduling {
namespace {

using sfsync::testing::LogCapture;

TEST(ChainRetryLogTest, EachRetryOfAChainJobIsLoggedOnceWithItsNextTime) {
  LogCapture log("sfsync.scheduling");
  ChainPlan plan = std::move(ChainPlan::build("Nightly", {"A", "B"}, {}).value());
  sfsync::testing::FakeClock clock;
  const Clock::TimePoint start = clock.now();
  testing::ScriptedChainRunner runner;
  runner.script("B", {kRunFailed, kRunFailed, kRunSuccess});
  RetryPolicy policy;
  policy.maxRetries = 2;
  policy.initialBackoff = std::chrono::seconds(10);
  policy.multiplier = 3;
  ChainExecutor::Options options;
  options.maxParallel = 1;
  options.retryPolicy = [&](const std::string& job) { return job == "B" ? policy : RetryPolicy(); };
  const ChainResult result = ChainExecutor(clock, options).run(plan, runner);
  ASSERT_EQ(result.status, kRunSuccess);

  const auto retries = log.events("run.retry");
  ASSERT_EQ(retries.size(), 2u);  // attempts 1 and 2 failed; attempt 3 succeeded
  EXPECT_EQ(LogCapture::field(retries[0], "name"), "B");
  EXPECT_EQ(LogCapture::field(retries[0], "chain"), "Nightly");
  EXPECT_EQ(LogCapture::field(retries[0], "attempt"), "1");
  EXPECT_EQ(LogCapture::field(retries[0], "nextAttempt"), "2");
  EXPECT_EQ(LogCapture::field(retries[0], "nextAttemptAt"),
            formatIso8601(start + std::chrono::seconds(10)));
  EXPECT_EQ(LogCapture::field(retries[0], "reason"), "B attempt 1 Failed");
  EXPECT_EQ(retries[0].getText(),
            "job 'B' (chain 'Nightly') attempt 1 failed: B attempt 1 Failed; attempt 2 at " +
                formatIso8601(start + std::chrono::seconds(10)));
  EXPECT_EQ(LogCapture::field(retries[1], "attempt"), "2");
  EXPECT_EQ(LogCapture::field(retries[1], "nextAttemptAt"),
            formatIso8601(start + std::chrono::seconds(40)));
}

}  // namespace
}  // namespace sfsync::scheduling
