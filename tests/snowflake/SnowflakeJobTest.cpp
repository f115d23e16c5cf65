// Jobs with a Snowflake source (issue 14), through the real JobRunner / ChainRunner, SQLite and
// both simulators: usage data into people matched by email with every type of the type table, the
// create-new-people toggle, incremental runs (a bind variable; a cursor checkpointed per page so a
// failed run resumes; a cursor stored by an earlier version), deletes with the mass-delete
// breaker, the refresh token expiry warning in the activity message, the multi-select cap counting
// the options people already hold, a re-run of failed records, a dry run, the online check, and a
// chain mixing Salesforce and Snowflake jobs.
#include <gtest/gtest.h>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SalesforceId.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/ChainRunner.h"
#include "sfsync/jobs/DryRun.h"
#include "sfsync/jobs/FailedRerun.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/jobs/SnowflakeJobSource.h"
#include "snowflake/SnowTestSupport.h"

namespace sfsync::jobs {
namespace {

using snowsim::SimTable;

// 2026-01-10T12:00:00Z, shared by both simulators and sfsync.
constexpr std::int64_t kNow = 1768046400;

SimTable usage(int from, int to) {
  SimTable t;
  t.columns = {{"EMAIL", "text", 0},
               {"FEATURES", "array", 0},
               {"ACTIVE", "boolean", 0},
               {"LOGINS", "fixed", 0},
               {"SCORE", "real", 0},
               {"SIGNUP", "date", 0},
               {"LAST_LOGIN", "timestamp_ntz", 9},
               {"UPDATED_AT", "fixed", 0}};
  for (int i = from; i < to; ++i) {
    t.rows.push_back({"p" + std::to_string(i) + "@example.com", R"(["export","reports"])",
                      i % 2 == 0 ? "true" : "false", std::to_string(i), "1.5", "19000",
                      "1616173619.000000000", std::to_string(100 + i)});
  }
  return t;
}

config::JobConfig parse(const std::string& text) {
  std::vector<config::ConfigProblem> problems;
  std::optional<config::JobConfig> job = config::parseJob("usage.json", text, problems);
  EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front().toString());
  return job.value_or(config::JobConfig{});
}

std::string usageJob(const std::string& extra = "", const std::string& source = "") {
  return R"({"name": "Usage from Snowflake", "connection": "warehouse",
    "source": {"table": "DB.PUBLIC.USAGE", "incrementalColumn": "UPDATED_AT")" +
         source + R"(},
    "target": {"object": "Person"},
    "mappings": [{"source": "EMAIL", "target": "Email", "upsertKey": true},
                 {"source": "FEATURES", "target": "Features"},
                 {"source": "ACTIVE", "target": "Active"},
                 {"source": "LOGINS", "target": "Logins"},
                 {"source": "SCORE", "target": "Score"},
                 {"source": "SIGNUP", "target": "Signup"},
                 {"source": "LAST_LOGIN", "target": "LastLogin"}])" +
         (extra.empty() ? "" : ", " + extra) + "}";
}

class SnowflakeJobTest : public ::testing::Test {
 protected:
  // A simulator that knows the test's key and clock, with `rowsPerPartition` rows per partition.
  snowsim::SnowSimOptions simOptions(int rowsPerPartition) {
    snowsim::SnowSimOptions options;
    options.publicKeyPem = testing::kSnowPublicKeyPem;
    options.rowsPerPartition = rowsPerPartition;
    options.nowSeconds = [this] {
      return static_cast<std::int64_t>(std::chrono::system_clock::to_time_t(clock_->now()));
    };
    return options;
  }

  void SetUp() override {
    snow_ = std::make_unique<snowsim::SnowflakeSim>(simOptions(4));
    snow_->setTable("DB.PUBLIC.USAGE", usage(0, 10));
    snow_->start();
    sf_.start();
    sf_.setNowForTest("2026-01-10T12:00:00Z");
    dir_.write("key.pem", testing::kSnowPrivateKeyPem);
    auto store = store::openSqliteStore(dir_.file("sfsync.db"));
    ASSERT_TRUE(store.ok()) << store.status().toString();
    store_ = std::move(store).value();
    settings_ = testing::snowSettings(*snow_, dir_.file("key.pem"));
    client_ = salesforce::makeHttpClient(testing::simConnection(sf_), clock_);
  }

