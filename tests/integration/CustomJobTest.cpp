// A custom job on a custom object (Renewal__c -> Renewal) with a composite upsert key and a derived
// company reference; duplicate keys inside one extract (newest SystemModstamp wins).
#include <gtest/gtest.h>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/jobs/JobValidator.h"

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

const char* kContactsByEmailJob = R"({
  "name": "Contacts By Email",
  "connection": "sample",
  "source": {"object": "Contact"},
  "target": {"object": "Contact Email"},
  "mappings": [
    {"source": "Email", "target": "Email", "upsertKey": true},
    {"source": "Id", "target": "ContactId"}
  ]
})";

class CustomJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    auto store = store::openSqliteStore(dir_.file("sfsync.db"));
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
  }

  config::JobConfig parse(const std::string& text) {
    std::vector<config::ConfigProblem> problems;
    auto job = config::parseJob("jobs/custom.json", text, problems);
    EXPECT_TRUE(problems.empty()) << problems.front().toString();
    return job.value_or(config::JobConfig{});
  }

  store::ExecutionRecord run(const config::JobConfig& job) {
    auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    jobs::RunContext context{*client, *store_, *clock_, dir_.file("errors"), "cli", ""};
    return jobs::JobRunner::run(job, context);
  }

  sim::SimServer sim_;
  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  store::StorePtr store_;
};

TEST_F(CustomJobTest, CustomObjectWithCompositeUpsertKey) {
  config::JobConfig job = parse(kRenewalJob);
  job.mode = config::SourceMode::kFull;  // the second run reads every record again
  store::ExecutionRecord first = run(job);
  ASSERT_EQ(first.status, "Success") << first.message;
  const std::int64_t renewals = first.created;
  EXPECT_GE(renewals, 5);
  EXPECT_EQ(*store_->count("Renewal"), renewals);

  // The same contract in two years is two rows; no Company table yet -> the default value.
  auto c1001 = store_->select("Renewal", {"RenewalYear", "CompanyId", "AccountName", "Origin"},
                              {{"ContractNumber", Value(std::string("C-1001"))}});
  ASSERT_EQ(c1001->size(), 2u);
  EXPECT_EQ(c1001->at(0)[1], Value(std::string("unassigned")));
  EXPECT_EQ(c1001->at(0)[2], Value(std::string("Acme Corporation")));
  EXPECT_EQ(c1001->at(0)[3], Value(std::string("salesforce")));

  // A new year of an existing contract is created; an amount change updates in place.
  const std::string renewal2027 = sim::SalesforceId::make("a01", "ZZ", 1);
  sim_.upsertRecord("Renewal__c", "{\"Id\":\"" + renewal2027 +
                                      "\",\"Name\":\"Acme 2027\",\"Contract_Number__c\":\"C-1001\","
                                      "\"Renewal_Year__c\":2027,\"Amount__c\":99.5,\"Account__c\":"
                                      "\"0015g0000000tvxAAA\",\"Status__c\":\"Open\"}");
  sim_.setField("Renewal__c", "a015g0000000tvxAAA", "Amount__c", "12345.5");
  store::ExecutionRecord second = run(job);
  EXPECT_EQ(second.status, "Success") << second.message;
  EXPECT_EQ(second.created, 1);
  EXPECT_EQ(second.updated, renewals);
  auto amount = store_->select("Renewal", {"Amount"},
                               {{"ContractNumber", Value(std::string("C-1001"))},
                                {"RenewalYear", Value(std::int64_t{2025})}});
  ASSERT_EQ(amount->size(), 1u);
  EXPECT_EQ(amount->front()[0], Value(12345.5));
  EXPECT_EQ(store_->select("Renewal", {"gsid"}, {{"ContractNumber", Value(std::string("C-1001"))}})
                ->size(),
            3u);
}

