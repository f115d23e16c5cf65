// The real sfsyncd binary: --validate, refusing to start on bad config, --run-chain against the
// simulator, and serve mode on admin.port = 0 (the port read back from the daemon's log; /health,
// SIGHUP reloads an unchanged configuration without disturbing a run, clean shutdown on a
// termination request). More reload and shutdown cases: DaemonLifecycleTest.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <Poco/Net/ServerSocket.h>
#include <signal.h>
#include <sys/wait.h>

#include <map>
#include <string>

#include "app/DaemonTestSupport.h"
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

// A self-contained configuration tree in `dir` with the shipped jobs, chains and sample
// credentials.
void writeConfig(const TempDir& dir, const std::string& simUrl, int adminPort = 0) {  // 0: any
  dir.write("conf/sfsync.properties",
            "store.path = var/test.db\n"
            "admin.port = " +
                std::to_string(adminPort) +
                "\n"
                "paths.jobs = jobs\npaths.chains = chains\npaths.errors = var/errors\n"
                "log.file = var/log/sfsyncd.log\n"
                "connections = sample\n"
                "connection.sample.orgType = custom\n"
                "connection.sample.customDomainUrl = " +
                simUrl +
                "\n"
                "connection.sample.credentialsFile = conf/sample.credentials\n");
  dir.write("conf/sample.credentials", shipped("conf/sample.credentials"));
  for (const char* folder : {"jobs", "chains"}) {
    std::vector<std::string> files;
    Poco::File(std::string(SFSYNC_SOURCE_DIR) + "/" + folder).list(files);
    for (const auto& file : files) {
      dir.write(std::string(folder) + "/" + file, shipped(std::string(folder) + "/" + file));
    }
  }
}

TEST(SyncAppTest, ShippedConfigurationValidates) {
  auto result = runProcess(SFSYNCD_PATH, {"--validate"}, SFSYNC_SOURCE_DIR);
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find("configuration OK"), std::string::npos) << result.out;
}

TEST(SyncAppTest, ValidateListsEveryProblemWithFileAndPath) {
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9");
  dir.write("jobs/broken.json", R"({"name": "Broken", "connection": "sample",
    "source": {"object": "Account"}, "target": {"object": "Company"},
    "mappings": [{"source": "Id", "upsertKey": true}]})");
  dir.write("jobs/typo.json", R"({"name": "Typo", "connection": "nowhere",)");

  auto result = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());

  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("jobs/broken.json: mappings[0].target: "), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("jobs/typo.json: $: "), std::string::npos) << result.err;
}

TEST(SyncAppTest, OnlineValidationChecksJobsAgainstTheOrg) {
  sim::SimServer sim;
  sim.start();
  TempDir dir;
  writeConfig(dir, sim.baseUrl());
  auto clean = runProcess(SFSYNCD_PATH, {"--validate", "--online"}, dir.path());
  EXPECT_EQ(clean.exitCode, 0) << clean.err;

  dir.write("jobs/renamed.json", R"({"name": "Renamed", "connection": "sample",
    "source": {"object": "Account"}, "target": {"object": "Company"},
    "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
                 {"source": "Nmae", "target": "Name"}]})");
  auto offline = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(offline.exitCode, 0) << offline.err;  // the file itself is well-formed
  auto online = runProcess(SFSYNCD_PATH, {"--validate", "--online"}, dir.path());
  EXPECT_EQ(online.exitCode, 1);
  EXPECT_NE(online.err.find("jobs/renamed.json: mappings[1].source: field 'Nmae' does not exist "
                            "on Account in Salesforce"),
            std::string::npos)
      << online.err;
}

