// SourceDeletes against the Salesforce simulator and SQLite: the shipped Company Sync (single
// target) and Company Person Sync (Contact -> Person + Company Person) jobs are synced through
// JobRunner, records are deleted in the simulator, and SourceDeletes::apply runs with a RunPlan
// built the way JobExecution builds it: each policy, the multi-target link rule, undelete, marked
// rows leaving the lookups, the mass-delete breaker and its one-shot override, hard deletes found
// by the full Id comparison.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "jobs/JobExecution.h"
#include "jobs/RunPlan.h"
#include "jobs/SourceDeletes.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/jobs/ReplicationState.h"

namespace sfsync::jobs {
namespace {

using sfsync::testing::FakeClock;
using sfsync::testing::TempDir;
using ::testing::HasSubstr;

std::int64_t n(const Result<std::int64_t>& r) { return r.ok() ? *r : -1; }

const char* kSimNow = "2026-01-10T12:00:00Z";

config::JobConfig shippedJob(const std::string& file) {
  std::vector<config::ConfigProblem> problems;
  const std::string path = std::string(SFSYNC_SOURCE_DIR) + "/jobs/" + file;
  auto job = config::parseJob(path, sfsync::testing::readFile(path), problems);
  EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front().toString());
  config::JobConfig out = job.value_or(config::JobConfig{});
  out.dependsOn.clear();
  out.api = config::SourceApi::kRest;
  return out;
}

std::string accountId(int i) { return sim::SalesforceId::make("001", "DL", i); }
std::string contactId(int i) { return sim::SalesforceId::make("003", "DL", i); }

class SourceDeletesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    sim_.setNowForTest(kSimNow);
    sim_.clearObject("Contact");
    sim_.clearObject("Account");
    auto store = store::openSqliteStore(dir_.file("sfsync.db"));
    ASSERT_TRUE(store.ok()) << store.status().toString();
    store_ = std::move(store).value();
    client_ = salesforce::makeHttpClient(sfsync::testing::simConnection(sim_), clock_);
    companies_ = shippedJob("company_sync.json");
    people_ = shippedJob("company_person_sync.json");
  }

  void addAccounts(int n) {
    for (int i = 1; i <= n; ++i) {
      sim_.upsertRecord("Account", "{\"Id\":\"" + accountId(i) + "\",\"Name\":\"Acct " +
                                       std::to_string(i) + "\",\"IsDeleted\":false," +
                                       "\"SystemModstamp\":\"2026-01-01T00:00:00.000+0000\"}");
    }
  }

  void addContact(int i, int account, const std::string& email) {
    sim_.upsertRecord("Contact", "{\"Id\":\"" + contactId(i) + "\",\"AccountId\":\"" +
                                     accountId(account) + "\",\"LastName\":\"C" +
                                     std::to_string(i) + "\",\"Email\":\"" + email +
                                     "\",\"IsDeleted\":false,"
                                     "\"SystemModstamp\":\"2026-01-01T00:00:00.000+0000\"}");
  }

  void sync(const config::JobConfig& job) {
    RunContext context{*client_, *store_, *clock_, dir_.file("errors"), "cli", ""};
    store::ExecutionRecord r = JobRunner::run(job, context);
    ASSERT_EQ(r.status, "Success") << r.message;
  }

  // SourceDeletes::apply as JobExecution calls it after the last page.
  Status applyDeletes(const config::JobConfig& job, const DeleteWindow& window,
                      store::ExecutionRecord& record) {
    Result<salesforce::ObjectDescribe> describe = client_->describe(job.sourceObject);
    if (!describe.ok()) return describe.status();
    Result<std::unique_ptr<RunPlan>> plan =
        RunPlan::build(job, *describe, job.sourceFields(), *store_);
    if (!plan.ok()) return plan.status();
    RunContext context{*client_, *store_, *clock_, dir_.file("errors"), "cli", ""};
    context.bulkThreshold = connectionBulkThreshold_;
    source::SourcePtr source =
        source::makeRestSource(*client_, JobExecution::sourceOptions(job, context));
    return SourceDeletes::apply(job, **plan, *source, *store_, *clock_, window, record);
  }

  Status compareAll(const config::JobConfig& job, std::int64_t* deleted = nullptr) {
    DeleteWindow window;
    window.fullComparison = true;
    store::ExecutionRecord record;
    Status s = applyDeletes(job, window, record);
    if (deleted != nullptr) *deleted = record.deleted;
    return s;
  }

  std::int64_t rows(const std::string& table) { return n(store_->count(table)); }

  // Rows of `table` with column = value: {IsDeleted, DeletedAt} as text.
  std::vector<std::string> markOf(const std::string& table, const std::string& column,
                                  const std::string& value) {
    auto found = store_->select(table, {store::kIsDeletedColumn, store::kDeletedAtColumn},
                                {{column, Value(value)}});
    EXPECT_TRUE(found.ok()) << found.status().toString();
    if (!found.ok() || found->size() != 1) return {};
    return {valueToText((*found)[0][0]), valueToText((*found)[0][1])};
  }

  sim::SimServer sim_;
  TempDir dir_;
  // sfsync's clock agrees with the simulator's (kSimNow).
  std::shared_ptr<FakeClock> clock_ =
      std::make_shared<FakeClock>(Clock::TimePoint(std::chrono::seconds(1768046400)));
  store::StorePtr store_;
  salesforce::SalesforceClientPtr client_;
  // The connection's bulkThreshold (ConnectionSettings::bulkThreshold) in the run's context.
  std::int64_t connectionBulkThreshold_ = 10000;
  config::JobConfig companies_;
  config::JobConfig people_;
};

