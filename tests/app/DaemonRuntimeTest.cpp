// The daemon's runtime end to end with simulated time: the scheduler runs configured jobs against
// the Salesforce simulator, retries keep one execution row, a failure is notified once after the
// last retry (real webhook receiver on loopback), a 3-day outage fires once, pause/resume through
// the admin control interface is persisted and audited.
#include <gtest/gtest.h>

#include <Poco/File.h>

#include "app/DaemonRuntime.h"
#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "notify/WebhookReceiver.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::app {
namespace {

using sfsync::testing::FakeClock;
using sfsync::testing::TempDir;

constexpr auto kHour = std::chrono::hours(1);

class DaemonRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    dir_.write("conf/sfsync.properties",
               "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
               "paths.errors = var/errors\nconnections = sample\n"
               "connection.sample.orgType = custom\n"
               "connection.sample.customDomainUrl = " +
                   sim_.baseUrl() +
                   "\n"
                   "connection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write("conf/sample.credentials", sfsync::testing::readFile(std::string(SFSYNC_SOURCE_DIR) +
                                                                    "/conf/sample.credentials"));
    dir_.write("jobs/companies.json", R"({
      "name": "Companies", "connection": "sample",
      "source": {"object": "Account"}, "target": {"object": "Company"},
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
                   {"source": "Name", "target": "Name"}],
      "schedule": {"every": "1h"}})");
    dir_.write("jobs/broken.json", R"({
      "name": "Broken", "connection": "sample",
      "source": {"object": "Account"}, "target": {"object": "Broken"},
      "mappings": [{"source": "Renamed_In_Salesforce__c", "target": "X", "upsertKey": true}],
      "retries": {"count": 2, "initialBackoffSeconds": 60},
      "notifications": {"onFailure": {"webhooks": [")" +
                                       hook_.url() + R"("]}}})");
    Poco::File(dir_.file("chains")).createDirectories();
    config_ = config::loadConfig("conf/sfsync.properties", dir_.path());
    for (const auto& p : config_.problems) ADD_FAILURE() << p.toString();
    ASSERT_TRUE(config_.problems.empty());
    store_ = std::move(store::openSqliteStore(config_.app.storePath).value());
  }

  std::unique_ptr<DaemonRuntime> runtime() {
    notify::NotificationSettings settings;
    settings.webhook.initialBackoff = std::chrono::milliseconds(1);
    auto r = std::make_unique<DaemonRuntime>(config_, *store_, clock_, settings,
                                             scheduling::Scheduler::Options{});
    EXPECT_TRUE(r->init().ok());
    return r;
  }

  std::vector<store::ExecutionRecord> executions(const std::string& name) {
    store::ExecutionQuery q;
    q.name = name;
    q.limit = 0;
    return store_->listExecutions(q).value();
  }

  // Advances simulated time and lets the scheduler start and finish whatever is due.
  void advanceAndRun(DaemonRuntime& r, std::chrono::milliseconds by) {
    clock_->advance(by);
    r.scheduler().tick();
    ASSERT_TRUE(r.scheduler().waitIdle(std::chrono::seconds(60)));
  }

  sim::SimServer sim_;
  notify::testing::WebhookReceiver hook_;
  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  config::LoadedConfig config_;
  store::StorePtr store_;
};

TEST_F(DaemonRuntimeTest, ScheduledJobRunsEachSlot) {
  auto r = runtime();
  // To the next full hour: a whole hour from a random start would make that slot late (catch-up).
  const auto sinceHour = clock_->now().time_since_epoch() % kHour;
  advanceAndRun(*r, std::chrono::duration_cast<std::chrono::milliseconds>(kHour - sinceHour));
  advanceAndRun(*r, kHour);
  auto runs = executions("Companies");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].status, "Success");
  EXPECT_EQ(runs[0].trigger, "schedule");
  EXPECT_EQ(*store_->count("Company"), static_cast<std::int64_t>(sim_.recordCount("Account")));
  EXPECT_TRUE(executions("Broken").empty());  // unscheduled: runs only on run-now
}

TEST_F(DaemonRuntimeTest, RetriedFailureKeepsOneRowAndNotifiesOnceAfterTheLastAttempt) {
  auto r = runtime();
  ASSERT_TRUE(r->runNow("job", "Broken", "test").ok());
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));
  EXPECT_EQ(hook_.requests().size(), 0u);  // a retry is pending: nobody is told yet
  advanceAndRun(*r, std::chrono::seconds(60));
  EXPECT_EQ(hook_.requests().size(), 0u);
  advanceAndRun(*r, std::chrono::seconds(120));

  auto runs = executions("Broken");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, "Failed");
  EXPECT_EQ(runs[0].attempts, 3);
  EXPECT_EQ(runs[0].trigger, "run-now");  // a retry keeps the run's trigger; attempts counts
  EXPECT_NE(runs[0].message.find("INVALID_FIELD"), std::string::npos) << runs[0].message;
  ASSERT_EQ(hook_.requests().size(), 1u);
  EXPECT_NE(hook_.requests()[0].body.find("\"status\":\"Failed\""), std::string::npos)
      << hook_.requests()[0].body;
  advanceAndRun(*r, kHour);
  EXPECT_EQ(hook_.requests().size(), 1u);
}

TEST_F(DaemonRuntimeTest, ThreeDayOutageFiresOnceOnRestart) {
  {
    auto r = runtime();
    advanceAndRun(*r, kHour);
    ASSERT_EQ(executions("Companies").size(), 1u);
  }
  clock_->advance(std::chrono::hours(72));  // the daemon is down for three days
  auto restarted = runtime();
  restarted->scheduler().tick();
  ASSERT_TRUE(restarted->scheduler().waitIdle(std::chrono::seconds(60)));
  restarted->scheduler().tick();
  ASSERT_TRUE(restarted->scheduler().waitIdle(std::chrono::seconds(60)));
  EXPECT_EQ(executions("Companies").size(), 2u);  // one catch-up run, not 72
}

TEST_F(DaemonRuntimeTest, PauseAndResumeArePersistedAndAudited) {
  {
    auto r = runtime();
    auto paused = r->pause("job", "Companies", "ops");
    ASSERT_TRUE(paused.ok()) << paused.status().toString();
    EXPECT_EQ(*paused, "paused");
    advanceAndRun(*r, kHour);
    EXPECT_TRUE(executions("Companies").empty());
  }
  auto restarted = runtime();  // still paused after a restart
  advanceAndRun(*restarted, kHour);
  EXPECT_TRUE(executions("Companies").empty());
  for (const auto& job : restarted->jobs()) {
    if (job.name == "Companies") {
      EXPECT_TRUE(job.paused);
    }
  }
  ASSERT_TRUE(restarted->resume("job", "Companies", "ops").ok());
  advanceAndRun(*restarted, kHour);
  EXPECT_EQ(executions("Companies").size(), 1u);  // resumed at the next slot, nothing caught up

  auto updates = store_->listUpdates(10, "").value();
  ASSERT_GE(updates.size(), 2u);
  EXPECT_EQ(updates[0].actor, "ops");
  EXPECT_EQ(updates[0].action, "resumed");
  EXPECT_EQ(updates[1].action, "paused");
  EXPECT_EQ(restarted->pause("job", "Nope", "ops").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sfsync::app
