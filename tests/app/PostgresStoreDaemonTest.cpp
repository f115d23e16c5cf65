// sfsyncd with store.type = postgresql, end to end: the shipped chain against the simulator into
// the test cluster (fixture `postgres`), the activity read back from PostgreSQL, the password
// taken from the credentials store (--set-secret=store.password), and the configuration errors a
// PostgreSQL store can have (a password in the URL, an unreachable server) - each naming the key,
// none repeating the password.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/Process.h>

#include <string>
#include <vector>

#include "app/DaemonTestSupport.h"
#include "fakes/PgTestCluster.h"
#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/store/Store.h"

namespace sfsync {
namespace {

using testing::runProcess;
using testing::TempDir;

std::string shipped(const std::string& relative) {
  return testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/" + relative);
}

// The shipped jobs, chains and sample credentials, with the store lines `store`.
void writeConfig(const TempDir& dir, const std::string& simUrl, const std::string& store) {
  dir.write("conf/sfsync.properties",
            store +
                "paths.jobs = jobs\npaths.chains = chains\npaths.errors = var/errors\n"
                "log.file = var/log/sfsyncd.log\n"
                "connections = sample\n"
                "connection.sample.orgType = custom\n"
                "connection.sample.customDomainUrl = " +
                simUrl + "\nconnection.sample.credentialsFile = conf/sample.credentials\n");
  dir.write("conf/sample.credentials", shipped("conf/sample.credentials"));
  for (const char* folder : {"jobs", "chains"}) {
    std::vector<std::string> files;
    Poco::File(std::string(SFSYNC_SOURCE_DIR) + "/" + folder).list(files);
    for (const auto& file : files) {
      dir.write(std::string(folder) + "/" + file, shipped(std::string(folder) + "/" + file));
    }
  }
}

std::string pgStoreLines(const std::string& url, const std::string& schema) {
  return "store.type = postgresql\nstore.url = " + url + "\nstore.schema = " + schema +
         "\nstore.connectTimeoutSeconds = 5\n";
}

TEST(PostgresStoreDaemonTest, RunChainLoadsPostgresqlAndActivityReadsItBack) {
  const std::string url = testing::pgTestUrl();
  ASSERT_FALSE(url.empty()) << "no test PostgreSQL cluster (ctest fixture pg_cluster_start)";
  sim::SimServer sim;
  sim.start();
  TempDir dir;
  const std::string schema = testing::pgTestSchema(dir.path());
  writeConfig(dir, sim.baseUrl(),
              pgStoreLines(url, schema) + "secrets.keyFile = conf/secrets.key\n");
  dir.write("var/.keep", "");  // --set-secret writes var/credentials.enc
  // The password travels through the encrypted credentials store (the test cluster trusts
  // loopback, so any value connects); it must never be printed.
  dir.write("stdin.txt", "pg-secret-not-to-be-logged\n");
  auto secret = runProcess(
      "/bin/sh", {"-c", "exec \"$0\" --set-secret=store.password < stdin.txt", SFSYNCD_PATH},
      dir.path());
  ASSERT_EQ(secret.exitCode, 0) << secret.out << secret.err;

  auto result = runProcess(SFSYNCD_PATH, {"--run-chain=sfdc_company_person_sync"}, dir.path());

  EXPECT_EQ(result.exitCode, 2) << result.out << result.err;  // Partial Success: one bad contact
  EXPECT_NE(result.out.find("Company Person Sync"), std::string::npos) << result.out;
  EXPECT_FALSE(Poco::File(dir.file("var/sfsync.db")).exists());  // nothing went to SQLite
  store::PostgresSettings settings;
  settings.url = url;
  settings.schema = schema;
  auto store = store::openPostgresStore(settings);
  ASSERT_TRUE(store.ok()) << store.status().toString();
  EXPECT_EQ(*(*store)->count("Company"), static_cast<std::int64_t>(sim.recordCount("Account")));
  auto rows = (*store)->listExecutions(store::ExecutionQuery{});
  ASSERT_TRUE(rows.ok()) << rows.status().toString();
  EXPECT_EQ(rows->size(), 4u);  // the chain and its three jobs

  auto activity = runProcess(SFSYNCD_PATH, {"--activity=10"}, dir.path());
  EXPECT_EQ(activity.exitCode, 0) << activity.err;
  EXPECT_NE(activity.out.find(rows->front().executionId), std::string::npos) << activity.out;
  const std::string log = testing::readFile(dir.file("var/log/sfsyncd.log"));
  for (const std::string* text :
       std::vector<const std::string*>{&result.out, &result.err, &activity.out, &log}) {
    EXPECT_EQ(text->find("pg-secret-not-to-be-logged"), std::string::npos);
  }
}

TEST(PostgresStoreDaemonTest, ServedDaemonRunsAChainIntoPostgresqlThroughTheApi) {
  const std::string url = testing::pgTestUrl();
  ASSERT_FALSE(url.empty()) << "no test PostgreSQL cluster (ctest fixture pg_cluster_start)";
  sim::SimServer sim;
  sim.start();
  TempDir dir;
  const std::string schema = testing::pgTestSchema(dir.path());
  writeConfig(dir, sim.baseUrl(),
              pgStoreLines(url, schema) +
                  "admin.port = 0\nadmin.tokens = sample\nadmin.token.sample.sha256 = "
                  "6fe1ecc3098418820c222b5ef19e6bd3cc271628cb0653e42304b7ffb6164cc6\n");
  Poco::ProcessHandle daemon = Poco::Process::launch(SFSYNCD_PATH, Poco::Process::Args{},
                                                     dir.path(), nullptr, nullptr, nullptr);
  const int port = testing::waitForAdminPort(dir.file("var/log/sfsyncd.log"));
  ASSERT_NE(port, 0) << testing::readFile(dir.file("var/log/sfsyncd.log"));
  ASSERT_TRUE(testing::waitUntil([&] { return !testing::health(port).empty(); }));
  EXPECT_NE(testing::health(port).find(schema), std::string::npos) << testing::health(port);

  const std::string chain = "SFDC_Company%20Person%20Sync";
  auto started =
      testing::httpRequest(port, "POST", "/api/chains/" + chain + "/run", "sample-admin-token");
  EXPECT_EQ(started.first / 100, 2) << started.second;
  std::string activity;
  EXPECT_TRUE(testing::waitUntil([&] {
    activity = testing::httpRequest(port, "GET", "/api/activity?chain=" + chain + "&limit=10",
                                    "sample-admin-token")
                   .second;
    return activity.find("\"kind\":\"chain\"") != std::string::npos &&
           activity.find("\"status\":\"Running\"") == std::string::npos;
  })) << activity;
  EXPECT_NE(activity.find("\"status\":\"Partial Success\""), std::string::npos) << activity;
  Poco::Process::requestTermination(daemon.id());
  EXPECT_EQ(daemon.wait(), 0);

  store::PostgresSettings settings;
  settings.url = url;
  settings.schema = schema;
  auto store = store::openPostgresStore(settings);
  ASSERT_TRUE(store.ok()) << store.status().toString();
  EXPECT_EQ(*(*store)->count("Company"), static_cast<std::int64_t>(sim.recordCount("Account")));
}

TEST(PostgresStoreDaemonTest, PasswordInTheUrlIsAConfigErrorThatHidesIt) {
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9",
              pgStoreLines("postgresql://sfsync:hunter2secret@127.0.0.1:5432/sfsync", "s"));

