// The replication calls of the HTTP client against the simulator (issue 10): COUNT(), Bulk API 2.0
// query jobs end to end (several result sets, several pages per set, resume from a position,
// stuck / failed jobs, malformed sets and resets retried without duplicates), Bulk rows equal to
// REST rows on the sample org, deleted, limits and the API budget.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <chrono>
#include <iostream>
#include <set>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::salesforce {
namespace {

using Rows = std::vector<std::vector<Value>>;
using std::chrono::seconds;

// What one bulkQueryResults() call handed out.
struct Download {
  Status status;
  std::vector<RecordPage> pages;
  Rows rows() const {
    Rows out;
    for (const RecordPage& p : pages) out.insert(out.end(), p.rows.begin(), p.rows.end());
    return out;
  }
};

class BulkSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_ = std::make_unique<sim::SimServer>();
    sim_->start();
    settings_ = sfsync::testing::simConnection(*sim_);
  }

  SalesforceClientPtr client() { return makeHttpClient(settings_, clock_); }

  Rows restRows(SalesforceClient& c, const std::string& soql,
                const std::vector<std::string>& columns) {
    Rows rows;
    const Status st = c.query(soql, columns, [&rows](RecordPage& page) {
      for (auto& r : page.rows) rows.push_back(std::move(r));
      return Status::OK();
    });
    EXPECT_TRUE(st.ok()) << st.toString();
    return rows;
  }

  // Creates a job for `soql`, waits for it and returns its id ("" on failure).
  std::string completedJob(SalesforceClient& c, const std::string& soql) {
    Result<BulkQueryJob> job = c.createBulkQuery(soql, false);
    EXPECT_TRUE(job.ok()) << job.status().toString();
    if (!job.ok()) return "";
    EXPECT_EQ(job.value().state, "UploadComplete");
    Result<BulkQueryJob> done = c.awaitBulkQuery(job.value().id, seconds(600));
    EXPECT_TRUE(done.ok()) << done.status().toString();
    return done.ok() ? done.value().id : "";
  }

  Download download(SalesforceClient& c, const std::string& jobId, const std::string& object,
                    const std::vector<std::string>& columns, const BulkResultPosition& from = {}) {
    Download d;
    d.status = c.bulkQueryResults(jobId, object, columns, from, [&d](RecordPage& page) {
      d.pages.push_back(page);
      return Status::OK();
    });
    return d;
  }

  static std::set<std::string> ids(const Rows& rows) {
    std::set<std::string> out;
    for (const auto& r : rows) out.insert(std::get<std::string>(r.at(0)));
    return out;
  }

  std::unique_ptr<sim::SimServer> sim_;
  ConnectionSettings settings_;
  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>();
};

TEST_F(BulkSimTest, CountIsOneCallAndMatchesTheRows) {
  auto c = client();
  const Rows rows = restRows(*c, "SELECT Id FROM Account", {"Id"});
  const std::int64_t before = sim_->queryRequests();
  Result<std::int64_t> n = c->count("SELECT COUNT() FROM Account");
  ASSERT_TRUE(n.ok()) << n.status().toString();
  EXPECT_EQ(n.value(), static_cast<std::int64_t>(rows.size()));
  EXPECT_EQ(sim_->queryRequests() - before, 1);

  sim_->deleteRecord("Account", std::get<std::string>(rows.at(0).at(0)));
  Result<std::int64_t> live = c->count("SELECT COUNT() FROM Account");
  Result<std::int64_t> all = c->count("SELECT COUNT() FROM Account", true);
  ASSERT_TRUE(live.ok() && all.ok());
  EXPECT_EQ(live.value(), static_cast<std::int64_t>(rows.size()) - 1);
  EXPECT_EQ(all.value(), static_cast<std::int64_t>(rows.size()));
}

