// The describe cache and the metadata checks (issue 15) against the simulator, an SQLite store and
// a FakeClock: a cached describe saves the describe call (runs and validations), an entry older
// than metadataRefreshDays is fetched again, the stored encoding round-trips, and a refresh that
// finds a mapped field renamed (or retyped) marks the job invalid with the field named, records
// update activity and makes runs fail at once (METADATA_FIELD_MISSING) until the field is back or
// the job is edited.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/FakeClock.h"
#include "fakes/SimConnection.h"
#include "fakes/TempDir.h"
#include "salesforce_sim/SimServer.h"
#include "sfsync/config/ConfigLoader.h"
#include "sfsync/jobs/JobRunner.h"
#include "sfsync/jobs/JobValidator.h"
#include "sfsync/jobs/MetadataCache.h"
#include "sfsync/jobs/MetadataRefresh.h"
#include "sfsync/salesforce/DescribeCodec.h"

namespace sfsync {
namespace {

using std::chrono::hours;

std::string widgetDescribe(const std::string& colorField, const std::string& pointsType) {
  return R"({"name": "Widget__c", "keyPrefix": "a0W", "custom": true, "fields": [
      {"name": "Id", "type": "id"}, {"name": "IsDeleted", "type": "boolean"},
      {"name": "Name", "type": "string", "label": "Widget Name"},
      {"name": ")" +
         colorField + R"(", "type": "string", "label": "Color"},
      {"name": "Points__c", "type": ")" +
         pointsType + R"(", "label": "Points"},
      {"name": "SystemModstamp", "type": "datetime"}]})";
}
const std::string kOriginal = widgetDescribe("Color__c", "double");
const std::string kRenamed = widgetDescribe("Colour__c", "double");
const std::string kRetyped = widgetDescribe("Color__c", "string");

const char* kJob = R"({"name": "Widgets", "connection": "sample",
  "source": {"object": "Widget__c", "mode": "full", "api": "rest"}, "target": {"object": "Widget"},
  "mappings": [{"source": "Id", "target": "SfId", "upsertKey": true},
               {"source": "Color__c", "target": "Color"},
               {"source": "Points__c", "target": "Points"}]})";

class MetadataCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.start();
    sim_.addObject(kOriginal);
    sim_.insertRecord("Widget__c", R"({"Name": "W1", "Color__c": "red", "Points__c": 3})");
    client_ = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    store_ = std::move(store::openSqliteStore(dir_.file("var/test.db")).value());
    job_ = parse(kJob);
  }

  static config::JobConfig parse(const std::string& text) {
    std::vector<config::ConfigProblem> problems;
    std::optional<config::JobConfig> job = config::parseJob("jobs/widgets.json", text, problems);
    EXPECT_TRUE(problems.empty()) << problems.front().toString();
    return job.value();
  }

  jobs::MetadataCache cache(int days = 7) {
    return jobs::MetadataCache(*store_, *clock_, "sample", days);
  }

  store::ExecutionRecord run(const config::JobConfig& job) {
    auto client = salesforce::makeHttpClient(testing::simConnection(sim_), clock_);
    jobs::RunContext context(*client, *store_, *clock_, dir_.file("var/errors"));
    context.prefetchPages = false;
    return jobs::JobRunner::run(job, context);
  }

  jobs::RefreshReport refresh() {
    jobs::MetadataCache c = cache();
    Result<jobs::RefreshReport> report =
        jobs::MetadataRefresh::refresh({job_}, c, *client_, *store_, *clock_, "cli");
    EXPECT_TRUE(report.ok()) << report.status().toString();
    return report.ok() ? *report : jobs::RefreshReport{};
  }

  std::vector<store::UpdateRecord> updates(const std::string& action) {
    std::vector<store::UpdateRecord> out;
    for (const store::UpdateRecord& u : store_->listUpdates(0, "").value()) {
      if (u.action == action) out.push_back(u);
    }
    return out;
  }

  sim::SimServer sim_;
  testing::TempDir dir_;
  std::shared_ptr<testing::FakeClock> clock_ = std::make_shared<testing::FakeClock>();
  salesforce::SalesforceClientPtr client_;
  store::StorePtr store_;
  config::JobConfig job_;
};

