// Scheduler with RunClaims (issue 12, several daemons): two Schedulers - two daemons - share one
// in-memory claims table; a slot due on both runs on exactly one, the other records nothing as
// its run (no FinishedRun, no lastRun) and moves on to the next slot; retries keep the claim;
// an adopted claim starts without claiming again; a slot the store cannot decide is claimed again
// later (a run-now that cannot be claimed does not run).
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "scheduling/SchedulerTestSupport.h"
#include "sfsync/scheduling/RunClaims.h"
#include "sfsync/scheduling/Scheduler.h"

namespace sfsync::scheduling {
namespace {

using testing::iso;

// The cluster's claims table in memory: a slot key is granted once; finish() records the outcome.
class SharedClaims {
 public:
  class Daemon final : public RunClaims {
   public:
    Daemon(SharedClaims& shared, std::string id) : shared_(shared), id_(std::move(id)) {}
    bool clustered() const override { return true; }
    std::string daemonId() const override { return id_; }
    Result<ClaimDecision> claim(const ClaimRequest& request) override {
      std::lock_guard<std::mutex> lock(shared_.mu_);
      ++shared_.claims_;
      if (!shared_.error_.ok()) return shared_.error_;
      ClaimDecision d;
      d.key = request.name + "@" + (request.slot ? formatIso8601(*request.slot) : "now");
      auto [it, inserted] = shared_.owners_.emplace(d.key, id_);
      d.granted = inserted;
      if (!inserted) {
        d.holder = it->second;
        d.reason = "slot " + d.key + " claimed by daemon " + d.holder;
      }
      return d;
    }
    Status finish(const std::string& key, const std::string& status, const std::string&) override {
      std::lock_guard<std::mutex> lock(shared_.mu_);
      shared_.finished_[key] = status;
      return Status::OK();
    }
    Status release(const std::string&) override { return Status::OK(); }
    Status heartbeat() override { return Status::OK(); }
    Result<std::vector<AdoptedRun>> adoptExpired(int) override { return std::vector<AdoptedRun>{}; }
    Result<ClusterView> view() override { return ClusterView{}; }
    std::chrono::milliseconds beatInterval() const override { return std::chrono::seconds(1); }

   private:
    SharedClaims& shared_;
    std::string id_;
  };

  void failWith(Status error) {
    std::lock_guard<std::mutex> lock(mu_);
    error_ = std::move(error);
  }
  int claims() const {
    std::lock_guard<std::mutex> lock(mu_);
    return claims_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> owners_;
  std::map<std::string, std::string> finished_;
  int claims_ = 0;
  Status error_;
};

class SchedulerClaimsTest : public testing::SchedulerTestBase {
 protected:
  void SetUp() override {
    Scheduler::Options options;
    options.claims = &claimsA_;
    make(options);
    Scheduler::Options optionsB;
    optionsB.claims = &claimsB_;
    other_ = std::make_unique<Scheduler>(clock, executorB_, optionsB, recorderB_.hooks());
  }
  void TearDown() override { other_.reset(); }

