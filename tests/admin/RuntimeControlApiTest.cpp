// The admin API over the REAL daemon runtime (DaemonRuntime with a temporary configuration, a
// SQLite store and the Salesforce simulator), not the fake control: unknown names answer 404 on
// every control and definition endpoint (a NUL byte included) and never crash the process, a job
// route matches only jobs and a chain route only chains, known names still work, and the one-shot
// replication requests (full-resync, allow-mass-delete) reach the store and the audit.
#include <Poco/File.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "admin/AdminHttpClient.h"
#include "admin/AdminServerFixture.h"
#include "app/DaemonRuntime.h"
#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/admin/AdminServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/ReplicationState.h"

namespace sfsync::admin::testing {
namespace {

class RuntimeControlApiTest : public ::testing::Test {
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
    for (const auto& p : config_.problems) ADD_FAILURE() << p.toString();
    ASSERT_TRUE(config_.problems.empty());
    store_ = std::move(store::openSqliteStore(config_.app.storePath).value());
    runtime_ = std::make_unique<app::DaemonRuntime>(
        config_, *store_, clock_, notify::NotificationSettings{}, scheduling::Scheduler::Options{});
    ASSERT_TRUE(runtime_->init().ok());
    AdminOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.tokens.push_back({"alice", hashAdminToken(kAliceToken)});
    server_ = std::make_unique<AdminServer>(options, *store_, *runtime_,
                                            [] { return std::string("{\"status\":\"ok\"}"); });
    const Status started = server_->start();
    ASSERT_TRUE(started.ok()) << started.toString();
    client_ = std::make_unique<AdminHttpClient>(server_->port());
  }

  void TearDown() override {
    if (server_) server_->stop();
    if (runtime_) runtime_->stop();
  }

  HttpReply post(const std::string& target) { return client_->post(target, kAliceToken); }
  HttpReply get(const std::string& target) { return client_->get(target, kAliceToken); }