TEST(SyncAppTest, AdminConnectionLimitsAreValidated) {
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9");
  dir.write("conf/sfsync.properties",
            testing::readFile(dir.file("conf/sfsync.properties")) +
                "admin.threads = 4\nadmin.maxConnections = 0\nadmin.requestTimeoutSeconds = 5s\n"
                "admin.keepAliveSeconds = 0\n");
  auto result = runProcess(SFSYNCD_PATH, {"--validate"}, dir.path());
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("admin.maxConnections: expected an integer from 1 to 10000, got '0'"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("admin.requestTimeoutSeconds: expected an integer from 1 to 300"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("admin.threads"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("admin.keepAliveSeconds"), std::string::npos) << result.err;
}

TEST(SyncAppTest, RefusesToStartOnBadConfiguration) {
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9");
  dir.write("jobs/broken.json", "{ not json");

  auto result = runProcess(SFSYNCD_PATH, {"--run-job=Company Sync"}, dir.path());

  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("jobs/broken.json: $: "), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("refusing to start"), std::string::npos) << result.err;
  EXPECT_FALSE(Poco::File(dir.file("var/test.db")).exists());
}

TEST(SyncAppTest, RunChainLoadsTheStoreAndPrintsActivity) {
  sim::SimServer sim;
  sim.start();
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9");

  auto result = runProcess(SFSYNCD_PATH,
                           {"--define=connection.sample.customDomainUrl=" + sim.baseUrl(),
                            "--run-chain=sfdc_company_person_sync"},
                           dir.path());

  EXPECT_EQ(result.exitCode, 2) << result.out << result.err;  // Partial Success: one bad contact
  EXPECT_NE(result.out.find("SFDC_Company Person Sync"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Company Person Sync"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("error file: "), std::string::npos) << result.out;
  auto store = store::openSqliteStore(dir.file("var/test.db"));
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->count("Company"), static_cast<std::int64_t>(sim.recordCount("Account")));
  auto rows = (*store)->listExecutions(store::ExecutionQuery{});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 4u);  // the chain and its three jobs, linked
  std::string chainId;
  for (const auto& row : *rows) {
    if (row.kind == "chain") chainId = row.executionId;
  }
  for (const auto& row : *rows) {
    if (row.kind == "job") {
      EXPECT_EQ(row.parentId, chainId) << row.name;
    }
  }
  const auto& jobRow = rows->at(0).kind == "job" ? rows->at(0) : rows->at(1);

  auto activity = runProcess(SFSYNCD_PATH, {"--activity=10"}, dir.path());
  EXPECT_EQ(activity.exitCode, 0) << activity.err;
  EXPECT_NE(activity.out.find(jobRow.executionId), std::string::npos);
}

// Launches `sfsyncd` serving from `dir` (admin.port = 0) and returns its handle; *port receives
// the port it logged (0 when it never did).
Poco::ProcessHandle launchServing(const TempDir& dir, int* port) {
  Poco::ProcessHandle daemon = Poco::Process::launch(SFSYNCD_PATH, Poco::Process::Args{},
                                                     dir.path(), nullptr, nullptr, nullptr);
  *port = testing::waitForAdminPort(dir.file("var/log/sfsyncd.log"));
  return daemon;
}

// Requests http://127.0.0.1:port/path with the sample admin token; returns status and body.
std::pair<int, std::string> api(int port, const std::string& method, const std::string& path) {
  return testing::httpRequest(port, method, path, "sample-admin-token");
}

void addSampleToken(const TempDir& dir) {
  dir.write("conf/sfsync.properties",
            testing::readFile(dir.file("conf/sfsync.properties")) +
                "admin.tokens = sample\nadmin.token.sample.sha256 = "
                "6fe1ecc3098418820c222b5ef19e6bd3cc271628cb0653e42304b7ffb6164cc6\n");
}

// True once the newest run of `chain` has finished (a chain row that is not Running).
bool chainFinished(int port, const std::string& encodedChain, std::string* activity) {
  *activity = api(port, "GET", "/api/activity?chain=" + encodedChain + "&limit=10").second;
  return activity->find("\"kind\":\"chain\"") != std::string::npos &&
         activity->find("\"status\":\"Running\"") == std::string::npos;
}

TEST(SyncAppTest, ServesHealthAndStopsCleanlyOnTermination) {
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9");  // admin.port = 0: any free port
  int port = 0;
  Poco::ProcessHandle daemon = launchServing(dir, &port);
  ASSERT_NE(port, 0) << testing::readFile(dir.file("var/log/sfsyncd.log"));
  std::string health;
  EXPECT_TRUE(testing::waitUntil([&] { return !(health = testing::health(port)).empty(); }));
  EXPECT_NE(health.find("\"status\":\"ok\""), std::string::npos) << health;
  EXPECT_NE(health.find("\"jobs\":6"), std::string::npos) << health;
  EXPECT_NE(health.find("\"adminPort\":" + std::to_string(port) + "}"), std::string::npos)
      << health;

  Poco::Process::requestTermination(daemon.id());
  EXPECT_EQ(daemon.wait(), 0);
}

TEST(SyncAppTest, SighupDuringARunReloadsAndTheRunGoesOn) {
  sim::SimServer sim;
  sim.start();
  TempDir dir;
  writeConfig(dir, sim.baseUrl());
  addSampleToken(dir);
  int port = 0;
  Poco::ProcessHandle daemon = launchServing(dir, &port);
  ASSERT_NE(port, 0);
  ASSERT_TRUE(testing::waitUntil([&] { return !testing::health(port).empty(); }));

  const std::string chain = "SFDC_Company%20Person%20Sync";
  EXPECT_EQ(api(port, "POST", "/api/chains/" + chain + "/run").first, 202);
  ASSERT_EQ(::kill(daemon.id(), SIGHUP), 0);
  const std::string log = dir.file("var/log/sfsyncd.log");
  EXPECT_TRUE(testing::waitUntil([&] {
    return testing::readFile(log).find("configuration reloaded by SIGHUP") != std::string::npos;
  })) << testing::readFile(log);
  EXPECT_NE(testing::health(port).find("\"status\":\"ok\""), std::string::npos);
  std::string activity;
  EXPECT_TRUE(testing::waitUntil([&] { return chainFinished(port, chain, &activity); }))
      << activity;
  EXPECT_NE(activity.find("\"status\":\"Partial Success\""), std::string::npos) << activity;

  ASSERT_EQ(::kill(daemon.id(), SIGHUP), 0);  // a second one changes nothing either
  Poco::Process::requestTermination(daemon.id());
  EXPECT_EQ(daemon.wait(), 0);
}

TEST(SyncAppTest, ServedDaemonRunsAndPausesThroughTheApiAndTheCommandLine) {
  sim::SimServer sim;
  sim.start();
  TempDir dir;
  writeConfig(dir, sim.baseUrl());
  addSampleToken(dir);
  int port = 0;
  Poco::ProcessHandle daemon = launchServing(dir, &port);
  ASSERT_NE(port, 0);
  ASSERT_TRUE(testing::waitUntil([&] { return !testing::health(port).empty(); }));

  EXPECT_EQ(api(port, "GET", "/api/jobs").first, 200);
  const std::string chain = "SFDC_Company%20Person%20Sync";
  auto started = api(port, "POST", "/api/chains/" + chain + "/run");
  EXPECT_EQ(started.first / 100, 2) << started.second;
  std::string activity;  // the chain runs on a worker thread
  EXPECT_TRUE(testing::waitUntil([&] { return chainFinished(port, chain, &activity); }))
      << activity;
  EXPECT_NE(activity.find("\"status\":\"Partial Success\""), std::string::npos) << activity;

  // The command-line control client finds the daemon through the configuration: tell it the port.
  const std::map<std::string, std::string> env{{"SFSYNC_ADMIN_TOKEN", "sample-admin-token"}};
  const std::string portArg = "--define=admin.port=" + std::to_string(port);
  auto paused = runProcess(SFSYNCD_PATH, {portArg, "--pause=Company Sync"}, dir.path(), env);
  EXPECT_EQ(paused.exitCode, 0) << paused.err;
  EXPECT_NE(paused.out.find("paused"), std::string::npos) << paused.out;
  EXPECT_NE(api(port, "GET", "/api/updates").second.find("\"actor\":\"sample\""),
            std::string::npos);
  auto noToken = runProcess(SFSYNCD_PATH, {portArg, "--resume=Company Sync"}, dir.path());
  EXPECT_EQ(noToken.exitCode, 1);
  EXPECT_NE(noToken.err.find("SFSYNC_ADMIN_TOKEN"), std::string::npos) << noToken.err;

  Poco::Process::requestTermination(daemon.id());
  EXPECT_EQ(daemon.wait(), 0);
}

TEST(SyncAppTest, ControlClientExplainsAnAnyPortConfiguration) {
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9");  // admin.port = 0: only the daemon knows its port
  const std::map<std::string, std::string> env{{"SFSYNC_ADMIN_TOKEN", "sample-admin-token"}};
  auto result = runProcess(SFSYNCD_PATH, {"--pause=Company Sync"}, dir.path(), env);
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("admin.port is 0"), std::string::npos) << result.err;
}