TEST_F(SourceDeletesTest, IgnoreChangesNothing) {
  addAccounts(5);
  sync(companies_);
  sim_.deleteRecord("Account", accountId(1));
  std::int64_t deleted = -1;
  ASSERT_TRUE(compareAll(companies_, &deleted).ok());
  EXPECT_EQ(deleted, 0);
  EXPECT_EQ(rows("Company"), 5);
}

TEST_F(SourceDeletesTest, FirstRunComparesNothing) {
  companies_.onSourceDelete = config::DeletePolicy::kDelete;
  addAccounts(5);
  const std::int64_t callsBefore = sim_.dataRequests();
  std::int64_t deleted = -1;
  ASSERT_TRUE(compareAll(companies_, &deleted).ok());
  EXPECT_EQ(deleted, 0);
  EXPECT_EQ(sim_.dataRequests() - callsBefore, 1);  // the plan's describe; no Id download
  // A job's first run (full, so the comparison) writes rows but downloads no Ids for deletes:
  // describe + the query page only.
  const std::int64_t queriesBefore = sim_.queryRequests();
  sync(companies_);
  EXPECT_EQ(rows("Company"), 5);
  EXPECT_EQ(sim_.queryRequests() - queriesBefore, 1);
}

TEST_F(SourceDeletesTest, DeletePolicyRemovesTheRow) {
  companies_.onSourceDelete = config::DeletePolicy::kDelete;
  addAccounts(20);
  sync(companies_);
  sim_.deleteRecord("Account", accountId(3));
  std::int64_t deleted = -1;
  Status s = compareAll(companies_, &deleted);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(deleted, 1);
  EXPECT_EQ(rows("Company"), 19);
  EXPECT_TRUE(
      store_->select("Company", {"gsid"}, {{"SfdcAccountId", Value(accountId(3))}})->empty());
}

