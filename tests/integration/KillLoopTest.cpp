// kill -9 at 20 random points of one replication run, with the real sfsyncd binary (issue 10,
// "Checkpoints and crash safety"): each attempt is `sfsyncd --run-job` killed at a random point
// (seeded; the seed is printed, SFSYNC_KILL_SEED replays one), the next attempt resumes, and a last
// attempt runs to the end. Then:
//   - the target table equals the table of a clean run into a separate store (sorted dumps of every
//     mapped column; gsids excluded): no gap, no duplicate, same values;
//   - no execution row is left Running (the killed ones end Failed "interrupted");
//   - resumed attempts re-read only what was not committed. The checkpoint design (slice D1,
//     ReplicationRun) commits the greatest applied (SystemModstamp, Id) in each page's transaction
//     and a resumed REST run re-queries from it. So a kill costs at most: the page being loaded,
//     one prefetched page, one page served during the random delay, and one page of shifted page
//     boundaries (the resumed query starts mid-page; rows sharing the boundary stamp are re-read).
//     Bound asserted: query pages served over every attempt <= clean run's pages + 4 per kill.
//     Without checkpoints every attempt restarts from the first page and the kill points below
//     (6..12 pages into an attempt, or during start-up) make that bound fail for every seed.
//
// The simulator runs in this process (SimServer: per-call latency, generated Accounts, and its
// served-pages counter, which places the kills and counts what was read); sfsyncd is the process
// killed. A kill point is "after the attempt was served N query pages" plus a random delay of up to
// three call latencies, so it lands anywhere in fetching, mapping or committing a page. The only
// sleep is that random delay; everything else waits on conditions with generous deadlines.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/Process.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "app/DaemonTestSupport.h"
#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/store/Store.h"

namespace sfsync {
namespace {

using testing::TempDir;

constexpr int kAccounts = 20000;
constexpr int kBatchSize = 50;  // 400 query pages per full run
constexpr int kLatencyMs = 3;
constexpr int kKills = 20;
// Pages an attempt is served before its kill: 0 (a kill during start-up) one time in five, else
// kMinPages..kMaxPages. 20 attempts consume at most 20 * (kMaxPages + 4) = 320 < 400 pages, so
// every kill lands while the run is still going.
constexpr int kMinPages = 6;
constexpr int kMaxPages = 12;
constexpr int kPagesLostPerKill = 4;  // see the header comment

const std::vector<std::string> kColumns = {"SfdcAccountId", "Name",          "Employees",
                                           "Industry",      "AnnualRevenue", "Phone",
                                           "BillingCity",   "BillingCountry"};

unsigned seedFromEnvironment() {
  if (const char* s = std::getenv("SFSYNC_KILL_SEED")) return static_cast<unsigned>(std::stoul(s));
  return std::random_device{}();
}

class KillLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim::SimOptions options;
    options.loadOrg = false;
    options.batchSize = kBatchSize;
    sim_ = std::make_unique<sim::SimServer>(options);
    sim_->generateAccounts(kAccounts);
    sim_->start();
    sim_->setLatencyMs(kLatencyMs);
    writeDaemonDir("clean");
    writeDaemonDir("killed");
  }

  // A daemon home: properties, credentials and one REST job Account -> Company.
  void writeDaemonDir(const std::string& home) {
    dir_.write(home + "/conf/sfsync.properties",
               "store.path = var/sfsync.db\n"
               "paths.jobs = jobs\npaths.chains = chains\npaths.errors = var/errors\n"
               "log.file = var/log/sfsyncd.log\n"
               "connections = sample\n"
               "connection.sample.orgType = custom\n"
               "connection.sample.customDomainUrl = " +
                   sim_->baseUrl() +
                   "\n"
                   "connection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write(home + "/conf/sample.credentials",
               testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
    dir_.write(home + "/jobs/accounts.json", R"({
      "name": "Accounts", "connection": "sample",
      "source": {"object": "Account", "api": "rest"},
      "target": {"object": "Company"},
      "mappings": [
        {"source": "Id", "target": "SfdcAccountId", "type": "text", "upsertKey": true},
        {"source": "Name", "target": "Name", "type": "text"},
        {"source": "NumberOfEmployees", "target": "Employees", "type": "integer"},
        {"source": "Industry", "target": "Industry", "type": "text"},
        {"source": "AnnualRevenue", "target": "AnnualRevenue", "type": "real"},
        {"source": "Phone", "target": "Phone", "type": "text"},
        {"source": "BillingCity", "target": "BillingCity", "type": "text"},
        {"source": "BillingCountry", "target": "BillingCountry", "type": "text"}]})");
    Poco::File(dir_.file(home + "/chains")).createDirectories();
  }

  // Runs the job to its end in `home`; the exit code.
  int runToEnd(const std::string& home) {
    testing::ProcessResult r =
        testing::runProcess(SFSYNCD_PATH, {"--run-job=Accounts"}, dir_.file(home));
    if (r.exitCode != 0) {
      ADD_FAILURE() << "sfsyncd exited " << r.exitCode << "\n"
                    << r.out << r.err
                    << testing::readFile(dir_.file(home + "/var/log/sfsyncd.log"));
    }
    return r.exitCode;
  }

