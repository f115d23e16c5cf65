// GET /api/events over the REAL daemon runtime (DaemonRuntime with a temporary configuration, a
// SQLite store and the Salesforce simulator): admin actions arrive as "control" events (with the
// token's name as actor), a chain run as run.started / run.finished for the chain and its job
// (the job's parentId is the chain's execution), and a configuration reload as config.reload.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "admin/AdminHttpClient.h"
#include "admin/AdminServerFixture.h"
#include "admin/SseClient.h"
#include "app/DaemonRuntime.h"
#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/admin/AdminServer.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::admin::testing {
namespace {

struct Event {
  std::string name;
  Poco::JSON::Object::Ptr data;
};

// The next event of `sse` (comments skipped); name "" at the end of the stream.
Event nextEvent(SseClient& sse) {
  Event e;
  for (const std::string& line : sse.event()) {
    if (line.rfind("event: ", 0) == 0) e.name = line.substr(7);
    if (line.rfind("data: ", 0) == 0) e.data = parseObject(line.substr(6));
  }
  return e;
}

class RuntimeEventsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    dir_.write("conf/sfsync.properties",
               "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
               "paths.errors = var/errors\nconnections = sample\n"
               "connection.sample.orgType = custom\n"
               "connection.sample.customDomainUrl = " +
                   sim_.baseUrl() +
                   "\nconnection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write("conf/sample.credentials", sfsync::testing::readFile(std::string(SFSYNC_SOURCE_DIR) +
                                                                    "/conf/sample.credentials"));
    dir_.write("jobs/companies.json", R"({
      "name": "Companies", "connection": "sample",
      "source": {"object": "Account"}, "target": {"object": "Company"},
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
                   {"source": "Name", "target": "Name"}]})");
    dir_.write("chains/nightly.json", R"({"name": "Nightly", "jobs": ["Companies"]})");
    config_ = config::loadConfig("conf/sfsync.properties", dir_.path());
    ASSERT_TRUE(config_.problems.empty());
    store_ = std::move(store::openSqliteStore(config_.app.storePath).value());
    runtime_ = std::make_unique<app::DaemonRuntime>(
        config_, *store_, clock_, notify::NotificationSettings{}, scheduling::Scheduler::Options{});
    ASSERT_TRUE(runtime_->init().ok());
    const std::string root = dir_.path();
    runtime_->setConfigSource([root] {
      app::DaemonRuntime::LoadedSource loaded;
      loaded.config = std::make_shared<config::LoadedConfig>(
          config::loadConfig("conf/sfsync.properties", root));
      return loaded;
    });
    AdminOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.tokens.push_back({"alice", hashAdminToken(kAliceToken)});
    server_ = std::make_unique<AdminServer>(options, *store_, *runtime_,
                                            [] { return std::string("{\"status\":\"ok\"}"); });
    server_->setEventBus(runtime_->events());
    ASSERT_TRUE(server_->start().ok());
    client_ = std::make_unique<AdminHttpClient>(server_->port());
    sse_ = std::make_unique<SseClient>(server_->port(), "/api/events", kAliceToken);
    ASSERT_EQ(sse_->status(), 200);
    ASSERT_EQ(nextEvent(*sse_).name, "hello");  // subscribed before anything below happens
  }

  void TearDown() override {
    if (server_) server_->stop();
    if (runtime_) runtime_->stop();
  }

  HttpReply post(const std::string& target) { return client_->post(target, kAliceToken); }

  sim::SimServer sim_;
  sfsync::testing::TempDir dir_;
  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
  config::LoadedConfig config_;
  store::StorePtr store_;
  std::unique_ptr<app::DaemonRuntime> runtime_;
  std::unique_ptr<AdminServer> server_;
  std::unique_ptr<AdminHttpClient> client_;
  std::unique_ptr<SseClient> sse_;
};

TEST_F(RuntimeEventsApiTest, ControlActionsArePublished) {
  ASSERT_EQ(post("/api/jobs/Companies/pause").status, 200);
  Event paused = nextEvent(*sse_);
  ASSERT_EQ(paused.name, "control");
  EXPECT_EQ(paused.data->getValue<std::string>("action"), "pause");
  EXPECT_EQ(paused.data->getValue<std::string>("kind"), "job");
  EXPECT_EQ(paused.data->getValue<std::string>("name"), "Companies");
  EXPECT_EQ(paused.data->getValue<std::string>("actor"), "alice");
  ASSERT_EQ(post("/api/connections/sample/disconnect").status, 200);
  Event disconnected = nextEvent(*sse_);
  EXPECT_EQ(disconnected.data->getValue<std::string>("action"), "disconnect");
  EXPECT_EQ(post("/api/jobs/Nope/pause").status, 404);  // refused actions publish nothing
  ASSERT_EQ(post("/api/jobs/Companies/resume").status, 200);
  EXPECT_EQ(nextEvent(*sse_).data->getValue<std::string>("action"), "resume");
}

TEST_F(RuntimeEventsApiTest, AChainRunPublishesItsAndItsJobsStartAndFinish) {
  ASSERT_EQ(post("/api/chains/Nightly/run").status, 202);
  std::vector<Event> events;
  for (;;) {  // until the chain's run.finished (the stream's receive timeout is the deadline)
    Event e = nextEvent(*sse_);
    ASSERT_FALSE(e.name.empty()) << "the stream ended";
    events.push_back(e);
    if (e.name == "run.finished" && e.data->getValue<std::string>("kind") == "chain") break;
  }
  std::string chainId;
  bool jobStarted = false;
  bool jobFinished = false;
  for (const Event& e : events) {
    if (e.name == "run.started" && e.data->getValue<std::string>("kind") == "chain") {
      chainId = e.data->getValue<std::string>("executionId");
      EXPECT_EQ(e.data->getValue<std::string>("status"), "Running");
    }
    if (e.name == "run.started" && e.data->getValue<std::string>("kind") == "job") {
      jobStarted = true;
      EXPECT_EQ(e.data->getValue<std::string>("parentId"), chainId);
      EXPECT_EQ(e.data->getValue<std::string>("chain"), "Nightly");
    }
    if (e.name == "run.finished" && e.data->getValue<std::string>("kind") == "job") {
      jobFinished = true;
      EXPECT_NE(e.data->getValue<std::string>("status"), "Running");
    }
  }
  EXPECT_FALSE(chainId.empty());
  EXPECT_TRUE(jobStarted);
  EXPECT_TRUE(jobFinished);
  EXPECT_NE(events.back().data->getValue<std::string>("status"), "Running");
  EXPECT_EQ(events.back().data->getValue<std::string>("executionId"), chainId);
}

TEST_F(RuntimeEventsApiTest, AReloadIsPublished) {
  dir_.write("jobs/people.json", R"({
      "name": "People", "connection": "sample",
      "source": {"object": "Contact"}, "target": {"object": "Person"},
      "mappings": [{"source": "Id", "target": "SfdcContactId", "upsertKey": true}]})");
  const HttpReply reply = post("/api/reload");
  ASSERT_EQ(reply.status, 200) << reply.body;
  Event reloaded = nextEvent(*sse_);
  ASSERT_EQ(reloaded.name, "config.reload");
  EXPECT_TRUE(reloaded.data->getValue<bool>("applied"));
  EXPECT_EQ(reloaded.data->getValue<std::string>("actor"), "alice");
  EXPECT_GE(reloaded.data->getArray("changes")->size(), 1u);
}

}  // namespace
}  // namespace sfsync::admin::testing