  SharedClaims shared_;
  SharedClaims::Daemon claimsA_{shared_, "A"};
  SharedClaims::Daemon claimsB_{shared_, "B"};
  testing::FakeRunExecutor executorB_;
  testing::HookRecorder recorderB_;
  std::unique_ptr<Scheduler> other_;
};

TEST_F(SchedulerClaimsTest, ASlotDueOnTwoDaemonsRunsOnOne) {
  add(entry("Company Sync", R"({"every":"1h"})"));
  ASSERT_TRUE(other_->addEntry(entry("Company Sync", R"({"every":"1h"})")).ok());
  advanceTo("2026-01-05T10:00:00Z");

  EXPECT_EQ(tickAndWait(), 1);  // dispatched on both; granted here (first)
  EXPECT_EQ(other_->tick(), 1);
  ASSERT_TRUE(other_->waitIdle(testing::kGenerousTimeout));

  ASSERT_EQ(executor.requests().size(), 1u);
  EXPECT_EQ(executor.requests()[0].claimKey, "Company Sync@2026-01-05T10:00:00.000Z");
  EXPECT_TRUE(executorB_.requests().empty());
  ASSERT_EQ(recorder.finished().size(), 1u);
  EXPECT_EQ(recorder.finished()[0].claimKey, "Company Sync@2026-01-05T10:00:00.000Z");
  EXPECT_TRUE(recorderB_.finished().empty());  // not B's run: no notification, no lastRun
  EXPECT_FALSE(other_->lastRun("Company Sync").has_value());
  EXPECT_TRUE(
      recorderB_.noticed("not run here: slot Company Sync@2026-01-05T10:00:00.000Z "
                         "claimed by daemon A"));
  // B is free and moves on: the next slot is claimed again (and this time B asks first).
  Result<Scheduler::EntryStatus> status = other_->status("Company Sync");
  ASSERT_TRUE(status.ok());
  EXPECT_FALSE(status->running);
  EXPECT_EQ(text(other_->nextRun("Company Sync")), "2026-01-05T11:00:00Z");
  advanceTo("2026-01-05T11:00:00Z");
  EXPECT_EQ(other_->tick(), 1);
  ASSERT_TRUE(other_->waitIdle(testing::kGenerousTimeout));
  EXPECT_EQ(tickAndWait(), 1);
  EXPECT_EQ(executorB_.requests().size(), 1u);
  EXPECT_EQ(executor.requests().size(), 1u);
}

TEST_F(SchedulerClaimsTest, RetriesKeepTheClaimAndClaimOnlyOnce) {
  SchedulerEntry e = entry("Company Sync", R"({"every":"1h"})");
  e.retry.maxRetries = 1;
  e.retry.initialBackoff = std::chrono::seconds(10);
  add(e);
  executor.script("Company Sync", {"Failed", "Success"});
  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  advanceTo("2026-01-05T10:00:10Z");
  EXPECT_EQ(tickAndWait(), 1);
  const std::vector<RunRequest> runs = executor.requests();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1].attempt, 2);
  EXPECT_EQ(runs[1].claimKey, runs[0].claimKey);
  EXPECT_EQ(shared_.claims(), 1);
  ASSERT_EQ(recorder.finished().size(), 1u);
  EXPECT_EQ(recorder.finished()[0].claimKey, runs[0].claimKey);
}

TEST_F(SchedulerClaimsTest, AnAdoptedRunStartsWithItsClaimAndSlot) {
  add(entry("Company Sync", R"({"every":"1h"})"));
  AdoptedRun adopted;
  adopted.key = "Company Sync@2026-01-05T09:00:00.000Z";
  adopted.name = "Company Sync";
  adopted.trigger = "schedule";
  adopted.slot = iso("2026-01-05T09:00:00Z");
  adopted.previousDaemon = "B";
  ASSERT_TRUE(scheduler->runAdopted(adopted).ok());
  ASSERT_TRUE(scheduler->waitIdle(testing::kGenerousTimeout));
  ASSERT_EQ(executor.requests().size(), 1u);
  EXPECT_EQ(executor.requests()[0].claimKey, adopted.key);
  EXPECT_EQ(executor.requests()[0].trigger, "schedule");
  EXPECT_EQ(text(executor.requests()[0].slot), "2026-01-05T09:00:00Z");
  EXPECT_EQ(shared_.claims(), 0);  // no second claim
  EXPECT_TRUE(recorder.noticed("adopted Company Sync@2026-01-05T09:00:00.000Z from daemon B"));
  ASSERT_EQ(recorder.finished().size(), 1u);
  EXPECT_EQ(recorder.finished()[0].claimKey, adopted.key);

  EXPECT_EQ(
      scheduler->runAdopted(AdoptedRun{"k", "Nobody", RunKind::kJob, "schedule", {}, "B"}).code(),
      StatusCode::kNotFound);
  executor.gate("Company Sync");
  ASSERT_TRUE(scheduler->runNow("Company Sync").ok());
  ASSERT_TRUE(executor.waitStarted("Company Sync", 2));
  EXPECT_EQ(scheduler->runAdopted(adopted).code(), StatusCode::kInvalidArgument);  // busy here
  executor.release("Company Sync");
}

TEST_F(SchedulerClaimsTest, RunNowWithAHeldClaimStartsWithItAndAQueuedOneClaimsLater) {
  SchedulerEntry e = entry("Company Sync");
  e.overlap = OverlapPolicy::kQueue;
  add(e);
  executor.gate("Company Sync");
  Result<Scheduler::RunNowResult> started = scheduler->runNow("Company Sync", "held-key");
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(*started, Scheduler::RunNowResult::kStarted);
  ASSERT_TRUE(executor.waitStarted("Company Sync"));
  Result<Scheduler::RunNowResult> queued = scheduler->runNow("Company Sync", "second-key");
  ASSERT_TRUE(queued.ok());
  EXPECT_EQ(*queued, Scheduler::RunNowResult::kQueued);  // the caller ends "second-key"
  executor.release("Company Sync", 2);
  ASSERT_TRUE(scheduler->waitIdle(testing::kGenerousTimeout));
  const std::vector<RunRequest> runs = executor.requests();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].claimKey, "held-key");
  EXPECT_EQ(runs[1].claimKey, "Company Sync@now");  // claimed on its worker when it started
  EXPECT_EQ(shared_.claims(), 1);
}

TEST_F(SchedulerClaimsTest, AClaimTheStoreCannotDecideIsAskedAgainWhileTheSlotIsCurrent) {
  add(entry("Company Sync", R"({"every":"1h"})"));
  shared_.failWith(Status::IoError("server closed the connection"));
  advanceTo("2026-01-05T10:00:00Z");
  EXPECT_EQ(tickAndWait(), 1);
  EXPECT_TRUE(executor.requests().empty());
  EXPECT_TRUE(recorder.finished().empty());
  EXPECT_TRUE(recorder.noticed("cannot claim it in the store"));
  // The slot is not lost: once the store answers again, the claim is asked again and the run
  // starts.
  shared_.failWith(Status::OK());
  advanceTo("2026-01-05T10:00:05Z");
  EXPECT_EQ(tickAndWait(), 1);
  ASSERT_EQ(executor.requests().size(), 1u);
  EXPECT_EQ(executor.requests()[0].claimKey, "Company Sync@2026-01-05T10:00:00.000Z");
  EXPECT_EQ(executor.requests()[0].attempt, 1);
  EXPECT_EQ(shared_.claims(), 2);
  ASSERT_EQ(recorder.finished().size(), 1u);
}

TEST_F(SchedulerClaimsTest, ARunNowClaimTheStoreCannotDecideDoesNotRun) {
  add(entry("Company Sync", R"({"every":"1h"})"));
  shared_.failWith(Status::IoError("server closed the connection"));
  ASSERT_TRUE(scheduler->runNow("Company Sync").ok());
  ASSERT_TRUE(scheduler->waitIdle(testing::kGenerousTimeout));
  EXPECT_TRUE(executor.requests().empty());
  EXPECT_TRUE(recorder.noticed("not run: cannot claim it in the store"));
  shared_.failWith(Status::OK());
  EXPECT_TRUE(scheduler->runNow("Company Sync").ok());  // the entry is free again
  ASSERT_TRUE(scheduler->waitIdle(testing::kGenerousTimeout));
  EXPECT_EQ(executor.requests().size(), 1u);
}

}  // namespace
}  // namespace sfsync::scheduling
