// The Deferred status (issue 10: the API budget ran out; the run stopped at its checkpoint): an
// outcome the Scheduler accepts and never retries, that blocks "success" / "success-or-partial"
// chain edges with a reason saying the job was deferred, and that makes a chain Deferred unless a
// job Failed.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "fakes/FakeClock.h"
#include "scheduling/ChainTestSupport.h"
#include "scheduling/SchedulerTestSupport.h"
#include "sfsync/scheduling/ChainExecutor.h"
#include "sfsync/scheduling/ChainPlan.h"
#include "sfsync/scheduling/RunStatus.h"
#include "sfsync/scheduling/Scheduler.h"

namespace sfsync::scheduling {
namespace {

using C = RunCondition;
using testing::ScriptedChainRunner;

TEST(DeferredStatusTest, IsAnOutcomeThatOnlyAlwaysEdgesAccept) {
  EXPECT_TRUE(isRunOutcome(kRunDeferred));
  EXPECT_EQ(std::string(kRunDeferred), "Deferred");
  EXPECT_FALSE(conditionAllows(C::kSuccess, kRunDeferred));
  EXPECT_FALSE(conditionAllows(C::kSuccessOrPartial, kRunDeferred));
  EXPECT_TRUE(conditionAllows(C::kAlways, kRunDeferred));
}

class DeferredSchedulerTest : public testing::SchedulerTestBase {};

TEST_F(DeferredSchedulerTest, DeferredIsFinalAndNeverRetried) {
  SchedulerEntry e = entry("Company Sync", R"({"every":"1h"})");
  e.retry.maxRetries = 3;
  e.retry.initialBackoff = std::chrono::seconds(30);
  add(e);
  executor.script("Company Sync", {kRunDeferred, kRunSuccess});

  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  Scheduler::EntryStatus s = *scheduler->status("Company Sync");
  EXPECT_FALSE(s.retrying);
  EXPECT_FALSE(s.running);
  ASSERT_EQ(recorder.finished().size(), 1u);
  EXPECT_EQ(recorder.finished()[0].status, "Deferred");  // not turned into Failed
  EXPECT_EQ(recorder.finished()[0].attempts, 1);
  EXPECT_TRUE(recorder.retries().empty());

  // No retry within the backoff window; the next scheduled slot runs it again (it resumes from
  // its checkpoint in the jobs module).
  advanceTo("2026-01-05T10:30:00Z");
  EXPECT_EQ(tickAndWait(), 0);
  advanceTo("2026-01-05T11:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  const std::vector<RunRequest> runs = executor.requests();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1].attempt, 1);  // a new run, not attempt 2
  EXPECT_EQ(runs[1].executionId, "");
  ASSERT_EQ(recorder.finished().size(), 2u);
  EXPECT_EQ(recorder.finished()[1].status, "Success");
}

ChainPlan mustBuild(const std::vector<std::string>& jobs, const std::vector<ChainEdge>& edges) {
  Result<ChainPlan> plan = ChainPlan::build("Nightly", jobs, edges);
  if (!plan.ok()) throw std::invalid_argument(plan.status().message());
  return std::move(plan).value();
}

ChainResult runChain(const ChainPlan& plan, ScriptedChainRunner& runner, int maxRetries = 0) {
  sfsync::testing::FakeClock clock;
  ChainExecutor::Options options;
  options.maxParallel = 2;
  RetryPolicy policy;
  policy.maxRetries = maxRetries;
  options.retryPolicy = [policy](const std::string&) { return policy; };
  return ChainExecutor(clock, options).run(plan, runner);
}

TEST(DeferredChainTest, DependentsAreSkippedWithAReasonSayingTheJobWasDeferred) {
  // Accounts (deferred) -> Contacts (success-or-partial) -> Opportunities (success)
  //                     -> Audit (always)
  // Users (independent)
  const ChainPlan plan = mustBuild({"Users", "Accounts", "Contacts", "Opportunities", "Audit"},
                                   {{"Contacts", "Accounts", C::kSuccessOrPartial},
                                    {"Opportunities", "Contacts", C::kSuccess},
                                    {"Audit", "Accounts", C::kAlways}});
  ScriptedChainRunner runner;
  runner.script("Accounts", {kRunDeferred});
  const ChainResult result = runChain(plan, runner, /*maxRetries=*/2);

  EXPECT_EQ(result.find("Accounts")->status, kRunDeferred);
  EXPECT_EQ(result.find("Accounts")->attempts, 1);  // a deferred run is not retried
  EXPECT_EQ(result.find("Contacts")->status, kRunSkipped);
  EXPECT_EQ(result.find("Contacts")->message,
            "predecessor 'Accounts' was deferred (the API budget ran out or the daemon shut "
            "down; it resumes from its checkpoint at its next run); condition "
            "'success-or-partial' not met");
  EXPECT_EQ(runner.skips().at("Contacts"), result.find("Contacts")->message);
  EXPECT_EQ(result.find("Opportunities")->status, kRunSkipped);
  EXPECT_EQ(result.find("Audit")->status, kRunSuccess);
  EXPECT_EQ(result.find("Users")->status, kRunSuccess);
  EXPECT_EQ(result.status, kRunDeferred);
  EXPECT_EQ(result.message, "deferred: 'Accounts'; skipped: 'Contacts', 'Opportunities'");
  for (const std::string& call : runner.calls()) EXPECT_NE(call, "Accounts#2");
}

TEST(DeferredChainTest, SuccessConditionIsNotMetEither) {
  const ChainPlan plan = mustBuild({"A", "B"}, {{"B", "A", C::kSuccess}});
  ScriptedChainRunner runner;
  runner.script("A", {kRunDeferred});
  const ChainResult result = runChain(plan, runner);
  EXPECT_EQ(result.find("B")->status, kRunSkipped);
  EXPECT_NE(result.find("B")->message.find("'A' was deferred"), std::string::npos);
  EXPECT_NE(result.find("B")->message.find("condition 'success' not met"), std::string::npos);
  EXPECT_EQ(result.status, kRunDeferred);
}

TEST(DeferredChainTest, AFailedJobMakesTheChainFailed) {
  const ChainPlan plan = mustBuild({"A", "B", "C"}, {});
  ScriptedChainRunner runner;
  runner.script("A", {kRunDeferred});
  runner.script("B", {kRunFailed});
  runner.script("C", {kRunPartial});
  const ChainResult result = runChain(plan, runner);
  EXPECT_EQ(result.status, kRunFailed);
  EXPECT_EQ(result.message, "failed: 'B'; deferred: 'A'; partial: 'C'");
}

TEST(DeferredChainTest, DeferredOutranksPartial) {
  const ChainPlan plan = mustBuild({"A", "B"}, {});
  ScriptedChainRunner runner;
  runner.script("A", {kRunPartial});
  runner.script("B", {kRunDeferred});
  const ChainResult result = runChain(plan, runner);
  EXPECT_EQ(result.status, kRunDeferred);
  EXPECT_EQ(result.message, "deferred: 'B'; partial: 'A'");
}

// A two-phase job whose extract (prepare) ran out of API budget: what it extracted is still loaded,
// the job ends Deferred (worse than its Success load), is not retried, and blocks its dependent.
class DeferredExtractRunner : public ScriptedChainRunner {
 public:
  bool supportsPhases(const std::string& job) override { return job == "A"; }
  JobOutcome prepare(const std::string&) override { return {kRunDeferred, "budget out"}; }
  JobOutcome load(const std::string&) override {
    ++loads;
    return {kRunSuccess, ""};
  }
  std::atomic<int> loads{0};
};

TEST(DeferredChainTest, ADeferredExtractIsLoadedAndTheJobEndsDeferred) {
  const ChainPlan plan = mustBuild({"A", "B"}, {{"B", "A", C::kSuccessOrPartial}});
  DeferredExtractRunner runner;
  const ChainResult result = runChain(plan, runner, /*maxRetries=*/2);
  EXPECT_EQ(runner.loads.load(), 1);
  EXPECT_EQ(result.find("A")->status, kRunDeferred);
  EXPECT_EQ(result.find("A")->message, "budget out");
  EXPECT_EQ(result.find("A")->attempts, 1);
  EXPECT_EQ(result.find("B")->status, kRunSkipped);
  EXPECT_EQ(result.status, kRunDeferred);
  EXPECT_TRUE(runner.calls().empty());  // no whole-job retry
}

}  // namespace
}  // namespace sfsync::scheduling
