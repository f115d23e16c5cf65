// The serving sfsyncd process and its configuration and signals: POST /api/reload applies a valid
// edit (a new job appears, a schedule changes) and answers 422 with the problems for an invalid
// one; SIGHUP during a run refuses an invalid edit while the run finishes with its configuration;
// SIGTERM mid-run stops the run after a committed page (Deferred, with its checkpoint), the daemon
// exits 0, and the next start resumes and ends with every record; a second SIGTERM exits at once
// (75), and the next start marks the abandoned row interrupted and runs the job.
//
// The run is slowed by the simulator's per-answer latency (3000 Accounts, 200 per page), and the
// tests wait for store states (a committed page), never for time.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Process.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <optional>
#include <string>

#include "app/DaemonTestSupport.h"
#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/store/Store.h"

namespace sfsync {
namespace {

using testing::TempDir;

constexpr const char* kAccountsJob = R"({
  "name": "Accounts", "connection": "sample", "source": {"object": "Account"},
  "target": {"object": "Company"},
  "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
               {"source": "Name", "target": "Name"}]})";

sim::SimOptions slowPages() {
  sim::SimOptions options;
  options.loadOrg = false;
  options.batchSize = 200;
  return options;
}

class DaemonLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    sim_.generateAccounts(3000);
    writeProperties(sim_.baseUrl(), "");
    dir_.write("conf/sample.credentials",
               testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
    dir_.write("jobs/accounts.json", kAccountsJob);
    Poco::File(dir_.file("chains")).createDirectories();
  }

  void writeProperties(const std::string& url, const std::string& extra) {
    dir_.write("conf/sfsync.properties",
               "store.path = var/test.db\nadmin.port = 0\n"
               "paths.jobs = jobs\npaths.chains = chains\npaths.errors = var/errors\n"
               "log.file = var/log/sfsyncd.log\nconnections = sample\n"
               "connection.sample.orgType = custom\n"
               "connection.sample.customDomainUrl = " +
                   url +
                   "\nconnection.sample.credentialsFile = conf/sample.credentials\n"
                   "admin.tokens = sample\nadmin.token.sample.sha256 = "
                   "6fe1ecc3098418820c222b5ef19e6bd3cc271628cb0653e42304b7ffb6164cc6\n" +
                   extra);
  }

  void TearDown() override {
    if (daemon_ && !exited_) {
      Poco::Process::kill(*daemon_);
      daemon_->wait();
    }
  }

  // Starts serving; returns its admin port (0 when it never logged one).
  int serve() {
    daemon_ = Poco::Process::launch(SFSYNCD_PATH, Poco::Process::Args{}, dir_.path(), nullptr,
                                    nullptr, nullptr);
    const int port = testing::waitForAdminPort(log());
    if (port != 0) testing::waitUntil([&] { return !testing::health(port).empty(); });
    return port;
  }

  std::pair<int, std::string> api(int port, const std::string& method, const std::string& path) {
    return testing::httpRequest(port, method, path, "sample-admin-token");
  }

  std::string log() const { return dir_.file("var/log/sfsyncd.log"); }

  // Waits up to `deadline` for the daemon to exit; its exit code, or nullopt.
  std::optional<int> waitExit(std::chrono::seconds deadline) {
    int status = -1;
    exited_ = testing::waitUntil(
        [&] { return ::waitpid(daemon_->id(), &status, WNOHANG) == daemon_->id(); }, deadline);
    if (!exited_ || !WIFEXITED(status)) return std::nullopt;
    return WEXITSTATUS(status);
  }

  std::vector<store::ExecutionRecord> rows() {
    auto store = store::openSqliteStore(dir_.file("var/test.db"));
    if (!store.ok()) return {};
    auto listed = (*store)->listExecutions(store::ExecutionQuery{});
    return listed.ok() ? *listed : std::vector<store::ExecutionRecord>{};
  }

  std::int64_t companies() {
    auto store = store::openSqliteStore(dir_.file("var/test.db"));
    if (!store.ok()) return -1;
    auto n = (*store)->count("Company");
    return n.ok() ? *n : -1;
  }

  // Starts Accounts through the API and waits until its first page is committed.
  void startAndWaitForAPage(int port) {
    ASSERT_EQ(api(port, "POST", "/api/jobs/Accounts/run").first, 202);
    ASSERT_TRUE(testing::waitUntil([&] {
      const auto all = rows();
      return !all.empty() && all.front().status == "Running" && all.front().created > 0;
    })) << testing::readFile(log());
  }

  // A foreground run of Accounts at full speed; checks it resumed and loaded every Account.
  void resumeAndCheck() {
    sim_.setLatencyMs(0);
    auto resumed = testing::runProcess(SFSYNCD_PATH, {"--run-job=Accounts"}, dir_.path());
    EXPECT_EQ(resumed.exitCode, 0) << resumed.out << resumed.err;
    const auto all = rows();
    ASSERT_FALSE(all.empty());
    EXPECT_EQ(all.front().status, "Success") << all.front().message;
    EXPECT_NE(all.front().message.find("resumed the interrupted run"), std::string::npos)
        << all.front().message;
    EXPECT_EQ(companies(), static_cast<std::int64_t>(sim_.recordCount("Account")));
  }

  sim::SimServer sim_{slowPages()};
  TempDir dir_;
  std::optional<Poco::ProcessHandle> daemon_;
  bool exited_ = false;
};

