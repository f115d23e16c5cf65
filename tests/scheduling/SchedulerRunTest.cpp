// Scheduler runs: the overlap lock (refuse / queue, concurrent run-now, chains locking their jobs),
// retries with backoff on the FakeClock (one execution id, one finished notification) and failing
// executors.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "scheduling/SchedulerTestSupport.h"
#include "sfsync/scheduling/Scheduler.h"

namespace sfsync::scheduling {
namespace {

using testing::iso;
using RunNow = Scheduler::RunNowResult;

class SchedulerRunTest : public testing::SchedulerTestBase {
 protected:
  std::string refusal(const std::string& name) {
    const Result<RunNow> r = scheduler->runNow(name);
    if (r.ok()) return "(accepted)";
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    return r.status().message();
  }
};

TEST_F(SchedulerRunTest, RunNowIsRefusedWhileTheSameEntryRuns) {
  add(entry("Company Sync"));
  executor.gate("Company Sync");
  ASSERT_EQ(*scheduler->runNow("Company Sync"), RunNow::kStarted);
  ASSERT_TRUE(executor.waitStarted("Company Sync"));
  EXPECT_TRUE(scheduler->status("Company Sync")->running);
  EXPECT_EQ(refusal("Company Sync"), "'Company Sync' is already running");

  executor.release("Company Sync");
  ASSERT_TRUE(scheduler->waitIdle());
  EXPECT_FALSE(scheduler->status("Company Sync")->running);
  ASSERT_EQ(*scheduler->runNow("Company Sync"), RunNow::kStarted);  // free again
  executor.release("Company Sync");
  ASSERT_TRUE(scheduler->waitIdle());
  EXPECT_EQ(executor.requests().size(), 2u);
  EXPECT_EQ(executor.maxRunning("Company Sync"), 1);
  EXPECT_EQ(recorder.finished().size(), 2u);
}

TEST_F(SchedulerRunTest, RunNowIsQueuedWhenThePolicySaysSo) {
  SchedulerEntry e = entry("Company Sync");
  e.overlap = OverlapPolicy::kQueue;
  add(e);
  executor.gate("Company Sync");
  ASSERT_EQ(*scheduler->runNow("Company Sync"), RunNow::kStarted);
  ASSERT_TRUE(executor.waitStarted("Company Sync"));
  EXPECT_EQ(*scheduler->runNow("Company Sync"), RunNow::kQueued);
  EXPECT_EQ(*scheduler->runNow("Company Sync"), RunNow::kAlreadyQueued);
  EXPECT_TRUE(scheduler->status("Company Sync")->queued);

  executor.release("Company Sync", 2);
  ASSERT_TRUE(scheduler->waitIdle());  // covers the queued run it started
  const std::vector<RunRequest> runs = executor.requests();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1].trigger, "run-now");
  EXPECT_EQ(executor.maxRunning("Company Sync"), 1);
  EXPECT_EQ(recorder.finished().size(), 2u);
  EXPECT_FALSE(scheduler->status("Company Sync")->queued);
}

