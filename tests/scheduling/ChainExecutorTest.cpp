// ChainExecutor: dependency conditions and skip propagation (table-driven), parallel branches
// within maxParallel, deterministic order, retries on the injected clock, failing callbacks.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fakes/FakeClock.h"
#include "scheduling/ChainTestSupport.h"
#include "sfsync/scheduling/ChainExecutor.h"
#include "sfsync/scheduling/ChainPlan.h"
#include "sfsync/scheduling/RunStatus.h"

namespace sfsync::scheduling {
namespace {

using C = RunCondition;
using testing::ScriptedChainRunner;

ChainPlan mustBuild(const std::vector<std::string>& jobs, const std::vector<ChainEdge>& edges) {
  Result<ChainPlan> plan = ChainPlan::build("Nightly", jobs, edges);
  if (!plan.ok()) throw std::invalid_argument(plan.status().message());
  return std::move(plan).value();
}

ChainExecutor executor(sfsync::testing::FakeClock& clock, int maxParallel,
                       std::function<RetryPolicy(const std::string&)> retry = nullptr) {
  ChainExecutor::Options options;
  options.maxParallel = maxParallel;
  options.retryPolicy = std::move(retry);
  return ChainExecutor(clock, options);
}

TEST(ChainExecutorTest, FailingMiddleJobUnderEachCondition) {
  // Extract -> Middle -> Downstream (row's condition) -> Report
  //                   -> Audit (always)
  // Extract -> Side (an independent branch)
  struct Row {
    C condition;  // Middle -> Downstream
    const char* middle;
    const char* downstream;
    const char* downstreamReason;
    const char* report;
    const char* reportReason;
    const char* chain;
    const char* message;
  };
  const char* kSkippedReport =
      "predecessor 'Downstream' ended Skipped; condition 'success-or-partial' not met";
  const std::vector<Row> rows = {
      {C::kSuccess, kRunFailed, kRunSkipped,
       "predecessor 'Middle' ended Failed; condition 'success' not met", kRunSkipped,
       kSkippedReport, kRunFailed, "failed: 'Middle'; skipped: 'Downstream', 'Report'"},
      {C::kSuccessOrPartial, kRunFailed, kRunSkipped,
       "predecessor 'Middle' ended Failed; condition 'success-or-partial' not met", kRunSkipped,
       kSkippedReport, kRunFailed, "failed: 'Middle'; skipped: 'Downstream', 'Report'"},
      {C::kAlways, kRunFailed, kRunSuccess, "", kRunSuccess, "", kRunFailed, "failed: 'Middle'"},
      {C::kSuccess, kRunPartial, kRunSkipped,
       "predecessor 'Middle' ended Partial Success; condition 'success' not met", kRunSkipped,
       kSkippedReport, kRunPartial, "partial: 'Middle'; skipped: 'Downstream', 'Report'"},
      {C::kSuccessOrPartial, kRunPartial, kRunSuccess, "", kRunSuccess, "", kRunPartial,
       "partial: 'Middle'"},
      {C::kAlways, kRunPartial, kRunSuccess, "", kRunSuccess, "", kRunPartial, "partial: 'Middle'"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(std::string(runConditionName(row.condition)) + " after " + row.middle);
    const ChainPlan plan = mustBuild({"Extract", "Middle", "Downstream", "Report", "Audit", "Side"},
                                     {{"Middle", "Extract", C::kSuccessOrPartial},
                                      {"Downstream", "Middle", row.condition},
                                      {"Report", "Downstream", C::kSuccessOrPartial},
                                      {"Audit", "Middle", C::kAlways},
                                      {"Side", "Extract", C::kSuccess}});
    sfsync::testing::FakeClock clock;
    ScriptedChainRunner runner;
    runner.script("Middle", {row.middle});
    const ChainResult result = executor(clock, 3).run(plan, runner);

    EXPECT_EQ(result.status, row.chain);
    EXPECT_EQ(result.message, row.message);
    ASSERT_EQ(result.jobs.size(), 6u);
    EXPECT_EQ(result.find("Extract")->status, kRunSuccess);
    EXPECT_EQ(result.find("Middle")->status, row.middle);
    EXPECT_EQ(result.find("Downstream")->status, row.downstream);
    EXPECT_EQ(result.find("Report")->status, row.report);
    EXPECT_EQ(result.find("Audit")->status, kRunSuccess);  // "always" runs after anything
    EXPECT_EQ(result.find("Side")->status, kRunSuccess);

    std::map<std::string, std::string> expectedSkips;
    if (row.downstream == std::string(kRunSkipped)) {
      expectedSkips["Downstream"] = row.downstreamReason;
      expectedSkips["Report"] = row.reportReason;
      EXPECT_EQ(result.find("Downstream")->message, row.downstreamReason);
      EXPECT_EQ(result.find("Downstream")->attempts, 0);
    }
    EXPECT_EQ(runner.skips(), expectedSkips);
    // Skipped jobs never reached runJob().
    for (const std::string& call : runner.calls()) {
      EXPECT_EQ(expectedSkips.count(call.substr(0, call.find('#'))), 0u) << call;
    }
  }
}

TEST(ChainExecutorTest, AlwaysEdgeRunsAfterASkippedJob) {
  // A fails; B (success) is skipped; C runs "always" after B; D after C runs too.
  const ChainPlan plan = mustBuild(
      {"A", "B", "C", "D"},
      {{"B", "A", C::kSuccess}, {"C", "B", C::kAlways}, {"D", "C", C::kSuccessOrPartial}});
  sfsync::testing::FakeClock clock;
  ScriptedChainRunner runner;
  runner.script("A", {kRunFailed});
  const ChainResult result = executor(clock, 1).run(plan, runner);
  EXPECT_EQ(runner.calls(), std::vector<std::string>({"A#1", "C#1", "D#1"}));
  EXPECT_EQ(result.find("B")->status, kRunSkipped);
  EXPECT_EQ(result.find("C")->status, kRunSuccess);
  EXPECT_EQ(result.find("D")->status, kRunSuccess);
  EXPECT_EQ(result.status, kRunFailed);
}

TEST(ChainExecutorTest, SkipReasonNamesTheFirstBlockingPredecessorInPlanOrder) {
  const ChainPlan plan = mustBuild(
      {"A", "B", "C", "Join"},
      {{"Join", "A", C::kAlways}, {"Join", "B", C::kSuccess}, {"Join", "C", C::kSuccess}});
  sfsync::testing::FakeClock clock;
  ScriptedChainRunner runner;
  runner.script("B", {kRunPartial});
  runner.script("C", {kRunFailed});
  const ChainResult result = executor(clock, 3).run(plan, runner);
  EXPECT_EQ(result.find("Join")->message,
            "predecessor 'B' ended Partial Success; condition 'success' not met");
}

TEST(ChainExecutorTest, IndependentJobsNeverExceedMaxParallel) {
  const std::vector<std::string> jobs = {"J1", "J2", "J3", "J4", "J5", "J6"};
  const ChainPlan plan = mustBuild(jobs, {});
  sfsync::testing::FakeClock clock;
  ScriptedChainRunner runner;
  for (const std::string& j : jobs) runner.gate(j);
  ChainResult result;
  std::thread chain([&] { result = executor(clock, 2).run(plan, runner); });

  // Jobs start in plan order, two at a time: J(k+2) starts only after J(k) was released.
  ASSERT_TRUE(runner.waitRunning(2));
  for (std::size_t k = 0; k + 2 < jobs.size(); ++k) {
    EXPECT_LE(runner.calls().size(), k + 2);
    runner.release(jobs[k]);
    ASSERT_TRUE(runner.waitStarted(jobs[k + 2]));
  }
  runner.release("J5");
  runner.release("J6");
  chain.join();
  EXPECT_EQ(runner.maxRunning(), 2);
  EXPECT_EQ(runner.calls(),
            std::vector<std::string>({"J1#1", "J2#1", "J3#1", "J4#1", "J5#1", "J6#1"}));
  EXPECT_EQ(result.status, kRunSuccess);
}

TEST(ChainExecutorTest, DiamondBranchesRunInParallel) {
  const ChainPlan plan = mustBuild({"A", "B", "C", "D"}, {{"B", "A", C::kSuccessOrPartial},
                                                          {"C", "A", C::kSuccessOrPartial},
                                                          {"D", "B", C::kSuccessOrPartial},
                                                          {"D", "C", C::kSuccessOrPartial}});
  sfsync::testing::FakeClock clock;
  ScriptedChainRunner runner;
  runner.gate("B");
  runner.gate("C");
  ChainResult result;
  std::thread chain([&] { result = executor(clock, 4).run(plan, runner); });
  // Both branches are inside runJob() at the same time (neither is released yet).
  ASSERT_TRUE(runner.waitRunning(2));
  EXPECT_EQ(runner.calls().size(), 3u);  // A, B, C - D waits for both
  runner.release("B");
  runner.release("C");
  chain.join();
  const std::vector<std::string> calls = runner.calls();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls.front(), "A#1");
  EXPECT_EQ(calls.back(), "D#1");
  EXPECT_EQ(runner.maxRunning(), 2);
  EXPECT_EQ(result.status, kRunSuccess);
}

TEST(ChainExecutorTest, OneAtATimeFollowsDependenciesThenPlanOrder) {
  const ChainPlan plan = mustBuild({"C", "A", "D", "B"}, {{"D", "B", C::kSuccessOrPartial}});
  sfsync::testing::FakeClock clock;
  ScriptedChainRunner runner;
  executor(clock, 1).run(plan, runner);
  EXPECT_EQ(runner.calls(), std::vector<std::string>({"C#1", "A#1", "B#1", "D#1"}));
  EXPECT_EQ(runner.maxRunning(), 1);
}

TEST(ChainExecutorTest, RetriesWaitOnTheClockAndKeepCounting) {
  const ChainPlan plan =
      mustBuild({"A", "B", "C"}, {{"B", "A", C::kSuccess}, {"C", "B", C::kSuccess}});
  sfsync::testing::FakeClock clock;
  const Clock::TimePoint start = clock.now();
  ScriptedChainRunner runner;
  runner.script("B", {kRunFailed, kRunFailed, kRunSuccess});
  RetryPolicy policy;
  policy.maxRetries = 2;
  policy.initialBackoff = std::chrono::seconds(10);
  policy.multiplier = 3;
  const ChainResult result = executor(clock, 2, [&](const std::string& job) {
                               return job == "B" ? policy : RetryPolicy();
                             }).run(plan, runner);

  EXPECT_EQ(runner.calls(), std::vector<std::string>({"A#1", "B#1", "B#2", "B#3", "C#1"}));
  EXPECT_EQ(result.find("B")->status, kRunSuccess);
  EXPECT_EQ(result.find("B")->attempts, 3);
  EXPECT_EQ(result.status, kRunSuccess);
  // Backoff 10 s, then 30 s, waited on the fake clock only.
  EXPECT_EQ(clock.now() - start, std::chrono::seconds(40));
}

TEST(ChainExecutorTest, ExhaustedRetriesFailTheJobAndSkipItsSuccessors) {
  const ChainPlan plan = mustBuild({"A", "B"}, {{"B", "A", C::kSuccessOrPartial}});
  sfsync::testing::FakeClock clock;
  ScriptedChainRunner runner;
  runner.script("A", {kRunFailed});
  RetryPolicy policy;
  policy.maxRetries = 1;
  const ChainResult result =
      executor(clock, 1, [&](const std::string&) { return policy; }).run(plan, runner);
  EXPECT_EQ(runner.calls(), std::vector<std::string>({"A#1", "A#2"}));
  EXPECT_EQ(result.find("A")->status, kRunFailed);
  EXPECT_EQ(result.find("A")->message, "A attempt 2 Failed");
  EXPECT_EQ(result.find("A")->attempts, 2);
  EXPECT_EQ(result.find("B")->status, kRunSkipped);
  EXPECT_EQ(result.status, kRunFailed);
}

class ThrowingRunner : public ScriptedChainRunner {
 public:
  JobOutcome runJob(const std::string& job, int attempt) override {
    if (job == "Boom") throw std::runtime_error("kaboom");
    if (job == "Odd") return {"Running", "still going"};
    return ScriptedChainRunner::runJob(job, attempt);
  }
};

TEST(ChainExecutorTest, ThrowingOrOddCallbacksEndAsFailed) {
  const ChainPlan plan = mustBuild({"Boom", "After", "Odd"}, {{"After", "Boom", C::kSuccess}});
  sfsync::testing::FakeClock clock;
  ThrowingRunner runner;
  const ChainResult result = executor(clock, 2).run(plan, runner);
  EXPECT_EQ(result.find("Boom")->status, kRunFailed);
  EXPECT_EQ(result.find("Boom")->message, "exception: kaboom");
  EXPECT_EQ(result.find("After")->status, kRunSkipped);
  EXPECT_EQ(result.find("Odd")->status, kRunFailed);
  EXPECT_EQ(result.find("Odd")->message, "unexpected status 'Running': still going");
  EXPECT_EQ(result.status, kRunFailed);
}

}  // namespace
}  // namespace sfsync::scheduling
