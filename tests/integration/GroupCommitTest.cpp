// Group commit (issue 11): pages that are already fetched when a page is applied join its
// transaction, up to PageProcessor::kGroupRecords records. A pipelined load replays its pages from
// a local buffer, where every page but the last has its next page ready, so its groups are
// deterministic: Company Sync over the sample org plus generated Accounts, in 2,000-record pages,
// commits five pages at a time. These tests count the groups, compare the result with a run that
// commits page by page, and check that a failure inside a group rolls the whole group back (counts,
// success file and checkpoint too) while a stop inside one commits it, and that a failure leaves
// the store free at once, while the source still waits for its fetch thread.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/InterceptingStore.h"
#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/ChainRunner.h"
#include "sfsync/jobs/JobRunner.h"

namespace sfsync {
namespace {

using testing::FakeClock;
using testing::TempDir;

constexpr std::size_t kGenerated = 23000;  // with the sample org's Accounts: 12 full pages and one
constexpr std::int64_t kPage = 2000;
constexpr std::int64_t kGroupPages = 5;  // kGroupRecords / kPage

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    sim_.generateAccounts(kGenerated);
    config_ = config::loadConfig(std::string(SFSYNC_SOURCE_DIR) + "/conf/sfsync.properties",
                                 SFSYNC_SOURCE_DIR,
                                 {{"connection.sample.customDomainUrl", sim_.baseUrl()},
                                  {"connection.sample.bulkThreshold", "1000000"},  // REST pages
                                  {"store.path", dir_.file("sfsync.db")},
                                  {"paths.errors", dir_.file("errors")},
                                  {"log.file", ""}});
    ASSERT_TRUE(config_.problems.empty()) << config_.problems.front().toString();
    for (config::JobConfig& job : config_.jobs) job.successFile = true;
    store_ = open(config_.app.storePath);
    intercepting_ = std::make_unique<app::testing::InterceptingStore>(*store_);
    intercepting_->beforeBegin = [this] { ++groups_; };
  }