TEST_F(BulkSimTest, JobEndToEndWithSeveralResultSetsAndSeveralPagesPerSet) {
  sim_->clearObject("Account");
  sim_->generateAccounts(25);
  settings_.bulkMaxRecords = 10;
  settings_.queryBatchSize = 4;
  auto c = client();
  const std::string job = completedJob(*c, "SELECT Id, Name FROM Account");
  ASSERT_FALSE(job.empty());
  const Download d = download(*c, job, "Account", {"Id", "Name"});
  ASSERT_TRUE(d.status.ok()) << d.status.toString();
  const Rows rows = d.rows();
  EXPECT_EQ(rows.size(), 25u);
  EXPECT_EQ(ids(rows).size(), 25u);
  // Sets of 10, 10 and 5 rows in pages of at most 4: 4+4+2, 4+4+2, 4+1.
  std::vector<std::size_t> sizes;
  std::set<std::string> locators;
  for (std::size_t i = 0; i < d.pages.size(); ++i) {
    const RecordPage& p = d.pages[i];
    sizes.push_back(p.rows.size());
    locators.insert(p.bulkLocator);
    EXPECT_EQ(p.pageIndex, static_cast<int>(i));
    EXPECT_EQ(p.done, i + 1 == d.pages.size());
    EXPECT_EQ(p.columns, (std::vector<std::string>{"Id", "Name"}));
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{4, 4, 2, 4, 4, 2, 4, 1}));
  EXPECT_EQ(locators.size(), 3u);
  EXPECT_EQ(d.pages.front().bulkLocator, "");
  EXPECT_EQ(d.pages[2].bulkRowsIntoSet, 10);
  EXPECT_EQ(d.pages[3].bulkRowsIntoSet, 4);
}

// The Bulk column types come from the describe the run already made: a client that described the
// object first downloads with one call fewer (no second describe).
TEST_F(BulkSimTest, TheRunsDescribeServesTheBulkColumnTypes) {
  sim_->clearObject("Account");
  sim_->generateAccounts(5);
  auto countDownload = [&](SalesforceClient& c) -> std::int64_t {
    const std::string job = completedJob(c, "SELECT Id, Name, NumberOfEmployees FROM Account");
    EXPECT_FALSE(job.empty());
    const std::int64_t before = c.usage().calls;
    const Download d = download(c, job, "Account", {"Id", "Name", "NumberOfEmployees"});
    EXPECT_TRUE(d.status.ok()) << d.status.toString();
    EXPECT_EQ(d.rows().size(), 5u);
    return c.usage().calls - before;
  };
  auto cold = client();
  const std::int64_t coldCalls = countDownload(*cold);
  auto warm = client();
  ASSERT_TRUE(warm->describe("Account").ok());
  EXPECT_EQ(countDownload(*warm), coldCalls - 1);
}

// Every column of every sample object that Bulk can carry (compound fields cannot), plus
// relationship paths of one and two hops.
TEST_F(BulkSimTest, BulkRowsEqualRestRowsOnTheSampleOrg) {
  auto c = client();
  std::vector<std::pair<std::string, std::vector<std::string>>> queries;
  for (const char* object :
       {"Account", "Case", "Contact", "CurrencyType", "Opportunity", "Renewal__c", "User"}) {
    Result<ObjectDescribe> d = c->describe(object);
    ASSERT_TRUE(d.ok()) << d.status().toString();
    std::vector<std::string> columns;
    for (const FieldDescribe& f : d.value().fields) {
      if (f.type != "address" && f.type != "location") columns.push_back(f.name);
    }
    queries.emplace_back(object, columns);
  }
  queries.emplace_back("Contact",
                       std::vector<std::string>{"Id", "Account.Name", "Account.AnnualRevenue",
                                                "Account.NumberOfEmployees", "Owner.Manager.Email",
                                                "owner.isactive", "ReportsTo.Account.CreatedDate"});
  queries.emplace_back("Renewal__c",
                       std::vector<std::string>{"Id", "Account__r.Name", "Account__r.Owner.Name"});
  for (const auto& [object, columns] : queries) {
    std::string soql = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) soql += (i ? ", " : "") + columns[i];
    soql += " FROM " + object + " ORDER BY Id";
    const Rows rest = restRows(*c, soql, columns);
    const std::string job = completedJob(*c, soql);
    ASSERT_FALSE(job.empty()) << soql;
    const Download bulk = download(*c, job, object, columns);
    ASSERT_TRUE(bulk.status.ok()) << soql << ": " << bulk.status.toString();
    ASSERT_FALSE(rest.empty()) << soql;
    EXPECT_EQ(bulk.rows(), rest) << soql;
  }
}

