// A Snowflake job in the daemon runtime (issue 14): loaded from the configuration files
// (connection.<n>.type = snowflake, OAuth secrets from the environment), run by the scheduler
// (run-now) beside a Salesforce connection; its refresh token 10 days before expiry: the run
// succeeds, its message carries the warning and the job's failure recipients are told; then a dry
// run of it through the runtime (what POST /api/jobs/{name}/dry-run calls).
#include <gtest/gtest.h>

#include <Poco/File.h>

#include <cstdlib>

#include "app/DaemonRuntime.h"
#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "notify/WebhookReceiver.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "snowflake_sim/SnowflakeSim.h"

namespace sfsync::app {
namespace {

TEST(DaemonSnowflakeTest, RunNowLoadsUsageAndWarnsFailureRecipientsOfTheExpiringToken) {
  auto clock = std::make_shared<sfsync::testing::FakeClock>();
  snowsim::SnowflakeSim snow(snowsim::SnowSimOptions{});
  snowsim::SimTable usage;
  usage.columns = {{"EMAIL", "text", 0}, {"LOGINS", "fixed", 0}};
  usage.rows = {{std::string("a@example.com"), std::string("3")},
                {std::string("b@example.com"), std::string("5")}};
  snow.setTable("DB.PUBLIC.USAGE", usage);
  snow.start();
  sim::SimServer sf;
  sf.start();
  notify::testing::WebhookReceiver hook;
  sfsync::testing::TempDir dir;
  const std::string issued =
      formatIso8601(clock->now() - std::chrono::hours(24 * 80)).substr(0, 10);  // 10 days left
  dir.write("conf/sfsync.properties",
            "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
            "paths.errors = var/errors\nconnections = sample, warehouse\n"
            "connection.sample.orgType = custom\n"
            "connection.sample.customDomainUrl = " +
                sf.baseUrl() +
                "\nconnection.sample.credentialsFile = conf/sample.credentials\n"
                "connection.warehouse.type = snowflake\n"
                "connection.warehouse.accountUrl = " +
                snow.baseUrl() +
                "\nconnection.warehouse.authenticator = oauth\n"
                "connection.warehouse.credentialsEnvPrefix = SFSYNC_TEST_SNOW_\n"
                "connection.warehouse.refreshTokenIssued = " +
                issued + "\n");
  dir.write("conf/sample.credentials",
            sfsync::testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
  dir.write("jobs/usage.json", R"({"name": "Usage", "connection": "warehouse",
    "source": {"table": "DB.PUBLIC.USAGE"}, "target": {"object": "Person"},
    "mappings": [{"source": "EMAIL", "target": "Email", "upsertKey": true},
                 {"source": "LOGINS", "target": "Logins"}],
    "notifications": {"onFailure": {"webhooks": [")" +
                                   hook.url() + R"("]}}})");
  Poco::File(dir.file("chains")).createDirectories();
  ::setenv("SFSYNC_TEST_SNOW_CLIENT_ID", "sim-client", 1);
  ::setenv("SFSYNC_TEST_SNOW_CLIENT_SECRET", "sim-secret", 1);
  ::setenv("SFSYNC_TEST_SNOW_REFRESH_TOKEN", "sim-refresh-token", 1);
  config::LoadedConfig conf = config::loadConfig("conf/sfsync.properties", dir.path());
  for (const char* v : {"SFSYNC_TEST_SNOW_CLIENT_ID", "SFSYNC_TEST_SNOW_CLIENT_SECRET",
                        "SFSYNC_TEST_SNOW_REFRESH_TOKEN"}) {
    ::unsetenv(v);
  }
  for (const auto& p : conf.problems) ADD_FAILURE() << p.toString();
  ASSERT_TRUE(conf.problems.empty());
  store::StorePtr store = std::move(store::openSqliteStore(conf.app.storePath).value());
  notify::NotificationSettings settings;
  settings.webhook.initialBackoff = std::chrono::milliseconds(1);
  DaemonRuntime runtime(conf, *store, clock, settings, scheduling::Scheduler::Options{});
  ASSERT_TRUE(runtime.init().ok());

  ASSERT_TRUE(runtime.runNow("job", "Usage", "test").ok());
  ASSERT_TRUE(runtime.scheduler().waitIdle(std::chrono::seconds(60)));

  store::ExecutionQuery q;
  q.name = "Usage";
  std::vector<store::ExecutionRecord> runs = store->listExecutions(q).value();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, "Success") << runs[0].message;
  EXPECT_EQ(runs[0].api, "snowflake");
  EXPECT_EQ(runs[0].created, 2);
  EXPECT_NE(runs[0].message.find("the OAuth refresh token expires on"), std::string::npos)
      << runs[0].message;
  ASSERT_EQ(hook.requests().size(), 1u);
  EXPECT_NE(hook.requests()[0].body.find("the OAuth refresh token expires on"), std::string::npos)
      << hook.requests()[0].body;
  EXPECT_EQ(hook.requests()[0].body.find("sim-refresh-token"), std::string::npos);

  // The admin dry-run endpoint's path (DaemonRuntime::dryRun) works for a Snowflake job too.
  Result<std::string> dry = runtime.dryRun("Usage", 1, "test");
  ASSERT_TRUE(dry.ok()) << dry.status().toString();
  EXPECT_NE(dry->find("\"recordsRead\":1"), std::string::npos) << *dry;
  EXPECT_NE(dry->find("\"truncated\":true"), std::string::npos) << *dry;
}

}  // namespace
}  // namespace sfsync::app