  store::ExecutionRecord run(const config::JobConfig& job) {
    RunContext context{*client_, *store_, *clock_, dir_.file("errors"), "cli", ""};
    context.snowflake = &settings_;
    return JobRunner::run(job, context);
  }

  // Column values of the Person with this email, as text ({} when absent).
  std::vector<std::string> person(const std::string& email, std::vector<std::string> columns) {
    auto rows = store_->select("Person", columns, {{"Email", Value(email)}});
    if (!rows.ok() || rows->size() != 1) return {};
    std::vector<std::string> out;
    for (const Value& v : (*rows)[0]) out.push_back(valueToText(v));
    return out;
  }

  std::int64_t people() { return store_->count("Person").ok() ? *store_->count("Person") : -1; }

  sfsync::testing::TempDir dir_;
  std::shared_ptr<sfsync::testing::FakeClock> clock_ =
      std::make_shared<sfsync::testing::FakeClock>(Clock::TimePoint(std::chrono::seconds(kNow)));
  std::unique_ptr<snowsim::SnowflakeSim> snow_;
  sim::SimServer sf_;
  store::StorePtr store_;
  snowflake::SnowflakeSettings settings_;
  salesforce::SalesforceClientPtr client_;
};

TEST_F(SnowflakeJobTest, UsageLandsInPeopleWithEveryType) {
  store::ExecutionRecord r = run(parse(usageJob()));
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.api, "snowflake");
  EXPECT_EQ(r.mode, "full");
  EXPECT_EQ(r.recordsRead, 10);
  EXPECT_EQ(r.created, 10);
  EXPECT_EQ(people(), 10);
  EXPECT_EQ(
      person("p2@example.com", {"Features", "Active", "Logins", "Score", "Signup", "LastLogin"}),
      (std::vector<std::string>{"export;reports", "true", "2", "1.5", "2022-01-08",
                                "2021-03-19T17:06:59.000Z"}));
  EXPECT_EQ(snow_->counters().partitionsFetched, (std::vector<int>{1, 2}));  // 3 partitions
}

// Two rows with one identifier (EMAIL is not unique in a warehouse table): a DUPLICATE_KEY warning,
// and the newer row by the incremental column wins (no dedupeBy). (Read order cannot show here -
// the statement orders by that column; DuplicateStampTest shows the order does not matter.)
TEST_F(SnowflakeJobTest, ARepeatedIdentifierIsADuplicateKeyWarning) {
  SimTable t = usage(0, 3);
  t.rows.insert(t.rows.begin(), t.rows[1]);
  t.rows.front()[3] = "99";   // LOGINS
  t.rows.front()[7] = "150";  // UPDATED_AT: newer than the other p1 row (101)
  snow_->setTable("DB.PUBLIC.USAGE", t);
  store::ExecutionRecord r = run(parse(usageJob("", R"(, "mode": "full")")));
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.recordsRead, 4);
  EXPECT_EQ(r.warnings, 1);
  EXPECT_EQ(people(), 3);
  EXPECT_EQ(person("p1@example.com", {"Logins"}), (std::vector<std::string>{"99"}));
}

TEST_F(SnowflakeJobTest, IncrementalRunReadsOnlyNewerRows) {
  ASSERT_EQ(run(parse(usageJob())).status, "Success");
  snow_->setTable("DB.PUBLIC.USAGE", usage(0, 13));  // three new rows, UPDATED_AT 110..112
  store::ExecutionRecord r = run(parse(usageJob()));
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.mode, "incremental");
  EXPECT_EQ(r.cursor, "109");
  EXPECT_EQ(r.recordsRead, 3);
  EXPECT_EQ(r.cursorEnd, "112");
  EXPECT_NE(snow_->lastStatement().find("UPDATED_AT > ?"), std::string::npos);
  EXPECT_EQ(people(), 13);
}