// runNow's mark (DaemonRuntime's real-time catch-ups tell the run they asked for by it) reaches
// the run it started, a run it queued (a newer mark merged into a queued run replaces the older
// one: the newer asker is the one still waiting) and the run's retries; other runs carry none.
TEST_F(SchedulerRunTest, ARunNowMarkReachesItsRunAQueuedRunAndRetries) {
  SchedulerEntry e = entry("Company Sync");
  e.overlap = OverlapPolicy::kQueue;
  e.retry.maxRetries = 1;
  e.retry.initialBackoff = std::chrono::seconds(30);
  add(e);
  executor.gate("Company Sync");
  executor.script("Company Sync", {"Success", "Failed", "Success"});
  ASSERT_EQ(*scheduler->runNow("Company Sync", "", 7), RunNow::kStarted);
  ASSERT_TRUE(executor.waitStarted("Company Sync"));
  EXPECT_EQ(*scheduler->runNow("Company Sync", "", 8), RunNow::kQueued);
  EXPECT_EQ(*scheduler->runNow("Company Sync", "", 9), RunNow::kAlreadyQueued);
  executor.release("Company Sync", 2);
  ASSERT_TRUE(scheduler->waitIdle());  // the queued run failed and waits for its retry
  ASSERT_TRUE(scheduler->status("Company Sync")->retrying);
  advanceTo("2026-01-05T09:30:30Z");  // the retry's backoff is over
  executor.release("Company Sync");
  EXPECT_EQ(tickAndWait(), 1);
  ASSERT_EQ(*scheduler->runNow("Company Sync"), RunNow::kStarted);
  executor.release("Company Sync");
  ASSERT_TRUE(scheduler->waitIdle());

  const std::vector<RunRequest> runs = executor.requests();
  ASSERT_EQ(runs.size(), 4u);
  std::vector<std::uint64_t> marks;
  std::vector<int> attempts;
  for (const RunRequest& r : runs) {
    marks.push_back(r.mark);
    attempts.push_back(r.attempt);
  }
  EXPECT_EQ(marks, std::vector<std::uint64_t>({7, 9, 9, 0}));
  EXPECT_EQ(attempts, std::vector<int>({1, 1, 2, 1}));
}

TEST_F(SchedulerRunTest, SlotWhileRunningIsSkippedUnderRefuse) {
  add(entry("Company Sync", R"({"every":"1h"})"));
  executor.gate("Company Sync");
  ASSERT_EQ(*scheduler->runNow("Company Sync"), RunNow::kStarted);
  ASSERT_TRUE(executor.waitStarted("Company Sync"));
  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(scheduler->tick(), 0);
  EXPECT_TRUE(recorder.noticed(
      "Company Sync: slot 2026-01-05T10:00:00.000Z skipped: 'Company Sync' is already running"));
  executor.release("Company Sync");
  ASSERT_TRUE(scheduler->waitIdle());
  EXPECT_EQ(tickAndWait(), 0);  // the slot counts as handled
  EXPECT_EQ(executor.requests().size(), 1u);
}

TEST_F(SchedulerRunTest, SlotWhileRunningIsQueuedUnderQueue) {
  SchedulerEntry e = entry("Company Sync", R"({"every":"1h"})");
  e.overlap = OverlapPolicy::kQueue;
  add(e);
  executor.gate("Company Sync");
  ASSERT_EQ(*scheduler->runNow("Company Sync"), RunNow::kStarted);
  ASSERT_TRUE(executor.waitStarted("Company Sync"));
  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(scheduler->tick(), 0);
  executor.release("Company Sync", 2);
  ASSERT_TRUE(scheduler->waitIdle());
  const std::vector<RunRequest> runs = executor.requests();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1].trigger, "schedule");
  EXPECT_EQ(testing::isoText(*runs[1].slot), "2026-01-05T10:00:00Z");
}

TEST_F(SchedulerRunTest, ConcurrentRunNowStartsExactlyOne) {
  add(entry("Company Sync"));
  executor.gate("Company Sync");
  constexpr int kCallers = 8;
  std::mutex mu;
  std::condition_variable cv;
  bool go = false;
  std::vector<Result<RunNow>> results(kCallers, Status::Internal("not called"));
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return go; });
      }
      results[i] = scheduler->runNow("Company Sync");
    });
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    go = true;
  }
  cv.notify_all();
  for (std::thread& t : callers) t.join();

  int started = 0;
  for (const Result<RunNow>& r : results) {
    if (r.ok()) {
      EXPECT_EQ(*r, RunNow::kStarted);
      ++started;
    } else {
      EXPECT_EQ(r.status().message(), "'Company Sync' is already running");
    }
  }
  EXPECT_EQ(started, 1);
  executor.release("Company Sync");
  ASSERT_TRUE(scheduler->waitIdle());
  EXPECT_EQ(executor.requests().size(), 1u);
}