TEST_F(SourceDeletesTest, MarkDeletedSetsTheMarkOnceAndAnUndeleteClearsIt) {
  companies_.onSourceDelete = config::DeletePolicy::kMarkDeleted;
  addAccounts(20);
  sync(companies_);
  EXPECT_THAT(markOf("Company", "SfdcAccountId", accountId(2)),
              ::testing::ElementsAre("false", ""));
  sim_.deleteRecord("Account", accountId(2));
  std::int64_t deleted = -1;
  ASSERT_TRUE(compareAll(companies_, &deleted).ok());
  EXPECT_EQ(deleted, 1);
  EXPECT_EQ(rows("Company"), 20);
  const std::vector<std::string> mark = markOf("Company", "SfdcAccountId", accountId(2));
  ASSERT_EQ(mark.size(), 2u);
  EXPECT_EQ(mark[0], "true");
  EXPECT_EQ(mark[1], "2026-01-10T12:00:00.000Z");
  // A second pass neither counts it again nor moves its time.
  clock_->advance(std::chrono::hours(1));
  ASSERT_TRUE(compareAll(companies_, &deleted).ok());
  EXPECT_EQ(deleted, 0);
  EXPECT_EQ(markOf("Company", "SfdcAccountId", accountId(2))[1], "2026-01-10T12:00:00.000Z");
  // Undeleted in Salesforce: the next sync writes the record and clears the mark.
  sim_.setField("Account", accountId(2), "IsDeleted", "false");
  sync(companies_);
  EXPECT_THAT(markOf("Company", "SfdcAccountId", accountId(2)),
              ::testing::ElementsAre("false", ""));
}

TEST_F(SourceDeletesTest, LinkedPersonGoesOnlyWithItsLastLink) {
  people_.onSourceDelete = config::DeletePolicy::kDelete;
  addAccounts(2);
  addContact(1, 1, "shared@example.com");  // one Person, two Company Person rows
  addContact(2, 2, "shared@example.com");
  for (int i = 3; i <= 20; ++i) addContact(i, 1 + i % 2, "p" + std::to_string(i) + "@example.com");
  sync(companies_);
  sync(people_);
  ASSERT_EQ(rows("Person"), 19);
  ASSERT_EQ(rows("Company Person"), 20);

  sim_.deleteRecord("Contact", contactId(1));
  std::int64_t deleted = -1;
  Status s = compareAll(people_, &deleted);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(deleted, 0);  // Person (first target) kept: contact 2 still links to it
  EXPECT_EQ(rows("Person"), 19);
  EXPECT_EQ(rows("Company Person"), 19);

  sim_.deleteRecord("Contact", contactId(2));
  ASSERT_TRUE(compareAll(people_, &deleted).ok());
  EXPECT_EQ(deleted, 1);
  EXPECT_EQ(rows("Person"), 18);
  EXPECT_EQ(rows("Company Person"), 18);
  EXPECT_TRUE(
      store_->select("Person", {"gsid"}, {{"Email", Value("shared@example.com")}})->empty());
}

TEST_F(SourceDeletesTest, MarkedLinksNoLongerKeepTheirPerson) {
  people_.onSourceDelete = config::DeletePolicy::kMarkDeleted;
  addAccounts(2);
  addContact(1, 1, "shared@example.com");
  addContact(2, 2, "shared@example.com");
  for (int i = 3; i <= 20; ++i) addContact(i, 1 + i % 2, "p" + std::to_string(i) + "@example.com");
  sync(companies_);
  sync(people_);
  sim_.deleteRecord("Contact", contactId(1));
  ASSERT_TRUE(compareAll(people_).ok());
  EXPECT_EQ(markOf("Company Person", "ExternalContactId", contactId(1))[0], "true");
  EXPECT_EQ(markOf("Person", "Email", "shared@example.com")[0], "false");
  sim_.deleteRecord("Contact", contactId(2));
  std::int64_t deleted = -1;
  ASSERT_TRUE(compareAll(people_, &deleted).ok());
  EXPECT_EQ(deleted, 1);
  EXPECT_EQ(markOf("Company Person", "ExternalContactId", contactId(2))[0], "true");
  EXPECT_EQ(markOf("Person", "Email", "shared@example.com")[0], "true");
  EXPECT_EQ(rows("Person"), 19);  // marked, not removed
}

