// Incremental replication end to end over REST (issue 10): the cursor on SystemModstamp + Id with
// its overlap window, full passes (source.mode, full-resync requests, objects without
// SystemModstamp), checkpoints written with each page and the resume of an interrupted or Deferred
// run - against the simulator, through the real client, store and activity log.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/jobs/ReplicationState.h"

namespace sfsync {
namespace {

using testing::FakeClock;
using testing::TempDir;

const char* kCompanyJob = R"({
  "name": "Company Sync", "connection": "sample", "source": {"object": "Account"},
  "target": {"object": "Company"},
  "mappings": [
    {"source": "Id", "target": "SfdcAccountId", "type": "text", "upsertKey": true},
    {"source": "Name", "target": "Name", "type": "text"},
    {"source": "NumberOfEmployees", "target": "Employees", "type": "integer"}]})";

const char* kWidgetDescribe = R"({"name": "Widget__c", "keyPrefix": "a0W", "fields": [
  {"name": "Id", "type": "id"}, {"name": "Name", "type": "string", "length": 80}]})";

const char* kWidgetJob = R"({
  "name": "Widgets", "connection": "sample", "source": {"object": "Widget__c", "dedupeBy": ""},
  "target": {"object": "Widget"},
  "mappings": [{"source": "Id", "target": "SfdcId", "type": "text", "upsertKey": true},
               {"source": "Name", "target": "Name", "type": "text"}]})";

std::string id(const char* middle, int n) { return sim::SalesforceId::make("001", middle, n); }

config::JobConfig parse(const std::string& text) {
  std::vector<config::ConfigProblem> problems;
  auto job = config::parseJob("/tmp/job.json", text, problems);
  EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front().toString());
  config::JobConfig parsed = job.value_or(config::JobConfig{});
  parsed.api = config::SourceApi::kRest;
  return parsed;
}

class ReplicationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    store_ = open("sfsync.db");
    connection_ = testing::simConnection(sim_);
    job_ = parse(kCompanyJob);
  }

  store::StorePtr open(const std::string& file) {
    auto store = store::openSqliteStore(dir_.file(file));
    EXPECT_TRUE(store.ok()) << store.status().toString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  store::ExecutionRecord run(const config::JobConfig& job, store::Store* store = nullptr) {
    auto client = salesforce::makeHttpClient(connection_, clock_);
    jobs::RunContext context{*client, store ? *store : *store_, *clock_, dir_.file("errors"), "cli",
                             ""};
    context.useConnection(connection_);
    return jobs::JobRunner::run(job, context);
  }

  // The Company table as (SfdcAccountId, Name, Employees) text, sorted: what a run produced.
  std::vector<std::string> companies(store::Store* store = nullptr) {
    auto rows = (store ? store : store_.get())
                    ->select("Company", {"SfdcAccountId", "Name", "Employees"}, {});
    EXPECT_TRUE(rows.ok()) << rows.status().toString();
    std::vector<std::string> out;
    if (!rows.ok()) return out;
    for (const auto& row : *rows) {
      out.push_back(valueToText(row[0]) + "|" + valueToText(row[1]) + "|" + valueToText(row[2]));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string name(const std::string& accountId) {
    auto rows = store_->select("Company", {"Name"}, {{"SfdcAccountId", Value(accountId)}});
    return rows.ok() && rows->size() == 1 ? valueToText(rows->front()[0]) : "<missing>";
  }

  std::string state(const std::string& key) {
    auto value = store_->getState(key);
    return value.ok() ? value->value_or("<absent>") : "<error>";
  }

  sim::SimServer sim_;
  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  store::StorePtr store_;
  salesforce::ConnectionSettings connection_;
  config::JobConfig job_;
};

TEST_F(ReplicationTest, RowsSharingTheBoundaryStampAreAllFound) {
  sim_.clearObject("Account");
  sim_.setNowForTest("2026-01-01T00:00:00.000+0000");
  for (int i = 1; i <= 5; ++i) {
    sim_.insertRecord("Account",
                      "{\"Id\":\"" + id("BB", i) + "\",\"Name\":\"B" + std::to_string(i) + "\"}");
  }
  store::ExecutionRecord first = run(job_);
  ASSERT_EQ(first.status, "Success") << first.message;
  EXPECT_EQ(first.mode, "full");
  EXPECT_EQ(first.api, "rest");
  EXPECT_EQ(first.cursorEnd, "2026-01-01T00:00:00.000+0000 " + id("BB", 5));

  // Same stamp as the cursor: a new row whose Id sorts BEFORE the cursor's, and an update.
  sim_.insertRecord("Account", "{\"Id\":\"" + id("AA", 1) + "\",\"Name\":\"A1\"}");
  sim_.setField("Account", id("BB", 2), "Name", "\"B2 changed\"");
  store::ExecutionRecord second = run(job_);

  ASSERT_EQ(second.status, "Success") << second.message;
  EXPECT_EQ(second.mode, "incremental");
  EXPECT_EQ(second.cursor, first.cursorEnd);
  EXPECT_EQ(second.created, 1);
  EXPECT_EQ(second.recordsRead, 6);  // every row shares the stamp: all inside the window
  EXPECT_NE(second.message.find("6 re-read in the overlap window"), std::string::npos)
      << second.message;
  EXPECT_EQ(name(id("AA", 1)), "A1");
  EXPECT_EQ(name(id("BB", 2)), "B2 changed");
  EXPECT_EQ(companies().size(), 6u);
}

TEST_F(ReplicationTest, LateCommitInsideTheOverlapIsFoundOutsideOnlyByAFullResync) {
  sim_.clearObject("Account");
  sim_.setNowForTest("2026-01-01T00:10:00.000+0000");
  sim_.insertRecord("Account", "{\"Id\":\"" + id("LC", 1) + "\",\"Name\":\"Inside\"}");
  sim_.insertRecord("Account", "{\"Id\":\"" + id("LC", 2) + "\",\"Name\":\"Outside\"}");
  sim_.insertRecord("Account", "{\"Id\":\"" + id("LC", 3) + "\",\"Name\":\"Anchor\"}");
  ASSERT_EQ(run(job_).status, "Success");

  // Committed after the run with stamps older than its cursor (overlap: 5 minutes).
  sim_.setNowForTest("2026-01-01T00:07:00.000+0000");
  sim_.setField("Account", id("LC", 1), "Name", "\"Inside late\"");
  sim_.setNowForTest("2026-01-01T00:02:00.000+0000");
  sim_.setField("Account", id("LC", 2), "Name", "\"Outside late\"");
  store::ExecutionRecord incremental = run(job_);
  ASSERT_EQ(incremental.status, "Success") << incremental.message;
  EXPECT_EQ(incremental.mode, "incremental");
  EXPECT_EQ(name(id("LC", 1)), "Inside late");
  EXPECT_EQ(name(id("LC", 2)), "Outside");  // missed: older than cursor - overlap

  ASSERT_TRUE(store_->putState(jobs::fullResyncKey(job_.name), R"({"requestedAt":"x"})").ok());
  store::ExecutionRecord full = run(job_);
  ASSERT_EQ(full.status, "Success") << full.message;
  EXPECT_EQ(full.mode, "full");
  EXPECT_EQ(name(id("LC", 2)), "Outside late");
  EXPECT_EQ(state(jobs::fullResyncKey(job_.name)), "<absent>");  // the request is consumed
  EXPECT_EQ(run(job_).mode, "incremental");
}

TEST_F(ReplicationTest, IncrementalRunReadsOnlyTheChangesAndTheOverlap) {
  sim_.generateAccounts(1000);
  store::ExecutionRecord first = run(job_);
  ASSERT_EQ(first.status, "Success") << first.message;
  const std::int64_t all = first.recordsRead;
  const store::ExecutionRecord reread = run(job_);  // nothing changed: the window alone
  const std::int64_t overlapOnly = reread.recordsRead;
  ASSERT_LT(overlapOnly, 5);
  // Issue 10: an overlap re-read of an unedited record rewrites nothing and counts unchanged.
  EXPECT_EQ(reread.updated, overlapOnly);
  EXPECT_EQ(reread.unchanged, overlapOnly);

  sim_.setNowForTest("2026-06-01T00:00:00.000+0000");
  for (int serial : {3, 100, 250, 400, 777, 901, 999}) {
    sim_.setField("Account", sim::SalesforceId::make("001", "Gn", serial), "Name", "\"changed\"");
  }
  const auto pagesBefore = sim_.queryRequests();
  store::ExecutionRecord r = run(job_);

  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.recordsRead, 7 + overlapOnly) << "of " << all;
  EXPECT_EQ(r.updated, 7 + overlapOnly);
  EXPECT_EQ(r.unchanged, overlapOnly);  // the 7 edited records were rewritten
  EXPECT_EQ(sim_.queryRequests() - pagesBefore, 1);
  EXPECT_LE(r.apiCalls, 3);  // describe, count, one query page
  EXPECT_EQ(r.cursorEnd.rfind("2026-06-01T00:00:00.000+0000 ", 0), 0u) << r.cursorEnd;
}

TEST_F(ReplicationTest, ObjectWithoutSystemModstampIsReadInFullEveryRun) {
  sim_.addObject(kWidgetDescribe);
  for (int i = 1; i <= 3; ++i) {
    sim_.upsertRecord("Widget__c", "{\"Id\":\"" + sim::SalesforceId::make("a0W", "WW", i) +
                                       "\",\"Name\":\"W" + std::to_string(i) + "\"}");
  }
  const config::JobConfig job = parse(kWidgetJob);
  for (int runNo = 0; runNo < 2; ++runNo) {
    store::ExecutionRecord r = run(job);
    ASSERT_EQ(r.status, "Success") << r.message;
    EXPECT_EQ(r.mode, "full");
    EXPECT_EQ(r.recordsRead, 3);
    EXPECT_TRUE(r.cursor.empty());
  }
}

TEST_F(ReplicationTest, RefreshCalculatedEveryForcesAFullPassWhenDue) {
  config::JobConfig job = job_;
  job.refreshCalculatedEverySeconds = 3600;
  EXPECT_EQ(run(job).mode, "full");  // no cursor yet
  EXPECT_EQ(run(job).mode, "incremental");
  clock_->advance(std::chrono::minutes(59));
  EXPECT_EQ(run(job).mode, "incremental");
  clock_->advance(std::chrono::minutes(2));
  store::ExecutionRecord due = run(job);
  EXPECT_EQ(due.mode, "full");
  EXPECT_NE(due.message.find("refreshCalculatedEvery is due"), std::string::npos) << due.message;
  EXPECT_EQ(due.recordsRead, static_cast<std::int64_t>(sim_.recordCount("Account")));
  EXPECT_EQ(run(job).mode, "incremental");
}

// The shipped User Sync: Manager is a self-lookup. admin@ (first by SystemModstamp) reports to
// kim.park@ (last): admin's Manager is only resolvable after the last page, in finish(). The run
// fails after 6 of the 9 users committed, admin's lookup among them, deferred.
class PendingSelfLookupsTest : public ReplicationTest {
 protected:
  void SetUp() override {
    ReplicationTest::SetUp();
    std::vector<config::ConfigProblem> problems;
    const std::string path = std::string(SFSYNC_SOURCE_DIR) + "/jobs/user_sync.json";
    std::optional<config::JobConfig> parsed =
        config::parseJob(path, testing::readFile(path), problems);
    ASSERT_TRUE(parsed.has_value());
    users_ = *parsed;
    users_.api = config::SourceApi::kRest;
    sim_.setBatchSize(3);
    sim_.expireQueryLocatorsAfterPages(2);  // 6 of the 9 users commit, then the run fails
    store::ExecutionRecord failed = run(users_);
    ASSERT_EQ(failed.status, "Failed") << failed.message;
    sim_.expireQueryLocatorsAfterPages(1000000);
  }

  void expectAdminReportsToKim() {
    auto manager = [&](const std::string& username) {
      auto rows = store_->select("User", {"Manager", "gsid"}, {{"Username", Value(username)}});
      return rows.ok() && rows->size() == 1 ? rows->front() : std::vector<Value>{};
    };
    const std::vector<Value> kim = manager("kim.park@sample.sfsync");
    const std::vector<Value> admin = manager("admin@sample.sfsync");
    ASSERT_EQ(kim.size(), 2u);
    ASSERT_EQ(admin.size(), 2u);
    EXPECT_EQ(admin[0], kim[1]);  // admin's Manager is kim's gsid
  }

  config::JobConfig users_;
};

TEST_F(PendingSelfLookupsTest, TheResumeContinuesFromItsCheckpointAndResolvesThemAtItsEnd) {
  store::ExecutionRecord resumed = run(users_);
  ASSERT_EQ(resumed.status, "Success") << resumed.message;
  EXPECT_NE(resumed.message.find("from its checkpoint"), std::string::npos) << resumed.message;
  EXPECT_LT(resumed.recordsRead, 9);  // not from the start: the queue kept admin's lookup
  expectAdminReportsToKim();
  // The queue is empty again.
  auto left = store_->readDeferred(jobs::deferredOwner(users_.connection, users_.name), 0, 10);
  ASSERT_TRUE(left.ok()) << left.status().toString();
  EXPECT_TRUE(left->empty());
}

TEST_F(PendingSelfLookupsTest, ACheckpointOfAVersionThatKeptThemInMemoryStartsOver) {
  const std::string key = jobs::cursorKey(users_.connection, users_.name);
  auto state = store_->getState(key);
  ASSERT_TRUE(state.ok() && state->has_value());
  std::string json = **state;
  const std::string stored = "\"deferredStored\":true";
  ASSERT_NE(json.find(stored), std::string::npos) << json;
  json.replace(json.find(stored), stored.size(), "\"deferredStored\":false");
  ASSERT_TRUE(store_->putState(key, json).ok());
  ASSERT_TRUE(store_->clearDeferred(jobs::deferredOwner(users_.connection, users_.name)).ok());

  store::ExecutionRecord resumed = run(users_);
  ASSERT_EQ(resumed.status, "Success") << resumed.message;
  EXPECT_NE(resumed.message.find("deferred self-lookups were pending"), std::string::npos)
      << resumed.message;
  EXPECT_EQ(resumed.recordsRead, 9);  // from the start
  expectAdminReportsToKim();
}

// 2,500 generated Accounts in pages of 500 (four rows share each SystemModstamp second).
class ReplicationResumeTest : public ReplicationTest {
 protected:
  void SetUp() override {
    ReplicationTest::SetUp();
    sim_.generateAccounts(2500);
    sim_.setBatchSize(500);
    total_ = static_cast<std::int64_t>(sim_.recordCount("Account"));
    auto clean = open("clean.db");
    const auto pagesBefore = sim_.queryRequests();
    store::ExecutionRecord r = run(job_, clean.get());
    ASSERT_EQ(r.status, "Success") << r.message;
    cleanPages_ = sim_.queryRequests() - pagesBefore;
    cleanCalls_ = r.apiCalls;
    cleanTable_ = companies(clean.get());
  }

  // Two Accounts named "Twin Co": Gn 2400 and the newer Gn 3 (SystemModstamp in 2030, so REST
  // reads it last and Bulk, in stored order, first). Returns the newer one's Id.
  std::string makeTwins() {
    const std::string newer = sim::SalesforceId::make("001", "Gn", 3);
    const std::string older = sim::SalesforceId::make("001", "Gn", 2400);
    sim_.setField("Account", older, "Name", "\"Twin Co\"");
    sim_.setField("Account", newer, "Name", "\"Twin Co\"");
    sim_.setField("Account", newer, "SystemModstamp", "\"2030-01-01T00:00:00.000+0000\"");
    return newer;
  }
  // A job keyed by Name, so the twins are a duplicate upsert key.
  static config::JobConfig companiesByName() {
    return parse(R"({
      "name": "Companies By Name", "connection": "sample", "source": {"object": "Account"},
      "target": {"object": "Company By Name"},
      "mappings": [{"source": "Name", "target": "Name", "upsertKey": true},
                   {"source": "Id", "target": "SfdcAccountId"}]})");
  }

  std::int64_t total_ = 0;
  std::int64_t cleanPages_ = 0;
  std::int64_t cleanCalls_ = 0;
  std::vector<std::string> cleanTable_;
};