TEST_F(DaemonLifecycleTest, ReloadEndpointAppliesAValidEditAndRefusesAnInvalidOne) {
  const int port = serve();
  ASSERT_NE(port, 0) << testing::readFile(log());
  EXPECT_EQ(api(port, "GET", "/api/jobs/People").first, 404);

  dir_.write("jobs/people.json", R"({
    "name": "People", "connection": "sample", "source": {"object": "Contact"},
    "target": {"object": "Person"},
    "mappings": [{"source": "Id", "target": "SfdcContactId", "upsertKey": true}],
    "schedule": {"every": "1h"}})");
  auto applied = api(port, "POST", "/api/reload");
  EXPECT_EQ(applied.first, 200) << applied.second;
  EXPECT_NE(applied.second.find("\"applied\":true"), std::string::npos) << applied.second;
  EXPECT_NE(applied.second.find("job 'People' added"), std::string::npos) << applied.second;
  auto people = api(port, "GET", "/api/jobs/People");
  EXPECT_EQ(people.first, 200) << people.second;
  EXPECT_NE(people.second.find("every"), std::string::npos) << people.second;  // its schedule
  const std::string health = testing::httpRequest(port, "GET", "/health").second;
  EXPECT_NE(health.find("\"jobs\":2"), std::string::npos) << health;  // the reloaded count

  dir_.write("jobs/people.json", R"({"name": "People", "connection": "nowhere"})");
  auto refused = api(port, "POST", "/api/reload");
  EXPECT_EQ(refused.first, 422) << refused.second;
  EXPECT_NE(refused.second.find("\"applied\":false"), std::string::npos) << refused.second;
  EXPECT_NE(refused.second.find("people.json"), std::string::npos) << refused.second;
  EXPECT_EQ(api(port, "GET", "/api/jobs/People").first, 200);  // the old definition runs on
  EXPECT_NE(api(port, "GET", "/api/updates").second.find("reload refused"), std::string::npos);
  EXPECT_EQ(testing::httpRequest(port, "POST", "/api/reload").first, 401);  // token needed
  EXPECT_EQ(api(port, "GET", "/api/reload").first, 405);

  Poco::Process::requestTermination(daemon_->id());
  EXPECT_EQ(waitExit(std::chrono::seconds(60)), 0);
}