TEST_F(SnowflakeJobTest, IncrementalCursorIsABindVariable) {
  ASSERT_EQ(run(parse(usageJob())).status, "Success");
  snow_->setTable("DB.PUBLIC.USAGE", usage(0, 12));
  store::ExecutionRecord r = run(parse(usageJob()));
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_NE(snow_->lastStatement().find("UPDATED_AT > ? ORDER BY UPDATED_AT"), std::string::npos)
      << snow_->lastStatement();
  ASSERT_EQ(snow_->lastBindings().size(), 1u);
  EXPECT_EQ(snow_->lastBindings()[0].type, "FIXED");
  EXPECT_EQ(snow_->lastBindings()[0].value, "109");
  EXPECT_EQ(store_->getState("snowflake.cursor/warehouse/Usage from Snowflake")->value_or(""),
            R"({"type":"FIXED","value":"111","inclusive":false})");
}

TEST_F(SnowflakeJobTest, ACursorStoredByAnEarlierVersionStillWorks) {
  // Earlier versions stored the high-water mark as a SQL literal: a number, or quoted text.
  ASSERT_TRUE(store_->putState("snowflake.cursor/warehouse/Usage from Snowflake", "107").ok());
  store::ExecutionRecord r = run(parse(usageJob()));
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.mode, "incremental");
  EXPECT_EQ(r.recordsRead, 2);  // 108, 109
  EXPECT_EQ(snow_->lastBindings()[0].value, "107");

  SimTable t = usage(0, 3);
  t.rows[0][6] = "1616173619.122000000";  // LAST_LOGIN
  t.rows[1][6] = "1616173619.123456789";  // in the stored (millisecond) cursor's millisecond
  t.rows[2][6] = "1616173620.000000000";
  snow_->setTable("DB.PUBLIC.USAGE", t);
  const std::string job = usageJob().replace(usageJob().find("UPDATED_AT"), 10, "LAST_LOGIN");
  ASSERT_TRUE(store_
                  ->putState("snowflake.cursor/warehouse/Usage from Snowflake",
                             "'2021-03-19T17:06:59.123Z'")
                  .ok());
  r = run(parse(job));
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.recordsRead, 2);  // as before: the rest of that millisecond, and what is newer
  EXPECT_EQ(snow_->lastBindings()[0].type, "TEXT");
  EXPECT_EQ(r.cursorEnd, "2021-03-19T17:07:00.000000000Z");
}

TEST_F(SnowflakeJobTest, ACursorCheckpointedPerPageLetsAFailedRunResume) {
  snowsim::SnowflakeSim big(simOptions(1000));
  SimTable t;
  t.columns = {{"EMAIL", "text", 0}, {"UPDATED_AT", "fixed", 0}};
  t.generatedRows = 5000;
  t.generate = [](std::int64_t i, snowsim::Row& r) {
    r[0] = "p" + std::to_string(i) + "@example.com";
    r[1] = std::to_string(1000 + i);
  };
  big.setTable("DB.PUBLIC.USAGE", t);
  big.setFailingPartition(3);  // rows 3000..3999: the run fails after its first page (2000 rows)
  big.start();
  settings_.accountUrl = big.baseUrl();
  const config::JobConfig job = parse(R"({"name": "Usage from Snowflake", "connection": "warehouse",
    "source": {"table": "DB.PUBLIC.USAGE", "incrementalColumn": "UPDATED_AT"},
    "target": {"object": "Person"},
    "mappings": [{"source": "EMAIL", "target": "Email", "upsertKey": true}]})");
  store::ExecutionRecord r = run(job);
  ASSERT_EQ(r.status, "Failed");
  EXPECT_EQ(people(), 2000);
  EXPECT_EQ(store_->getState("snowflake.cursor/warehouse/Usage from Snowflake")->value_or(""),
            R"({"type":"FIXED","value":"2999","inclusive":true})");
  big.setFailingPartition(-1);
  r = run(job);
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.mode, "incremental");
  EXPECT_EQ(r.cursor, "2999 (inclusive)");
  EXPECT_EQ(r.recordsRead, 3001);  // from the checkpoint's own value on: nothing skipped
  EXPECT_NE(big.lastStatement().find("UPDATED_AT >= ?"), std::string::npos);
  EXPECT_EQ(people(), 5000);
  EXPECT_EQ(r.cursorEnd, "5999");
}