TEST_F(ReplicationResumeTest, AFailureMidRunIsResumedReadingOnlyTheRemainder) {
  sim_.expireQueryLocatorsAfterPages(2);  // the third page fails: INVALID_QUERY_LOCATOR
  store::ExecutionRecord failed = run(job_);
  ASSERT_EQ(failed.status, "Failed") << failed.message;
  const std::int64_t committed = *store_->count("Company");
  ASSERT_EQ(committed, 1000);
  EXPECT_FALSE(failed.cursorEnd.empty());

  store::ExecutionRecord resumed = run(job_);
  ASSERT_EQ(resumed.status, "Success") << resumed.message;
  EXPECT_EQ(resumed.mode, "full");  // the interrupted run was a first, full pass
  EXPECT_NE(resumed.message.find("resumed the interrupted run"), std::string::npos)
      << resumed.message;
  // Only the rest, plus the rows sharing the checkpoint's second (at most 3 more).
  EXPECT_GE(resumed.recordsRead, total_ - committed);
  EXPECT_LE(resumed.recordsRead, total_ - committed + 3);
  EXPECT_EQ(companies(), cleanTable_);
  // The next run is a plain incremental one again.
  store::ExecutionRecord next = run(job_);
  EXPECT_EQ(next.mode, "incremental");
  EXPECT_EQ(next.message.find("resumed"), std::string::npos) << next.message;
}

