// kill -9 at 20 random points of one replication run, with the real sfsyncd binary (issue 10,
// "Checkpoints and crash safety"), once through REST paging and once through Bulk API 2.0: each
// attempt is `sfsyncd --run-job` killed at a random point (seeded; the seed is printed,
// SFSYNC_KILL_SEED replays one), the next attempt resumes, and a last attempt runs to the end.
// Then:
//   - the target table equals the table of a clean run into a separate store (sorted dumps of every
//     mapped column; gsids excluded): no gap, no duplicate, same values;
//   - no execution row is left Running (the killed ones end Failed "interrupted");
//   - resumed attempts re-read only what was not committed. The checkpoint design (slice D1,
//     ReplicationRun) commits, in each page's transaction, the greatest applied (SystemModstamp,
//     Id) and for Bulk the job id, the result set's locator and the rows of that set consumed.
//     REST: a resumed run re-queries from that point. A kill costs at most the page being loaded,
//     one prefetched page, one page served during the random delay and one page of shifted page
//     boundaries (the new query starts mid-page; rows sharing the boundary stamp are re-read).
//     Asserted: query pages served over all attempts <= the clean run's pages + 4 per kill.
//     Bulk: a resumed run downloads the same job's set again and skips the consumed rows, so a
//     kill re-delivers at most the page being loaded (plus one of margin). Asserted: records read
//     over all execution rows <= the clean run's + 2 pages (queryBatchSize) per kill.
//     Without checkpoints every attempt starts over and the kill points below (REST: 6..12 pages
//     into an attempt; Bulk: 1..2 result sets past its set-up calls) break both bounds for every
//     seed.
//
// The simulator runs in this process (SimServer: per-call latency, generated Accounts, and its
// request counters, which place the kills and count what was read); sfsyncd is the process killed.
// A kill point is "after the attempt was served N pages or calls" plus a random delay of up to
// three call latencies, so it lands anywhere in fetching, mapping or committing a page; one kill in
// five lands during start-up (N = 0). The only sleep is that random delay; everything else waits
// on conditions with generous deadlines.
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

constexpr int kLatencyMs = 3;
constexpr int kKills = 20;
constexpr int kPageRows = 200;  // connection queryBatchSize: Bulk pages

// One kill loop's shape.
struct LoopSpec {
  const char* api;   // "source.api" of the job
  int accounts;      // generated Accounts
  int simBatchSize;  // REST page size of the simulator
  // Trigger unit: REST query pages (queryRequests), or Bulk data calls (dataRequests) past the
  // attempt's set-up calls.
  bool pages;
  // Units an attempt is served before its kill (when not a start-up kill): chosen so that 20
  // attempts consume well under one run even when a resumed attempt needs fewer set-up calls.
  int minUnits;
  int maxUnits;
};

// 20,000 Accounts in 400 pages of 50; 20 attempts consume at most 20 * (12 + 4) = 320 pages.
const LoopSpec kRest{"rest", 20000, 50, true, 6, 12};
// 150,000 Accounts in 150 result sets of 1,000 (bulkMaxRecords). An attempt is killed 1..2 sets
// past the clean run's set-up calls (4: describe, create, status, ...); a resumed attempt needs at
// least 1 (describe) and the random delay spans at most ~2 sets, so it consumes at most 7 sets and
// 20 attempts at most 140 < 150 (measured: ~60).
const LoopSpec kBulk{"bulk", 150000, 2000, false, 1, 2};

const std::vector<std::string> kColumns = {"SfdcAccountId", "Name",          "Employees",
                                           "Industry",      "AnnualRevenue", "Phone",
                                           "BillingCity",   "BillingCountry"};

unsigned seedFromEnvironment() {
  if (const char* s = std::getenv("SFSYNC_KILL_SEED")) return static_cast<unsigned>(std::stoul(s));
  return std::random_device{}();
}

class KillLoopTest : public ::testing::Test {
 protected:
  void start(const LoopSpec& spec) {
    spec_ = spec;
    sim::SimOptions options;
    options.loadOrg = false;
    options.batchSize = spec.simBatchSize;
    sim_ = std::make_unique<sim::SimServer>(options);
    sim_->generateAccounts(static_cast<std::size_t>(spec.accounts));
    sim_->setBulkPollsToComplete(0);
    sim_->start();
    sim_->setLatencyMs(kLatencyMs);
    writeDaemonDir("clean");
    writeDaemonDir("killed");
  }

  std::int64_t served() const { return spec_.pages ? sim_->queryRequests() : sim_->dataRequests(); }

