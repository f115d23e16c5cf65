// ChainExecutor callbacks run without its lock: the retry-policy callback may wait for other jobs
// of the same chain run (it used to be called under the run's mutex, which deadlocked this).
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "fakes/FakeClock.h"
#include "scheduling/ChainTestSupport.h"
#include "sfsync/scheduling/ChainExecutor.h"
#include "sfsync/scheduling/ChainPlan.h"
#include "sfsync/scheduling/RunStatus.h"

namespace sfsync::scheduling {
namespace {

using testing::ScriptedChainRunner;

TEST(ChainExecutorLockTest, RetryPolicyCallbackMayWaitForAnotherJobOfTheRun) {
  // A fails; its retry policy is asked while C (released by that callback) finishes and B, which
  // waits for C, starts. Under the executor's lock neither could happen before the callback
  // returned.
  Result<ChainPlan> plan =
      ChainPlan::build("Nightly", {"A", "C", "B"}, {{"B", "C", RunCondition::kSuccess}});
  ASSERT_TRUE(plan.ok()) << plan.status().toString();
  ScriptedChainRunner runner;
  runner.script("A", {kRunFailed});
  runner.gate("C");
  std::atomic<bool> sawB{false};
  std::atomic<int> asked{0};
  ChainExecutor::Options options;
  options.maxParallel = 2;
  options.retryPolicy = [&](const std::string& job) {
    ++asked;
    EXPECT_EQ(job, "A");
    runner.release("C");
    sawB = runner.waitStarted("B");  // generous deadline: false means B was blocked
    return RetryPolicy();            // no retries
  };
  sfsync::testing::FakeClock clock;
  const ChainResult result = ChainExecutor(clock, options).run(*plan, runner);

  EXPECT_TRUE(sawB.load()) << "B could not start while the retry policy callback ran";
  EXPECT_EQ(asked.load(), 1);
  EXPECT_EQ(result.find("A")->status, kRunFailed);
  EXPECT_EQ(result.find("C")->status, kRunSuccess);
  EXPECT_EQ(result.find("B")->status, kRunSuccess);
}

TEST(ChainExecutorLockTest, ThrowingRetryPolicyMeansNoRetry) {
  Result<ChainPlan> plan = ChainPlan::build("Nightly", {"A"}, {});
  ASSERT_TRUE(plan.ok());
  ScriptedChainRunner runner;
  runner.script("A", {kRunFailed, kRunSuccess});
  ChainExecutor::Options options;
  options.retryPolicy = [](const std::string&) -> RetryPolicy {
    throw std::runtime_error("policy lookup failed");
  };
  sfsync::testing::FakeClock clock;
  const ChainResult result = ChainExecutor(clock, options).run(*plan, runner);
  EXPECT_EQ(result.find("A")->status, kRunFailed);
  EXPECT_EQ(runner.calls(), std::vector<std::string>({"A#1"}));
}

}  // namespace
}  // namespace sfsync::scheduling