TEST_F(ReplicationResumeTest, ExhaustedApiBudgetDefersAndTheNextRunResumesFromTheCheckpoint) {
  // Budget 100% of the org's maximum; describe + 4 query pages fit, the 5th call is not sent.
  connection_.apiBudgetPercent = 100;
  const std::int64_t used = sim_.apiUsage();
  sim_.setApiLimit(used + 5, used);
  const auto pagesBefore = sim_.queryRequests();
  store::ExecutionRecord deferred = run(job_);
  ASSERT_EQ(deferred.status, store::kStatusDeferred) << deferred.message;
  EXPECT_NE(deferred.message.find("API budget"), std::string::npos) << deferred.message;
  EXPECT_NE(deferred.message.find("the next run resumes from its checkpoint"), std::string::npos)
      << deferred.message;
  EXPECT_EQ(deferred.apiRemaining, 0);
  EXPECT_EQ(*store_->count("Company"), 2000);

  sim_.setApiLimit(1000000, 0);
  store::ExecutionRecord resumed = run(job_);
  ASSERT_EQ(resumed.status, "Success") << resumed.message;
  EXPECT_EQ(companies(), cleanTable_);
  EXPECT_GT(resumed.apiRemaining, 0);
  // The refused call was never sent. Pages: the clean run's, plus at most one because the resumed
  // query starts at the checkpoint's second (page boundaries shift by up to 3 rows).
  const std::int64_t pages = sim_.queryRequests() - pagesBefore;
  EXPECT_GE(pages, cleanPages_);
  EXPECT_LE(pages, cleanPages_ + 1);
  // Calls: the clean run's + at most that one page (the resumed run's describe comes from the
  // store's metadata cache, issue 15).
  EXPECT_LE(deferred.apiCalls + resumed.apiCalls, cleanCalls_ + 1);
  EXPECT_GE(deferred.apiCalls + resumed.apiCalls, cleanCalls_);
}

