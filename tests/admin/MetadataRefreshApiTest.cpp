// POST /api/connections/{name}/refresh-metadata (issue 15) through the real AdminServer and
// DaemonRuntime (SQLite store, the Salesforce simulator, a webhook receiver): a refresh that finds
// a mapped field renamed records update activity, marks the job invalid (the job summary shows it,
// a run fails at once with METADATA_FIELD_MISSING) and notifies the job's onFailure webhook;
// restoring the field makes it valid again. The daemon's daily housekeeping refreshes describes
// older than metadataRefreshDays on its own. The route needs a token and a known connection.
#include <Poco/File.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "admin/AdminHttpClient.h"
#include "admin/AdminServerFixture.h"
#include "app/DaemonRuntime.h"
#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "notify/WebhookReceiver.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/admin/AdminServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/MetadataRefresh.h"

namespace sfsync::admin::testing {
namespace {

std::string widgetDescribe(const std::string& colorField) {
  return R"({"name": "Widget__c", "keyPrefix": "a0W", "custom": true, "fields": [
      {"name": "Id", "type": "id"}, {"name": "IsDeleted", "type": "boolean"},
      {"name": "Name", "type": "string"},
      {"name": ")" +
         colorField + R"(", "type": "string", "label": "Color"},
      {"name": "SystemModstamp", "type": "datetime"}]})";
}

class MetadataRefreshApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    sim_.addObject(widgetDescribe("Color__c"));
    sim_.insertRecord("Widget__c", R"({"Name": "W1", "Color__c": "red"})");
    dir_.write("conf/sfsync.properties",
               "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
               "paths.errors = var/errors\nconnections = sample\n"
               "connection.sample.orgType = custom\n"
               "connection.sample.customDomainUrl = " +
                   sim_.baseUrl() +
                   "\nconnection.sample.credentialsFile = conf/sample.credentials\n"
                   "connection.sample.metadataRefreshDays = 3\n");
    dir_.write("conf/sample.credentials", sfsync::testing::readFile(std::string(SFSYNC_SOURCE_DIR) +
                                                                    "/conf/sample.credentials"));
    dir_.write("jobs/companies.json", R"({
      "name": "Companies", "connection": "sample",
      "source": {"object": "Account"}, "target": {"object": "Company"},
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
                   {"source": "Name", "target": "Name"}]})");
    dir_.write("jobs/widgets.json", R"({
      "name": "Widgets", "connection": "sample",
      "source": {"object": "Widget__c", "mode": "full", "api": "rest"},
      "target": {"object": "Widget"},
      "mappings": [{"source": "Id", "target": "SfId", "upsertKey": true},
                   {"source": "Color__c", "target": "Color"}],
      "notifications": {"onFailure": {"webhooks": [")" +
                                        hook_.url() + R"("]}}})");
    Poco::File(dir_.file("chains")).createDirectories();
    config_ = config::loadConfig("conf/sfsync.properties", dir_.path());
    for (const auto& p : config_.problems) ADD_FAILURE() << p.toString();
    ASSERT_TRUE(config_.problems.empty());
    store_ = std::move(store::openSqliteStore(config_.app.storePath).value());
    notify::NotificationSettings settings;
    settings.webhook.initialBackoff = std::chrono::milliseconds(1);
    runtime_ = std::make_unique<app::DaemonRuntime>(config_, *store_, clock_, settings,
                                                    scheduling::Scheduler::Options{});
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

  store::ExecutionRecord runNow(const std::string& job) {
    EXPECT_EQ(post("/api/jobs/" + job + "/run").status, 202);
    EXPECT_TRUE(runtime_->scheduler().waitIdle(std::chrono::seconds(60)));
    store::ExecutionQuery q;
    q.name = job;
    q.limit = 1;
    return store_->listExecutions(q).value().front();
  }

  // The job's summary in GET /api/jobs/{name}.
  Poco::JSON::Object::Ptr jobSummary(const std::string& job) {
    return parseObject(get("/api/jobs/" + job).body)->getObject("job");
  }

  std::vector<store::UpdateRecord> updates(const std::string& action) {
    std::vector<store::UpdateRecord> out;
    for (const store::UpdateRecord& u : store_->listUpdates(0, "").value()) {
      if (u.action == action && u.name == "Widgets") out.push_back(u);
    }
    return out;
  }

  sim::SimServer sim_;
  notify::testing::WebhookReceiver hook_;
  sfsync::testing::TempDir dir_;
  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
  config::LoadedConfig config_;
  store::StorePtr store_;
  std::unique_ptr<app::DaemonRuntime> runtime_;
  std::unique_ptr<AdminServer> server_;
  std::unique_ptr<AdminHttpClient> client_;
};