// A repeated identifier on both sides of a failure: the resumed run keeps the interrupted
// attempt's tag (saved with its checkpoint), so the row that attempt wrote is this run's and the
// older duplicate read after the resume loses to it - as in a run that never failed.
TEST_F(SnowflakeJobTest, AResumedRunKeepsItsTagSoAnOlderDuplicateStillLoses) {
  snowsim::SnowflakeSim big(simOptions(1000));
  SimTable t;
  t.columns = {{"EMAIL", "text", 0}, {"LOGINS", "fixed", 0}, {"UPDATED_AT", "fixed", 0}};
  t.generatedRows = 5000;
  t.generate = [](std::int64_t i, snowsim::Row& r) {
    // Row 4000 repeats row 0's identifier with fewer logins: the older of the two by dedupeBy.
    r[0] = "p" + std::to_string(i == 4000 ? 0 : i) + "@example.com";
    r[1] = i == 0 ? "99" : "5";
    r[2] = std::to_string(1000 + i);
  };
  big.setTable("DB.PUBLIC.USAGE", t);
  big.setFailingPartition(3);  // the first attempt fails after its first page (rows 0..1999)
  big.start();
  settings_.accountUrl = big.baseUrl();
  const config::JobConfig job = parse(R"({"name": "Usage from Snowflake", "connection": "warehouse",
    "source": {"table": "DB.PUBLIC.USAGE", "incrementalColumn": "UPDATED_AT", "dedupeBy": "LOGINS"},
    "target": {"object": "Person"},
    "mappings": [{"source": "EMAIL", "target": "Email", "upsertKey": true},
                 {"source": "LOGINS", "target": "Logins"}]})");
  ASSERT_EQ(run(job).status, "Failed");
  ASSERT_EQ(person("p0@example.com", {"Logins"}), (std::vector<std::string>{"99"}));
  big.setFailingPartition(-1);
  store::ExecutionRecord r = run(job);
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.cursor, "2999 (inclusive)");
  EXPECT_EQ(r.warnings, 1);  // row 4000: a duplicate of what the first attempt wrote
  EXPECT_EQ(person("p0@example.com", {"Logins"}), (std::vector<std::string>{"99"}));
  EXPECT_EQ(people(), 4999);
  // Finished: nothing to resume, so no tag is kept for the next run.
  Result<std::optional<std::string>> tag =
      store_->getState("snowflake.runTag/warehouse/Usage from Snowflake");
  ASSERT_TRUE(tag.ok()) << tag.status().toString();
  EXPECT_FALSE(tag->has_value());
}

TEST_F(SnowflakeJobTest, TheOptionCapCountsTheOptionsPeopleAlreadyHold) {
  const auto features = [](const std::string& prefix) {
    SimTable t = usage(0, 60);
    for (int i = 0; i < 60; ++i) t.rows[i][1] = "[\"" + prefix + std::to_string(i) + "\"]";
    return t;
  };
  snow_->setTable("DB.PUBLIC.USAGE", features("a"));
  store::ExecutionRecord r = run(parse(usageJob("", R"(, "mode": "full")")));
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.message.find("option cap"), std::string::npos) << r.message;
  snow_->setTable("DB.PUBLIC.USAGE", features("b"));  // 60 held + 60 new: 20 too many
  r = run(parse(usageJob("", R"(, "mode": "full")")));
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_NE(r.message.find("FEATURES: 20 value(s) beyond the 100-option cap"), std::string::npos)
      << r.message;
  EXPECT_EQ(person("p39@example.com", {"Features"}), (std::vector<std::string>{"b39"}));
  EXPECT_EQ(person("p40@example.com", {"Features"}), (std::vector<std::string>{""}));
}