TEST_F(ReplicationResumeTest, SalesforcesRequestLimitExceededDefersTheRun) {
  sim_.setApiLimit(10, 11);  // the org is already over its daily limit: 403 REQUEST_LIMIT_EXCEEDED
  store::ExecutionRecord deferred = run(job_);
  ASSERT_EQ(deferred.status, store::kStatusDeferred) << deferred.message;
  EXPECT_NE(deferred.message.find(salesforce::kRequestLimitExceeded), std::string::npos)
      << deferred.message;
  EXPECT_NE(deferred.message.find("the next run resumes from where this run started"),
            std::string::npos)
      << deferred.message;
  sim_.setApiLimit(1000000, 0);
  store::ExecutionRecord next = run(job_);
  ASSERT_EQ(next.status, "Success") << next.message;
  EXPECT_EQ(companies(), cleanTable_);
}

TEST_F(ReplicationResumeTest, TwentyRandomInterruptionsEachEndWithTheCleanRunsTable) {
  // Full passes into fresh stores, each interrupted after a random number of committed pages
  // (1..3) until it completes; every pass must end with exactly the clean run's rows.
  std::mt19937 random(20261205);
  int interruptions = 0;
  for (int pass = 0; interruptions < 20 && pass < 20; ++pass) {
    auto store = open("pass" + std::to_string(pass) + ".db");
    std::int64_t read = 0;
    for (int attempt = 0; attempt < 10; ++attempt) {
      sim_.expireQueryLocatorsAfterPages(1 + static_cast<int>(random() % 3));
      store::ExecutionRecord r = run(job_, store.get());
      read += r.recordsRead;
      if (r.status == "Success") break;
      ASSERT_EQ(r.status, "Failed") << r.message;
      ++interruptions;
    }
    sim_.expireQueryLocatorsAfterPages(1000000);  // disarm
    EXPECT_EQ(companies(store.get()), cleanTable_) << "pass " << pass;
    // Each resume re-reads at most the 3 other rows of its checkpoint's second.
    EXPECT_LE(read, total_ + 3 * 10) << "pass " << pass;
  }
  EXPECT_GE(interruptions, 20);
}