TEST_F(SourceDeletesTest, BreakerCountsLinkedRowsPerTarget) {
  people_.onSourceDelete = config::DeletePolicy::kDelete;
  addAccounts(2);
  addContact(1, 1, "shared@example.com");
  addContact(2, 2, "shared@example.com");
  for (int i = 3; i <= 20; ++i) addContact(i, 1 + i % 2, "p" + std::to_string(i) + "@example.com");
  sync(companies_);
  sync(people_);
  // Contact 1 (its Person kept: contact 2 links to it) and 3, 4 (their Persons go).
  for (int i : {1, 3, 4}) sim_.deleteRecord("Contact", contactId(i));
  Status s = compareAll(people_);
  EXPECT_EQ(s.remoteCode(), "MASS_DELETE_BLOCKED") << s.toString();
  EXPECT_THAT(s.message(), HasSubstr("Person: 2 of 19 rows (10.5%)"));
  EXPECT_THAT(s.message(), HasSubstr("Company Person: 3 of 20 rows (15.0%)"));
  EXPECT_EQ(rows("Person"), 19);
  EXPECT_EQ(rows("Company Person"), 20);
}

TEST_F(SourceDeletesTest, LookupsSkipMarkedRows) {
  companies_.onSourceDelete = config::DeletePolicy::kMarkDeleted;
  addAccounts(20);
  addContact(1, 1, "a@example.com");
  sync(companies_);
  sim_.deleteRecord("Account", accountId(1));
  ASSERT_TRUE(compareAll(companies_).ok());
  // Company Person's CompanyId lookup (onNoMatch reject) no longer finds the marked Company.
  RunContext context{*client_, *store_, *clock_, dir_.file("errors"), "cli", ""};
  store::ExecutionRecord r = JobRunner::run(people_, context);
  EXPECT_EQ(r.failed, 1) << r.message;
  EXPECT_EQ(rows("Company Person"), 0);
}

TEST_F(SourceDeletesTest, BreakerTripsAboveTheLimitAndNotBelow) {
  companies_.onSourceDelete = config::DeletePolicy::kDelete;
  addAccounts(100);
  sync(companies_);
  for (int i = 1; i <= 9; ++i) sim_.deleteRecord("Account", accountId(i));
  std::int64_t deleted = -1;
  Status s = compareAll(companies_, &deleted);
  ASSERT_TRUE(s.ok()) << s.toString();  // 9% <= 10%
  EXPECT_EQ(deleted, 9);
  EXPECT_EQ(rows("Company"), 91);

  for (int i = 10; i <= 20; ++i) sim_.deleteRecord("Account", accountId(i));  // 11 of 91: 12.1%
  s = compareAll(companies_, &deleted);
  EXPECT_EQ(s.code(), StatusCode::kDataError);
  EXPECT_EQ(s.remoteCode(), "MASS_DELETE_BLOCKED");
  EXPECT_THAT(s.message(), HasSubstr("Company: 11 of 91 rows (12.1%)"));
  EXPECT_THAT(s.message(), HasSubstr("sfsyncd --allow-mass-delete=\"Company Sync\""));
  EXPECT_THAT(s.message(), HasSubstr("POST /api/jobs/Company%20Sync/allow-mass-delete"));
  EXPECT_EQ(rows("Company"), 91);  // nothing deleted
}