TEST_F(SchedulerRunTest, ChainsLockTheirJobs) {
  add(entry("Accounts"));
  SchedulerEntry nightly = entry("Nightly");
  nightly.kind = RunKind::kChain;
  nightly.members = {"Accounts", "Contacts"};
  add(nightly);
  SchedulerEntry weekly = entry("Weekly");
  weekly.kind = RunKind::kChain;
  weekly.members = {"Contacts", "Cases"};
  add(weekly);

  executor.gate("Nightly");
  ASSERT_EQ(*scheduler->runNow("Nightly"), RunNow::kStarted);
  ASSERT_TRUE(executor.waitStarted("Nightly"));
  EXPECT_EQ(refusal("Accounts"), "'Accounts' is already running as part of 'Nightly'");
  EXPECT_EQ(refusal("Weekly"),
            "'Weekly' cannot start while 'Nightly' is running (both run job 'Contacts')");
  executor.release("Nightly");
  ASSERT_TRUE(scheduler->waitIdle());

  executor.gate("Accounts");
  ASSERT_EQ(*scheduler->runNow("Accounts"), RunNow::kStarted);
  ASSERT_TRUE(executor.waitStarted("Accounts"));
  EXPECT_EQ(refusal("Nightly"), "'Nightly' cannot start while 'Accounts' is running");
  ASSERT_EQ(*scheduler->runNow("Weekly"), RunNow::kStarted);  // shares nothing with Accounts
  executor.release("Accounts");
  ASSERT_TRUE(scheduler->waitIdle());
  EXPECT_EQ(executor.requestsFor("Weekly")[0].kind, RunKind::kChain);
}

TEST_F(SchedulerRunTest, QueuedChainStartsWhenTheJobItWaitsForFinishes) {
  add(entry("Accounts"));
  SchedulerEntry nightly = entry("Nightly");
  nightly.kind = RunKind::kChain;
  nightly.members = {"Accounts"};
  nightly.overlap = OverlapPolicy::kQueue;
  add(nightly);
  executor.gate("Accounts");
  ASSERT_EQ(*scheduler->runNow("Accounts"), RunNow::kStarted);
  ASSERT_TRUE(executor.waitStarted("Accounts"));
  EXPECT_EQ(*scheduler->runNow("Nightly"), RunNow::kQueued);
  executor.release("Accounts");
  ASSERT_TRUE(scheduler->waitIdle());
  EXPECT_EQ(executor.requestsFor("Nightly").size(), 1u);
}

TEST_F(SchedulerRunTest, RetriesKeepOneExecutionAndNotifyOnceWithTheFinalOutcome) {
  SchedulerEntry e = entry("Company Sync", R"({"every":"1h"})");
  e.retry.maxRetries = 3;
  e.retry.initialBackoff = std::chrono::seconds(30);
  e.retry.multiplier = 2;
  add(e);
  executor.script("Company Sync", {"Failed", "Failed", "Success"});

  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  EXPECT_TRUE(recorder.finished().empty());
  Scheduler::EntryStatus s = *scheduler->status("Company Sync");
  EXPECT_FALSE(s.running);
  EXPECT_TRUE(s.retrying);
  EXPECT_EQ(s.attempt, 2);
  EXPECT_EQ(testing::isoText(s.retryAt), "2026-01-05T10:00:30Z");

  advanceTo("2026-01-05T10:00:29Z");
  EXPECT_EQ(tickAndWait(), 0);  // backoff not over yet
  advanceTo("2026-01-05T10:00:30Z");
  EXPECT_EQ(tickAndWait(), 1);
  EXPECT_TRUE(recorder.finished().empty());
  EXPECT_EQ(testing::isoText(scheduler->status("Company Sync")->retryAt), "2026-01-05T10:01:30Z");
  advanceTo("2026-01-05T10:01:30Z");
  EXPECT_EQ(tickAndWait(), 1);
  EXPECT_EQ(tickAndWait(), 0);

  const std::vector<RunRequest> runs = executor.requests();
  ASSERT_EQ(runs.size(), 3u);
  const std::vector<int> attempts = {runs[0].attempt, runs[1].attempt, runs[2].attempt};
  EXPECT_EQ(attempts, std::vector<int>({1, 2, 3}));
  EXPECT_EQ(runs[0].executionId, "");
  EXPECT_EQ(runs[1].executionId, "exec-1");
  EXPECT_EQ(runs[2].executionId, "exec-1");
  EXPECT_EQ(runs[0].trigger, "schedule");
  EXPECT_EQ(runs[1].trigger, "schedule");  // a retry keeps the run's trigger; attempt says retry
  EXPECT_EQ(runs[2].trigger, "schedule");
  EXPECT_EQ(testing::isoText(runs[2].slot), "2026-01-05T10:00:00Z");

  const std::vector<FinishedRun> finished = recorder.finished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].status, "Success");
  EXPECT_EQ(finished[0].attempts, 3);
  EXPECT_EQ(finished[0].executionId, "exec-1");
  EXPECT_EQ(finished[0].trigger, "schedule");
  EXPECT_EQ(testing::isoText(finished[0].startedAt), "2026-01-05T10:00:00Z");
  EXPECT_EQ(testing::isoText(finished[0].finishedAt), "2026-01-05T10:01:30Z");
}