TEST_F(CustomJobTest, DuplicateKeysInOneExtractKeepTheNewestRecord) {
  // Two contacts share info@acme-sample.co.uk; make the FIRST one in extract order (by
  // SystemModstamp) the newest by the dedupe stamp (LastModifiedDate).
  sim_.setNowForTest("2030-01-01T00:00:00.000+0000");
  sim_.setField("Contact", "0035g0000001WzPAAU", "Title", "\"Newest\"");
  sim_.setField("Contact", "0035g0000001WzPAAU", "SystemModstamp",
                "\"2020-01-01T00:00:00.000+0000\"");
  config::JobConfig job = parse(kContactsByEmailJob);
  job.dedupeBy = "LastModifiedDate";

  store::ExecutionRecord r = run(job);

  EXPECT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.warnings, 1);
  EXPECT_EQ(r.skipped, 1);  // the older duplicate, arriving second, is not written
  EXPECT_EQ(r.created + r.skipped, r.recordsRead);
  auto row = store_->select("Contact Email", {"ContactId"},
                            {{"Email", Value(std::string("info@acme-sample.co.uk"))}});
  ASSERT_EQ(row->size(), 1u);
  EXPECT_EQ(row->front()[0], Value(std::string("0035g0000001WzPAAU")));
}

// A numeric dedupeBy is compared as a number: 48000 beats 9000 (as text, "9000" > "48000").
TEST_F(CustomJobTest, ANumericDedupeStampComparesAsANumber) {
  // C-1001 has two renewals; keyed by the contract alone they are duplicates. The second in read
  // order (SystemModstamp) gets the smaller amount.
  sim_.setField("Renewal__c", "a015g0000000xq6AAA", "Amount__c", "9000");
  config::JobConfig job = parse(R"({
    "name": "Contracts", "connection": "sample", "source": {"object": "Renewal__c"},
    "target": {"object": "Contract"},
    "mappings": [
      {"source": "Contract_Number__c", "target": "ContractNumber", "upsertKey": true},
      {"source": "Amount__c", "target": "Amount"}
    ]})");
  job.dedupeBy = "Amount__c";

  store::ExecutionRecord r = run(job);
  EXPECT_EQ(r.status, "Success") << r.message;
  EXPECT_GE(r.warnings, 1);
  auto row =
      store_->select("Contract", {"Amount"}, {{"ContractNumber", Value(std::string("C-1001"))}});
  ASSERT_EQ(row->size(), 1u);
  EXPECT_EQ(row->front()[0], Value(48000.0));
}

}  // namespace
}  // namespace sfsync

namespace sfsync {
namespace {

TEST_F(CustomJobTest, OnlineValidationNamesMissingFieldsAndRejectedFilters) {
  config::JobConfig job = parse(R"({
    "name": "Renamed", "connection": "sample",
    "source": {"object": "Renewal__c", "fields": ["Status__c"], "filter": "Amount__c >> 5"},
    "target": {"object": "Renewal"},
    "mappings": [
      {"source": "Contract_Number__c", "target": "ContractNumber", "upsertKey": true},
      {"source": "Contract_Value__c", "target": "Value"},
      {"source": "Account__r.Owner.Email", "target": "OwnerEmail"},
      {"source": "Account__r.Nmae", "target": "AccountName"},
      {"source": "Acount__r.Name", "target": "AccountName2"}
    ]})");
  auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);

  auto problems = jobs::JobValidator::validate(job, *client);

  std::vector<std::string> text;
  for (const auto& p : problems) text.push_back(p.path + ": " + p.message);
  ASSERT_EQ(text.size(), 4u) << ::testing::PrintToString(text);
  EXPECT_EQ(text[0].rfind("mappings[1].source: field 'Contract_Value__c' does not exist on "
                          "Renewal__c in Salesforce",
                          0),
            0u)
      << text[0];
  EXPECT_EQ(text[1].rfind("mappings[3].source: field 'Nmae' does not exist on Account", 0), 0u)
      << text[1];
  EXPECT_EQ(text[2].rfind("mappings[4].source: relationship 'Acount__r' does not exist", 0), 0u)
      << text[2];
  EXPECT_EQ(text[3].rfind("source.filter: Salesforce rejects the filter: MALFORMED_QUERY", 0), 0u)
      << text[3];

  for (const char* shipped : {"user_sync.json", "company_person_sync.json", "cases_sync.json"}) {
    const std::string path = std::string(SFSYNC_SOURCE_DIR) + "/jobs/" + shipped;
    auto ok = parse(testing::readFile(path));
    EXPECT_TRUE(jobs::JobValidator::validate(ok, *client).empty()) << shipped;
  }
}

}  // namespace
}  // namespace sfsync