TEST_F(ReplicationResumeTest, RestAndBulkLoadIdenticalTables) {
  config::JobConfig bulk = job_;
  bulk.api = config::SourceApi::kBulk;
  store::ExecutionRecord r = run(bulk);
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.api, "bulk");
  EXPECT_EQ(r.recordsRead, total_);
  EXPECT_EQ(companies(), cleanTable_);  // the clean table came through REST

  // An incremental Bulk run reads the changes (and the overlap window) only.
  sim_.setNowForTest("2026-06-01T00:00:00.000+0000");
  sim_.setField("Account", sim::SalesforceId::make("001", "Gn", 42), "Name", "\"via bulk\"");
  store::ExecutionRecord incremental = run(bulk);
  ASSERT_EQ(incremental.status, "Success") << incremental.message;
  EXPECT_EQ(incremental.mode, "incremental");
  EXPECT_LT(incremental.recordsRead, 5);
  EXPECT_EQ(name(sim::SalesforceId::make("001", "Gn", 42)), "via bulk");

  // Neither Bulk job asked for an order (ORDER BY turns Salesforce's PK chunking off); the
  // incremental one is bounded by the cursor all the same.
  const std::vector<std::string> queries = sim_.bulkJobQueries();
  ASSERT_EQ(queries.size(), 2u);
  for (const std::string& q : queries) EXPECT_EQ(q.find("ORDER BY"), std::string::npos) << q;
  EXPECT_EQ(queries[0].find("SystemModstamp >="), std::string::npos) << queries[0];
  EXPECT_NE(queries[1].find("SystemModstamp >="), std::string::npos) << queries[1];
}

// A key that repeats within one extract (here the Name) goes to the newest record - the greatest
// (SystemModstamp, Id) - whatever order the records are read in: REST reads the newer one last, the
// (unordered) Bulk job first. A Bulk download deferred midway keeps its run tag, so the rows
// written before the resume still count as the run's.
TEST_F(ReplicationResumeTest, ARepeatedKeyGoesToTheNewestRecordInAnyReadOrderAndAcrossAResume) {
  // Bulk reads in the order stored: the newer record in the first result set, the older in the
  // last (after the resume below).
  const std::string newer = makeTwins();
  config::JobConfig byName = companiesByName();
  auto twin = [](store::Store& s) {
    auto rows =
        s.select("Company By Name", {"SfdcAccountId"}, {{"Name", Value(std::string("Twin Co"))}});
    return rows.ok() && rows->size() == 1 ? valueToText((*rows)[0][0]) : std::string("?");
  };
  auto rest = open("rest.db");
  ASSERT_EQ(run(byName, rest.get()).status, "Success");
  EXPECT_EQ(twin(*rest), newer);

  connection_.apiBudgetPercent = 100;
  connection_.bulkMaxRecords = 500;  // five result sets
  sim_.setBulkPollsToComplete(0);
  byName.api = config::SourceApi::kBulk;
  const std::int64_t used = sim_.apiUsage();
  sim_.setApiLimit(used + 5, used);  // describe, create, a poll, two sets: then deferred
  ASSERT_EQ(run(byName).status, store::kStatusDeferred);
  sim_.setApiLimit(1000000, 0);
  store::ExecutionRecord resumed = run(byName);
  ASSERT_EQ(resumed.status, "Success") << resumed.message;
  EXPECT_EQ(twin(*store_), newer);
  EXPECT_EQ(resumed.skipped, 1) << "the older record, read after the newer one, is not written";
  auto tags = store_->select("Company By Name", {store::kRunTagColumn}, {});
  ASSERT_TRUE(tags.ok());
  std::set<std::string> distinct;
  for (const auto& row : *tags) distinct.insert(valueToText(row[0]));
  EXPECT_EQ(distinct.size(), 1u) << "one run tag before and after the resume";
  for (const std::string& q : sim_.bulkJobQueries()) {
    EXPECT_EQ(q.find("ORDER BY"), std::string::npos) << q;
  }
}

