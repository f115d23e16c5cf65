// The execution row of a job run, as an operator reads it: per-target counts and a success file
// with every target's gsid for multi-target jobs, records read when the extract fails midway,
// Salesforce retries, and a run that cannot record its start does not run.
#include <gtest/gtest.h>

#include <algorithm>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/activity/ActivityReport.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/ChainRunner.h"
#include "sfsync/jobs/JobRunner.h"

namespace sfsync {
namespace {

using testing::FakeClock;
using testing::TempDir;

class RunBookkeepingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    config_ = config::loadConfig(std::string(SFSYNC_SOURCE_DIR) + "/conf/sfsync.properties",
                                 SFSYNC_SOURCE_DIR,
                                 {{"connection.sample.customDomainUrl", sim_.baseUrl()},
                                  {"store.path", dir_.file("sfsync.db")},
                                  {"paths.errors", dir_.file("errors")},
                                  {"log.file", ""}});
    ASSERT_TRUE(config_.problems.empty()) << config_.problems.front().toString();
    auto store = store::openSqliteStore(config_.app.storePath);
    ASSERT_TRUE(store.ok()) << store.status().toString();
    store_ = std::move(store).value();
  }

  store::ExecutionRecord run(const config::JobConfig& job, const std::string& executionId = "") {
    auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    jobs::RunContext context{*client, *store_, *clock_, config_.app.errorDir, "cli", ""};
    context.executionId = executionId;
    return jobs::JobRunner::run(job, context);
  }
  store::ExecutionRecord run(const std::string& jobName) { return run(*config_.findJob(jobName)); }

  jobs::ChainRun runChain(const config::ChainConfig& chain, const std::string& executionId = "") {
    jobs::ChainContext context(*store_, *clock_, config_.app.errorDir, [this](const std::string&) {
      return salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    });
    context.executionId = executionId;
    return jobs::ChainRunner::run(chain, config_, context);
  }

  // The row as stored.
  store::ExecutionRecord stored(const std::string& id) {
    store::ExecutionQuery query;
    query.executionId = id;
    auto rows = store_->listExecutions(query);
    EXPECT_TRUE(rows.ok() && rows->size() == 1u);
    return rows.ok() && !rows->empty() ? rows->front() : store::ExecutionRecord{};
  }

  // Another store on the same file, holding a Running row with this id (another live process).
  store::StorePtr holdExecution(const std::string& id) {
    auto other = store::openSqliteStore(config_.app.storePath);
    EXPECT_TRUE(other.ok());
    store::ExecutionRecord r;
    r.executionId = id;
    r.name = "elsewhere";
    r.status = "Running";
    r.startTime = "2026-01-01T00:00:00.000Z";
    EXPECT_TRUE((*other)->saveExecution(r).ok());
    return std::move(other).value();
  }

  // A chain of Company Sync alone, pipelined: its extract runs as a phase of its own.
  config::ChainConfig companyChain() {
    config::ChainConfig chain;
    chain.name = "Companies";
    chain.jobs = {"Company Sync"};
    chain.explicitDependencies = true;
    chain.pipelined = true;
    return chain;
  }

  sim::SimServer sim_;
  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  config::LoadedConfig config_;
  store::StorePtr store_;
};

TEST_F(RunBookkeepingTest, MultiTargetJobReportsEveryTargetAndListsEveryGsid) {
  ASSERT_EQ(run("User Sync").status, "Success");
  ASSERT_EQ(run("Company Sync").status, "Success");
  config::JobConfig job = *config_.findJob("Company Person Sync");
  job.successFile = true;

  store::ExecutionRecord r = run(job);

  ASSERT_EQ(r.targets.size(), 2u) << r.message;
  EXPECT_EQ(r.targets[0].target, "Person");
  EXPECT_EQ(r.targets[1].target, "Company Person");
  for (const store::TargetCounts& t : r.targets) {
    EXPECT_EQ(t.created + t.updated + t.skipped + t.failed, r.recordsRead) << t.target;
    EXPECT_EQ(t.failed, 1) << t.target;  // the contact without an account
  }
  EXPECT_EQ(r.targets[0].created, *store_->count("Person"));
  EXPECT_EQ(r.targets[1].created, *store_->count("Company Person"));
  EXPECT_EQ(stored(r.executionId).targets, r.targets);
  EXPECT_NE(activity::formatActivity({r}).find(r.executionId + " target Company Person: created " +
                                               std::to_string(r.targets[1].created)),
            std::string::npos)
      << activity::formatActivity({r});

  // The success file carries each target's gsid.
  const std::string csv = testing::readFile(r.successFile);
  EXPECT_NE(csv.find("Person gsid,Person status,Company Person gsid,Company Person status\r\n"),
            std::string::npos)
      << csv.substr(0, 300);
  auto links = store_->select("Company Person", {"gsid"});
  ASSERT_TRUE(links.ok());
  ASSERT_FALSE(links->empty());
  for (const auto& link : *links) {
    EXPECT_NE(csv.find(std::get<std::string>(link[0])), std::string::npos);
  }

  store::ExecutionRecord again = run(job);
  ASSERT_EQ(again.targets.size(), 2u);
  EXPECT_EQ(again.targets[1].created, 0);
  EXPECT_EQ(again.targets[1].updated + again.targets[1].skipped, again.recordsRead - 1);
}