TEST_F(SourceDeletesTest, ElevenPercentTripsNinePercentDoesNot) {
  companies_.onSourceDelete = config::DeletePolicy::kMarkDeleted;
  addAccounts(100);
  sync(companies_);
  for (int i = 1; i <= 11; ++i) sim_.deleteRecord("Account", accountId(i));
  Status s = compareAll(companies_);
  EXPECT_EQ(s.remoteCode(), "MASS_DELETE_BLOCKED") << s.toString();
  EXPECT_THAT(s.message(), HasSubstr("11 of 100 rows (11.0%)"));
  EXPECT_EQ(markOf("Company", "SfdcAccountId", accountId(1))[0], "false");
  // Two of them undeleted: 9 of 100 is within the limit.
  for (int i = 10; i <= 11; ++i) sim_.setField("Account", accountId(i), "IsDeleted", "false");
  std::int64_t deleted = -1;
  s = compareAll(companies_, &deleted);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(deleted, 9);
  EXPECT_EQ(markOf("Company", "SfdcAccountId", accountId(1))[0], "true");
  EXPECT_EQ(markOf("Company", "SfdcAccountId", accountId(10))[0], "false");
}

TEST_F(SourceDeletesTest, OverrideLetsOneMassDeleteThrough) {
  companies_.onSourceDelete = config::DeletePolicy::kDelete;
  addAccounts(100);
  sync(companies_);
  for (int i = 1; i <= 11; ++i) sim_.deleteRecord("Account", accountId(i));
  ASSERT_EQ(compareAll(companies_).remoteCode(), "MASS_DELETE_BLOCKED");
  ASSERT_TRUE(store_->putState(allowMassDeleteKey("Company Sync"), "{\"by\":\"test\"}").ok());
  std::int64_t deleted = -1;
  Status s = compareAll(companies_, &deleted);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(deleted, 11);
  EXPECT_EQ(rows("Company"), 89);
  EXPECT_FALSE(store_->getState(allowMassDeleteKey("Company Sync"))->has_value());
  // Spent: the next mass delete trips again.
  for (int i = 12; i <= 30; ++i) sim_.deleteRecord("Account", accountId(i));
  EXPECT_EQ(compareAll(companies_).remoteCode(), "MASS_DELETE_BLOCKED");
  EXPECT_EQ(rows("Company"), 89);
}

TEST_F(SourceDeletesTest, HardDeleteIsFoundByTheFullComparison) {
  companies_.onSourceDelete = config::DeletePolicy::kDelete;
  addAccounts(20);
  sync(companies_);
  // Hard delete (recycle bin emptied): the record is gone even from queryAll.
  sim_.clearObject("Account");
  addAccounts(19);
  std::int64_t deleted = -1;
  ASSERT_TRUE(compareAll(companies_, &deleted).ok());
  EXPECT_EQ(deleted, 1);
  EXPECT_TRUE(
      store_->select("Company", {"gsid"}, {{"SfdcAccountId", Value(accountId(20))}})->empty());
}

TEST_F(SourceDeletesTest, IncrementalWindowUsesTheFeedsAndMissesHardDeletes) {
  companies_.onSourceDelete = config::DeletePolicy::kDelete;
  addAccounts(40);
  sync(companies_);
  sim_.deleteRecord("Account", accountId(1));      // soft: in /deleted and queryAll
  sim_.hardDeleteRecord("Account", accountId(2));  // gone: only a comparison finds it
  sim_.setNowForTest("2026-01-10T14:00:00Z");
  sim_.deleteRecord("Account", accountId(3));  // after the window's end: the next run's
  DeleteWindow window;
  window.startIso = "2026-01-10T11:00:00Z";
  window.endIso = "2026-01-10T13:00:00Z";
  store::ExecutionRecord record;
  const std::int64_t callsBefore = sim_.dataRequests();
  Status s = applyDeletes(companies_, window, record);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(record.deleted, 1);
  EXPECT_EQ(rows("Company"), 39);
  EXPECT_EQ(store_->select("Company", {"gsid"}, {{"SfdcAccountId", Value(accountId(2))}})->size(),
            1u);
  // describe (for the plan) + /deleted, which covers the window: no queryAll, no Id comparison.
  EXPECT_EQ(sim_.dataRequests() - callsBefore, 2);
}