TEST_F(MetadataCacheTest, EncodingRoundTrips) {
  Result<salesforce::ObjectDescribe> live = client_->describe("Account");
  ASSERT_TRUE(live.ok()) << live.status().toString();
  Result<salesforce::ObjectDescribe> back =
      salesforce::DescribeCodec::decode(salesforce::DescribeCodec::encode(*live));
  ASSERT_TRUE(back.ok()) << back.status().toString();
  EXPECT_EQ(back->name, live->name);
  ASSERT_EQ(back->fields.size(), live->fields.size());
  for (std::size_t i = 0; i < live->fields.size(); ++i) {
    const salesforce::FieldDescribe& a = live->fields[i];
    const salesforce::FieldDescribe& b = back->fields[i];
    EXPECT_EQ(std::tie(a.name, a.label, a.type, a.length, a.precision, a.scale, a.nillable,
                       a.externalId, a.unique, a.createable, a.updateable, a.calculated,
                       a.referenceTo, a.relationshipName),
              std::tie(b.name, b.label, b.type, b.length, b.precision, b.scale, b.nillable,
                       b.externalId, b.unique, b.createable, b.updateable, b.calculated,
                       b.referenceTo, b.relationshipName))
        << a.name;
  }
}

TEST_F(MetadataCacheTest, CacheHitAvoidsTheDescribeCall) {
  const std::int64_t before = sim_.dataRequests();
  jobs::MetadataCache c = cache();
  ASSERT_TRUE(c.describe(*client_, "Widget__c").ok());
  EXPECT_EQ(sim_.dataRequests() - before, 1);
  // Another cache over the same store (a later run, another thread) and another spelling: a hit.
  jobs::MetadataCache again = cache();
  Result<salesforce::ObjectDescribe> hit = again.describe(*client_, "widget__C");
  ASSERT_TRUE(hit.ok());
  EXPECT_NE(hit->findField("Color__c"), nullptr);
  EXPECT_EQ(sim_.dataRequests() - before, 1);
  // Validation reads through the cache too.
  std::vector<config::ConfigProblem> warnings;
  auto problems = jobs::JobValidator::validate(
      job_, *client_, &warnings,
      [&](const std::string& object) { return again.describe(*client_, object); });
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(sim_.dataRequests() - before, 1);
}

TEST_F(MetadataCacheTest, RunsDescribeOnlyOnACacheMiss) {
  const store::ExecutionRecord first = run(job_);
  ASSERT_EQ(first.status, "Success") << first.message;
  const store::ExecutionRecord second = run(job_);
  ASSERT_EQ(second.status, "Success") << second.message;
  // Same full REST extract both times; the second one has no describe.
  EXPECT_EQ(first.apiCalls - second.apiCalls, 1) << first.apiCalls << " vs " << second.apiCalls;
}

TEST_F(MetadataCacheTest, AnEntryOlderThanRefreshDaysIsFetchedAgain) {
  jobs::MetadataCache c = cache(7);
  ASSERT_TRUE(c.describe(*client_, "Widget__c").ok());
  const std::int64_t before = sim_.dataRequests();
  clock_->advance(hours(24 * 6));
  ASSERT_TRUE(c.describe(*client_, "Widget__c").ok());
  EXPECT_FALSE(c.anyDue());
  EXPECT_EQ(sim_.dataRequests(), before);
  clock_->advance(hours(24 * 1 + 1));
  EXPECT_TRUE(c.anyDue());
  sim_.addObject(kRenamed);
  Result<jobs::FetchedDescribe> refreshed = c.lookup(*client_, "Widget__c");
  ASSERT_TRUE(refreshed.ok());
  EXPECT_EQ(sim_.dataRequests() - before, 1);
  EXPECT_NE(refreshed->current.findField("Colour__c"), nullptr);
  ASSERT_TRUE(refreshed->previous.has_value());
  EXPECT_NE(refreshed->previous->findField("Color__c"), nullptr);
  EXPECT_FALSE(c.anyDue());
  // metadataRefreshDays = 1: a day later it is due again.
  clock_->advance(hours(25));
  EXPECT_TRUE(cache(1).anyDue());
  EXPECT_FALSE(cache(7).anyDue());
}

