// kill -9 at random moments of a real `sfsyncd --run-job` (a separate process) against an
// in-process simulator, then restarts until the job succeeds: the target table must end exactly as
// a clean run leaves it (no gap, no duplicate), and every restart resumes from the checkpoint.
//
// Kill points are chosen by progress, not by time: the test waits (with a generous deadline) until
// the running execution row reports at least a random number of records read, then SIGKILLs.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <Poco/File.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <random>
#include <thread>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/jobs/ReplicationState.h"
#include "sfsync/store/Store.h"

namespace sfsync {
namespace {

using testing::TempDir;

constexpr auto kDeadline = std::chrono::seconds(60);

const char* kJob = R"({
  "name": "Accounts", "connection": "sample", "source": {"object": "Account", "api": "rest"},
  "target": {"object": "Company"},
  "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
               {"source": "Name", "target": "Name"},
               {"source": "NumberOfEmployees", "target": "Employees", "type": "integer"}]})";

class KillResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    sim_.generateAccounts(3000);
    sim_.setBatchSize(200);
    dir_.write("conf/sfsync.properties",
               "store.path = var/test.db\n"
               "admin.port = 0\n"
               "paths.jobs = jobs\npaths.chains = chains\npaths.errors = var/errors\n"
               "log.file = var/log/sfsyncd.log\n"
               "connections = sample\n"
               "connection.sample.orgType = custom\n"
               "connection.sample.customDomainUrl = " +
                   sim_.baseUrl() +
                   "\n"
                   "connection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write("conf/sample.credentials",
               testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
    dir_.write("jobs/accounts.json", kJob);
    Poco::File(dir_.file("chains")).createDirectories();
  }

  // Company as sorted "Id|Name|Employees" lines.
  static std::vector<std::string> companies(store::Store& store) {
    std::vector<std::string> out;
    auto rows = store.select("Company", {"SfdcAccountId", "Name", "Employees"}, {});
    if (!rows.ok()) return out;
    for (const auto& row : *rows) {
      out.push_back(valueToText(row[0]) + "|" + valueToText(row[1]) + "|" + valueToText(row[2]));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::vector<std::string> cleanTable() {
    auto store = store::openSqliteStore(dir_.file("clean.db"));
    EXPECT_TRUE(store.ok());
    std::vector<config::ConfigProblem> problems;
    std::optional<config::JobConfig> job = config::parseJob("/tmp/accounts.json", kJob, problems);
    EXPECT_TRUE(job.has_value());
    auto client = salesforce::makeHttpClient(testing::simConnection(sim_),
                                             std::make_shared<testing::FakeClock>());
    jobs::RunContext context{*client, **store, *clock_, dir_.file("clean-errors"), "cli", ""};
    EXPECT_EQ(jobs::JobRunner::run(*job, context).status, "Success");
    return companies(**store);
  }

  // The newest execution's (id, records read so far); ("", -1) when there is none yet.
  std::pair<std::string, std::int64_t> newest() {
    if (!Poco::File(dir_.file("var/test.db")).exists()) return {"", -1};
    auto store = store::openSqliteStore(dir_.file("var/test.db"));
    if (!store.ok()) return {"", -1};
    store::ExecutionQuery query;
    query.limit = 1;
    auto rows = (*store)->listExecutions(query);
    if (!rows.ok() || rows->empty()) return {"", -1};
    return {rows->front().executionId, rows->front().recordsRead};
  }

  // Starts the job; kills it (SIGKILL) once it read at least `killAt` records. True when it was
  // killed, false when it exited on its own first (its exit code in `exitCode`).
  bool runAndKill(std::int64_t killAt, int& exitCode) {
    const std::string previous = newest().first;
    Poco::Pipe out;  // the run's activity table; a few hundred bytes, never read
    Poco::ProcessHandle live = Poco::Process::launch(SFSYNCD_PATH, {"--run-job=Accounts"},
                                                     dir_.path(), nullptr, &out, nullptr);
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(live.id(), &status, WNOHANG) == live.id()) {  // reaped: it ended by itself
        exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return false;
      }
      const auto [id, read] = newest();
      if (id != previous && read >= killAt) {
        lastKillRead_ = read;
        Poco::Process::kill(live);  // SIGKILL
        ::waitpid(live.id(), &status, 0);
        // It may have finished between the two looks: then it was not killed mid-run.
        if (WIFEXITED(status)) {
          exitCode = WEXITSTATUS(status);
          return false;
        }
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ADD_FAILURE() << "the run neither progressed to " << killAt << " records nor ended";
    Poco::Process::kill(live);
    ::waitpid(live.id(), nullptr, 0);
    exitCode = -1;
    return false;
  }

  sim::SimServer sim_;
  TempDir dir_;
  std::int64_t lastKillRead_ = 0;  // records the killed run had reported
  std::shared_ptr<testing::FakeClock> clock_ = std::make_shared<testing::FakeClock>();
};

TEST_F(KillResumeTest, TwentyRandomKillsEndWithTheCleanRunsTable) {
  const std::vector<std::string> clean = cleanTable();
  ASSERT_EQ(clean.size(), sim_.recordCount("Account"));
  sim_.setLatencyMs(5);  // a run takes long enough to be killed in the middle
  std::mt19937 random(424242);
  const auto total = static_cast<std::int64_t>(clean.size());
  int kills = 0;
  int completions = 0;
  int midRun = 0;  // kills after the run had committed pages
  for (int attempt = 0; kills < 20 && attempt < 80; ++attempt) {
    int exitCode = -1;
    // Within the first pages of a run (a resumed run may read only a few hundred records).
    if (runAndKill(static_cast<std::int64_t>(random() % 600), exitCode)) {
      ++kills;
      if (lastKillRead_ > 0) ++midRun;
      continue;
    }
    ASSERT_EQ(exitCode, 0) << testing::readFile(dir_.file("var/log/sfsyncd.log"));
    ++completions;
    // Completed: ask for another full pass, so there is something to kill again.
    auto store = store::openSqliteStore(dir_.file("var/test.db"));
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->putState(jobs::fullResyncKey("Accounts"), R"({"by":"test"})").ok());
  }
  EXPECT_EQ(kills, 20);
  EXPECT_GE(midRun, 10);
  sim_.setLatencyMs(0);
  int exitCode = -1;
  for (int attempt = 0; attempt < 3 && exitCode != 0; ++attempt) {
    ASSERT_FALSE(runAndKill(total * 1000, exitCode));  // never killed: runs to its end
  }
  ASSERT_EQ(exitCode, 0);
  auto store = store::openSqliteStore(dir_.file("var/test.db"));
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(companies(**store), clean) << kills << " kills, " << completions << " completions";
}

}  // namespace
}  // namespace sfsync
