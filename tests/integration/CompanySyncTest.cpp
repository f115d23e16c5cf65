// Company Sync end to end: the shipped jobs/company_sync.json against the Salesforce simulator into
// a temporary SQLite file, through the real HTTP client, store and activity log.
#include <gtest/gtest.h>

#include <algorithm>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/JobRunner.h"

namespace sfsync {
namespace {

using testing::FakeClock;
using testing::TempDir;

// Valid 18-character Account Ids for records the tests add.
const std::string kAcct1 = sim::SalesforceId::make("001", "TS", 1);
const std::string kAcct2 = sim::SalesforceId::make("001", "TS", 2);
const std::string kBadAcct = sim::SalesforceId::make("001", "TS", 3);

std::string accountJson(const std::string& id, const std::string& fields) {
  return "{\"Id\":\"" + id + "\"," + fields + "}";
}

config::JobConfig shippedJob(const std::string& file) {
  std::vector<config::ConfigProblem> problems;
  const std::string path = std::string(SFSYNC_SOURCE_DIR) + "/jobs/" + file;
  auto job = config::parseJob(path, testing::readFile(path), problems);
  EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front().toString());
  return job.value_or(config::JobConfig{});
}

class CompanySyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    auto store = store::openSqliteStore(dir_.file("sfsync.db"));
    ASSERT_TRUE(store.ok()) << store.status().toString();
    store_ = std::move(store).value();
    job_ = shippedJob("company_sync.json");
    ASSERT_EQ(job_.name, "Company Sync");
  }

  store::ExecutionRecord run(const config::JobConfig& job) {
    client_ = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    jobs::RunContext context{*client_, *store_, *clock_, dir_.file("errors"), "cli", ""};
    return jobs::JobRunner::run(job, context);
  }

  // The Company row whose SfdcAccountId is `id`: {gsid, Name, Employees}.
  std::vector<Value> company(const std::string& id) {
    auto rows = store_->select("Company", {"gsid", "Name", "Employees"},
                               {{"SfdcAccountId", Value(std::string(id))}});
    EXPECT_TRUE(rows.ok()) << rows.status().toString();
    EXPECT_EQ(rows->size(), 1u);
    return rows->empty() ? std::vector<Value>{} : rows->front();
  }

  sim::SimServer sim_;
  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  store::StorePtr store_;
  salesforce::SalesforceClientPtr client_;
  config::JobConfig job_;
};

TEST_F(CompanySyncTest, LoadsEveryAccountWithItsValues) {
  sim_.upsertRecord("Account", accountJson(kAcct1, R"("Name":"O'Brien & Sons, \"Ltd\"",)"
                                                   R"("NumberOfEmployees":1234)"));
  sim_.upsertRecord("Account",
                    accountJson(kAcct2, R"("Name":"No Headcount","NumberOfEmployees":null)"));
  const auto accounts = static_cast<std::int64_t>(sim_.recordCount("Account"));

  store::ExecutionRecord r = run(job_);

  EXPECT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.recordsRead, accounts);
  EXPECT_EQ(r.created, accounts);
  EXPECT_EQ(r.failed, 0);
  EXPECT_TRUE(r.errorFile.empty());
  EXPECT_EQ(*store_->count("Company"), accounts);
  auto row = company(kAcct1);
  ASSERT_EQ(row.size(), 3u);
  EXPECT_EQ(std::get<std::string>(row[0]).size(), 36u);  // a UUID gsid
  EXPECT_EQ(row[1], Value(std::string("O'Brien & Sons, \"Ltd\"")));
  EXPECT_EQ(row[2], Value(std::int64_t{1234}));
  EXPECT_TRUE(isNull(company(kAcct2)[2]));
}

TEST_F(CompanySyncTest, SecondRunUpdatesInsteadOfDuplicating) {
  sim_.upsertRecord("Account", accountJson(kAcct1, R"("Name":"Before","NumberOfEmployees":10)"));
  const auto accounts = static_cast<std::int64_t>(sim_.recordCount("Account"));
  job_.mode = config::SourceMode::kFull;  // every record is read again (incremental: one)
  ASSERT_EQ(run(job_).status, "Success");
  const Value gsid = company(kAcct1)[0];

  sim_.setField("Account", kAcct1, "Name", "\"After\"");
  sim_.setField("Account", kAcct1, "NumberOfEmployees", "11");
  store::ExecutionRecord second = run(job_);

  EXPECT_EQ(second.status, "Success") << second.message;
  EXPECT_EQ(second.created, 0);
  EXPECT_EQ(second.updated, accounts);
  // Issue 10: every record but the edited one already held its values: not rewritten.
  EXPECT_EQ(second.unchanged, accounts - 1);
  ASSERT_EQ(second.targets.size(), 1u);
  EXPECT_EQ(second.targets[0].unchanged, accounts - 1);
  EXPECT_EQ(second.targets[0].updated, accounts);
  EXPECT_EQ(*store_->count("Company"), accounts);
  auto row = company(kAcct1);
  EXPECT_EQ(row[0], gsid);
  EXPECT_EQ(row[1], Value(std::string("After")));
  EXPECT_EQ(row[2], Value(std::int64_t{11}));
}