TEST_F(MetadataCacheTest, RenamedFieldMarksTheJobInvalidUntilTheFieldIsBack) {
  ASSERT_EQ(run(job_).status, "Success");
  EXPECT_TRUE(refresh().changes.empty());

  sim_.addObject(kRenamed);
  jobs::RefreshReport found = refresh();
  ASSERT_EQ(found.changes.size(), 1u);
  EXPECT_TRUE(found.changes[0].invalid);
  EXPECT_EQ(found.invalidJobs, std::vector<std::string>{"Widgets"});
  const jobs::JobInvalidity& why = found.changes[0].invalidity;
  EXPECT_EQ(why.reason, jobs::kMetadataFieldMissing);
  EXPECT_EQ(why.field, "Color__c");
  EXPECT_EQ(why.jsonPath, "mappings[1].source");
  EXPECT_NE(why.message.find("'Colour__c' has the same label"), std::string::npos) << why.message;
  // Update activity names the field; a second refresh does not record it again.
  ASSERT_EQ(updates("metadata-invalid").size(), 1u);
  const store::UpdateRecord row = updates("metadata-invalid").front();
  EXPECT_EQ(row.kind, "job");
  EXPECT_EQ(row.name, "Widgets");
  EXPECT_EQ(row.actor, "cli");
  EXPECT_NE(row.diff.find("METADATA_FIELD_MISSING"), std::string::npos) << row.diff;
  EXPECT_NE(row.diff.find("Color__c"), std::string::npos) << row.diff;
  EXPECT_TRUE(refresh().changes.empty());
  EXPECT_EQ(updates("metadata-invalid").size(), 1u);

  // A run fails at once, before any Salesforce call, with the reason code.
  const store::ExecutionRecord refused = run(job_);
  EXPECT_EQ(refused.status, "Failed");
  EXPECT_EQ(refused.apiCalls, 0);
  EXPECT_NE(refused.message.find("METADATA_FIELD_MISSING"), std::string::npos) << refused.message;
  EXPECT_NE(refused.message.find("Color__c"), std::string::npos) << refused.message;

  // The field is back: the refresh says so and runs work again.
  sim_.addObject(kOriginal);
  sim_.insertRecord("Widget__c", R"({"Name": "W2", "Color__c": "blue", "Points__c": 1})");
  jobs::RefreshReport back = refresh();
  ASSERT_EQ(back.changes.size(), 1u);
  EXPECT_FALSE(back.changes[0].invalid);
  EXPECT_TRUE(back.invalidJobs.empty());
  EXPECT_EQ(updates("metadata-valid").size(), 1u);
  EXPECT_FALSE(jobs::MetadataRefresh::invalidity(*store_, job_).has_value());
  EXPECT_EQ(run(job_).status, "Success");
}

TEST_F(MetadataCacheTest, EditingTheJobClearsTheMark) {
  ASSERT_EQ(run(job_).status, "Success");
  sim_.addObject(kRenamed);
  sim_.insertRecord("Widget__c", R"({"Name": "W1", "Colour__c": "red", "Points__c": 3})");
  ASSERT_EQ(refresh().invalidJobs.size(), 1u);
  // The admin maps the renamed field instead.
  std::string edited = kJob;
  edited.replace(edited.find("\"Color__c\""), 10, "\"Colour__c\"");
  const config::JobConfig fixed = parse(edited);
  EXPECT_FALSE(jobs::MetadataRefresh::invalidity(*store_, fixed).has_value());
  const store::ExecutionRecord ran = run(fixed);
  EXPECT_EQ(ran.status, "Success") << ran.message;
  EXPECT_FALSE(store_->getState(jobs::metadataInvalidKey("Widgets")).value().has_value());
  ASSERT_EQ(updates("metadata-valid").size(), 1u);
  EXPECT_NE(updates("metadata-valid").front().diff.find("edited"), std::string::npos);
}

