// Issue 16: re-running only the failed records of an execution through the real JobRunner against
// the simulator (a new execution linked by rerunOf, reading only those Ids, the job's cursor
// untouched), the warnings file of duplicate keys, and sfsyncd --rerun-failed.
#include <gtest/gtest.h>

#include <set>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/Subprocess.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/activity/ErrorFileReader.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/FailedRerun.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/jobs/ReplicationState.h"

namespace sfsync {
namespace {

using testing::FakeClock;
using testing::TempDir;

// Titles are text: every contact with a title fails the integer conversion (TYPE_CONVERSION).
const char* kTitlesJob = R"({
  "name": "Contact Titles",
  "connection": "sample",
  "source": {"object": "Contact"},
  "target": {"object": "Contact Title"},
  "mappings": [
    {"source": "Id", "target": "ContactId", "upsertKey": true},
    {"source": "Title", "target": "TitleNumber", "type": "integer"}
  ]
})";

class RerunFailedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    auto store = store::openSqliteStore(dir_.file("sfsync.db"));
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    std::vector<config::ConfigProblem> problems;
    auto job = config::parseJob("jobs/titles.json", kTitlesJob, problems);
    ASSERT_TRUE(problems.empty()) << problems.front().toString();
    job_ = *job;
    // Two contacts with a numeric title succeed, so the first run is a Partial Success.
    sim_.setField("Contact", "0035g0000000tvxAAA", "Title", "\"1\"");
    sim_.setField("Contact", "0035g0000000xq6AAA", "Title", "\"2\"");
  }

  jobs::RunContext context(salesforce::SalesforceClient& client) {
    return jobs::RunContext{client, *store_, *clock_, dir_.file("errors"), "cli", ""};
  }

  std::optional<std::string> cursor() {
    auto value = store_->getState(jobs::cursorKey(job_.connection, job_.name));
    EXPECT_TRUE(value.ok());
    return value.ok() ? *value : std::nullopt;
  }

  sim::SimServer sim_;
  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  store::StorePtr store_;
  config::JobConfig job_;
};

TEST_F(RerunFailedTest, RerunReadsOnlyTheFailedIdsAsALinkedExecutionAndKeepsTheCursor) {
  auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
  jobs::RunContext firstContext = context(*client);
  store::ExecutionRecord first = jobs::JobRunner::run(job_, firstContext);
  ASSERT_EQ(first.status, "Partial Success") << first.message;
  ASSERT_GT(first.failed, 2);
  EXPECT_EQ(first.message.rfind(std::to_string(first.failed) + " record(s) failed", 0), 0u)
      << first.message;
  const std::optional<std::string> cursorBefore = cursor();
  ASSERT_TRUE(cursorBefore.has_value());

  Result<jobs::FailedRecords> failed = jobs::FailedRerun::plan(*store_, first.executionId);
  ASSERT_TRUE(failed.ok()) << failed.status().toString();
  ASSERT_EQ(static_cast<std::int64_t>(failed->ids.size()), first.failed);
  // Two of the failed contacts are fixed in Salesforce; the rest still fail.
  sim_.setField("Contact", failed->ids[0], "Title", "\"7\"");
  sim_.setField("Contact", failed->ids[1], "Title", "\"8\"");

  jobs::RunContext rerunContext = context(*client);
  store::ExecutionRecord rerun = jobs::FailedRerun::run(job_, rerunContext, *failed);

  EXPECT_NE(rerun.executionId, first.executionId);
  EXPECT_EQ(rerun.rerunOf, first.executionId);
  EXPECT_EQ(rerun.mode, "rerun");
  EXPECT_EQ(rerun.status, "Partial Success") << rerun.message;
  EXPECT_EQ(rerun.recordsRead, first.failed);  // only those records were read
  EXPECT_EQ(rerun.created, 2);
  EXPECT_EQ(rerun.failed, first.failed - 2);
  EXPECT_EQ(cursor(), cursorBefore);  // the incremental cursor did not move
  EXPECT_TRUE(rerun.cursorEnd.empty());
  // Its own error file lists only the still-failing records.
  Result<std::vector<std::string>> still =
      activity::ErrorFileReader::failedIds(rerun.errorFile, {});
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(std::set<std::string>(still->begin(), still->end()),
            std::set<std::string>(failed->ids.begin() + 2, failed->ids.end()));
  auto row =
      store_->select("Contact Title", {"TitleNumber"}, {{"ContactId", Value(failed->ids[0])}});
  ASSERT_TRUE(row.ok());
  ASSERT_EQ(row->size(), 1u);
  EXPECT_EQ(row->front()[0], Value(std::int64_t{7}));

  // The stored row carries the link.
  store::ExecutionQuery byId;
  byId.executionId = rerun.executionId;
  auto stored = store_->listExecutions(byId);
  ASSERT_TRUE(stored.ok() && stored->size() == 1u);
  EXPECT_EQ(stored->front().rerunOf, first.executionId);
}