TEST_F(DaemonLifecycleTest, SighupRefusesAnInvalidEditWhileARunContinues) {
  sim_.setLatencyMs(50);
  const int port = serve();
  ASSERT_NE(port, 0) << testing::readFile(log());
  startAndWaitForAPage(port);
  dir_.write("jobs/accounts.json", R"({"name": "Accounts", "connection": "nowhere"})");
  ASSERT_EQ(::kill(daemon_->id(), SIGHUP), 0);
  EXPECT_TRUE(testing::waitUntil([&] {
    return testing::readFile(log()).find("refused") != std::string::npos;
  })) << testing::readFile(log());
  EXPECT_TRUE(testing::waitUntil(
      [&] {
        const auto all = rows();
        return !all.empty() && all.front().status != "Running";
      },
      std::chrono::seconds(120)));
  EXPECT_EQ(rows().front().status, "Success") << rows().front().message;
  EXPECT_EQ(companies(), static_cast<std::int64_t>(sim_.recordCount("Account")));

  Poco::Process::requestTermination(daemon_->id());
  EXPECT_EQ(waitExit(std::chrono::seconds(60)), 0);
}

TEST_F(DaemonLifecycleTest, SigtermMidRunCheckpointsExitsAndTheNextStartResumes) {
  sim_.setLatencyMs(100);
  const int port = serve();
  ASSERT_NE(port, 0) << testing::readFile(log());
  startAndWaitForAPage(port);

  const auto asked = std::chrono::steady_clock::now();
  Poco::Process::requestTermination(daemon_->id());
  // The requirement is 10 s; the deadline is generous for a loaded machine.
  EXPECT_EQ(waitExit(std::chrono::seconds(30)), 0) << testing::readFile(log());
  const auto took = std::chrono::steady_clock::now() - asked;
  std::cout << "[ measured ] SIGTERM to exit: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
  const auto stopped = rows();
  ASSERT_EQ(stopped.size(), 1u);
  EXPECT_EQ(stopped[0].status, "Deferred") << stopped[0].message;
  EXPECT_NE(stopped[0].message.find("shut down"), std::string::npos) << stopped[0].message;
  EXPECT_NE(stopped[0].message.find("its checkpoint"), std::string::npos) << stopped[0].message;
  EXPECT_FALSE(stopped[0].cursorEnd.empty());
  EXPECT_GT(companies(), 0);
  EXPECT_LT(companies(), static_cast<std::int64_t>(sim_.recordCount("Account")));

  resumeAndCheck();
}

// The clean stop waits for a Salesforce call that never answers (a server that accepts and stays
// silent) until the grace period cancels it; a second SIGTERM meanwhile ends the process at once.
TEST_F(DaemonLifecycleTest, ASecondSigtermExitsAtOnce) {
  Poco::Net::ServerSocket silent;
  silent.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true);
  silent.listen(16);
  writeProperties("http://127.0.0.1:" + std::to_string(silent.address().port()),
                  "connection.sample.timeoutMs = 600000\n");
  const int port = serve();
  ASSERT_NE(port, 0) << testing::readFile(log());
  ASSERT_EQ(api(port, "POST", "/api/jobs/Accounts/run").first, 202);
  ASSERT_TRUE(testing::waitUntil([&] {
    const auto all = rows();
    return !all.empty() && all.front().status == "Running";
  }));

  Poco::Process::requestTermination(daemon_->id());
  ASSERT_TRUE(testing::waitUntil(
      [&] { return testing::readFile(log()).find("termination requested") != std::string::npos; }));
  Poco::Process::requestTermination(daemon_->id());
  EXPECT_EQ(waitExit(std::chrono::seconds(30)), 75) << testing::readFile(log());
  EXPECT_NE(testing::readFile(log()).find("exiting at once"), std::string::npos);
  const auto killed = rows();
  ASSERT_EQ(killed.size(), 1u);
  EXPECT_EQ(killed[0].status, "Running");  // the process died with it; the next start fails it

  auto fg = testing::runProcess(
      SFSYNCD_PATH,
      {"--run-job=Accounts", "--define=connection.sample.customDomainUrl=" + sim_.baseUrl()},
      dir_.path());
  EXPECT_EQ(fg.exitCode, 0) << fg.out << fg.err;
  const auto after = rows();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[1].status, "Failed");
  EXPECT_NE(after[1].message.find("interrupted"), std::string::npos) << after[1].message;
  EXPECT_EQ(after[0].status, "Success") << after[0].message;
  EXPECT_EQ(companies(), static_cast<std::int64_t>(sim_.recordCount("Account")));
}

}  // namespace
}  // namespace sfsync