TEST_F(CompanySyncTest, WritesTheActivityRow) {
  clock_->advance(std::chrono::hours(1));
  store::ExecutionRecord r = run(job_);

  store::ExecutionQuery query;
  query.name = "Company Sync";
  auto rows = store_->listExecutions(query);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  const store::ExecutionRecord& saved = rows->front();
  EXPECT_EQ(saved.executionId, r.executionId);
  EXPECT_EQ(saved.kind, "job");
  EXPECT_EQ(saved.connection, "sample");
  EXPECT_EQ(saved.trigger, "cli");
  EXPECT_EQ(saved.status, "Success");
  EXPECT_EQ(saved.startTime, formatIso8601(clock_->now()));
  EXPECT_FALSE(saved.endTime.empty());
  EXPECT_EQ(saved.created, static_cast<std::int64_t>(sim_.recordCount("Account")));
  EXPECT_EQ(saved.failed, 0);
  EXPECT_GE(saved.apiCalls, 2);  // describe + at least one query page
}

TEST_F(CompanySyncTest, UnconvertibleValueGoesToTheErrorFileWhileTheRestLoad) {
  sim_.upsertRecord("Account", accountJson(kBadAcct, R"("Name":"Bad Count",)"
                                                     R"("Legacy_Employee_Count__c":"abc")"));
  config::JobConfig job = job_;
  job.targets[0].mappings[2].source = "Legacy_Employee_Count__c";  // text field -> integer column
  const auto accounts = static_cast<std::int64_t>(sim_.recordCount("Account"));

  store::ExecutionRecord r = run(job);

  EXPECT_EQ(r.status, "Partial Success") << r.message;
  EXPECT_GE(r.failed, 1);
  EXPECT_EQ(r.created + r.failed, accounts);
  EXPECT_EQ(*store_->count("Company"), r.created);
  ASSERT_FALSE(r.errorFile.empty());
  const std::string csv = testing::readFile(r.errorFile);
  EXPECT_NE(csv.find("reason_code,stage,mapping,value,candidates,message"), std::string::npos);
  EXPECT_NE(csv.find(kBadAcct + ",Bad Count,abc,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",TYPE_CONVERSION,map,Legacy_Employee_Count__c -> Employees,abc,,"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("cannot convert 'abc' to integer"), std::string::npos) << csv;
  auto bad = store_->select("Company", {"gsid"}, {{"SfdcAccountId", Value(kBadAcct)}});
  EXPECT_TRUE(bad->empty());
}

TEST_F(CompanySyncTest, RenewsAnExpiredSessionOnce) {
  client_ = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
  ASSERT_TRUE(client_->authenticate().ok());
  sim_.expireSessionOnce();
  jobs::RunContext context{*client_, *store_, *clock_, dir_.file("errors"), "cli", ""};

  store::ExecutionRecord r = jobs::JobRunner::run(job_, context);

  EXPECT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(sim_.tokenRequests(), 2);
  EXPECT_EQ(*store_->count("Company"), static_cast<std::int64_t>(sim_.recordCount("Account")));
}

TEST_F(CompanySyncTest, UnknownFieldFailsWithSalesforcesMessage) {
  config::JobConfig job = job_;
  job.targets[0].mappings[1].source = "Nmae";

  store::ExecutionRecord r = run(job);

  EXPECT_EQ(r.status, "Failed");
  EXPECT_NE(r.message.find("INVALID_FIELD"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("No such column 'Nmae' on entity 'Account'"), std::string::npos)
      << r.message;
  EXPECT_EQ(*store_->count("Company"), 0);
}

TEST_F(CompanySyncTest, ManyPagesAreLoadedPageByPage) {
  sim_.generateAccounts(2500);
  sim_.setBatchSize(500);
  const auto accounts = static_cast<std::int64_t>(sim_.recordCount("Account"));
  const auto queriesBefore = sim_.queryRequests();

  store::ExecutionRecord r = run(job_);

  EXPECT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.created, accounts);
  EXPECT_EQ(*store_->count("Company"), accounts);
  // The pages, plus the SELECT COUNT() of source.api auto.
  EXPECT_EQ(sim_.queryRequests() - queriesBefore, (accounts + 499) / 500 + 1);
}

TEST_F(CompanySyncTest, OptInSuccessFileListsLoadedRecordsWithTheirGsids) {
  config::JobConfig job = job_;
  job.mode = config::SourceMode::kFull;       // the second run reads every record again
  EXPECT_TRUE(run(job).successFile.empty());  // off by default
  job.successFile = true;
  store::ExecutionRecord r = run(job);
  ASSERT_FALSE(r.successFile.empty());
  const std::string csv = testing::readFile(r.successFile);
  EXPECT_EQ(csv.rfind("Id,Name,NumberOfEmployees,SystemModstamp,gsid,status\r\n", 0), 0u) << csv;
  const auto lines = std::count(csv.begin(), csv.end(), '\n');
  EXPECT_EQ(lines, r.updated + 1);
  const std::string acme = std::get<std::string>(company("0015g0000000tvxAAA")[0]);
  EXPECT_NE(csv.find("0015g0000000tvxAAA,Acme Corporation,12000,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("," + acme + ",Updated\r\n"), std::string::npos) << csv;
}

TEST_F(CompanySyncTest, ServerErrorsAreRetriedWithBackoff) {
  sim_.fail500Once(2);
  store::ExecutionRecord r = run(job_);
  EXPECT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(clock_->sleeps().size(), 2u);
}

}  // namespace
}  // namespace sfsync