TEST_F(RerunFailedTest, PlanRefusesWhatCannotBeRerun) {
  EXPECT_EQ(jobs::FailedRerun::plan(*store_, "nope").status().code(), StatusCode::kNotFound);
  std::vector<config::ConfigProblem> problems;
  auto cleanJob = config::parseJob("jobs/ids.json", R"({
    "name": "Contact Ids", "connection": "sample",
    "source": {"object": "Contact"}, "target": {"object": "Contact Id"},
    "mappings": [{"source": "Id", "target": "ContactId", "upsertKey": true}]})",
                                   problems);
  ASSERT_TRUE(cleanJob.has_value());
  auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
  jobs::RunContext runContext = context(*client);
  store::ExecutionRecord clean = jobs::JobRunner::run(*cleanJob, runContext);
  ASSERT_EQ(clean.status, "Success") << clean.message;
  EXPECT_EQ(jobs::FailedRerun::plan(*store_, clean.executionId).status().code(),
            StatusCode::kInvalidArgument);

  // An error file without an Id column (a source that names records otherwise): nothing can be
  // re-run, a refusal (409 from the admin API), not a server error.
  dir_.write("errors/odd.errors.csv", "Email,Reason\nann@example.com,TYPE_CONVERSION\n");
  store::ExecutionRecord odd = clean;
  odd.executionId = "odd-run";
  odd.status = "Partial Success";
  odd.errorFile = dir_.file("errors/odd.errors.csv");
  ASSERT_TRUE(store_->saveExecution(odd).ok());
  Result<jobs::FailedRecords> refused = jobs::FailedRerun::plan(*store_, odd.executionId);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("cannot be re-run"), std::string::npos)
      << refused.status().message();
}

TEST_F(RerunFailedTest, DuplicateKeysAreWrittenToTheWarningsFile) {
  std::vector<config::ConfigProblem> problems;
  auto job = config::parseJob("jobs/email.json", R"({
    "name": "Contacts By Email", "connection": "sample",
    "source": {"object": "Contact"}, "target": {"object": "Contact Email"},
    "mappings": [{"source": "Email", "target": "Email", "upsertKey": true},
                 {"source": "Id", "target": "ContactId"}]})",
                              problems);
  ASSERT_TRUE(job.has_value());
  auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
  jobs::RunContext runContext = context(*client);
  store::ExecutionRecord r = jobs::JobRunner::run(*job, runContext);
  ASSERT_EQ(r.warnings, 1) << r.message;
  ASSERT_FALSE(r.warningFile.empty());
  Result<activity::ErrorSummary> summary =
      activity::ErrorFileReader::summarize(r.warningFile, activity::ErrorFileLimits{});
  ASSERT_TRUE(summary.ok()) << summary.status().toString();
  EXPECT_EQ(summary->rows, 1);
  ASSERT_EQ(summary->byReason.size(), 1u);
  EXPECT_EQ(summary->byReason[0].key, "DUPLICATE_KEY");
  EXPECT_EQ(summary->byMapping[0].key, "Contact Email");
}

TEST_F(RerunFailedTest, CommandLineRerunsTheFailedRecords) {
  dir_.write("cli/conf/sfsync.properties",
             "store.path = var/test.db\npaths.jobs = jobs\npaths.chains = chains\n"
             "paths.errors = var/errors\nlog.file = var/log/sfsyncd.log\nconnections = sample\n"
             "connection.sample.orgType = custom\nconnection.sample.customDomainUrl = " +
                 sim_.baseUrl() +
                 "\nconnection.sample.credentialsFile = conf/sample.credentials\n");
  dir_.write("cli/conf/sample.credentials",
             testing::readFile(std::string(SFSYNC_SOURCE_DIR) + "/conf/sample.credentials"));
  dir_.write("cli/jobs/titles.json", kTitlesJob);
  dir_.write("cli/chains/.keep", "");
  const std::string cwd = dir_.file("cli");

  auto first = testing::runProcess(SFSYNCD_PATH, {"--run-job=Contact Titles"}, cwd);
  ASSERT_EQ(first.exitCode, 2) << first.out << first.err;  // Partial Success
  std::string firstId;
  {
    auto store = store::openSqliteStore(dir_.file("cli/var/test.db"));
    ASSERT_TRUE(store.ok());
    auto rows = (*store)->listExecutions({});
    ASSERT_TRUE(rows.ok() && rows->size() == 1u);
    firstId = rows->front().executionId;
    // One failed contact is fixed in Salesforce: the re-run is a Partial Success.
    auto ids = activity::ErrorFileReader::failedIds(rows->front().errorFile, {});
    ASSERT_TRUE(ids.ok() && !ids->empty());
    sim_.setField("Contact", ids->front(), "Title", "\"3\"");
  }

  auto unknown = testing::runProcess(SFSYNCD_PATH, {"--rerun-failed=no-such-run"}, cwd);
  EXPECT_EQ(unknown.exitCode, 1);
  EXPECT_NE(unknown.err.find("unknown execution 'no-such-run'"), std::string::npos) << unknown.err;

  auto rerun = testing::runProcess(SFSYNCD_PATH, {"--rerun-failed=" + firstId}, cwd);
  EXPECT_EQ(rerun.exitCode, 2) << rerun.out << rerun.err;  // the other titles still fail
  auto store = store::openSqliteStore(dir_.file("cli/var/test.db"));
  ASSERT_TRUE(store.ok());
  auto rows = (*store)->listExecutions({});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  const store::ExecutionRecord& newest = rows->front();
  EXPECT_EQ(newest.rerunOf, firstId);
  EXPECT_EQ(newest.recordsRead, rows->back().failed);
  EXPECT_EQ(newest.mode, "rerun");
  EXPECT_EQ(newest.created, 1);
}

}  // namespace
}  // namespace sfsync