TEST_F(SourceDeletesTest, TheNextWindowStartsWhereTheFeedsCoverageEnded) {
  companies_.onSourceDelete = config::DeletePolicy::kDelete;
  addAccounts(40);
  sync(companies_);
  sim_.deleteRecord("Account", accountId(1));  // at 12:00
  sim_.setNowForTest("2026-01-10T14:00:30Z");
  DeleteWindow window;
  window.startIso = "2026-01-10T11:00:00Z";
  window.endIso = "2026-01-10T15:00:00Z";  // the feed covers up to 14:00 (the simulator's minute)
  store::ExecutionRecord first;
  Status s = applyDeletes(companies_, window, first);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(first.deleted, 1);
  auto checked = store_->getState(deletesCheckedKey(companies_.connection, companies_.name));
  ASSERT_TRUE(checked.ok() && checked->has_value());
  EXPECT_EQ(**checked, "2026-01-10T14:00:00.000Z");
  // A delete the first call could not see yet is inside the next run's window.
  sim_.deleteRecord("Account", accountId(3));  // at 14:00:30
  sim_.setNowForTest("2026-01-10T16:00:00Z");
  window.startIso = "2026-01-10T15:00:00Z";  // the cursor's; the check moves it back to 13:55
  window.endIso = "2026-01-10T16:00:00Z";
  store::ExecutionRecord second;
  s = applyDeletes(companies_, window, second);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(second.deleted, 1);
  EXPECT_EQ(rows("Company"), 38);
}

TEST_F(SourceDeletesTest, WindowOlderThanTheRecycleBinFallsBackToTheComparison) {
  companies_.onSourceDelete = config::DeletePolicy::kDelete;
  addAccounts(40);
  sync(companies_);
  sim_.deleteRecord("Account", accountId(1));
  sim_.hardDeleteRecord("Account", accountId(2));
  // The sync checked deletes at 12:00: the window starts at 11:55 (overlap), before the bin's.
  sim_.setEarliestDateAvailable("2026-01-10T11:58:00Z");
  DeleteWindow window;
  window.startIso = "2026-01-10T11:00:00Z";
  window.endIso = "2026-01-10T13:00:00Z";
  store::ExecutionRecord record;
  Status s = applyDeletes(companies_, window, record);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(record.deleted, 2);
  EXPECT_EQ(rows("Company"), 38);
}

TEST_F(SourceDeletesTest, AQuietObjectKeepsUsingTheFeedsAfterItsLastCheck) {
  companies_.onSourceDelete = config::DeletePolicy::kDelete;
  addAccounts(40);
  sync(companies_);
  // The cursor has not moved for 20 days (older than the recycle bin), but the last run checked
  // the deletes an hour ago: the feeds still answer, no comparison (which would find the hard
  // delete).
  ASSERT_TRUE(store_
                  ->putState(deletesCheckedKey(companies_.connection, companies_.name),
                             "2026-01-10T11:00:00.000Z")
                  .ok());
  sim_.deleteRecord("Account", accountId(1));
  sim_.hardDeleteRecord("Account", accountId(2));
  DeleteWindow window;
  window.startIso = "2025-12-21T12:00:00Z";
  window.endIso = "2026-01-10T12:30:00.000Z";
  store::ExecutionRecord record;
  const std::int64_t callsBefore = sim_.dataRequests();
  Status s = applyDeletes(companies_, window, record);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(record.deleted, 1);
  EXPECT_EQ(sim_.dataRequests() - callsBefore, 2);  // describe, /deleted
  // Checked up to the feed's coverage (the simulator's now, 12:00), not the window's end.
  auto checked = store_->getState(deletesCheckedKey(companies_.connection, companies_.name));
  ASSERT_TRUE(checked.ok() && checked->has_value());
  EXPECT_EQ(**checked, "2026-01-10T12:00:00.000Z");
  // Without that record the same window falls back to the comparison.
  ASSERT_TRUE(store_->eraseState(deletesCheckedKey(companies_.connection, companies_.name)).ok());
  s = applyDeletes(companies_, window, record);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(record.deleted, 2);
}