  auto result = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());

  EXPECT_EQ(result.exitCode, 1) << result.out << result.err;
  EXPECT_NE(result.err.find("store.url"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("password"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("hunter2secret"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("hunter2secret"), std::string::npos) << result.out;
}

TEST(PostgresStoreDaemonTest, StoreKeysAreCheckedForTheirType) {
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9", "store.type = postgres-ish\nstore.path = var/test.db\n");
  auto badType = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(badType.exitCode, 1);
  EXPECT_NE(badType.err.find("store.type"), std::string::npos) << badType.err;

  writeConfig(dir, "http://127.0.0.1:9",
              "store.type = postgresql\nstore.url = mysql://x@y/z\nstore.cacheMb = 8\n"
              "store.statementTimeoutSeconds = -1\n");
  auto bad = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(bad.exitCode, 1);
  for (const char* key : {"store.url", "store.cacheMb", "store.statementTimeoutSeconds"}) {
    EXPECT_NE(bad.err.find(key), std::string::npos) << key << ": " << bad.err;
  }
}

TEST(PostgresStoreDaemonTest, UnreachableServerFailsWithAClearError) {
  TempDir dir;
  // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
  writeConfig(dir, "http://127.0.0.1:9",
              pgStoreLines("postgresql://postgres@127.0.0.1:9/postgres", "s"));

  auto result = runProcess(SFSYNCD_PATH, {"--run-job=Company Sync"}, dir.path());

  EXPECT_NE(result.exitCode, 0);
  EXPECT_NE(result.err.find("cannot connect to PostgreSQL store postgresql://postgres@127.0.0.1:9"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace sfsync