TEST_F(SchedulerRunTest, AlwaysFailingNotifiesOnceAfterTheLastRetry) {
  SchedulerEntry e = entry("Company Sync");
  e.retry.maxRetries = 2;
  e.retry.initialBackoff = std::chrono::seconds(10);
  e.retry.maxBackoff = std::chrono::seconds(15);
  add(e);
  executor.script("Company Sync", {"Failed"});
  ASSERT_EQ(*scheduler->runNow("Company Sync"), RunNow::kStarted);
  ASSERT_TRUE(scheduler->waitIdle());
  EXPECT_EQ(refusal("Company Sync"),
            "'Company Sync' is already running (waiting to retry, attempt 2)");
  clock.advance(std::chrono::seconds(10));
  EXPECT_EQ(tickAndWait(), 1);
  EXPECT_TRUE(recorder.finished().empty());
  clock.advance(std::chrono::seconds(14));
  EXPECT_EQ(tickAndWait(), 0);  // 20 s capped at 15 s
  clock.advance(std::chrono::seconds(1));
  EXPECT_EQ(tickAndWait(), 1);
  clock.advance(std::chrono::minutes(10));
  EXPECT_EQ(tickAndWait(), 0);

  EXPECT_EQ(executor.requests().size(), 3u);
  const std::vector<FinishedRun> finished = recorder.finished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].status, "Failed");
  EXPECT_EQ(finished[0].attempts, 3);
  EXPECT_EQ(finished[0].message, "Company Sync run 3 Failed");
  EXPECT_EQ(finished[0].trigger, "run-now");
  EXPECT_EQ(*scheduler->runNow("Company Sync"), RunNow::kStarted);  // free again
  ASSERT_TRUE(scheduler->waitIdle());
}

TEST_F(SchedulerRunTest, PartialSuccessIsFinalAndNotRetried) {
  SchedulerEntry e = entry("Company Sync");
  e.retry.maxRetries = 2;
  add(e);
  executor.script("Company Sync", {"Partial Success"});
  ASSERT_TRUE(scheduler->runNow("Company Sync").ok());
  ASSERT_TRUE(scheduler->waitIdle());
  ASSERT_EQ(recorder.finished().size(), 1u);
  EXPECT_EQ(recorder.finished()[0].status, "Partial Success");
  EXPECT_EQ(recorder.finished()[0].attempts, 1);
}

TEST_F(SchedulerRunTest, PauseHoldsAPendingRetryUntilResume) {
  SchedulerEntry e = entry("Company Sync");
  e.retry.maxRetries = 1;
  e.retry.initialBackoff = std::chrono::seconds(30);
  add(e);
  executor.script("Company Sync", {"Failed", "Success"});
  ASSERT_TRUE(scheduler->runNow("Company Sync").ok());
  ASSERT_TRUE(scheduler->waitIdle());
  ASSERT_TRUE(scheduler->pause("Company Sync").ok());
  clock.advance(std::chrono::minutes(5));
  EXPECT_EQ(tickAndWait(), 0);
  ASSERT_TRUE(scheduler->resume("Company Sync").ok());
  EXPECT_EQ(tickAndWait(), 1);
  ASSERT_EQ(recorder.finished().size(), 1u);
  EXPECT_EQ(recorder.finished()[0].status, "Success");
  EXPECT_EQ(recorder.finished()[0].attempts, 2);
}

