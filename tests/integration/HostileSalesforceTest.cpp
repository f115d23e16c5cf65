// A job against a hostile or broken Salesforce (issue 9), end to end through the simulator's fault
// switches: a first page claiming an absurd totalSize, more records than promised, an Id sent as a
// JSON object, a value far longer than its field, and invalid UTF-8. Bad records go to the error
// file with their reason code while the run continues; paging that would not end fails the run.
#include <gtest/gtest.h>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/JobRunner.h"

namespace sfsync {
namespace {

using testing::FakeClock;
using testing::TempDir;

const char* kAccountJob = R"({
  "name": "Account Copy",
  "connection": "sample",
  "source": {"object": "Account"},
  "target": {"object": "Acct"},
  "mappings": [
    {"source": "Id", "target": "SfdcId", "upsertKey": true},
    {"source": "Name", "target": "Name"},
    {"source": "Phone", "target": "Phone"}
  ]
})";

class HostileSalesforceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    auto store = store::openSqliteStore(dir_.file("sfsync.db"));
    ASSERT_TRUE(store.ok()) << store.status().toString();
    store_ = std::move(store).value();
    std::vector<config::ConfigProblem> problems;
    auto job = config::parseJob("jobs/account_copy.json", kAccountJob, problems);
    ASSERT_TRUE(problems.empty()) << problems.front().toString();
    job_ = std::move(job).value();
  }

  store::ExecutionRecord run() {
    auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    jobs::RunContext context{*client, *store_, *clock_, dir_.file("errors"), "cli", ""};
    return jobs::JobRunner::run(job_, context);
  }

  std::vector<std::vector<Value>> namesOf(const std::string& id) {
    auto rows = store_->select("Acct", {"Name"}, {{"SfdcId", Value(id)}});
    EXPECT_TRUE(rows.ok()) << rows.status().toString();
    return rows.ok() ? *rows : std::vector<std::vector<Value>>{};
  }

  sim::SimServer sim_;
  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  store::StorePtr store_;
  config::JobConfig job_;
};

TEST_F(HostileSalesforceTest, AbsurdTotalSizeSizesNothing) {
  // Used to be reserve()d for duplicate tracking: 4e18 entries threw (or took gigabytes).
  sim_.claimTotalSize(9223372036854775807LL);  // INT64_MAX: the slack must not overflow
  const store::ExecutionRecord r = run();
  EXPECT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.created, static_cast<std::int64_t>(sim_.recordCount("Account")));
}

TEST_F(HostileSalesforceTest, MoreRecordsThanTotalSizePromisedFailsTheRun) {
  sim_.generateAccounts(2500);
  sim_.setBatchSize(200);
  sim_.claimTotalSize(10);
  const store::ExecutionRecord r = run();
  EXPECT_EQ(r.status, "Failed");
  EXPECT_NE(r.message.find("promised totalSize 10"), std::string::npos) << r.message;
  EXPECT_LE(r.recordsRead, 2026);  // 10 + 10% + 2000 accepted, not a page more
}

TEST_F(HostileSalesforceTest, IdSentAsAnObjectIsATypeConversionErrorAndTheRunContinues) {
  sim_.rewritePages(R"("Id":"0015g0000000tvxAAA")", R"("Id":{"x": 1})");
  const store::ExecutionRecord r = run();
  EXPECT_EQ(r.status, "Partial Success") << r.message;
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.created + 1, static_cast<std::int64_t>(sim_.recordCount("Account")));
  ASSERT_FALSE(r.errorFile.empty());
  const std::string csv = testing::readFile(r.errorFile);
  EXPECT_NE(csv.find(",TYPE_CONVERSION,map,Id -> SfdcId,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("a JSON object where the field (type id) holds a single value"),
            std::string::npos)
      << csv;
  EXPECT_TRUE(namesOf(R"({"x": 1})").empty());
  EXPECT_TRUE(namesOf(R"({"x":1})").empty());
}

TEST_F(HostileSalesforceTest, ValueFarLongerThanItsFieldIsReported) {
  const std::string huge(400, 'G');  // Name: describe length 255, accepted up to 296
  sim_.rewritePages(R"("Name":"Globex Industries")", "\"Name\":\"" + huge + "\"");
  const store::ExecutionRecord r = run();
  EXPECT_EQ(r.status, "Partial Success") << r.message;
  EXPECT_EQ(r.failed, 1);
  ASSERT_FALSE(r.errorFile.empty());
  const std::string csv = testing::readFile(r.errorFile);
  EXPECT_NE(csv.find(",VALUE_TOO_LONG,map,Name -> Name,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("400 characters, more than the 296 accepted"), std::string::npos) << csv;
  EXPECT_TRUE(namesOf("0015g0000000xq6AAA").empty());
}

TEST_F(HostileSalesforceTest, InvalidUtf8IsReplacedWithTheReplacementCharacter) {
  sim_.rewritePages("Initech GmbH", "Initech \xff\xc3 GmbH");
  const store::ExecutionRecord r = run();
  EXPECT_EQ(r.status, "Success") << r.message;
  const auto rows = namesOf("0015g00000011kFAAQ");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], Value(std::string("Initech \xEF\xBF\xBD\xEF\xBF\xBD GmbH")));
}

}  // namespace
}  // namespace sfsync