// REST resumes from its checkpoint's second, so it re-reads records the interrupted attempt wrote:
// each is recognised by its Id as the same record (no duplicate, no warning), and only the real
// duplicate key counts - as in a run that never stopped.
TEST_F(ReplicationResumeTest, ARestResumeReReadsItsCheckpointsSecondWithoutFalseDuplicates) {
  makeTwins();
  const config::JobConfig byName = companiesByName();
  auto clean = open("clean-by-name.db");
  store::ExecutionRecord whole = run(byName, clean.get());
  ASSERT_EQ(whole.status, "Success") << whole.message;
  ASSERT_GE(whole.warnings, 1);  // Twin Co (and any generated name that repeats)

  connection_.apiBudgetPercent = 100;
  const std::int64_t used = sim_.apiUsage();
  sim_.setApiLimit(used + 4, used);  // describe and three query pages: then deferred
  store::ExecutionRecord deferred = run(byName);
  ASSERT_EQ(deferred.status, store::kStatusDeferred) << deferred.message;
  const std::int64_t committed = *store_->count("Company By Name");
  ASSERT_GT(committed, 0);
  sim_.setApiLimit(1000000, 0);
  store::ExecutionRecord resumed = run(byName);
  ASSERT_EQ(resumed.status, "Success") << resumed.message;
  // It re-read rows of the checkpoint's second that the first attempt had written...
  ASSERT_GT(deferred.recordsRead + resumed.recordsRead, total_);
  // ...and none of them is a duplicate: the warnings are the whole run's.
  EXPECT_EQ(deferred.warnings + resumed.warnings, whole.warnings);
  auto table = [](store::Store& s) {
    auto rows = s.select("Company By Name", {"Name", "SfdcAccountId"}, {});
    std::vector<std::string> out;
    for (const auto& row : rows.ok() ? *rows : std::vector<store::Row>{}) {
      out.push_back(valueToText(row[0]) + "|" + valueToText(row[1]));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(table(*store_), table(*clean));
}

TEST_F(ReplicationResumeTest, AutoUsesBulkAboveTheThreshold) {
  config::JobConfig job = job_;
  job.api = config::SourceApi::kAuto;
  job.bulkThreshold = total_ - 1;
  store::ExecutionRecord above = run(job);
  ASSERT_EQ(above.status, "Success") << above.message;
  EXPECT_EQ(above.api, "bulk");
  EXPECT_NE(
      above.message.find("bulk: auto, " + std::to_string(total_) + " records > bulkThreshold"),
      std::string::npos)
      << above.message;

  job.mode = config::SourceMode::kFull;
  job.bulkThreshold = total_;  // not above
  store::ExecutionRecord at = run(job);
  ASSERT_EQ(at.status, "Success") << at.message;
  EXPECT_EQ(at.api, "rest");
  EXPECT_EQ(companies(), cleanTable_);
}

TEST_F(ReplicationResumeTest, DeferredBulkDownloadResumesTheSameJobAtItsLocator) {
  connection_.apiBudgetPercent = 100;
  connection_.bulkMaxRecords = 500;  // five result sets
  sim_.setBulkPollsToComplete(0);
  config::JobConfig bulk = job_;
  bulk.api = config::SourceApi::kBulk;
  // describe, create, one status poll, two result sets; the third set is not requested.
  const std::int64_t used = sim_.apiUsage();
  sim_.setApiLimit(used + 5, used);
  store::ExecutionRecord deferred = run(bulk);
  ASSERT_EQ(deferred.status, store::kStatusDeferred) << deferred.message;
  const std::int64_t committed = *store_->count("Company");
  EXPECT_GT(committed, 0);
  EXPECT_LT(committed, total_);

  sim_.setApiLimit(1000000, 0);
  store::ExecutionRecord resumed = run(bulk);
  ASSERT_EQ(resumed.status, "Success") << resumed.message;
  EXPECT_EQ(resumed.api, "bulk");
  EXPECT_EQ(resumed.recordsRead, total_ - committed);  // from the locator: nothing re-read
  EXPECT_EQ(companies(), cleanTable_);
  // The same job: no replacement was needed.
  EXPECT_EQ(resumed.message.find("could not be resumed"), std::string::npos) << resumed.message;
}

TEST_F(ReplicationResumeTest, AVanishedBulkJobIsReplacedByANewJobFromTheRunsStart) {
  connection_.apiBudgetPercent = 100;
  connection_.bulkMaxRecords = 500;
  sim_.setBulkPollsToComplete(0);
  config::JobConfig bulk = job_;
  bulk.api = config::SourceApi::kBulk;
  const std::int64_t used = sim_.apiUsage();
  sim_.setApiLimit(used + 5, used);
  ASSERT_EQ(run(bulk).status, store::kStatusDeferred);
  // The checkpoint names a job Salesforce no longer knows.
  const std::string key = jobs::cursorKey(job_.connection, job_.name);
  std::string checkpoint = state(key);
  const std::string jobIdField = "\"bulkJobId\":\"";
  const std::size_t at = checkpoint.find(jobIdField);
  ASSERT_NE(at, std::string::npos) << checkpoint;
  const std::size_t from = at + jobIdField.size();
  checkpoint.replace(from, checkpoint.find('"', from) - from, "7505g00000NoSuchAA");
  ASSERT_TRUE(store_->putState(key, checkpoint).ok());

  sim_.setApiLimit(1000000, 0);
  store::ExecutionRecord resumed = run(bulk);
  ASSERT_EQ(resumed.status, "Success") << resumed.message;
  EXPECT_NE(resumed.message.find("could not be resumed"), std::string::npos) << resumed.message;
  EXPECT_EQ(resumed.recordsRead, total_);  // a new job reads from the run's start
  EXPECT_EQ(companies(), cleanTable_);
}

TEST_F(ReplicationResumeTest, BulkAndRestSurviveServerErrorsResetsSlowAndMalformedAnswers) {
  connection_.bulkMaxRecords = 500;
  connection_.responseDeadline = std::chrono::seconds(1);
  config::JobConfig bulk = job_;
  bulk.api = config::SourceApi::kBulk;
  sim_.fail500Once(1);
  sim_.resetNextResponses(1);
  sim_.stallNextResponses(1, 1500);  // past the deadline: abandoned and asked again
  sim_.malformedBulkResultOnce();
  store::ExecutionRecord viaBulk = run(bulk);
  ASSERT_EQ(viaBulk.status, "Success") << viaBulk.message;
  // At least two retries show: a reset on the connection kept from the token call is resent once
  // without counting, and the stall and the 500 may meet on one request.
  EXPECT_GE(viaBulk.retries, 2);
  EXPECT_EQ(viaBulk.recordsRead, total_);
  EXPECT_EQ(companies(), cleanTable_);

  auto restStore = open("rest.db");
  sim_.fail500Once(1);
  sim_.resetNextResponses(1);
  sim_.stallNextResponses(1, 1500);
  sim_.malformedPageOnce();
  store::ExecutionRecord viaRest = run(job_, restStore.get());
  ASSERT_EQ(viaRest.status, "Success") << viaRest.message;
  EXPECT_GE(viaRest.retries, 2);
  EXPECT_EQ(viaRest.recordsRead, total_);
  EXPECT_EQ(companies(restStore.get()), cleanTable_);
}

TEST_F(ReplicationResumeTest, AStuckBulkJobFailsTheRunClearlyAndTheNextRunStartsAfresh) {
  connection_.bulkPollTimeout = std::chrono::seconds(60);
  config::JobConfig bulk = job_;
  bulk.api = config::SourceApi::kBulk;
  sim_.holdBulkJobs(true);  // InProgress forever
  store::ExecutionRecord stuck = run(bulk);
  EXPECT_EQ(stuck.status, "Failed");
  EXPECT_NE(stuck.message.find(salesforce::kBulkJobTimedOut), std::string::npos) << stuck.message;
  EXPECT_EQ(*store_->count("Company"), 0);

  sim_.holdBulkJobs(false);
  store::ExecutionRecord next = run(bulk);
  ASSERT_EQ(next.status, "Success") << next.message;
  EXPECT_EQ(next.mode, "full");
  EXPECT_EQ(companies(), cleanTable_);
}

}  // namespace
}  // namespace sfsync
