// Issue 18: a configuration reload (DaemonRuntime::reload, what POST /api/reload and SIGHUP call)
// starts the real-time jobs that were added or became real-time, restarts those whose job file
// changed and stops those removed or no longer real-time; the others keep streaming. Against the
// simulator's org and Pub/Sub server, a SQLite store and the real runtime.
#include <gtest/gtest.h>

#include <Poco/File.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <thread>

#include "app/DaemonRuntime.h"
#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "pubsub_sim/PubSubSim.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::testing {
namespace {

// Waits for a condition with a generous deadline (polling: the store has no change signal).
bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

std::string accountsJob(bool realtime, const std::string& extraMapping = "") {
  return std::string(R"({"name": "Accounts RT", "connection": "sample",
    "source": {"object": "Account", "api": "rest"}, "target": {"object": "Company"},
    "realtime": )") +
         (realtime ? "true" : "false") + R"(,
    "mappings": [{"source": "Id", "target": "SfdcAccountId", "type": "text", "upsertKey": true},
      )" +
         extraMapping + R"({"source": "Name", "target": "Name", "type": "text"}]})";
}

class RealtimeReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    pubsub_ = std::make_unique<sim::PubSubSim>(sim_, sim::PubSubSimOptions{200, 100, {}});
    pubsub_->start();
    dir_.write("conf/sfsync.properties",
               "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
               "paths.errors = var/errors\nconnections = sample\n"
               "connection.sample.orgType = custom\n"
               "connection.sample.customDomainUrl = " +
                   sim_.baseUrl() + "\nconnection.sample.pubsubEndpoint = " + pubsub_->target() +
                   "\nconnection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write("conf/sample.credentials",
               readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
    dir_.write("jobs/accounts.json", accountsJob(false));
    Poco::File(dir_.file("chains")).createDirectories();
    config_ = std::make_shared<config::LoadedConfig>(load());
    for (const auto& p : config_->problems) ADD_FAILURE() << p.toString();
    store_ = std::move(store::openSqliteStore(config_->app.storePath).value());
    runtime_ = std::make_unique<app::DaemonRuntime>(
        config_, *store_, clock_, notify::NotificationSettings{}, scheduling::Scheduler::Options{});
    runtime_->setConfigSource([this] {
      app::DaemonRuntime::LoadedSource loaded;
      loaded.config = std::make_shared<config::LoadedConfig>(load());
      return loaded;
    });
    ASSERT_TRUE(runtime_->init().ok());
    runtime_->start();
  }
  void TearDown() override {
    runtime_->stop();
    runtime_.reset();
    pubsub_.reset();
    sim_.stop();
  }
  config::LoadedConfig load() { return config::loadConfig("conf/sfsync.properties", dir_.path()); }

  std::vector<std::string> reload() {
    Result<admin::ReloadOutcome> outcome = runtime_->reload("ops");
    EXPECT_TRUE(outcome.ok() && outcome->applied)
        << (outcome.ok() ? "refused" : outcome.status().toString());
    return outcome.ok() ? outcome->changes : std::vector<std::string>{};
  }
  static bool has(const std::vector<std::string>& changes, const std::string& change) {
    return std::find(changes.begin(), changes.end(), change) != changes.end();
  }
  std::string state() {
    const std::vector<RealtimeStats> all = runtime_->realtime();
    return all.size() == 1 ? all.front().state : "<" + std::to_string(all.size()) + " jobs>";
  }
  std::int64_t keepalives() {
    const std::vector<RealtimeStats> all = runtime_->realtime();
    return all.size() == 1 ? all.front().keepalives : -1;
  }
  bool inTarget(const std::string& id) {
    auto rows = store_->select("Company", {"Name"}, {{"SfdcAccountId", Value(id)}});
    return rows.ok() && rows->size() == 1;
  }