TEST_F(SnowflakeJobTest, FailedRecordsAreReRunByIdentifier) {
  snow_->setTable("DB.PUBLIC.USAGE", usage(0, 4));
  ASSERT_EQ(run(parse(usageJob())).status, "Success");
  snow_->setTable("DB.PUBLIC.USAGE", usage(0, 7));
  store::ExecutionRecord first =
      run(parse(usageJob(R"("createNewPeople": false)", R"(, "mode": "full")")));
  ASSERT_EQ(first.skipped, 3);  // p4..p6: in the error file
  Result<FailedRecords> failed = FailedRerun::plan(*store_, first.executionId);
  ASSERT_TRUE(failed.ok()) << failed.status().toString();
  EXPECT_EQ(failed->ids,
            (std::vector<std::string>{"p4@example.com", "p5@example.com", "p6@example.com"}));
  RunContext context{*client_, *store_, *clock_, dir_.file("errors"), "cli", ""};
  context.snowflake = &settings_;
  store::ExecutionRecord r = FailedRerun::run(parse(usageJob()), context, *failed);
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.mode, "rerun");
  EXPECT_EQ(r.api, "snowflake");
  EXPECT_EQ(r.rerunOf, first.executionId);
  EXPECT_EQ(r.recordsRead, 3);
  EXPECT_EQ(r.created, 3);
  EXPECT_NE(snow_->lastStatement().find("EMAIL IN (?, ?, ?)"), std::string::npos)
      << snow_->lastStatement();
  EXPECT_EQ(people(), 7);
}

TEST_F(SnowflakeJobTest, DryRunReadsAndComparesWithoutWriting) {
  snow_->setTable("DB.PUBLIC.USAGE", usage(0, 4));
  ASSERT_EQ(run(parse(usageJob())).status, "Success");
  snow_->setTable("DB.PUBLIC.USAGE", usage(0, 10));
  DryRunOptions options;
  options.maxRecords = 6;
  options.snowflake = &settings_;
  Result<DryRunReport> report = DryRun::run(parse(usageJob()), *client_, *store_, *clock_, options);
  ASSERT_TRUE(report.ok()) << report.status().toString();
  EXPECT_EQ(report->recordsRead, 6);
  EXPECT_TRUE(report->truncated);
  EXPECT_EQ(report->wouldCreate, 2);  // p4, p5
  EXPECT_EQ(report->unchanged + report->wouldUpdate, 4);
  EXPECT_NE(snow_->lastStatement().find("LIMIT 7"), std::string::npos) << snow_->lastStatement();
  EXPECT_EQ(snow_->lastStatement().find("UPDATED_AT >"), std::string::npos);  // a full read
  EXPECT_EQ(people(), 4);                                                     // nothing written
  EXPECT_EQ(store_->getState("snowflake.cursor/warehouse/Usage from Snowflake")->value_or(""),
            R"({"type":"FIXED","value":"103","inclusive":false})");
  options.snowflake = nullptr;  // a Snowflake job needs its connection
  EXPECT_FALSE(DryRun::run(parse(usageJob()), *client_, *store_, *clock_, options).ok());
}

TEST_F(SnowflakeJobTest, OnlineCheckReportsColumnsMissingFromTheResult) {
  EXPECT_TRUE(checkSnowflakeJobOnline(parse(usageJob()), settings_, *clock_).empty());
  const std::string query = R"({"name": "Q", "connection": "warehouse",
    "source": {"query": "SELECT * FROM DB.PUBLIC.USAGE"}, "target": {"object": "Person"},
    "mappings": [{"source": "EMAIL", "target": "Email", "upsertKey": true},
                 {"source": "NOPE", "target": "Nope"}]})";
  std::vector<config::ConfigProblem> problems =
      checkSnowflakeJobOnline(parse(query), settings_, *clock_);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "mappings");
  EXPECT_NE(problems[0].message.find("column NOPE is not in the Snowflake result"),
            std::string::npos)
      << problems[0].message;
  std::string table = usageJob();
  table.replace(table.find("\"LAST_LOGIN\", \"target\""), 12, "\"NOPE\"");
  problems = checkSnowflakeJobOnline(parse(table), settings_, *clock_);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "source");
  EXPECT_NE(problems[0].message.find("NOPE"), std::string::npos) << problems[0].message;
  settings_.accountUrl = "http://127.0.0.1:1";  // nothing listens there
  problems = checkSnowflakeJobOnline(parse(usageJob()), settings_, *clock_);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "connection");
}

