// POST /api/jobs/{name}/dry-run (issue 16): over the REAL daemon runtime (DaemonRuntime, the
// Salesforce simulator, SQLite) the answer is the dry run's JSON report and nothing is written
// (no execution row, no target table, no state); unknown jobs are 404, bad parameters 400, GET 405;
// over the fake control a running job is 409 and the download form carries Content-Disposition.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "admin/AdminHttpClient.h"
#include "admin/AdminServerFixture.h"
#include "app/DaemonRuntime.h"
#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/admin/AdminServer.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::admin::testing {
namespace {

Poco::JSON::Object::Ptr parse(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

class DryRunRuntimeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    dir_.write("conf/sfsync.properties",
               "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
               "paths.errors = var/errors\nconnections = sample\n"
               "connection.sample.orgType = custom\n"
               "connection.sample.dryRunMaxRecords = 3\n"
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
    dir_.write("chains/.keep", "");
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

TEST_F(DryRunRuntimeApiTest, AnswersTheReportAndWritesNothing) {
  auto state = store_->listState("");
  ASSERT_TRUE(state.ok());

  const HttpReply reply = post("/api/jobs/Companies/dry-run?maxRecords=4");

  ASSERT_EQ(reply.status, 200) << reply.body;
  Poco::JSON::Object::Ptr report = parse(reply.body);
  EXPECT_EQ(report->getValue<std::string>("job"), "Companies");
  EXPECT_EQ(report->getValue<int>("recordsRead"), 4);
  EXPECT_EQ(report->getValue<int>("wouldCreate"), 4);
  EXPECT_TRUE(report->getValue<bool>("truncated"));
  EXPECT_EQ(report->getArray("samples")->size(), 4u);

  // Without maxRecords the connection's dryRunMaxRecords (3) bounds it.
  const HttpReply bounded = post("/api/jobs/Companies/dry-run");
  ASSERT_EQ(bounded.status, 200) << bounded.body;
  EXPECT_EQ(parse(bounded.body)->getValue<int>("recordsRead"), 3);

  store::ExecutionQuery all;
  all.limit = 0;
  EXPECT_TRUE(store_->listExecutions(all).value().empty()) << "a dry run is not an execution";
  EXPECT_EQ(*store_->count("Company"), 0);
  EXPECT_EQ(*store_->listState(""), *state);
}

TEST_F(DryRunRuntimeApiTest, UnknownJobBadParametersAndMethods) {
  EXPECT_EQ(post("/api/jobs/Nope/dry-run").status, 404);
  EXPECT_EQ(post("/api/chains/Companies/dry-run").status, 404);
  EXPECT_EQ(post("/api/jobs/Companies/dry-run?maxRecords=0").status, 400);
  EXPECT_EQ(post("/api/jobs/Companies/dry-run?maxRecords=abc").status, 400);
  EXPECT_EQ(post("/api/jobs/Companies/dry-run?other=1").status, 400);
  EXPECT_EQ(client_->get("/api/jobs/Companies/dry-run", kAliceToken).status, 405);
  EXPECT_EQ(client_->post("/api/jobs/Companies/dry-run").status, 401);
}

class DryRunFakeApiTest : public AdminServerFixture {};

TEST_F(DryRunFakeApiTest, RunningJobIs409AndDownloadIsAnAttachment) {
  control_.refuse("Company Sync");
  const HttpReply refused = post("/api/jobs/Company%20Sync/dry-run");
  EXPECT_EQ(refused.status, 409) << refused.body;

  const HttpReply download = post("/api/jobs/Person%20Sync/dry-run?download=1");
  ASSERT_EQ(download.status, 200) << download.body;
  EXPECT_NE(download.header("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(parse(download.body)->getValue<std::string>("job"), "Person Sync");
  EXPECT_EQ(control_.calls().back().action, "dry-run");
  EXPECT_EQ(control_.calls().back().actor, "alice");
}

}  // namespace
}  // namespace sfsync::admin::testing
