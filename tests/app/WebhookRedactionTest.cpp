// Webhook URLs (their path is the secret) never reach the admin API: the job and chain definitions
// DaemonRuntime hands to it keep only the URL's scheme and host.
#include <gtest/gtest.h>

#include <Poco/File.h>

#include "app/DaemonRuntime.h"
#include "fakes/FakeClock.h"
#include "fakes/TempDir.h"
#include "sfsync/config/ConfigLoader.h"

namespace sfsync::app {
namespace {

TEST(WebhookRedactionTest, AdminDefinitionsShowOnlySchemeAndHost) {
  sfsync::testing::TempDir dir;
  dir.write("conf/sfsync.properties",
            "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
            "paths.errors = var/errors\nconnections = sample\n"
            "connection.sample.orgType = sandbox\n"
            "connection.sample.credentialsFile = conf/sample.credentials\n");
  dir.write("conf/sample.credentials",
            "clientId = c\nclientSecret = s\nusername = u\npassword = p\n");
  const std::string hooks =
      R"("notifications": {"onFailure": {"webhooks": ["https://hooks.slack.com/services/T/B/s3cr3t"]}})";
  dir.write("jobs/companies.json", R"({"name": "Companies", "connection": "sample",
      "source": {"object": "Account"}, "target": {"object": "Company"},
      "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true}], )" +
                                       hooks + "}");
  dir.write("chains/nightly.json", R"({"name": "Nightly", "jobs": ["Companies"], )" + hooks + "}");
  const config::LoadedConfig config = config::loadConfig("conf/sfsync.properties", dir.path());
  ASSERT_TRUE(config.problems.empty()) << config.problems.front().toString();
  auto store = std::move(store::openSqliteStore(config.app.storePath).value());
  auto clock = std::make_shared<sfsync::testing::FakeClock>();
  DaemonRuntime runtime(config, *store, clock, notify::NotificationSettings{},
                        scheduling::Scheduler::Options{});

  const auto jobs = runtime.jobs();
  const auto chains = runtime.chains();
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_EQ(chains.size(), 1u);
  for (const std::string& definition : {jobs[0].definitionJson, chains[0].definitionJson}) {
    EXPECT_EQ(definition.find("s3cr3t"), std::string::npos) << definition;
    EXPECT_NE(definition.find("\"https://hooks.slack.com/<redacted>\""), std::string::npos)
        << definition;
  }
}

}  // namespace
}  // namespace sfsync::app
