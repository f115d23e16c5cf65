// DryRun (issue 16) against the Salesforce simulator and an SQLite store that already holds the
// job's rows: the counts (would-create / would-update / unchanged / rejected with the real run's
// reason codes), per-column changed counts, the diff sample, the record bound - and that nothing
// is written: the database file is byte-identical afterwards.
#include <gtest/gtest.h>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "jobs/DryRunPlanner.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/DryRun.h"
#include "sfsync/jobs/JobRunner.h"

namespace sfsync {
namespace {

using testing::FakeClock;
using testing::TempDir;

const char* kRenewalJob = R"({
  "name": "Renewal Sync",
  "connection": "sample",
  "source": {"object": "Renewal__c", "filter": "Status__c != 'Cancelled' OR Status__c = null"},
  "target": {"object": "Renewal"},
  "mappings": [
    {"source": "Id", "target": "SfdcId"},
    {"source": "Contract_Number__c", "target": "ContractNumber", "upsertKey": true},
    {"source": "Renewal_Year__c", "target": "RenewalYear", "type": "integer", "upsertKey": true},
    {"source": "Amount__c", "target": "Amount"},
    {"source": "Renewal_Date__c", "target": "RenewalDate"},
    {"source": "Account__r.Name", "target": "AccountName"},
    {"target": "Origin", "constant": "salesforce"}
  ],
  "derivedMappings": [
    {"target": "CompanyId", "lookup": "Company",
     "match": [{"source": "Account__c", "target": "SfdcAccountId"}],
     "onMultipleMatches": "error", "onNoMatch": "default", "default": "unassigned"}
  ]
})";

class DryRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    open();
    std::vector<config::ConfigProblem> problems;
    auto job = config::parseJob("jobs/renewal.json", kRenewalJob, problems);
    ASSERT_TRUE(problems.empty()) << problems.front().toString();
    job_ = *job;
    job_.mode = config::SourceMode::kFull;
  }

  void open() {
    auto store = store::openSqliteStore(dir_.file("sfsync.db"));
    ASSERT_TRUE(store.ok()) << store.status().toString();
    store_ = std::move(store).value();
  }

  store::ExecutionRecord run() {
    auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    jobs::RunContext context{*client, *store_, *clock_, dir_.file("errors"), "cli", ""};
    return jobs::JobRunner::run(job_, context);
  }

  Result<jobs::DryRunReport> dryRun(std::int64_t maxRecords = 10000) {
    auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    jobs::DryRunOptions options;
    options.maxRecords = maxRecords;
    return jobs::DryRun::run(job_, *client, *store_, *clock_, options);
  }

  // Loads every renewal, then changes the org: one new renewal, one amount changed, one renewal's
  // upsert key emptied. Returns how many renewals the first run created.
  std::int64_t loadThenChange() {
    store::ExecutionRecord first = run();
    EXPECT_EQ(first.status, "Success") << first.message;
    const std::string renewal2027 = sim::SalesforceId::make("a01", "ZZ", 1);
    sim_.upsertRecord("Renewal__c",
                      "{\"Id\":\"" + renewal2027 +
                          "\",\"Name\":\"Acme 2027\",\"Contract_Number__c\":\"C-1001\","
                          "\"Renewal_Year__c\":2027,\"Amount__c\":99.5,\"Account__c\":"
                          "\"0015g0000000tvxAAA\",\"Status__c\":\"Open\"}");
    sim_.setField("Renewal__c", "a015g0000000tvxAAA", "Amount__c", "12345.5");
    sim_.setField("Renewal__c", "a015g00000011kFAAQ", "Contract_Number__c", "null");
    return first.created;
  }

  sim::SimServer sim_;
  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  store::StorePtr store_;
  config::JobConfig job_;
};

TEST_F(DryRunTest, CountsCreateUpdateUnchangedAndRejectedAgainstExistingRows) {
  const std::int64_t loaded = loadThenChange();
  ASSERT_GE(loaded, 5);

  Result<jobs::DryRunReport> report = dryRun();

  ASSERT_TRUE(report.ok()) << report.status().toString();
  EXPECT_EQ(report->recordsRead, loaded + 1);
  EXPECT_FALSE(report->truncated);
  EXPECT_EQ(report->wouldCreate, 1);
  EXPECT_EQ(report->wouldUpdate, 1);
  EXPECT_EQ(report->rejected, 1);
  EXPECT_EQ(report->unchanged, loaded - 2);
  EXPECT_EQ(report->rejectedByReason.at("REQUIRED_MISSING"), 1);
  ASSERT_EQ(report->targets.size(), 1u);
  EXPECT_EQ(report->targets[0].target, "Renewal");
  EXPECT_EQ(report->targets[0].changedColumns,
            (std::map<std::string, std::int64_t>{{"Amount", 1}}));
  ASSERT_EQ(report->rejections.size(), 1u);
  EXPECT_EQ(report->rejections[0].recordId, "a015g00000011kFAAQ");
  EXPECT_EQ(report->rejections[0].reasonCode, "REQUIRED_MISSING");
}