TEST_F(SnowflakeJobTest, CreateNewPeopleOffSkipsAndReportsUnmatchedRows) {
  snow_->setTable("DB.PUBLIC.USAGE", usage(0, 4));
  ASSERT_EQ(run(parse(usageJob())).status, "Success");
  snow_->setTable("DB.PUBLIC.USAGE", usage(0, 7));
  store::ExecutionRecord r =
      run(parse(usageJob(R"("createNewPeople": false)", R"(, "mode": "full")")));
  EXPECT_EQ(r.recordsRead, 7);
  EXPECT_EQ(r.updated, 4) << r.message;
  EXPECT_EQ(r.skipped, 3);
  EXPECT_EQ(people(), 4);  // nobody created
  const std::string errors = sfsync::testing::readFile(r.errorFile);
  EXPECT_NE(errors.find("p6@example.com"), std::string::npos) << errors;
  EXPECT_NE(errors.find("NO_MATCH_UPDATE_ONLY"), std::string::npos) << errors;
}

TEST_F(SnowflakeJobTest, DeletesPeopleGoneFromTheTableBehindTheBreaker) {
  const config::JobConfig job = parse(
      usageJob(R"("onSourceDelete": "delete", "massDeletePercent": 10)", R"(, "mode": "full")"));
  ASSERT_EQ(run(job).status, "Success");
  snow_->setTable("DB.PUBLIC.USAGE", usage(1, 10));  // p0 gone: 1 of 10 = 10%, allowed
  store::ExecutionRecord r = run(job);
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.deleted, 1);
  EXPECT_TRUE(person("p0@example.com", {"Email"}).empty());
  snow_->setTable("DB.PUBLIC.USAGE", usage(5, 10));  // 4 of 9 gone: the breaker trips
  r = run(job);
  EXPECT_EQ(r.status, "Failed");
  EXPECT_NE(r.message.find("massDeletePercent"), std::string::npos) << r.message;
  EXPECT_EQ(people(), 9);  // nothing deleted
}

// The delete comparison asks the job's own Source: its identifier column with the job's filter, so
// a person whose row no longer passes the filter is gone from the source too.
TEST_F(SnowflakeJobTest, DeletesCompareTheIdentifiersOfTheJobsOwnFilteredStatement) {
  const config::JobConfig job =
      parse(usageJob(R"("onSourceDelete": "delete", "massDeletePercent": 50)",
                     R"(, "mode": "full", "filter": "ACTIVE = TRUE")"));
  ASSERT_EQ(run(job).status, "Success");
  EXPECT_EQ(people(), 5);  // p0, p2, p4, p6, p8
  SimTable changed = usage(0, 10);
  changed.rows[2][2] = "false";  // p2 leaves the filter; still in the table
  snow_->setTable("DB.PUBLIC.USAGE", changed);
  store::ExecutionRecord r = run(job);
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.deleted, 1);
  EXPECT_TRUE(person("p2@example.com", {"Email"}).empty());
  EXPECT_EQ(people(), 4);
  // The last statement was the identifier listing: the identifier only, filtered, unbounded.
  EXPECT_EQ(snow_->lastStatement(), "SELECT EMAIL FROM DB.PUBLIC.USAGE WHERE (ACTIVE = TRUE)");
}

// The generic run reaches a Snowflake connection only through its sources: a full run with
// deletes, then an incremental one, send nothing to Salesforce through the context's client.
TEST_F(SnowflakeJobTest, ASnowflakeRunNeverCallsTheSalesforceClient) {
  const config::JobConfig job = parse(usageJob(R"("onSourceDelete": "delete")"));
  const std::int64_t data = sf_.dataRequests(), tokens = sf_.tokenRequests();
  ASSERT_EQ(run(job).status, "Success");
  snow_->setTable("DB.PUBLIC.USAGE", usage(1, 12));
  ASSERT_EQ(run(parse(usageJob(R"("onSourceDelete": "delete")", R"(, "mode": "full")"))).status,
            "Success");
  store::ExecutionRecord r = run(job);
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_EQ(r.mode, "incremental");
  EXPECT_EQ(r.apiCalls, 0);
  EXPECT_EQ(sf_.dataRequests(), data);
  EXPECT_EQ(sf_.tokenRequests(), tokens);
}