TEST(SyncAppTest, DaemonModeKeepsRelativePaths) {
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:9");

  auto launcher =
      runProcess(SFSYNCD_PATH, {"--daemon", "--pidfile=" + dir.file("sfsyncd.pid")}, dir.path());
  EXPECT_EQ(launcher.exitCode, 0) << launcher.err;
  // The log was created under the start directory, not under "/" (the daemon chdirs).
  const int port = testing::waitForAdminPort(dir.file("var/log/sfsyncd.log"));
  ASSERT_NE(port, 0);
  std::string health;
  EXPECT_TRUE(testing::waitUntil([&] { return !(health = testing::health(port)).empty(); }));
  EXPECT_NE(health.find("\"status\":\"ok\""), std::string::npos) << health;
  EXPECT_NE(health.find(dir.file("var/test.db")), std::string::npos) << health;

  const std::string pid = testing::readFile(dir.file("sfsyncd.pid"));
  ASSERT_FALSE(pid.empty());
  Poco::Process::requestTermination(std::stoi(pid));
  EXPECT_TRUE(testing::waitUntil([&] { return testing::health(port).empty(); }));
}

// SIGTERM while a run waits on a Salesforce that accepted the connection and never answers: after
// the grace period the shutdown cancels the in-flight request (the socket timeout and the response
// deadline are far longer than the wait below), the daemon exits 0 and the run's row is final -
// Deferred (the next run resumes where it stood), not Running.
TEST(SyncAppTest, TerminationInterruptsASalesforceCallInFlight) {
  Poco::Net::ServerSocket silent;  // the kernel completes connections into the backlog
  silent.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true);
  silent.listen(16);
  TempDir dir;
  writeConfig(dir, "http://127.0.0.1:" + std::to_string(silent.address().port()));
  dir.write("conf/sfsync.properties", testing::readFile(dir.file("conf/sfsync.properties")) +
                                          "connection.sample.timeoutMs = 600000\n");
  addSampleToken(dir);
  int port = 0;
  Poco::ProcessHandle daemon = launchServing(dir, &port);
  ASSERT_NE(port, 0) << testing::readFile(dir.file("var/log/sfsyncd.log"));
  ASSERT_TRUE(testing::waitUntil([&] { return !testing::health(port).empty(); }));
  ASSERT_EQ(api(port, "POST", "/api/jobs/Company%20Sync/run").first, 202);
  ASSERT_TRUE(testing::waitUntil([&] {
    return api(port, "GET", "/api/activity?limit=5").second.find("\"status\":\"Running\"") !=
           std::string::npos;
  }));

  Poco::Process::requestTermination(daemon.id());
  int status = -1;
  const bool exited =
      testing::waitUntil([&] { return ::waitpid(daemon.id(), &status, WNOHANG) == daemon.id(); },
                         std::chrono::seconds(60));
  if (!exited) {
    Poco::Process::kill(daemon);
    FAIL() << "the daemon did not exit while a Salesforce call was in flight";
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  auto store = store::openSqliteStore(dir.file("var/test.db"));
  ASSERT_TRUE(store.ok()) << store.status().toString();
  auto rows = (*store)->listExecutions(store::ExecutionQuery{});
  ASSERT_TRUE(rows.ok()) << rows.status().toString();
  ASSERT_FALSE(rows->empty());
  for (const auto& row : *rows) EXPECT_EQ(row.status, "Deferred") << row.message;
}

}  // namespace
}  // namespace sfsync