  static store::StorePtr open(const std::string& path) {
    auto store = store::openSqliteStore(path);
    EXPECT_TRUE(store.ok()) << store.status().toString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Company Sync alone in a pipelined chain: its load replays the extracted pages.
  store::ExecutionRecord runPipelined(const std::atomic<bool>* stop = nullptr) {
    config::ChainConfig chain;
    chain.name = "Companies";
    chain.jobs = {"Company Sync"};
    chain.explicitDependencies = true;
    chain.pipelined = true;
    jobs::ChainContext context(
        *intercepting_, *clock_, config_.app.errorDir, [this](const std::string&) {
          return salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
        });
    context.stopRequested = stop;
    jobs::ChainRun run = jobs::ChainRunner::run(chain, config_, context);
    EXPECT_EQ(run.jobs.size(), 1u);
    return run.jobs.empty() ? store::ExecutionRecord{} : run.jobs.front();
  }

  // Company Sync page by page (no prefetch: no page says its next one is ready), into `store`.
  store::ExecutionRecord runPageByPage(store::Store& store) {
    auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    jobs::RunContext context{*client, store, *clock_, config_.app.errorDir, "cli", ""};
    context.prefetchPages = false;
    return jobs::JobRunner::run(*config_.findJob("Company Sync"), context);
  }

  // Company Sync through REST paging with the pages prefetched (the fetch thread one page ahead),
  // into the intercepting store.
  store::ExecutionRecord runPrefetched() {
    salesforce::ConnectionSettings connection = testing::simConnection(sim_);
    // Longer than the simulator holds a page (60 s): a held request is never given up and sent
    // again while a test polls (a retry would not be held).
    connection.timeout = std::chrono::milliseconds(120000);
    auto client = salesforce::makeHttpClient(connection, clock_);
    jobs::RunContext context{*client, *intercepting_, *clock_, config_.app.errorDir, "cli", ""};
    context.bulkThreshold = 1000000;  // REST pages: each next page is a request of its own
    return jobs::JobRunner::run(*config_.findJob("Company Sync"), context);
  }

  // Polls `condition` until it holds; false after 30 s.
  static bool eventually(const std::function<bool()>& condition) {
    for (int i = 0; i < 6000; ++i) {
      if (condition()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
  }

  // Whether another connection can take the store file's write lock right now.
  bool storeIsFree() const {
    sqlite3* db = nullptr;
    bool free = sqlite3_open(config_.app.storePath.c_str(), &db) == SQLITE_OK &&
                sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
    if (free) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return free;
  }

  static std::vector<store::Row> companies(store::Store& store) {
    auto rows = store.select("Company", {"SfdcAccountId", "Name", "Employees"}, {});
    EXPECT_TRUE(rows.ok()) << rows.status().toString();
    if (!rows.ok()) return {};
    std::sort(rows->begin(), rows->end(),
              [](const store::Row& a, const store::Row& b) { return a[0] < b[0]; });
    return std::move(rows).value();
  }

  static std::int64_t countOf(store::Store& store, const std::string& table) {
    auto n = store.count(table);
    EXPECT_TRUE(n.ok()) << n.status().toString();
    return n.ok() ? *n : -1;
  }

  static long lines(const std::string& path) {
    if (path.empty()) return 0;
    const std::string text = testing::readFile(path);
    return static_cast<long>(std::count(text.begin(), text.end(), '\n')) - 1;  // minus the header
  }

  sim::SimServer sim_;
  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  config::LoadedConfig config_;
  store::StorePtr store_;
  std::unique_ptr<app::testing::InterceptingStore> intercepting_;
  std::atomic<int> groups_{0};
};

TEST_F(GroupCommitTest, APipelinedLoadCommitsFivePagesAtATimeAndEqualsAPageByPageRun) {
  store::ExecutionRecord grouped = runPipelined();
  ASSERT_EQ(grouped.status, "Success") << grouped.message;
  const std::int64_t pages = (grouped.recordsRead + kPage - 1) / kPage;
  ASSERT_GT(pages, 2 * kGroupPages);  // three groups, the last one short
  EXPECT_EQ(groups_.load(), (pages + kGroupPages - 1) / kGroupPages);

  store::StorePtr other = open(dir_.file("page-by-page.db"));
  ASSERT_NE(other, nullptr);
  store::ExecutionRecord single = runPageByPage(*other);
  ASSERT_EQ(single.status, "Success") << single.message;
  EXPECT_EQ(groups_.load(), (pages + kGroupPages - 1) / kGroupPages);  // that run began none
  EXPECT_EQ(grouped.recordsRead, single.recordsRead);
  EXPECT_EQ(grouped.created, single.created);
  EXPECT_EQ(grouped.failed, single.failed);
  EXPECT_EQ(countOf(*store_, "Company"), grouped.created);
  EXPECT_EQ(companies(*store_), companies(*other));
  EXPECT_EQ(lines(grouped.successFile), grouped.created);
  EXPECT_EQ(testing::readFile(grouped.successFile).size(),
            testing::readFile(single.successFile).size());
}

TEST_F(GroupCommitTest, AFailureInsideAGroupRollsTheWholeGroupBackAndTheNextRunResumes) {
  // The seventh page (the second of the second group) cannot be written.
  int upserts = 0;
  intercepting_->beforeUpsert = [&](const store::UpsertRequest&) {
    return ++upserts == 7 ? Status::IoError("disk gone") : Status::OK();
  };
  store::ExecutionRecord failed = runPipelined();
  ASSERT_EQ(failed.status, "Failed") << failed.message;
  EXPECT_NE(failed.message.find("disk gone"), std::string::npos) << failed.message;
  // The first group stays; the second group's first page went with its second.
  const std::int64_t firstGroup = kGroupPages * kPage;
  EXPECT_EQ(countOf(*store_, "Company"), firstGroup);
  EXPECT_EQ(failed.created, firstGroup);
  EXPECT_EQ(failed.targets.at(0).created, firstGroup);
  EXPECT_EQ(lines(failed.successFile), firstGroup);

  intercepting_->beforeUpsert = nullptr;
  store::ExecutionRecord resumed = runPipelined();
  ASSERT_EQ(resumed.status, "Success") << resumed.message;
  store::StorePtr other = open(dir_.file("page-by-page.db"));
  ASSERT_NE(other, nullptr);
  store::ExecutionRecord single = runPageByPage(*other);
  ASSERT_EQ(single.status, "Success") << single.message;
  EXPECT_EQ(companies(*store_), companies(*other));
  EXPECT_EQ(failed.created + resumed.created, single.created);
}

TEST_F(GroupCommitTest, AStopInsideAGroupCommitsItBeforeTheRunEnds) {
  std::atomic<bool> stop{false};
  int upserts = 0;
  intercepting_->beforeUpsert = [&](const store::UpsertRequest&) {
    if (++upserts == 7) stop = true;  // while the seventh page loads
    return Status::OK();
  };
  store::ExecutionRecord stopped = runPipelined(&stop);
  ASSERT_EQ(stopped.status, "Deferred") << stopped.message;
  const std::int64_t sevenPages = 7 * kPage;
  EXPECT_EQ(countOf(*store_, "Company"), sevenPages);
  EXPECT_EQ(stopped.created, sevenPages);
  EXPECT_EQ(lines(stopped.successFile), sevenPages);
}

// The page handler fails after its page was applied with the group kept open (its next page was
// waiting): the group is rolled back at once, so the store is free while the source still waits
// for its fetch thread, which is inside a request the simulator holds.
TEST_F(GroupCommitTest, AFailedHandlerFreesTheStoreWhileTheFetchThreadIsStillInARequest) {
  // The fetch thread takes page 2 into the slot while page 1 loads, then asks for page 3: held.
  sim_.holdNextPage(2);
  int upserts = 0;
  intercepting_->beforeUpsert = [&](const store::UpsertRequest&) {
    if (++upserts == 1) {
      EXPECT_TRUE(eventually([&] { return sim_.holdingPage(); }));
    }
    return Status::OK();
  };
  std::atomic<bool> saveFailed{false};
  intercepting_->beforeSaveExecution = [&](const store::ExecutionRecord&) {
    if (upserts == 0 || saveFailed.exchange(true)) return Status::OK();
    return Status::IoError("progress not saved");  // page 1's, with its group open
  };
  store::ExecutionRecord failed;
  std::thread run([&] { failed = runPrefetched(); });
  const bool saveHasFailed = eventually([&] { return saveFailed.load(); });
  bool free = false;
  if (saveHasFailed) {
    eventually([&] { return (free = storeIsFree()) || !sim_.holdingPage(); });
  }
  const bool freeWhileHeld = free && sim_.holdingPage();  // still inside page 3's request
  sim_.releaseHeldPage();
  run.join();
  ASSERT_TRUE(saveHasFailed);
  EXPECT_TRUE(freeWhileHeld);
  EXPECT_EQ(failed.status, "Failed") << failed.message;
  EXPECT_NE(failed.message.find("progress not saved"), std::string::npos) << failed.message;
  EXPECT_EQ(countOf(*store_, "Company"), 0);  // page 1 went with its group
}

}  // namespace
}  // namespace sfsync