  // One attempt in the "killed" home, killed with SIGKILL once it was served `pages` query pages
  // and `delay` more passed. False (with a failure) when it ended on its own before that.
  bool killedAttempt(int pages, std::chrono::milliseconds delay) {
    const std::int64_t from = sim_->queryRequests();
    Poco::ProcessHandle run = Poco::Process::launch(SFSYNCD_PATH, {"--run-job=Accounts"},
                                                    dir_.file("killed"), nullptr, nullptr, nullptr);
    int exited = -1;
    const bool reached = testing::waitUntil(
        [&] {
          exited = run.tryWait();
          return exited != -1 || sim_->queryRequests() - from >= pages;
        },
        std::chrono::seconds(120));
    if (exited == -1) std::this_thread::sleep_for(delay);  // the random kill point itself
    if (exited == -1) exited = run.tryWait();
    if (exited != -1) {
      ADD_FAILURE() << "the attempt ended (exit " << exited << ") before its kill";
      return false;
    }
    Poco::Process::kill(run);  // SIGKILL
    run.wait();
    EXPECT_TRUE(reached) << "the attempt was not served " << pages << " pages within 120 s";
    return true;
  }

  store::StorePtr openStore(const std::string& home) {
    auto store = store::openSqliteStore(dir_.file(home + "/var/sfsync.db"));
    EXPECT_TRUE(store.ok()) << store.status().toString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Every Company row as one line of its mapped columns (no gsid), sorted.
  std::vector<std::string> dump(const std::string& home) {
    store::StorePtr store = openStore(home);
    if (!store) return {};
    auto rows = store->select("Company", kColumns);
    EXPECT_TRUE(rows.ok()) << rows.status().toString();
    std::vector<std::string> lines;
    for (const auto& row : rows.ok() ? *rows : std::vector<store::Row>{}) {
      std::string line;
      for (const Value& v : row) line += valueToText(v) + "\x1f";
      lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  }

  std::vector<store::ExecutionRecord> executions(const std::string& home) {
    store::StorePtr store = openStore(home);
    if (!store) return {};
    store::ExecutionQuery query;
    query.limit = 1000;
    auto rows = store->listExecutions(query);
    EXPECT_TRUE(rows.ok()) << rows.status().toString();
    return rows.ok() ? *rows : std::vector<store::ExecutionRecord>{};
  }

  TempDir dir_;
  std::unique_ptr<sim::SimServer> sim_;
};

TEST_F(KillLoopTest, TwentyRandomKillsEndWithTheCleanRunsTableReadingOnlyTheUncommitted) {
  const unsigned seed = seedFromEnvironment();
  std::cout << "kill loop seed " << seed << " (replay: SFSYNC_KILL_SEED=" << seed << ")"
            << std::endl;
  RecordProperty("seed", std::to_string(seed));
  std::mt19937 rng(seed);

  std::int64_t before = sim_->queryRequests();
  ASSERT_EQ(runToEnd("clean"), 0);
  const std::int64_t cleanPages = sim_->queryRequests() - before;
  ASSERT_GE(cleanPages, kAccounts / kBatchSize);
  const std::vector<std::string> clean = dump("clean");
  ASSERT_EQ(clean.size(), static_cast<std::size_t>(kAccounts));

  before = sim_->queryRequests();
  std::uniform_int_distribution<int> pagesInto(kMinPages, kMaxPages);
  std::uniform_int_distribution<int> delayMs(0, 3 * kLatencyMs);
  int midRunKills = 0;  // kills after pages were served: their attempt had saved its Running row
  for (int kill = 0; kill < kKills; ++kill) {
    const int pages = rng() % 5 == 0 ? 0 : pagesInto(rng);
    const std::chrono::milliseconds delay(delayMs(rng));
    std::cout << "kill " << kill + 1 << ": after " << pages << " pages + " << delay.count() << " ms"
              << std::endl;
    ASSERT_TRUE(killedAttempt(pages, delay));
    if (pages > 0) ++midRunKills;
  }
  ASSERT_EQ(runToEnd("killed"), 0);
  const std::int64_t pagesServed = sim_->queryRequests() - before;
  std::cout << "query pages: clean run " << cleanPages << ", " << kKills
            << " killed attempts + the last one " << pagesServed << std::endl;

  EXPECT_TRUE(dump("killed") == clean) << "the table after the kills differs from the clean run's";
  const std::vector<store::ExecutionRecord> runs = executions("killed");
  // A kill during start-up may land before the attempt saved its row.
  EXPECT_GE(runs.size(), static_cast<std::size_t>(midRunKills + 1));
  EXPECT_LE(runs.size(), static_cast<std::size_t>(kKills + 1));
  for (const store::ExecutionRecord& r : runs) {
    EXPECT_FALSE(store::isUnfinishedStatus(r.status)) << r.executionId << " left " << r.status;
  }
  ASSERT_FALSE(runs.empty());
  EXPECT_EQ(runs.front().status, "Success") << runs.front().message;  // newest first
  EXPECT_LE(pagesServed, cleanPages + kKills * kPagesLostPerKill)
      << "resumed attempts re-read more than what was not committed";
}

}  // namespace
}  // namespace sfsync