TEST_F(DryRunTest, DiffSampleShowsOldAndNewValues) {
  loadThenChange();
  Result<jobs::DryRunReport> report = dryRun();
  ASSERT_TRUE(report.ok()) << report.status().toString();

  const jobs::DryRunSample* update = nullptr;
  const jobs::DryRunSample* create = nullptr;
  for (const jobs::DryRunSample& s : report->samples) {
    if (s.action == "update") update = &s;
    if (s.action == "create") create = &s;
  }
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(update->recordId, "a015g0000000tvxAAA");
  EXPECT_FALSE(update->gsid.empty());
  ASSERT_EQ(update->changes.size(), 1u);
  EXPECT_EQ(update->changes[0].column, "Amount");
  EXPECT_NE(update->changes[0].before, "12345.5");
  EXPECT_EQ(update->changes[0].after, "12345.5");
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->recordId, sim::SalesforceId::make("a01", "ZZ", 1));
  bool sawYear = false;
  for (const jobs::DryRunChange& c : create->changes) {
    if (c.column == "RenewalYear") sawYear = c.after == "2027" && c.beforeNull;
  }
  EXPECT_TRUE(sawYear);

  const std::string json = jobs::dryRunJson(*report);
  EXPECT_NE(json.find("\"wouldUpdate\":1"), std::string::npos) << json;
  EXPECT_NE(json.find("\"new\":\"12345.5\""), std::string::npos) << json;
  const std::string table = jobs::dryRunTable(*report);
  EXPECT_NE(table.find("Amount"), std::string::npos) << table;
  EXPECT_NE(table.find("nothing written"), std::string::npos) << table;
}

TEST_F(DryRunTest, WritesNothing) {
  loadThenChange();
  auto before = store_->listState("");
  ASSERT_TRUE(before.ok());
  store_.reset();  // closing checkpoints the WAL into the file
  const std::string bytesBefore = testing::readFile(dir_.file("sfsync.db"));
  ASSERT_FALSE(bytesBefore.empty());
  open();

  Result<jobs::DryRunReport> report = dryRun();
  ASSERT_TRUE(report.ok()) << report.status().toString();
  EXPECT_GT(report->recordsRead, 0);
  auto after = store_->listState("");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, *before);  // cursor, checkpoints, scheduler slots
  store_.reset();

  EXPECT_TRUE(testing::readFile(dir_.file("sfsync.db")) == bytesBefore)
      << "the database file changed during a dry run";
}

TEST_F(DryRunTest, NewJobOnAnEmptyStoreWouldCreateEverythingAndCreatesNoTable) {
  Result<jobs::DryRunReport> report = dryRun();
  ASSERT_TRUE(report.ok()) << report.status().toString();
  EXPECT_GE(report->wouldCreate, 5);
  EXPECT_EQ(report->wouldUpdate + report->unchanged, 0);
  EXPECT_EQ(*store_->count("Renewal"), 0);
  EXPECT_EQ(report->samples.size(), static_cast<std::size_t>(report->wouldCreate));
}

TEST_F(DryRunTest, ReadsAtMostTheBound) {
  Result<jobs::DryRunReport> report = dryRun(2);
  ASSERT_TRUE(report.ok()) << report.status().toString();
  EXPECT_EQ(report->recordsRead, 2);
  EXPECT_TRUE(report->truncated);
  EXPECT_EQ(report->wouldCreate, 2);
}

TEST_F(DryRunTest, UpdateOnlyJobSkipsRecordsWithoutARow) {
  loadThenChange();
  job_.updateOnly = true;
  Result<jobs::DryRunReport> report = dryRun();
  ASSERT_TRUE(report.ok()) << report.status().toString();
  EXPECT_EQ(report->wouldCreate, 0);
  EXPECT_EQ(report->skipped, 1);
}

TEST_F(DryRunTest, BoundComesFromRequestThenJobThenConnection) {
  salesforce::ConnectionSettings connection;
  connection.dryRunMaxRecords = 300;
  EXPECT_EQ(jobs::DryRun::maxRecordsFor(job_, connection, 0), 300);
  job_.dryRunMaxRecords = 40;
  EXPECT_EQ(jobs::DryRun::maxRecordsFor(job_, connection, 0), 40);
  EXPECT_EQ(jobs::DryRun::maxRecordsFor(job_, connection, 7), 7);
}

TEST(DryRunValueTest, ComparesUnderTheColumnType) {
  using store::ColumnType;
  struct Case {
    Value a;
    Value b;
    ColumnType type;
    bool same;
  };
  const Case cases[] = {
      {Value{}, Value{}, ColumnType::kText, true},
      {Value{}, Value(std::string("")), ColumnType::kText, false},
      {Value(std::int64_t{42}), Value(42.0), ColumnType::kReal, true},
      {Value(std::int64_t{1}), Value(true), ColumnType::kBoolean, true},
      {Value(false), Value(true), ColumnType::kBoolean, false},
      {Value(12.5), Value(12.50), ColumnType::kReal, true},
      {Value(12.5), Value(12.51), ColumnType::kReal, false},
      {Value(std::string("a")), Value(std::string("A")), ColumnType::kText, false},
      {Value(std::string("2026-01-01")), Value(std::string("2026-01-01")), ColumnType::kDate, true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(jobs::DryRunPlanner::sameValue(c.a, c.b, c.type), c.same)
        << valueToText(c.a) << " vs " << valueToText(c.b);
  }
}

}  // namespace
}  // namespace sfsync