  sim::SimServer sim_;
  sfsync::testing::TempDir dir_;
  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
  config::LoadedConfig config_;
  store::StorePtr store_;
  std::unique_ptr<app::DaemonRuntime> runtime_;
  std::unique_ptr<AdminServer> server_;
  std::unique_ptr<AdminHttpClient> client_;
};

TEST_F(RuntimeControlApiTest, UnknownNamesAnswer404OnEveryControl) {
  const std::vector<std::string> names = {"Nope", "%00", "Companies%00", "sample%00x", "%20"};
  const std::vector<std::string> routes = {"/api/jobs/{}/run",
                                           "/api/jobs/{}/pause",
                                           "/api/jobs/{}/resume",
                                           "/api/jobs/{}/full-resync",
                                           "/api/jobs/{}/allow-mass-delete",
                                           "/api/chains/{}/run",
                                           "/api/chains/{}/pause",
                                           "/api/chains/{}/resume",
                                           "/api/connections/{}/pause",
                                           "/api/connections/{}/resume",
                                           "/api/connections/{}/disconnect",
                                           "/api/connections/{}/reconnect"};
  for (const std::string& name : names) {
    for (std::string route : routes) {
      route.replace(route.find("{}"), 2, name);
      const HttpReply reply = post(route);
      EXPECT_EQ(reply.status, 404) << route << ": " << reply.body;
    }
    for (const char* family : {"jobs", "chains", "connections"}) {
      const std::string target = std::string("/api/") + family + "/" + name;
      EXPECT_EQ(get(target).status, 404) << target;
    }
  }
  EXPECT_EQ(get("/health").status, 200);  // still alive
}

TEST_F(RuntimeControlApiTest, AJobRouteMatchesOnlyJobsAndAChainRouteOnlyChains) {
  for (const char* route :
       {"/api/jobs/Nightly/run", "/api/jobs/Nightly/pause", "/api/jobs/Nightly/resume",
        "/api/chains/Companies/run", "/api/chains/Companies/pause", "/api/chains/Companies/resume",
        "/api/connections/Companies/pause", "/api/jobs/sample/pause",
        "/api/jobs/Nightly/full-resync", "/api/jobs/Nightly/allow-mass-delete",
        "/api/chains/Nightly/full-resync", "/api/chains/Nightly/allow-mass-delete",
        "/api/connections/sample/full-resync"}) {
    const HttpReply reply = post(route);
    EXPECT_EQ(reply.status, 404) << route << ": " << reply.body;
  }
  EXPECT_EQ(get("/api/jobs/Nightly").status, 404);
  EXPECT_EQ(get("/api/chains/Companies").status, 404);
  ASSERT_TRUE(runtime_->scheduler().waitIdle(std::chrono::seconds(60)));
  store::ExecutionQuery all;
  all.limit = 0;
  EXPECT_TRUE(store_->listExecutions(all).value().empty()) << "nothing may have started";
}

TEST_F(RuntimeControlApiTest, KnownNamesStillWork) {
  EXPECT_EQ(post("/api/jobs/Companies/pause").status, 200);
  EXPECT_EQ(post("/api/jobs/Companies/resume").status, 200);
  EXPECT_EQ(post("/api/chains/Nightly/pause").status, 200);
  EXPECT_EQ(post("/api/chains/Nightly/resume").status, 200);
  EXPECT_EQ(post("/api/connections/sample/disconnect").status, 200);
  const HttpReply reconnected = post("/api/connections/sample/reconnect");
  EXPECT_EQ(reconnected.status, 200) << reconnected.body;
  const HttpReply started = post("/api/chains/Nightly/run");
  EXPECT_EQ(started.status, 202) << started.body;
  ASSERT_TRUE(runtime_->scheduler().waitIdle(std::chrono::seconds(60)));
  store::ExecutionQuery chains;
  chains.kind = "chain";
  chains.name = "Nightly";
  EXPECT_EQ(store_->listExecutions(chains).value().size(), 1u);
  EXPECT_EQ(get("/api/chains/Nightly").status, 200);
}

TEST_F(RuntimeControlApiTest, FullResyncAndAllowMassDeleteWriteTheRequestsAndTheAudit) {
  for (const char* action : {"full-resync", "allow-mass-delete"}) {
    const HttpReply reply = post(std::string("/api/jobs/Companies/") + action);
    EXPECT_EQ(reply.status, 200) << action << ": " << reply.body;
    Poco::JSON::Object::Ptr body = parseObject(reply.body);
    EXPECT_EQ(body->getValue<std::string>("action"), action);
    EXPECT_NE(body->getValue<std::string>("message").find(std::string(action) + " requested"),
              std::string::npos)
        << reply.body;
  }
  // The one-shot requests, as the jobs module reads them.
  for (const std::string& key :
       {jobs::fullResyncKey("Companies"), jobs::allowMassDeleteKey("Companies")}) {
    Result<std::optional<std::string>> value = store_->getState(key);
    ASSERT_TRUE(value.ok() && value->has_value()) << key;
    Poco::JSON::Object::Ptr request = parseObject(**value);
    EXPECT_EQ(request->getValue<std::string>("by"), "alice");
    EXPECT_EQ(request->getValue<std::string>("requestedAt"), formatIso8601(clock_->now()));
  }
  // Recorded as update activity, visible in /api/updates.
  Result<std::vector<store::UpdateRecord>> updates = store_->listUpdates(0, "");
  ASSERT_TRUE(updates.ok());
  std::set<std::string> actions;
  for (const store::UpdateRecord& u : *updates) {
    if (u.kind == "job" && u.name == "Companies" && u.actor == "alice") actions.insert(u.action);
  }
  EXPECT_EQ(actions, (std::set<std::string>{"allow-mass-delete", "full-resync"}));
  const HttpReply listed = get("/api/updates");
  EXPECT_NE(listed.body.find("full-resync"), std::string::npos) << listed.body;
  // Nothing ran: a request only marks the next run.
  ASSERT_TRUE(runtime_->scheduler().waitIdle(std::chrono::seconds(60)));
  store::ExecutionQuery all;
  all.limit = 0;
  EXPECT_TRUE(store_->listExecutions(all).value().empty());
}

TEST_F(RuntimeControlApiTest, ReplicationRequestsNeedAToken) {
  const HttpReply reply = client_->post("/api/jobs/Companies/full-resync", "");
  EXPECT_EQ(reply.status, 401) << reply.body;
  EXPECT_FALSE(store_->getState(jobs::fullResyncKey("Companies"))->has_value());
  EXPECT_EQ(get("/api/jobs/Companies/full-resync").status, 405);
}

}  // namespace
}  // namespace sfsync::admin::testing
