// DaemonRuntimeFixture: the daemon runtime over a temporary configuration (an hourly job
// "Companies" and an unscheduled job "Broken" that always fails with 2 retries, 60 s backoff, and a
// webhook), the Salesforce simulator, a SQLite store and a FakeClock; the
// fixture of every DaemonRuntime test file.
//
// Thread-safety: a gtest fixture; its helpers are called from the test thread.
#pragma once

#include <gtest/gtest.h>

#include <Poco/File.h>

#include "app/DaemonRuntime.h"
#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "notify/WebhookReceiver.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::app::testing {

using sfsync::testing::FakeClock;
using sfsync::testing::TempDir;

constexpr auto kHour = std::chrono::hours(1);

class DaemonRuntimeFixture : public ::testing::Test {
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

  std::unique_ptr<DaemonRuntime> runtime() { return runtime(*store_); }
  // A runtime on `store` (e.g. an InterceptingStore around store_).
  std::unique_ptr<DaemonRuntime> runtime(store::Store& store) {
    notify::NotificationSettings settings;
    settings.webhook.initialBackoff = std::chrono::milliseconds(1);
    auto r = std::make_unique<DaemonRuntime>(config_, store, clock_, settings,
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

}  // namespace sfsync::app::testing