TEST_F(BulkSimTest, QueryAllJobIncludesDeletedRows) {
  auto c = client();
  const Rows live = restRows(*c, "SELECT Id FROM Account ORDER BY Id", {"Id"});
  ASSERT_GE(live.size(), 2u);
  const std::string gone = std::get<std::string>(live[1][0]);
  sim_->deleteRecord("Account", gone);
  Result<BulkQueryJob> job = c->createBulkQuery("SELECT Id, IsDeleted FROM Account", true);
  ASSERT_TRUE(job.ok()) << job.status().toString();
  ASSERT_TRUE(c->awaitBulkQuery(job.value().id, seconds(600)).ok());
  const Download d = download(*c, job.value().id, "Account", {"Id", "IsDeleted"});
  ASSERT_TRUE(d.status.ok()) << d.status.toString();
  const Rows rows = d.rows();
  EXPECT_EQ(rows.size(), live.size());
  int deleted = 0;
  for (const auto& r : rows) {
    if (r[1] == Value(true)) {
      ++deleted;
      EXPECT_EQ(r[0], Value(gone));
    }
  }
  EXPECT_EQ(deleted, 1);
}

TEST_F(BulkSimTest, ResumeFromAPositionDeliversExactlyTheRest) {
  sim_->clearObject("Account");
  sim_->generateAccounts(23);
  settings_.bulkMaxRecords = 10;
  settings_.queryBatchSize = 3;
  auto c = client();
  const std::string job = completedJob(*c, "SELECT Id FROM Account");
  ASSERT_FALSE(job.empty());
  const Download full = download(*c, job, "Account", {"Id"});
  ASSERT_TRUE(full.status.ok()) << full.status.toString();
  const Rows all = full.rows();
  ASSERT_EQ(all.size(), 23u);
  std::size_t consumed = 0;
  for (std::size_t k = 0; k + 1 < full.pages.size(); ++k) {
    consumed += full.pages[k].rows.size();
    const BulkResultPosition at{full.pages[k].bulkLocator, full.pages[k].bulkRowsIntoSet};
    const Download rest = download(*c, job, "Account", {"Id"}, at);
    ASSERT_TRUE(rest.status.ok()) << k << ": " << rest.status.toString();
    EXPECT_EQ(rest.rows(), Rows(all.begin() + static_cast<std::ptrdiff_t>(consumed), all.end()))
        << "resumed after page " << k;
    EXPECT_TRUE(rest.pages.back().done);
  }
}

TEST_F(BulkSimTest, StuckJobIsAbortedAfterMaxWait) {
  sim_->holdBulkJobs(true);
  auto c = client();
  Result<BulkQueryJob> job = c->createBulkQuery("SELECT Id FROM Account", false);
  ASSERT_TRUE(job.ok()) << job.status().toString();
  const auto start = clock_->now();
  Result<BulkQueryJob> waited = c->awaitBulkQuery(job.value().id, seconds(120));
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(waited.status().remoteCode(), kBulkJobTimedOut);
  EXPECT_NE(waited.status().message().find("aborted"), std::string::npos)
      << waited.status().message();
  EXPECT_EQ(clock_->now() - start, seconds(120));  // waited exactly maxWait on the clock
  const auto sleeps = clock_->sleeps();
  ASSERT_GE(sleeps.size(), 3u);
  EXPECT_LT(sleeps[0], sleeps[1]);  // backoff grows
  Result<BulkQueryJob> after = c->bulkQueryJob(job.value().id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after.value().state, "Aborted");
}

// A clock whose `n`th sleep cancels the client (as SIGTERM would, from another thread).
class CancellingClock final : public Clock {
 public:
  explicit CancellingClock(int n) : n_(n) {}
  TimePoint now() const override { return now_; }
  void sleepFor(std::chrono::milliseconds d) override {
    now_ += d;
    if (++sleeps_ == n_ && client_ != nullptr) client_->cancel();
  }
  SalesforceClient* client_ = nullptr;
  int sleeps_ = 0;

 private:
  int n_;
  TimePoint now_{std::chrono::seconds(1795000000)};
};

TEST_F(BulkSimTest, CancelStopsPollingWithinASlice) {
  sim_->holdBulkJobs(true);
  auto clock = std::make_shared<CancellingClock>(6);
  auto c = makeHttpClient(settings_, clock);
  clock->client_ = c.get();
  Result<BulkQueryJob> job = c->createBulkQuery("SELECT Id FROM Account", false);
  ASSERT_TRUE(job.ok());
  Result<BulkQueryJob> waited = c->awaitBulkQuery(job.value().id, seconds(3600));
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.status().remoteCode(), kCancelled) << waited.status().toString();
  EXPECT_EQ(clock->sleeps_, 6);  // no sleep after the cancel
}

