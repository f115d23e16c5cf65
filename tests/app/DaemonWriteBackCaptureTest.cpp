// Issue 13, capture from the start: the daemon installs the write-back triggers when it loads the
// configuration (DaemonRuntime::init at startup, and every reload), not at the job's first run. A
// job that only read so far is switched to twoWay; another program changes a row BEFORE the job's
// first write-back run; that run sends the change to Salesforce (without the capture at load it
// would be lost: the run's inbound phase would overwrite it with Salesforce's value).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "app/DaemonRuntimeFixture.h"
#include "fakes/SimConnection.h"
#include "sfsync/salesforce/SalesforceClient.h"

namespace sfsync::app {
namespace {

const char* kTwoWay = R"({
  "name": "Companies", "connection": "sample",
  "source": {"object": "Account"}, "target": {"object": "Company"},
  "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
               {"source": "Name", "target": "Name", "direction": "twoWay"}],
  "schedule": {"every": "1h"}})";

class DaemonWriteBackCaptureTest : public testing::DaemonRuntimeFixture {
 protected:
  void SetUp() override {
    DaemonRuntimeFixture::SetUp();
    accountId_ = sim_.insertRecord("Account", R"({"Name":"Before"})");
  }

  void runCompanies(DaemonRuntime& r) {
    ASSERT_TRUE(r.runNow("job", "Companies", "test").ok());
    ASSERT_TRUE(r.scheduler().waitIdle(std::chrono::seconds(60)));
  }

  // "Another program": plain SQL on its own connection.
  void otherProgram(const std::string& sql) {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(config_.app.storePath.c_str(), &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 10000);
    char* err = nullptr;
    const int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(h);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }

  Value salesforceName() {
    auto client = salesforce::makeHttpClient(sfsync::testing::simConnection(sim_), clock_);
    Value out;
    Status s = client->query("SELECT Id, Name FROM Account WHERE Id = '" + accountId_ + "'",
                             {"Id", "Name"}, [&](salesforce::RecordPage& page) {
                               if (!page.rows.empty()) out = page.rows[0][1];
                               return Status::OK();
                             });
    EXPECT_TRUE(s.ok()) << s.toString();
    return out;
  }

  std::string latestStatus() {
    const auto runs = executions("Companies");
    return runs.empty() ? "" : runs[0].status + " " + runs[0].message;
  }

  std::string accountId_;
};

TEST_F(DaemonWriteBackCaptureTest, ChangeMadeBeforeTheFirstRunAfterStartupIsWrittenBack) {
  {
    auto reader = runtime();  // Companies only reads: the table exists, no capture
    runCompanies(*reader);
  }
  dir_.write("jobs/companies.json", kTwoWay);
  config_ = config::loadConfig("conf/sfsync.properties", dir_.path());
  ASSERT_TRUE(config_.problems.empty());
  auto r = runtime();  // the daemon starts with the twoWay job: capture is installed now
  otherProgram("UPDATE Company SET Name = 'Changed locally' WHERE SfdcAccountId = '" + accountId_ +
               "'");
  runCompanies(*r);  // the job's first write-back run
  EXPECT_EQ(salesforceName(), Value{std::string("Changed locally")}) << latestStatus();
  EXPECT_EQ(executions("Companies")[0].outboundSucceeded, 1) << latestStatus();
}

TEST_F(DaemonWriteBackCaptureTest, ChangeMadeBeforeTheFirstRunAfterAReloadIsWrittenBack) {
  auto r = runtime();
  r->setConfigSource([this] {
    DaemonRuntime::LoadedSource loaded;
    loaded.config = std::make_shared<config::LoadedConfig>(
        config::loadConfig("conf/sfsync.properties", dir_.path()));
    return loaded;
  });
  runCompanies(*r);  // reads only
  dir_.write("jobs/companies.json", kTwoWay);
  Result<admin::ReloadOutcome> reloaded = r->reload("ops");
  ASSERT_TRUE(reloaded.ok() && reloaded->applied) << reloaded.status().toString();
  otherProgram("UPDATE Company SET Name = 'After reload' WHERE SfdcAccountId = '" + accountId_ +
               "'");
  runCompanies(*r);
  EXPECT_EQ(salesforceName(), Value{std::string("After reload")}) << latestStatus();
}

}  // namespace
}  // namespace sfsync::app