TEST_F(MetadataRefreshApiTest, RenamedFieldIsRecordedMarkedAndNotifiedUntilRestored) {
  const HttpReply first = post("/api/connections/sample/refresh-metadata");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.body.find("2 object(s) described, 0 job(s) invalid"), std::string::npos)
      << first.body;

  sim_.addObject(widgetDescribe("Colour__c"));
  const HttpReply found = post("/api/connections/sample/refresh-metadata");
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_NE(found.body.find("1 job(s) invalid: Widgets"), std::string::npos) << found.body;
  // Update activity, by the token's name, naming the field.
  ASSERT_EQ(updates("metadata-invalid").size(), 1u);
  EXPECT_EQ(updates("metadata-invalid").front().actor, "alice");
  EXPECT_NE(updates("metadata-invalid").front().diff.find("Color__c"), std::string::npos);
  // The job's onFailure webhook hears it.
  ASSERT_TRUE(hook_.waitForRequests(1));
  const std::string notice = hook_.requests().front().body;
  EXPECT_NE(notice.find("METADATA_FIELD_MISSING"), std::string::npos) << notice;
  EXPECT_NE(notice.find("Color__c"), std::string::npos) << notice;
  EXPECT_NE(notice.find("\"Invalid\""), std::string::npos) << notice;
  // The job summary shows the invalid state.
  Poco::JSON::Object::Ptr summary = jobSummary("Widgets");
  EXPECT_TRUE(summary->getValue<bool>("invalid"));
  EXPECT_EQ(summary->getValue<std::string>("invalidReason"), "METADATA_FIELD_MISSING");
  EXPECT_NE(summary->getValue<std::string>("invalidMessage").find("Color__c"), std::string::npos);
  EXPECT_FALSE(jobSummary("Companies")->getValue<bool>("invalid"));
  // A run fails at once.
  const store::ExecutionRecord refused = runNow("Widgets");
  EXPECT_EQ(refused.status, "Failed");
  EXPECT_EQ(refused.apiCalls, 0);
  EXPECT_NE(refused.message.find("METADATA_FIELD_MISSING"), std::string::npos) << refused.message;

  sim_.addObject(widgetDescribe("Color__c"));
  const HttpReply restored = post("/api/connections/sample/refresh-metadata");
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_NE(restored.body.find("0 job(s) invalid"), std::string::npos) << restored.body;
  EXPECT_EQ(updates("metadata-valid").size(), 1u);
  EXPECT_FALSE(jobSummary("Widgets")->getValue<bool>("invalid"));
  EXPECT_EQ(runNow("Widgets").status, "Success");
}

TEST_F(MetadataRefreshApiTest, DailyHousekeepingRefreshesStaleDescribes) {
  ASSERT_EQ(runNow("Widgets").status, "Success");  // caches Widget__c
  sim_.addObject(widgetDescribe("Colour__c"));
  clock_->advance(std::chrono::hours(24 * 4));  // older than metadataRefreshDays = 3
  // Another job's run ends; the housekeeping after it refreshes the connection.
  ASSERT_EQ(runNow("Companies").status, "Success");
  ASSERT_EQ(updates("metadata-invalid").size(), 1u);
  EXPECT_EQ(updates("metadata-invalid").front().actor, "daemon");
  EXPECT_TRUE(jobSummary("Widgets")->getValue<bool>("invalid"));
  ASSERT_TRUE(hook_.waitForRequests(1));
}

TEST_F(MetadataRefreshApiTest, NeedsATokenAndAKnownConnection) {
  EXPECT_EQ(client_->post("/api/connections/sample/refresh-metadata", "").status, 401);
  EXPECT_EQ(post("/api/connections/nope/refresh-metadata").status, 404);
  EXPECT_EQ(post("/api/jobs/Widgets/refresh-metadata").status, 404);
  EXPECT_EQ(get("/api/connections/sample/refresh-metadata").status, 405);
  EXPECT_TRUE(store_->listMetadata("sample").value().empty());
}

}  // namespace
}  // namespace sfsync::admin::testing