TEST_F(BulkSimTest, FailedJobFailsWithSalesforcesMessage) {
  sim_->failNextBulkJob("INVALID_FIELD: No such column 'Nope'");
  auto c = client();
  Result<BulkQueryJob> job = c->createBulkQuery("SELECT Id FROM Account", false);
  ASSERT_TRUE(job.ok());
  Result<BulkQueryJob> waited = c->awaitBulkQuery(job.value().id, seconds(600));
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.status().code(), StatusCode::kRemoteError);
  EXPECT_EQ(waited.status().remoteCode(), kBulkJobFailed);
  EXPECT_NE(waited.status().message().find("No such column 'Nope'"), std::string::npos);
}

TEST_F(BulkSimTest, MalformedSetIsRetriedWithoutDuplicates) {
  sim_->clearObject("Account");
  sim_->generateAccounts(25);
  settings_.bulkMaxRecords = 10;
  settings_.queryBatchSize = 3;
  auto c = client();
  const std::string job = completedJob(*c, "SELECT Id, Name FROM Account");
  ASSERT_FALSE(job.empty());
  sim_->malformedBulkResultOnce();  // the first set is cut inside a quote, after a few pages
  const Download d = download(*c, job, "Account", {"Id", "Name"});
  ASSERT_TRUE(d.status.ok()) << d.status.toString();
  EXPECT_EQ(d.rows().size(), 25u);
  EXPECT_EQ(ids(d.rows()).size(), 25u);
  EXPECT_EQ(c->retryStats().malformedResponses, 1);
}

TEST_F(BulkSimTest, ConnectionResetDuringTheDownloadIsRetriedWithoutDuplicates) {
  sim_->clearObject("Account");
  sim_->generateAccounts(25);
  settings_.bulkMaxRecords = 10;
  settings_.queryBatchSize = 3;
  auto c = client();
  const std::string job = completedJob(*c, "SELECT Id FROM Account");
  ASSERT_FALSE(job.empty());
  // The next two answers (the first set's) are resets: the transport resends the first on a fresh
  // connection, as for a stale keep-alive one; the second is a counted retry. (Resets of a
  // prefetched set: BulkHostileServerTest.)
  sim_->resetNextResponses(2);
  const Download d = download(*c, job, "Account", {"Id"});
  ASSERT_TRUE(d.status.ok()) << d.status.toString();
  EXPECT_EQ(d.rows().size(), 25u);
  EXPECT_EQ(ids(d.rows()).size(), 25u);
  EXPECT_EQ(c->retryStats().networkErrors, 1);
}

TEST_F(BulkSimTest, HandlerErrorStopsTheDownloadAndIsReturned) {
  auto c = client();
  const std::string job = completedJob(*c, "SELECT Id FROM Account");
  ASSERT_FALSE(job.empty());
  int calls = 0;
  const Status st = c->bulkQueryResults(job, "Account", {"Id"}, {}, [&calls](RecordPage&) {
    ++calls;
    return Status::DataError("target table rejected the page");
  });
  EXPECT_EQ(st.code(), StatusCode::kDataError);
  EXPECT_EQ(st.message(), "target table rejected the page");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(c->retryStats().total(), 0);
}

TEST_F(BulkSimTest, UsageIsReadFromSforceLimitInfo) {
  sim_->setApiLimit(15000, 100);
  auto c = client();
  EXPECT_EQ(c->usage().orgApiUsed, -1);
  ASSERT_TRUE(c->count("SELECT COUNT() FROM Account").ok());
  EXPECT_EQ(c->usage().orgApiMax, 15000);
  EXPECT_EQ(c->usage().orgApiUsed, sim_->apiUsage());
}

TEST_F(BulkSimTest, BudgetStopsTheCallBeforeItIsSent) {
  sim_->setApiLimit(1000, 898);
  settings_.apiBudgetPercent = 90;  // 900 of 1000
  auto c = client();
  ASSERT_TRUE(c->count("SELECT COUNT() FROM Account").ok());  // usage becomes 899
  ASSERT_EQ(c->usage().orgApiUsed, 899);
  ASSERT_TRUE(c->count("SELECT COUNT() FROM Account").ok());  // 900: still within the budget
  const std::int64_t sent = sim_->dataRequests();
  Result<std::int64_t> n = c->count("SELECT COUNT() FROM Account");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(n.status().remoteCode(), kApiBudgetExhausted);
  EXPECT_NE(n.status().message().find("900 of 1000"), std::string::npos) << n.status().message();
  EXPECT_NE(n.status().message().find("connection.sample.apiBudgetPercent = 90"), std::string::npos)
      << n.status().message();
  EXPECT_EQ(sim_->dataRequests(), sent);  // not sent
  EXPECT_EQ(c->retryStats().total(), 0);
}