TEST_F(SchedulerRunTest, StopCancelsAPendingRetryAndNotifiesItsFailure) {
  SchedulerEntry e = entry("Company Sync");
  e.retry.maxRetries = 1;
  add(e);
  executor.script("Company Sync", {"Failed"});
  ASSERT_TRUE(scheduler->runNow("Company Sync").ok());
  ASSERT_TRUE(scheduler->waitIdle());
  scheduler->stop();
  const std::vector<FinishedRun> finished = recorder.finished();
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].status, "Failed");
  EXPECT_EQ(finished[0].attempts, 1);
  EXPECT_EQ(finished[0].message, "Company Sync run 1 Failed (retry cancelled: scheduler stopped)");
}

class ThrowingExecutor : public RunExecutor {
 public:
  ExecutionOutcome execute(const RunRequest& request) override {
    if (request.name == "Boom") throw std::runtime_error("boom");
    return {"Running", "exec-9", "not a final status"};
  }
};

TEST(SchedulerErrorTest, ThrowingOrOddExecutorsEndRunsAsFailed) {
  sfsync::testing::FakeClock clock;
  ThrowingExecutor executor;
  testing::HookRecorder recorder;
  Scheduler scheduler(clock, executor, Scheduler::Options(), recorder.hooks());
  SchedulerEntry boom;
  boom.name = "Boom";
  ASSERT_TRUE(scheduler.addEntry(boom).ok());
  SchedulerEntry odd;
  odd.name = "Odd";
  ASSERT_TRUE(scheduler.addEntry(odd).ok());
  ASSERT_TRUE(scheduler.runNow("Boom").ok());
  ASSERT_TRUE(scheduler.waitIdle());
  ASSERT_TRUE(scheduler.runNow("Odd").ok());
  ASSERT_TRUE(scheduler.waitIdle());
  const std::vector<FinishedRun> finished = recorder.finished();
  ASSERT_EQ(finished.size(), 2u);
  EXPECT_EQ(finished[0].status, "Failed");
  EXPECT_EQ(finished[0].message, "exception: boom");
  EXPECT_EQ(finished[1].status, "Failed");
  EXPECT_EQ(finished[1].message, "unexpected status 'Running': not a final status");
  EXPECT_EQ(finished[1].executionId, "exec-9");
}

TEST_F(SchedulerRunTest, UnknownNamesAndDuplicateEntries) {
  add(entry("Company Sync"));
  EXPECT_EQ(scheduler->addEntry(entry("Company Sync")).message(),
            "'Company Sync' is registered twice");
  EXPECT_EQ(scheduler->addEntry(entry("")).code(), StatusCode::kInvalidArgument);
  const Result<RunNow> r = scheduler->runNow("Nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "no job or chain named 'Nope'");
  EXPECT_EQ(scheduler->pause("Nope").code(), StatusCode::kNotFound);
  EXPECT_EQ(scheduler->resume("Nope").code(), StatusCode::kNotFound);
  EXPECT_EQ(scheduler->disconnect("nowhere").code(), StatusCode::kNotFound);
  EXPECT_FALSE(scheduler->status("Nope").ok());
  EXPECT_EQ(scheduler->lastRun("Company Sync"), std::nullopt);
  EXPECT_EQ(scheduler->nextRun("Company Sync"), std::nullopt);  // unscheduled
  ASSERT_EQ(scheduler->statuses().size(), 1u);
  EXPECT_EQ(scheduler->statuses()[0].schedule, "");
}

}  // namespace
}  // namespace sfsync::scheduling