TEST_F(MetadataCacheTest, IncompatibleTypeChangeMarksTheJobInvalid) {
  ASSERT_EQ(run(job_).status, "Success");
  sim_.addObject(kRetyped);
  jobs::RefreshReport found = refresh();
  ASSERT_EQ(found.changes.size(), 1u);
  EXPECT_EQ(found.changes[0].invalidity.reason, jobs::kMetadataTypeChanged);
  EXPECT_EQ(found.changes[0].invalidity.field, "Points__c");
  EXPECT_NE(found.changes[0].invalidity.message.find("from double to string"), std::string::npos)
      << found.changes[0].invalidity.message;
  // Still invalid on the next refresh (the cache now holds the new type).
  EXPECT_EQ(refresh().invalidJobs, std::vector<std::string>{"Widgets"});
  const store::ExecutionRecord refused = run(job_);
  EXPECT_NE(refused.message.find("METADATA_TYPE_CHANGED"), std::string::npos) << refused.message;
  // Back to double: valid again.
  sim_.addObject(kOriginal);
  EXPECT_TRUE(refresh().invalidJobs.empty());
}

// No explicit refresh: a run whose cached describe is older than metadataRefreshDays describes
// again and finds the field gone.
TEST_F(MetadataCacheTest, AgeBasedRefreshAtRunTimeFindsARenamedField) {
  ASSERT_EQ(run(job_).status, "Success");
  sim_.addObject(kRenamed);
  clock_->advance(hours(24 * 8));
  const store::ExecutionRecord stale = run(job_);
  EXPECT_EQ(stale.status, "Failed");
  EXPECT_NE(stale.message.find("METADATA_FIELD_MISSING"), std::string::npos) << stale.message;
  EXPECT_EQ(stale.apiCalls, 1) << "the describe only: found before the query";
  EXPECT_EQ(updates("metadata-invalid").size(), 1u);
  EXPECT_TRUE(jobs::MetadataRefresh::invalidity(*store_, job_).has_value());
}

}  // namespace
}  // namespace sfsync

namespace sfsync {
namespace {

// The cache is fresh, so the run does not describe: Salesforce refuses the query (INVALID_FIELD),
// the run describes again, names the field and marks the job.
TEST_F(MetadataCacheTest, InvalidFieldFromSalesforceIsExplainedAndMarked) {
  ASSERT_EQ(run(job_).status, "Success");
  sim_.addObject(kRenamed);
  const store::ExecutionRecord refused = run(job_);
  EXPECT_EQ(refused.status, "Failed");
  EXPECT_NE(refused.message.find("METADATA_FIELD_MISSING"), std::string::npos) << refused.message;
  EXPECT_NE(refused.message.find("Color__c"), std::string::npos) << refused.message;
  EXPECT_EQ(updates("metadata-invalid").size(), 1u);
  EXPECT_EQ(run(job_).apiCalls, 0);  // the next run fails at once
}

}  // namespace
}  // namespace sfsync

namespace sfsync {
namespace {

// A field that never existed (a typo) is not a metadata change: no mark, Salesforce's own
// INVALID_FIELD message stays the run's error.
TEST_F(MetadataCacheTest, AFieldThatNeverExistedIsNotMarked) {
  std::string typo = kJob;
  typo.replace(typo.find("\"Color__c\""), 10, "\"Colr__c\"");
  job_ = parse(typo);
  EXPECT_TRUE(refresh().changes.empty());
  EXPECT_TRUE(refresh().invalidJobs.empty());
  const store::ExecutionRecord failed = run(job_);
  EXPECT_EQ(failed.status, "Failed");
  EXPECT_NE(failed.message.find("INVALID_FIELD"), std::string::npos) << failed.message;
  EXPECT_TRUE(updates("metadata-invalid").empty());
}

}  // namespace
}  // namespace sfsync