  // A daemon home: properties, credentials and one job Account -> Company through spec_.api.
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
                   "connection.sample.queryBatchSize = " +
                   std::to_string(kPageRows) +
                   "\n"
                   "connection.sample.bulkMaxRecords = 1000\n"
                   "connection.sample.credentialsFile = conf/sample.credentials\n");
    dir_.write(home + "/conf/sample.credentials",
               testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
    dir_.write(home + "/jobs/accounts.json", R"({
      "name": "Accounts", "connection": "sample",
      "source": {"object": "Account", "api": ")" +
                                                 std::string(spec_.api) + R"("},
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

  // One attempt in the "killed" home, killed with SIGKILL once it was served `units` pages or
  // calls (served()) and `delay` more passed. False (with a failure) when it ended on its own.
  bool killedAttempt(std::int64_t units, std::chrono::milliseconds delay) {
    const std::int64_t from = served();
    Poco::ProcessHandle run = Poco::Process::launch(SFSYNCD_PATH, {"--run-job=Accounts"},
                                                    dir_.file("killed"), nullptr, nullptr, nullptr);
    int exited = -1;
    const bool reached = testing::waitUntil(
        [&] {
          exited = run.tryWait();
          return exited != -1 || served() - from >= units;
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
    std::cout << "  killed after " << served() - from << std::endl;
    EXPECT_TRUE(reached) << "the attempt was not served " << units << " units within 120 s";
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

  // The clean run, the kills and the last attempt; checks the table and the rows, and returns
  // {units served by the clean run, by the kill loop}.
  std::pair<std::int64_t, std::int64_t> killLoop(std::int64_t setupUnits);
  // Sum of recordsRead over the execution rows of `home`.
  std::int64_t recordsRead(const std::string& home) {
    std::int64_t sum = 0;
    for (const store::ExecutionRecord& r : executions(home)) sum += r.recordsRead;
    return sum;
  }

  TempDir dir_;
  LoopSpec spec_ = kRest;
  std::unique_ptr<sim::SimServer> sim_;
  std::vector<std::string> clean_;
  std::int64_t cleanUnits_ = 0;
};

std::pair<std::int64_t, std::int64_t> KillLoopTest::killLoop(std::int64_t setupUnits) {
  const unsigned seed = seedFromEnvironment();
  std::cout << spec_.api << " kill loop seed " << seed << " (replay: SFSYNC_KILL_SEED=" << seed
            << ")" << std::endl;
  RecordProperty("seed", std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> unitsInto(spec_.minUnits, spec_.maxUnits);
  std::uniform_int_distribution<int> delayMs(0, 3 * kLatencyMs);
  const std::int64_t before = served();
  int midRunKills = 0;  // kills after units were served: their attempt had saved its Running row
  for (int kill = 0; kill < kKills; ++kill) {
    const std::int64_t units = rng() % 5 == 0 ? 0 : setupUnits + unitsInto(rng);
    const std::chrono::milliseconds delay(delayMs(rng));
    std::cout << "kill " << kill + 1 << ": after " << units << (spec_.pages ? " pages" : " calls")
              << " + " << delay.count() << " ms" << std::endl;
    if (!killedAttempt(units, delay)) return {cleanUnits_, served() - before};
    if (units > 0) ++midRunKills;
  }
  EXPECT_EQ(runToEnd("killed"), 0);
  const std::int64_t loopUnits = served() - before;

  EXPECT_TRUE(dump("killed") == clean_) << "the table after the kills differs from the clean run's";
  const std::vector<store::ExecutionRecord> runs = executions("killed");
  // A kill during start-up may land before the attempt saved its row.
  EXPECT_GE(runs.size(), static_cast<std::size_t>(midRunKills + 1));
  EXPECT_LE(runs.size(), static_cast<std::size_t>(kKills + 1));
  for (const store::ExecutionRecord& r : runs) {
    EXPECT_FALSE(store::isUnfinishedStatus(r.status)) << r.executionId << " left " << r.status;
  }
  if (!runs.empty()) {
    EXPECT_EQ(runs.front().status, "Success") << runs.front().message;  // newest first
  }
  return {cleanUnits_, loopUnits};
}

TEST_F(KillLoopTest, RestTwentyRandomKillsEndWithTheCleanTableReadingOnlyTheUncommitted) {
  start(kRest);
  const std::int64_t before = served();
  ASSERT_EQ(runToEnd("clean"), 0);
  cleanUnits_ = served() - before;
  ASSERT_GE(cleanUnits_, kRest.accounts / kRest.simBatchSize);
  clean_ = dump("clean");
  ASSERT_EQ(clean_.size(), static_cast<std::size_t>(kRest.accounts));

  const auto [cleanPages, loopPages] = killLoop(0);
  std::cout << "query pages: clean run " << cleanPages << "; " << kKills
            << " killed attempts + the last one " << loopPages << "; records read "
            << recordsRead("killed") << std::endl;
  EXPECT_LE(loopPages, cleanPages + kKills * 4)
      << "resumed attempts re-read more than what was not committed";
}

TEST_F(KillLoopTest, BulkTwentyRandomKillsEndWithTheCleanTableReadingOnlyTheUncommitted) {
  start(kBulk);
  const std::int64_t before = served();
  ASSERT_EQ(runToEnd("clean"), 0);
  cleanUnits_ = served() - before;
  const std::int64_t sets = (kBulk.accounts + 999) / 1000;
  ASSERT_GE(cleanUnits_, sets);
  clean_ = dump("clean");
  ASSERT_EQ(clean_.size(), static_cast<std::size_t>(kBulk.accounts));
  const std::int64_t cleanRead = recordsRead("clean");
  ASSERT_EQ(cleanRead, kBulk.accounts);

  // The clean run's calls beyond its result sets (describe, job creation, status): an attempt's
  // kill point is counted past as many.
  const auto [cleanCalls, loopCalls] = killLoop(cleanUnits_ - sets);
  const std::int64_t read = recordsRead("killed");
  std::cout << "data calls: clean run " << cleanCalls << "; " << kKills
            << " killed attempts + the last one " << loopCalls << "; records read " << read
            << " (clean run " << cleanRead << ")" << std::endl;
  EXPECT_LE(read, cleanRead + kKills * 2 * kPageRows)
      << "resumed attempts re-read more than what was not committed";
}

}  // namespace
}  // namespace sfsync
