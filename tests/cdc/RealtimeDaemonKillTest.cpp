// kill -9 of the real sfsyncd in the middle of a real-time stream (issue 18): the simulator (its
// org and Pub/Sub server) runs in this process, the daemon serves a "realtime": true job, Accounts
// are created in the simulator while the daemon is killed and started again. Every created Account
// must end up in the target exactly once: none lost (the restart resumes after the replay id stored
// in the transaction of the last applied batch) and none applied twice (in an insert-only stream a
// second application would count as "updated").
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/Process.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <thread>

#include "app/DaemonTestSupport.h"
#include "fakes/TempDir.h"
#include "pubsub_sim/PubSubSim.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/jobs/ReplicationState.h"
#include "sfsync/store/Store.h"

namespace sfsync::testing {
namespace {

constexpr int kAccounts = 300;

class RealtimeDaemonKillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim::SimOptions options;
    options.loadOrg = false;
    sim_ = std::make_unique<sim::SimServer>(options);
    sim_->start();
    pubsub_ = std::make_unique<sim::PubSubSim>(*sim_, sim::PubSubSimOptions{200, 100, {}});
    pubsub_->start();
    dir_.write("conf/sfsync.properties",
               "store.path = var/test.db\nadmin.port = 0\n"
               "paths.jobs = jobs\npaths.chains = chains\npaths.errors = var/errors\n"
               "log.file = var/log/sfsyncd.log\nconnections = sample\n"
               "connection.sample.orgType = custom\n"
               "connection.sample.customDomainUrl = " +
                   sim_->baseUrl() + "\nconnection.sample.pubsubEndpoint = " + pubsub_->target() +
                   "\nconnection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write("conf/sample.credentials",
               readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
    dir_.write("jobs/accounts.json", R"({"name": "Accounts RT", "connection": "sample",
      "source": {"object": "Account", "api": "rest"}, "target": {"object": "Company"},
      "realtime": true,
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "type": "text", "upsertKey": true},
        {"source": "Name", "target": "Name", "type": "text"}]})");
    Poco::File(dir_.file("chains")).createDirectories();
  }
  void TearDown() override {
    if (daemon_) {
      Poco::Process::kill(*daemon_);
      daemon_->wait();
    }
    pubsub_.reset();
    sim_->stop();
  }

  void launch() {
    daemon_ = Poco::Process::launch(SFSYNCD_PATH, Poco::Process::Args{}, dir_.path(), nullptr,
                                    nullptr, nullptr);
  }
  void killNine() {
    ASSERT_EQ(::kill(daemon_->id(), SIGKILL), 0);
    int status = 0;
    ::waitpid(daemon_->id(), &status, 0);
    daemon_.reset();
  }
  // The daemon's subscription is live once a keepalive stored a replay id (it starts at LATEST).
  bool positionStored() {
    auto store = store::openSqliteStore(dir_.file("var/test.db"));
    if (!store.ok()) return false;
    auto s = (*store)->getState(jobs::replayKey("sample", "Accounts RT"));
    return s.ok() && s->has_value();
  }
  std::int64_t companies() {
    auto store = store::openSqliteStore(dir_.file("var/test.db"));
    if (!store.ok()) return -1;
    auto n = (*store)->count("Company");
    return n.ok() ? *n : -1;
  }
  std::vector<store::ExecutionRecord> realtimeRows() {
    auto store = store::openSqliteStore(dir_.file("var/test.db"));
    if (!store.ok()) return {};
    store::ExecutionQuery q;
    q.name = "Accounts RT";
    auto rows = (*store)->listExecutions(q);
    return rows.ok() ? *rows : std::vector<store::ExecutionRecord>{};
  }

  TempDir dir_;
  std::unique_ptr<sim::SimServer> sim_;
  std::unique_ptr<sim::PubSubSim> pubsub_;
  std::optional<Poco::ProcessHandle> daemon_;
};

TEST_F(RealtimeDaemonKillTest, KillNineMidStreamLosesNothingAndAppliesNothingTwice) {
  launch();
  ASSERT_TRUE(waitUntil([&] { return positionStored(); }))
      << readFile(dir_.file("var/log/sfsyncd.log"));
  std::atomic<int> created{0};
  std::thread producer([&] {
    for (int i = 0; i < kAccounts; ++i) {
      sim_->insertRecord("Account", "{\"Name\":\"RT " + std::to_string(i) + "\"}");
      ++created;
      // Paces the stream so the kill lands while it flows (not a synchronisation).
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  ASSERT_TRUE(waitUntil([&] { return companies() >= kAccounts / 4; }));
  killNine();
  const std::int64_t atKill = companies();
  producer.join();
  launch();
  ASSERT_TRUE(waitUntil([&] { return companies() == kAccounts; }, std::chrono::seconds(60)))
      << "companies " << companies() << "\n"
      << readFile(dir_.file("var/log/sfsyncd.log"));
  EXPECT_LT(atKill, kAccounts) << "the kill should land mid-stream";
  std::int64_t createdRows = 0, updatedRows = 0;
  for (const auto& r : realtimeRows()) {
    if (r.trigger != "realtime") continue;
    createdRows += r.created;
    updatedRows += r.updated;
  }
  EXPECT_EQ(updatedRows, 0) << "an event was applied twice";
  EXPECT_LE(createdRows, kAccounts);
  EXPECT_EQ(pubsub_->subscribeCalls(), 2);
}

}  // namespace
}  // namespace sfsync::testing