  sim::SimServer sim_;
  std::unique_ptr<sim::PubSubSim> pubsub_;
  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<config::LoadedConfig> config_;
  store::StorePtr store_;
  std::unique_ptr<app::DaemonRuntime> runtime_;
};

TEST_F(RealtimeReloadTest, AReloadStartsRestartsAndStopsRealtimeJobs) {
  EXPECT_TRUE(runtime_->realtime().empty());

  // The job becomes real-time: the reload starts it and it streams.
  dir_.write("jobs/accounts.json", accountsJob(true));
  EXPECT_TRUE(has(reload(), "real-time job 'Accounts RT' started"));
  ASSERT_TRUE(eventually([&] { return state() == "connected"; })) << state();
  ASSERT_TRUE(eventually([&] { return keepalives() > 0; }));  // subscribed (from LATEST)
  const std::string first = sim_.insertRecord("Account", R"({"Name":"After start"})");
  ASSERT_TRUE(eventually([&] { return inTarget(first); }));
  const std::int64_t subscribes = pubsub_->subscribeCalls();

  // An unrelated reload keeps it streaming (no new subscription).
  const std::vector<std::string> unchanged = reload();
  EXPECT_FALSE(has(unchanged, "real-time job 'Accounts RT' restarted"));
  EXPECT_EQ(pubsub_->subscribeCalls(), subscribes);

  // Its file changes: it is restarted (a new subscription, from the stored replay id).
  dir_.write("jobs/accounts.json",
             accountsJob(true, R"({"source": "Phone", "target": "Phone", "type": "text"},)"));
  EXPECT_TRUE(has(reload(), "real-time job 'Accounts RT' restarted"));
  ASSERT_TRUE(eventually([&] { return pubsub_->subscribeCalls() > subscribes; }));
  ASSERT_TRUE(eventually([&] { return keepalives() > 0; }));
  const std::string second = sim_.insertRecord("Account", R"({"Name":"After restart"})");
  ASSERT_TRUE(eventually([&] { return inTarget(second); }));

  // No longer real-time: stopped; changes wait for the schedule.
  dir_.write("jobs/accounts.json", accountsJob(false));
  EXPECT_TRUE(has(reload(), "real-time job 'Accounts RT' stopped"));
  EXPECT_TRUE(runtime_->realtime().empty());
  const std::int64_t after = pubsub_->subscribeCalls();
  const std::int64_t delivered = pubsub_->eventsDelivered();
  const std::string third = sim_.insertRecord("Account", R"({"Name":"After stop"})");
  EXPECT_EQ(pubsub_->subscribeCalls(), after);

  // Real-time again: the new subscription resumes from the stored replay id and applies the
  // change made while stopped. Had the stopped job still been streaming, the event would have
  // been delivered twice (to it as well).
  dir_.write("jobs/accounts.json", accountsJob(true));
  EXPECT_TRUE(has(reload(), "real-time job 'Accounts RT' started"));
  ASSERT_TRUE(eventually([&] { return inTarget(third); }));
  const std::string marker = sim_.insertRecord("Account", R"({"Name":"Marker"})");
  ASSERT_TRUE(eventually([&] { return inTarget(marker); }));
  EXPECT_EQ(pubsub_->eventsDelivered() - delivered, 2)
      << "the stopped real-time job still received events";
}