// The Id download follows the run's own REST-or-Bulk rule (JobExecution::sourceOptions): the
// job's bulkThreshold, else the connection's.
TEST_F(SourceDeletesTest, FullComparisonFollowsTheRunsRestOrBulkRule) {
  companies_.onSourceDelete = config::DeletePolicy::kDelete;
  addAccounts(30);
  sync(companies_);
  sim_.hardDeleteRecord("Account", accountId(7));
  companies_.api = config::SourceApi::kAuto;
  companies_.bulkThreshold = 10;  // 29 records > the job's 10: Bulk
  sim_.failNextBulkJob("boom");   // proves the Ids come through a Bulk job
  Status s = compareAll(companies_);
  EXPECT_EQ(s.remoteCode(), salesforce::kBulkJobFailed) << s.toString();
  companies_.bulkThreshold.reset();
  connectionBulkThreshold_ = 10;  // 29 records > the connection's 10: Bulk again
  sim_.failNextBulkJob("boom");
  s = compareAll(companies_);
  EXPECT_EQ(s.remoteCode(), salesforce::kBulkJobFailed) << s.toString();
  EXPECT_EQ(rows("Company"), 30);
  connectionBulkThreshold_ = 100;  // 29 <= 100: REST pages
  sim_.failNextBulkJob("boom");    // proves they do not go through a Bulk job
  std::int64_t deleted = -1;
  s = compareAll(companies_, &deleted);
  ASSERT_TRUE(s.ok()) << s.toString();
  EXPECT_EQ(deleted, 1);
  EXPECT_EQ(rows("Company"), 29);
}

TEST_F(SourceDeletesTest, JobRunsApplyThePolicyEndToEnd) {
  companies_.onSourceDelete = config::DeletePolicy::kMarkDeleted;
  addAccounts(40);
  sync(companies_);
  sim_.deleteRecord("Account", accountId(5));
  RunContext context{*client_, *store_, *clock_, dir_.file("errors"), "cli", ""};
  store::ExecutionRecord r = JobRunner::run(companies_, context);
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.deleted, 1);
  EXPECT_EQ(markOf("Company", "SfdcAccountId", accountId(5))[0], "true");
  // Undeleted in Salesforce: the next incremental run re-reads it and clears the mark.
  sim_.setNowForTest("2026-01-10T12:05:00Z");
  sim_.undeleteRecord("Account", accountId(5));
  r = JobRunner::run(companies_, context);
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.deleted, 0);
  EXPECT_THAT(markOf("Company", "SfdcAccountId", accountId(5)),
              ::testing::ElementsAre("false", ""));
}

TEST_F(SourceDeletesTest, JobRunFailsOnTheBreakerWithTheOverrideInItsMessage) {
  companies_.onSourceDelete = config::DeletePolicy::kDelete;
  addAccounts(50);
  sync(companies_);
  for (int i = 1; i <= 6; ++i) sim_.deleteRecord("Account", accountId(i));  // 12%
  RunContext context{*client_, *store_, *clock_, dir_.file("errors"), "cli", ""};
  store::ExecutionRecord r = JobRunner::run(companies_, context);
  EXPECT_EQ(r.status, "Failed");
  EXPECT_THAT(r.message, HasSubstr("Company: 6 of 50 rows (12.0%)"));
  EXPECT_THAT(r.message, HasSubstr("--allow-mass-delete"));
  EXPECT_EQ(rows("Company"), 50);
  ASSERT_TRUE(store_->putState(allowMassDeleteKey("Company Sync"), "{\"by\":\"test\"}").ok());
  r = JobRunner::run(companies_, context);
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.deleted, 6);
  EXPECT_THAT(r.message, HasSubstr("source deletes (delete, incremental): Company 6 of 50"));
  EXPECT_EQ(rows("Company"), 44);
}

}  // namespace
}  // namespace sfsync::jobs
