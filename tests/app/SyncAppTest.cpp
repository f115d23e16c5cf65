// The real sfsyncd binary: --validate, refusing to start on bad config, --run-chain against the
// simulator, and serve mode (/health, clean shutdown on a termination request).
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <map>
#include <thread>

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
void writeConfig(const TempDir& dir, const std::string& simUrl, int adminPort = 0) {
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

int freePort() {
  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
  return socket.address().port();
}

// GETs http://127.0.0.1:port/path; returns "" while nothing listens.
std::string httpGet(int port, const std::string& path) {
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    return body;
  } catch (const Poco::Exception&) {
    return "";
  }
}

// Polls /health until the daemon answers (startup), giving up after ~15 s.
std::string waitForHealth(int port) {
  for (int i = 0; i < 300; ++i) {
    std::string health = httpGet(port, "/health");
    if (!health.empty()) return health;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "";
}

TEST(SyncAppTest, ServesHealthAndStopsCleanlyOnTermination) {
  TempDir dir;
  const int port = freePort();
  writeConfig(dir, "http://127.0.0.1:9", port);
  Poco::ProcessHandle daemon = Poco::Process::launch(SFSYNCD_PATH, Poco::Process::Args{},
                                                     dir.path(), nullptr, nullptr, nullptr);
  const std::string health = waitForHealth(port);
  EXPECT_NE(health.find("\"status\":\"ok\""), std::string::npos) << health;
  EXPECT_NE(health.find("\"jobs\":6"), std::string::npos) << health;

  Poco::Process::requestTermination(daemon.id());
  EXPECT_EQ(daemon.wait(), 0);
}

// Requests http://127.0.0.1:port/path with the sample admin token; returns status and body.
std::pair<int, std::string> api(int port, const std::string& method, const std::string& path) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("Authorization", "Bearer sample-admin-token");
  request.setContentLength(0);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  return {response.getStatus(), body};
}

TEST(SyncAppTest, ServedDaemonRunsAndPausesThroughTheApiAndTheCommandLine) {
  sim::SimServer sim;
  sim.start();
  TempDir dir;
  const int port = freePort();
  writeConfig(dir, sim.baseUrl(), port);
  dir.write("conf/sfsync.properties",
            testing::readFile(dir.file("conf/sfsync.properties")) +
                "admin.tokens = sample\nadmin.token.sample.sha256 = "
                "6fe1ecc3098418820c222b5ef19e6bd3cc271628cb0653e42304b7ffb6164cc6\n");
  Poco::ProcessHandle daemon = Poco::Process::launch(SFSYNCD_PATH, Poco::Process::Args{},
                                                     dir.path(), nullptr, nullptr, nullptr);
  ASSERT_FALSE(waitForHealth(port).empty());

  EXPECT_EQ(api(port, "GET", "/api/jobs").first, 200);
  auto started = api(port, "POST", "/api/chains/SFDC_Company%20Person%20Sync/run");
  EXPECT_EQ(started.first / 100, 2) << started.second;
  std::string activity;
  for (int i = 0; i < 300; ++i) {  // the chain runs on a worker thread
    activity = api(port, "GET", "/api/activity?chain=SFDC_Company%20Person%20Sync&limit=10").second;
    if (activity.find("\"kind\":\"chain\"") != std::string::npos &&
        activity.find("\"status\":\"Running\"") == std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(activity.find("\"status\":\"Partial Success\""), std::string::npos) << activity;

  const std::map<std::string, std::string> env{{"SFSYNC_ADMIN_TOKEN", "sample-admin-token"}};
  auto paused = runProcess(SFSYNCD_PATH, {"--pause=Company Sync"}, dir.path(), env);
  EXPECT_EQ(paused.exitCode, 0) << paused.err;
  EXPECT_NE(paused.out.find("paused"), std::string::npos) << paused.out;
  EXPECT_NE(api(port, "GET", "/api/updates").second.find("\"actor\":\"sample\""),
            std::string::npos);
  auto noToken = runProcess(SFSYNCD_PATH, {"--resume=Company Sync"}, dir.path());
  EXPECT_EQ(noToken.exitCode, 1);
  EXPECT_NE(noToken.err.find("SFSYNC_ADMIN_TOKEN"), std::string::npos) << noToken.err;

  Poco::Process::requestTermination(daemon.id());
  EXPECT_EQ(daemon.wait(), 0);
}

TEST(SyncAppTest, DaemonModeKeepsRelativePaths) {
  TempDir dir;
  const int port = freePort();
  writeConfig(dir, "http://127.0.0.1:9", port);

  auto launcher =
      runProcess(SFSYNCD_PATH, {"--daemon", "--pidfile=" + dir.file("sfsyncd.pid")}, dir.path());
  EXPECT_EQ(launcher.exitCode, 0) << launcher.err;
  const std::string health = waitForHealth(port);
  EXPECT_NE(health.find("\"status\":\"ok\""), std::string::npos) << health;
  // The store and log were created under the start directory, not under "/" (the daemon chdirs).
  EXPECT_NE(health.find(dir.file("var/test.db")), std::string::npos) << health;
  EXPECT_TRUE(Poco::File(dir.file("var/log/sfsyncd.log")).exists());

  const std::string pid = testing::readFile(dir.file("sfsyncd.pid"));
  ASSERT_FALSE(pid.empty());
  Poco::Process::requestTermination(std::stoi(pid));
  for (int i = 0; i < 300 && !httpGet(port, "/health").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // shutdown poll
  }
  EXPECT_TRUE(httpGet(port, "/health").empty());
}

}  // namespace
}  // namespace sfsync