// The daemon publishes the real-time numbers as a "realtime" live event (what the admin page's
// Real-time view follows) while a real-time job runs.
TEST_F(RealtimeReloadTest, ARunningRealtimeJobIsPublishedAsALiveEvent) {
  Result<EventSubscriptionPtr> subscription = runtime_->events().subscribe();
  ASSERT_TRUE(subscription.ok());
  dir_.write("jobs/accounts.json", accountsJob(true));
  EXPECT_TRUE(has(reload(), "real-time job 'Accounts RT' started"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string json;
  while (json.empty() && std::chrono::steady_clock::now() < deadline) {
    BusEvent event;
    if ((*subscription)->next(std::chrono::seconds(1), event) == EventSubscription::Wait::kEvent &&
        event.name == "realtime") {
      json = event.json;
    }
  }
  EXPECT_NE(json.find(R"("job":"Accounts RT")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("topic":"/data/AccountChangeEvent")"), std::string::npos) << json;
  (*subscription)->close();
}

// Review finding 5: pausing the job or its connection stops its real-time side; resuming starts
// it again from the stored replay id (the changes made meanwhile are applied then).
TEST_F(RealtimeReloadTest, PausingTheJobOrItsConnectionStopsItsRealtimeSide) {
  dir_.write("jobs/accounts.json", accountsJob(true));
  EXPECT_TRUE(has(reload(), "real-time job 'Accounts RT' started"));
  ASSERT_TRUE(eventually([&] { return keepalives() > 0; }));
  const std::string first = sim_.insertRecord("Account", R"({"Name":"Before pause"})");
  ASSERT_TRUE(eventually([&] { return inTarget(first); }));

  ASSERT_TRUE(runtime_->pause("job", "Accounts RT", "ops").ok());
  EXPECT_TRUE(runtime_->realtime().empty()) << "still streaming while paused";
  const std::int64_t subscribes = pubsub_->subscribeCalls();
  const std::string paused = sim_.insertRecord("Account", R"({"Name":"While paused"})");
  ASSERT_TRUE(runtime_->resume("job", "Accounts RT", "ops").ok());
  ASSERT_TRUE(eventually([&] { return inTarget(paused); }));
  EXPECT_GT(pubsub_->subscribeCalls(), subscribes);

  ASSERT_TRUE(runtime_->pause("connection", "sample", "ops").ok());
  EXPECT_TRUE(runtime_->realtime().empty()) << "still streaming while the connection is paused";
  ASSERT_TRUE(runtime_->resume("connection", "sample", "ops").ok());
  ASSERT_TRUE(eventually([&] { return state() == "connected"; })) << state();
}

// Review finding 3: a real-time job whose run ended (here: its object does not exist, as when
// Change Data Capture is not set up yet) is started again by a reload, though its file is
// unchanged.
TEST_F(RealtimeReloadTest, AReloadRestartsARealtimeJobWhoseRunEnded) {
  dir_.write("jobs/missing.json", R"({"name": "Missing RT", "connection": "sample",
    "source": {"object": "Missing__c", "api": "rest"}, "target": {"object": "Missing"},
    "realtime": true,
    "mappings": [{"source": "Id", "target": "SfdcId", "type": "text", "upsertKey": true}]})");
  EXPECT_TRUE(has(reload(), "real-time job 'Missing RT' started"));
  ASSERT_TRUE(eventually([&] { return state() == "stopped"; })) << state();
  EXPECT_TRUE(has(reload(), "real-time job 'Missing RT' restarted"));
}

TEST_F(RealtimeReloadTest, AnAddedRealtimeJobStartsAndARemovedOneStops) {
  dir_.write("jobs/contacts.json", R"({"name": "Contacts RT", "connection": "sample",
    "source": {"object": "Contact", "api": "rest"}, "target": {"object": "Person"},
    "realtime": true,
    "mappings": [{"source": "Id", "target": "SfdcContactId", "type": "text", "upsertKey": true},
      {"source": "LastName", "target": "LastName", "type": "text"}]})");
  EXPECT_TRUE(has(reload(), "real-time job 'Contacts RT' started"));
  ASSERT_TRUE(eventually([&] { return state() == "connected"; })) << state();
  EXPECT_EQ(runtime_->realtime().front().job, "Contacts RT");
  Poco::File(dir_.file("jobs/contacts.json")).remove();
  EXPECT_TRUE(has(reload(), "real-time job 'Contacts RT' stopped"));
  EXPECT_TRUE(runtime_->realtime().empty());
}

}  // namespace
}  // namespace sfsync::testing