TEST_F(SnowflakeJobTest, RefreshTokenExpiryIsWarnedInTheRunAndAnExpiredTokenFailsIt) {
  settings_.auth = snowflake::SnowflakeAuth::kOAuth;
  settings_.clientId = "sim-client";
  settings_.clientSecret = "sim-secret";
  settings_.refreshToken = "sim-refresh-token";
  settings_.refreshTokenIssued = clock_->now() - std::chrono::hours(24 * 80);  // 10 days left
  store::ExecutionRecord r = run(parse(usageJob()));
  ASSERT_EQ(r.status, "Success") << r.message;
  EXPECT_NE(r.message.find("refresh token expires on 2026-01-20 (in 10 day(s))"), std::string::npos)
      << r.message;
  snow_->expireRefreshTokens();
  r = run(parse(usageJob()));
  EXPECT_EQ(r.status, "Failed");
  EXPECT_NE(r.message.find("refused the OAuth refresh token"), std::string::npos) << r.message;
}

TEST_F(SnowflakeJobTest, ChainMixingSalesforceAndSnowflakeJobs) {
  sf_.clearObject("Contact");
  sf_.clearObject("Account");
  sf_.upsertRecord("Account", R"({"Id":")" + sim::SalesforceId::make("001", "SF", 1) +
                                  R"(","Name":"Acme","IsDeleted":false})");
  for (int i = 0; i < 3; ++i) {
    sf_.upsertRecord("Contact", R"({"Id":")" + sim::SalesforceId::make("003", "SF", i) +
                                    R"(","AccountId":")" + sim::SalesforceId::make("001", "SF", 1) +
                                    R"(","LastName":"C","Email":"p)" + std::to_string(i) +
                                    R"(@example.com","IsDeleted":false})");
  }
  config::LoadedConfig conf;
  config::ConnectionConfig sample;
  sample.settings = testing::simConnection(sf_);
  config::ConnectionConfig warehouse;
  warehouse.settings.name = "warehouse";
  warehouse.isSnowflake = true;
  warehouse.snowflake = settings_;
  conf.app.connections = {sample, warehouse};
  for (const char* file : {"company_sync.json", "company_person_sync.json"}) {
    std::vector<config::ConfigProblem> problems;
    const std::string path = std::string(SFSYNC_SOURCE_DIR) + "/jobs/" + file;
    conf.jobs.push_back(*config::parseJob(path, sfsync::testing::readFile(path), problems));
    conf.jobs.back().dependsOn.clear();
  }
  conf.jobs.push_back(parse(usageJob(R"("createNewPeople": false)")));
  config::ChainConfig chain;
  chain.name = "Nightly";
  chain.jobs = {"Company Sync", "Company Person Sync", "Usage from Snowflake"};
  chain.dependencies = {
      {"Company Person Sync", "Company Sync", config::ChainDependency::Condition::kSuccess, ""},
      {"Usage from Snowflake", "Company Person Sync", config::ChainDependency::Condition::kSuccess,
       ""}};
  chain.explicitDependencies = true;
  conf.chains = {chain};
  ChainContext context(*store_, *clock_, dir_.file("errors"), [this](const std::string&) {
    return salesforce::makeHttpClient(testing::simConnection(sf_), clock_);
  });
  ChainRun result = ChainRunner::run(conf.chains[0], conf, context);
  ASSERT_EQ(result.jobs.size(), 3u);
  for (const auto& job : result.jobs)
    EXPECT_EQ(job.status, "Success") << job.name << ": " << job.message;
  EXPECT_EQ(result.chain.status, "Success");
  EXPECT_EQ(result.jobs[2].api, "snowflake");
  EXPECT_EQ(result.jobs[2].skipped, 7);  // p3..p9 are not people in Salesforce: not created
  EXPECT_EQ(people(), 3);
  EXPECT_EQ(person("p1@example.com", {"LastName", "Logins"}), (std::vector<std::string>{"C", "1"}));
}

}  // namespace
}  // namespace sfsync::jobs
