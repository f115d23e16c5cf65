// Live events of a job run (issue 16) against the simulator and an SQLite store: a run publishes
// run.started, run.progress (records against the first page's totalSize, phase load, the last page
// always) and run.finished on RunContext::events, and forgets its remembered progress at the end.
// Also RunProgress's payload: the total is raised to the records seen (never over 100 %), and an
// unknown total gives percent and ETA -1.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "jobs/RunProgress.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/core/EventBus.h"
#include "sfsync/jobs/JobRunner.h"

namespace sfsync {
namespace {

const char* kDescribe = R"({"name": "Widget__c", "keyPrefix": "a0W", "custom": true, "fields": [
    {"name": "Id", "type": "id"}, {"name": "IsDeleted", "type": "boolean"},
    {"name": "Name", "type": "string"}, {"name": "Color__c", "type": "string"},
    {"name": "SystemModstamp", "type": "datetime"}]})";

const char* kJob = R"({"name": "Widgets", "connection": "sample",
  "source": {"object": "Widget__c", "mode": "full", "api": "rest"}, "target": {"object": "Widget"},
  "mappings": [{"source": "Id", "target": "SfId", "upsertKey": true},
               {"source": "Color__c", "target": "Color"}]})";

Poco::JSON::Object::Ptr parse(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

TEST(RunEventsTest, AJobRunPublishesStartProgressAndFinish) {
  sim::SimServer sim;
  sim.start();
  sim.addObject(kDescribe);
  sim.setBatchSize(200);
  for (int i = 0; i < 450; ++i) sim.insertRecord("Widget__c", R"({"Color__c": "red"})");
  testing::TempDir dir;
  auto clock = std::make_shared<testing::FakeClock>();
  store::StorePtr store = std::move(store::openSqliteStore(dir.file("var/test.db")).value());
  std::vector<config::ConfigProblem> problems;
  std::optional<config::JobConfig> job = config::parseJob("jobs/widgets.json", kJob, problems);
  ASSERT_TRUE(job) << problems.front().toString();

  EventBus bus;
  EventSubscriptionPtr events = bus.subscribe().value();
  auto client = salesforce::makeHttpClient(testing::simConnection(sim), clock);
  jobs::RunContext context(*client, *store, *clock, dir.file("var/errors"));
  context.prefetchPages = false;
  context.events = &bus;
  const store::ExecutionRecord record = jobs::JobRunner::run(*job, context);
  ASSERT_EQ(record.status, "Success") << record.message;

  std::vector<BusEvent> seen;
  BusEvent event;
  while (events->next(std::chrono::milliseconds(0), event) == EventSubscription::Wait::kEvent) {
    seen.push_back(event);
  }
  ASSERT_GE(seen.size(), 3u);
  EXPECT_EQ(seen.front().name, "run.started");
  Poco::JSON::Object::Ptr started = parse(seen.front().json);
  EXPECT_EQ(started->getValue<std::string>("status"), "Running");
  EXPECT_EQ(started->getValue<std::string>("executionId"), record.executionId);
  EXPECT_EQ(seen.back().name, "run.finished");
  Poco::JSON::Object::Ptr finished = parse(seen.back().json);
  EXPECT_EQ(finished->getValue<std::string>("status"), "Success");
  EXPECT_EQ(finished->getValue<int>("recordsRead"), 450);

  std::vector<Poco::JSON::Object::Ptr> progress;
  for (const BusEvent& e : seen) {
    if (e.name == "run.progress") progress.push_back(parse(e.json));
  }
  ASSERT_GE(progress.size(), 2u);  // the first page (a new phase) and the last page
  EXPECT_EQ(progress.front()->getValue<std::string>("phase"), "load");
  EXPECT_EQ(progress.front()->getValue<int>("records"), 200);
  EXPECT_EQ(progress.front()->getValue<int>("total"), 450);
  EXPECT_EQ(progress.back()->getValue<int>("records"), 450);
  EXPECT_EQ(progress.back()->getValue<int>("percent"), 100);
  EXPECT_EQ(progress.back()->getValue<std::string>("executionId"), record.executionId);
  EXPECT_EQ(bus.recall(record.executionId), std::nullopt);  // forgotten when the run ended
}

TEST(RunEventsTest, ProgressPayloadCapsAndEstimates) {
  store::ExecutionRecord r;
  r.name = "Widgets";
  r.executionId = "e1";
  Poco::JSON::Object::Ptr half = parse(jobs::RunProgress::json(r, "load", 50, 100, 10.0));
  EXPECT_EQ(half->getValue<int>("percent"), 50);
  EXPECT_DOUBLE_EQ(half->getValue<double>("ratePerSecond"), 5.0);
  EXPECT_EQ(half->getValue<int>("etaSeconds"), 10);
  Poco::JSON::Object::Ptr over = parse(jobs::RunProgress::json(r, "load", 120, 100, 10.0));
  EXPECT_EQ(over->getValue<int>("total"), 120);
  EXPECT_EQ(over->getValue<int>("percent"), 100);
  EXPECT_EQ(over->getValue<int>("etaSeconds"), 0);
  Poco::JSON::Object::Ptr unknown = parse(jobs::RunProgress::json(r, "extract", 30, 0, 1.0));
  EXPECT_EQ(unknown->getValue<int>("total"), 0);
  EXPECT_EQ(unknown->getValue<int>("percent"), -1);
  EXPECT_EQ(unknown->getValue<int>("etaSeconds"), -1);
}

}  // namespace
}  // namespace sfsync