TEST_F(RunBookkeepingTest, PipelinedExtractFailingAfterAPageReportsTheRecordsFetched) {
  sim_.generateAccounts(500);
  sim_.setBatchSize(200);
  // source.api auto: the SELECT COUNT() query, then page 1 arrive; page 2 answers 400.
  sim_.expireQueryLocatorsAfterPages(2);

  jobs::ChainRun chain = runChain(companyChain());

  ASSERT_EQ(chain.jobs.size(), 1u);
  const store::ExecutionRecord& job = chain.jobs[0];
  EXPECT_EQ(job.status, "Failed");
  EXPECT_NE(job.message.find("INVALID_QUERY_LOCATOR"), std::string::npos) << job.message;
  EXPECT_EQ(job.recordsRead, 200);
  EXPECT_EQ(stored(job.executionId).recordsRead, 200);
  EXPECT_EQ(chain.chain.recordsRead, 200);
}

TEST_F(RunBookkeepingTest, WholeRunFailingAfterAPageReportsTheRecordsFetched) {
  sim_.generateAccounts(500);
  sim_.setBatchSize(200);
  sim_.expireQueryLocatorsAfterPages(2);  // the COUNT() query and page 1 arrive

  store::ExecutionRecord r = run("Company Sync");

  EXPECT_EQ(r.status, "Failed");
  EXPECT_EQ(r.recordsRead, 200);
  EXPECT_EQ(stored(r.executionId).recordsRead, 200);
}

TEST_F(RunBookkeepingTest, RetriesAreCountedOnTheExecution) {
  sim_.fail500Once(2);
  store::ExecutionRecord retried = run("Company Sync");
  EXPECT_EQ(retried.status, "Success") << retried.message;
  EXPECT_EQ(retried.retries, 2);
  EXPECT_EQ(stored(retried.executionId).retries, 2);

  sim_.expireSessionOnce();
  store::ExecutionRecord renewed = run("Company Sync");
  EXPECT_EQ(renewed.status, "Success") << renewed.message;
  EXPECT_EQ(renewed.retries, 1);  // the re-authentication and repeated call

  EXPECT_EQ(run("Company Sync").retries, 0);
  const std::string table = activity::formatActivity({retried});
  EXPECT_NE(table.find("RETRIES"), std::string::npos) << table;

  sim_.fail500Once(1);
  jobs::ChainRun chain = runChain(companyChain());
  EXPECT_EQ(chain.chain.retries, 1);
  EXPECT_EQ(stored(chain.chain.executionId).retries, 1);
}

TEST_F(RunBookkeepingTest, AJobThatCannotRecordItsStartDoesNotRun) {
  store::StorePtr other = holdExecution("taken");

  store::ExecutionRecord r = run(*config_.findJob("Company Sync"), "taken");

  EXPECT_EQ(r.status, "Failed");
  EXPECT_NE(r.message.find("cannot record the start of the run"), std::string::npos) << r.message;
  EXPECT_EQ(*store_->count("Company"), 0);
  EXPECT_EQ(sim_.queryRequests(), 0);
  EXPECT_EQ(stored("taken").name, "elsewhere");  // the other run's row is left as it was
}

TEST_F(RunBookkeepingTest, AChainThatCannotRecordItsStartRunsNoJob) {
  store::StorePtr other = holdExecution("taken");

  jobs::ChainRun chain = runChain(companyChain(), "taken");

  EXPECT_EQ(chain.chain.status, "Failed");
  EXPECT_NE(chain.chain.message.find("cannot record the start of the run"), std::string::npos)
      << chain.chain.message;
  EXPECT_TRUE(chain.jobs.empty());
  EXPECT_EQ(sim_.queryRequests(), 0);
  EXPECT_EQ(stored("taken").name, "elsewhere");
  store::ExecutionQuery jobs;
  jobs.parentId = "taken";
  EXPECT_TRUE(store_->listExecutions(jobs)->empty());
}

}  // namespace
}  // namespace sfsync

namespace sfsync {
namespace {

TEST_F(RunBookkeepingTest, PipelinedChainLoadsAdvanceTheCursorLikeWholeRuns) {
  jobs::ChainRun first = runChain(companyChain());
  ASSERT_EQ(first.jobs.size(), 1u);
  const store::ExecutionRecord& full = first.jobs[0];
  ASSERT_EQ(full.status, "Success") << full.message;
  EXPECT_EQ(full.mode, "full");
  EXPECT_FALSE(full.cursorEnd.empty());

  sim_.setField("Account", "0015g0000000tvxAAA", "Name", "\"Acme (renamed)\"");
  jobs::ChainRun second = runChain(companyChain());
  ASSERT_EQ(second.jobs.size(), 1u);
  const store::ExecutionRecord& incremental = second.jobs[0];
  ASSERT_EQ(incremental.status, "Success") << incremental.message;
  EXPECT_EQ(incremental.mode, "incremental");
  EXPECT_EQ(incremental.cursor, full.cursorEnd);
  EXPECT_LT(incremental.recordsRead, full.recordsRead);
  EXPECT_EQ(stored(incremental.executionId).cursorEnd, incremental.cursorEnd);
  auto name = store_->select("Company", {"Name"},
                             {{"SfdcAccountId", Value(std::string("0015g0000000tvxAAA"))}});
  ASSERT_TRUE(name.ok() && name->size() == 1);
  EXPECT_EQ(name->front()[0], Value(std::string("Acme (renamed)")));
}

}  // namespace
}  // namespace sfsync