TEST_F(BulkSimTest, RequestLimitExceededIsPermissionDeniedAndNotRetried) {
  sim_->setApiLimit(1000, 1000);
  auto c = client();
  const std::int64_t before = sim_->dataRequests();
  Result<std::int64_t> n = c->count("SELECT COUNT() FROM Account");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(n.status().remoteCode(), kRequestLimitExceeded);
  EXPECT_EQ(sim_->dataRequests() - before, 1);
}

TEST_F(BulkSimTest, LimitsReportsTheDailyApiRequests) {
  sim_->setApiLimit(15000, 25);
  auto c = client();
  Result<OrgLimits> limits = c->limits();
  ASSERT_TRUE(limits.ok()) << limits.status().toString();
  EXPECT_EQ(limits.value().dailyApiRequestsMax, 15000);
  EXPECT_EQ(limits.value().dailyApiRequestsRemaining, 15000 - sim_->apiUsage());
}

TEST_F(BulkSimTest, DeletedListsTheRecordsDeletedInTheWindow) {
  sim_->setNowForTest("2025-03-01T12:00:00Z");
  const std::string id = sim_->insertRecord("Account", R"({"Name":"Doomed"})");
  sim_->setNowForTest("2025-03-02T12:00:00Z");
  sim_->deleteRecord("Account", id);
  sim_->setNowForTest("2025-03-03T12:00:00Z");
  auto c = client();
  Result<DeletedRecords> d =
      c->deleted("Account", "2025-03-02T00:00:00+00:00", "2025-03-03T00:00:00+00:00");
  ASSERT_TRUE(d.ok()) << d.status().toString();
  ASSERT_EQ(d.value().records.size(), 1u);
  EXPECT_EQ(d.value().records[0].first, id);
  EXPECT_EQ(d.value().records[0].second.rfind("2025-03-02T12:00:00", 0), 0u)
      << d.value().records[0].second;
  EXPECT_FALSE(d.value().earliestDateAvailable.empty());
  Result<DeletedRecords> before =
      c->deleted("Account", "2025-03-01T00:00:00Z", "2025-03-02T00:00:00Z");
  ASSERT_TRUE(before.ok()) << before.status().toString();
  EXPECT_TRUE(before.value().records.empty());
  EXPECT_EQ(c->deleted("Account/../x", "a", "b").status().code(), StatusCode::kInvalidArgument);
}

// A measurement, not a check (run with --gtest_also_run_disabled_tests): 200,000 Accounts x 11
// fields through REST paging and through Bulk (sets of 100,000, pages of 2,000), with the
// simulator answering every call after `latency` ms; prints calls, seconds and peak RSS.
TEST_F(BulkSimTest, DISABLED_BulkVersusRestThroughput) {
  sim_->clearObject("Account");
  sim_->generateAccounts(200000);
  sim_->setLatencyMs(100);
  const std::vector<std::string> columns = {
      "Id",      "Name",        "NumberOfEmployees", "Industry",    "AnnualRevenue", "Phone",
      "Website", "BillingCity", "BillingCountry",    "CreatedDate", "SystemModstamp"};
  std::string soql = "SELECT ";
  for (std::size_t i = 0; i < columns.size(); ++i) soql += (i ? ", " : "") + columns[i];
  soql += " FROM Account";
  for (const bool bulk : {false, true}) {
    auto c = client();
    ASSERT_TRUE(c->authenticate().ok());
    std::size_t rows = 0;
    const PageHandler count = [&rows](RecordPage& page) {
      rows += page.rows.size();
      return Status::OK();
    };
    const auto t0 = std::chrono::steady_clock::now();
    Status st;
    if (bulk) {
      Result<BulkQueryJob> job = c->createBulkQuery(soql, false);
      ASSERT_TRUE(job.ok());
      ASSERT_TRUE(c->awaitBulkQuery(job.value().id, seconds(600)).ok());
      st = c->bulkQueryResults(job.value().id, "Account", columns, {}, count);
    } else {
      st = c->query(soql, columns, count);
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_TRUE(st.ok()) << st.toString();
    EXPECT_EQ(rows, 200000u);
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::cout << (bulk ? "Bulk" : "REST") << ": " << rows << " records, " << c->usage().calls
              << " calls, " << secs << " s; process peak RSS " << usage.ru_maxrss / 1024
              << " MiB\n";
  }
}

}  // namespace
}  // namespace sfsync::salesforce
