// DaemonRuntime::reload with simulated time against the simulator: a valid edit applies (a new job
// appears, a schedule changes, pause flags stay) and every change is update activity; a run in
// progress (here: a failed run waiting to retry) finishes with the configuration it started with;
// an invalid edit is refused with every problem, recorded, and the old configuration keeps running.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/DaemonRuntimeFixture.h"
#include "sfsync/activity/ConfigAuditor.h"

namespace sfsync::app {
namespace {

using testing::kHour;

class DaemonReloadTest : public testing::DaemonRuntimeFixture {
 protected:
  // A runtime as serve builds it: the startup configuration audited, reload reading dir_.
  std::unique_ptr<DaemonRuntime> reloadable() {
    EXPECT_TRUE(activity::ConfigAuditor::audit(config_, *store_, *clock_).ok());
    auto r = runtime();
    r->setConfigSource([this] {
      DaemonRuntime::LoadedSource loaded;
      loaded.config = std::make_shared<config::LoadedConfig>(
          config::loadConfig("conf/sfsync.properties", dir_.path()));
      return loaded;
    });
    return r;
  }

  static bool hasJob(DaemonRuntime& r, const std::string& name) {
    const auto jobs = r.jobs();
    return std::any_of(jobs.begin(), jobs.end(), [&](const auto& j) { return j.name == name; });
  }

  std::vector<store::UpdateRecord> updates() { return store_->listUpdates(50, "").value(); }
};

TEST_F(DaemonReloadTest, AValidEditAppliesAndARunInProgressKeepsItsConfiguration) {
  auto r = reloadable();
  ASSERT_TRUE(r->pause("job", "Companies", "ops").ok());
  // Broken fails and waits 60 s for its retry: a run in progress.
  ASSERT_TRUE(r->runNow("job", "Broken", "test").ok());
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));
  ASSERT_TRUE(r->scheduler().status("Broken")->retrying);

  // The edit fixes Broken's mapping (a new run would succeed), makes Companies run every 2
  // hours and adds a job.
  dir_.write("jobs/broken.json", R"({
    "name": "Broken", "connection": "sample",
    "source": {"object": "Account"}, "target": {"object": "Broken"},
    "mappings": [{"source": "Id", "target": "X", "upsertKey": true}]})");
  dir_.write("jobs/companies.json", R"({
    "name": "Companies", "connection": "sample",
    "source": {"object": "Account"}, "target": {"object": "Company"},
    "mappings": [{"source": "Id", "target": "SfdcAccountId", "upsertKey": true},
                 {"source": "Name", "target": "Name"}],
    "schedule": {"every": "2h"}})");
  dir_.write("jobs/people.json", R"({
    "name": "People", "connection": "sample",
    "source": {"object": "Contact"}, "target": {"object": "Person"},
    "mappings": [{"source": "Id", "target": "SfdcContactId", "upsertKey": true}]})");
  Result<admin::ReloadOutcome> reloaded = r->reload("ops");
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().toString();
  EXPECT_TRUE(reloaded->applied);
  EXPECT_TRUE(reloaded->problems.empty());
  EXPECT_TRUE(reloaded->needsRestart.empty());
  EXPECT_EQ(reloaded->changes.size(), 3u);
  EXPECT_TRUE(hasJob(*r, "People"));
  EXPECT_NE(r->scheduler().status("Companies")->schedule.find("2"), std::string::npos)
      << r->scheduler().status("Companies")->schedule;
  EXPECT_TRUE(r->scheduler().status("Companies")->paused);  // the pause flag stayed
  EXPECT_TRUE(r->scheduler().status("Broken")->retrying);   // the run in progress stayed

  // Broken's retries run with the configuration the run started with: they still fail.
  advanceAndRun(*r, std::chrono::seconds(60));
  advanceAndRun(*r, std::chrono::seconds(120));
  auto broken = executions("Broken");
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_EQ(broken[0].status, "Failed");
  EXPECT_EQ(broken[0].attempts, 3);  // and with its retry policy (the new file has none)
  EXPECT_NE(broken[0].message.find("INVALID_FIELD"), std::string::npos) << broken[0].message;
  // A new run uses the new configuration.
  ASSERT_TRUE(r->runNow("job", "Broken", "test").ok());
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));
  EXPECT_EQ(executions("Broken")[0].status, "Success") << executions("Broken")[0].message;
  ASSERT_TRUE(r->runNow("job", "People", "test").ok());
  ASSERT_TRUE(r->scheduler().waitIdle(std::chrono::seconds(60)));
  EXPECT_EQ(executions("People").size(), 1u);

  // Update activity: one row per edited or added job (ConfigAuditor) and the reload itself.
  int edited = 0;
  bool reloadRow = false;
  for (const auto& u : updates()) {
    if (u.kind == "job" && (u.name == "Broken" || u.name == "Companies" || u.name == "People")) {
      ++edited;
    }
    if (u.kind == "config" && u.action == "reloaded" && u.actor == "ops") reloadRow = true;
  }
  EXPECT_GE(edited, 3);
  EXPECT_TRUE(reloadRow);
}

TEST_F(DaemonReloadTest, AnInvalidEditIsRefusedAndTheOldConfigurationKeepsRunning) {
  auto r = reloadable();
  dir_.write("jobs/companies.json", R"({"name": "Companies", "connection": "nowhere"})");
  dir_.write("jobs/people.json", R"({"name": "People"})");
  Result<admin::ReloadOutcome> reloaded = r->reload("ops");
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().toString();
  EXPECT_FALSE(reloaded->applied);
  ASSERT_GE(reloaded->problems.size(), 2u);
  bool namesFile = false;
  for (const auto& p : reloaded->problems) {
    if (p.find("companies.json") != std::string::npos) namesFile = true;
  }
  EXPECT_TRUE(namesFile);
  EXPECT_FALSE(hasJob(*r, "People"));
  // The old Companies still runs on its hourly schedule.
  const auto sinceHour = clock_->now().time_since_epoch() % kHour;
  advanceAndRun(*r, std::chrono::duration_cast<std::chrono::milliseconds>(kHour - sinceHour));
  auto runs = executions("Companies");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, "Success") << runs[0].message;
  const auto rows = updates();
  auto refused = std::find_if(rows.begin(), rows.end(),
                              [](const auto& u) { return u.action == "reload refused"; });
  ASSERT_NE(refused, rows.end());
  EXPECT_EQ(refused->actor, "ops");
  EXPECT_NE(refused->diff.find("companies.json"), std::string::npos) << refused->diff;
}

TEST_F(DaemonReloadTest, StartupOnlySettingsNeedARestartAndTheRestApplies) {
  auto r = reloadable();
  const std::string properties = sfsync::testing::readFile(dir_.file("conf/sfsync.properties"));
  dir_.write("conf/sfsync.properties",
             properties + "admin.port = 9999\nretention.days = 7\nscheduler.maxParallelRuns = 3\n");
  Result<admin::ReloadOutcome> reloaded = r->reload("ops");
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().toString();
  ASSERT_TRUE(reloaded->applied);
  EXPECT_EQ(reloaded->needsRestart,
            (std::vector<std::string>{"admin.port", "scheduler.maxParallelRuns"}));
  EXPECT_EQ(r->currentConfig()->app.adminPort, config_.app.adminPort);  // the running value
  EXPECT_EQ(r->currentConfig()->app.retentionDays, 7);                  // applied
}

TEST_F(DaemonReloadTest, WithoutASourceReloadIsUnavailable) {
  auto r = runtime();
  EXPECT_EQ(r->reload("ops").status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace sfsync::app
