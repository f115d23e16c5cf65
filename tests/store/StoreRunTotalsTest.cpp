// Conformance: RunTotals - the store adds a finished execution to its job's / chain's and its
// connection's persisted totals exactly once (when the row first says finished), marks interrupted
// runs as Failed totals, and retention leaves the totals alone (they back /metrics' counters).
#include <gtest/gtest.h>

#include "sfsync/store/RunTotals.h"
#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

class StoreRunTotalsTest : public StoreTest {
 protected:
  ExecutionRecord run(const std::string& id, const std::string& status, const std::string& start,
                      const std::string& end) {
    ExecutionRecord r;
    r.executionId = id;
    r.kind = "job";
    r.name = "Company Sync";
    r.connection = "Production";
    r.status = status;
    r.startTime = start;
    r.endTime = end;
    r.recordsRead = 100;
    r.created = 10;
    r.updated = 85;
    r.failed = 5;
    r.apiCalls = 7;
    r.apiRemaining = 14000;
    return r;
  }

  RunTotals totals(const std::string& kind, const std::string& name) {
    Result<std::optional<std::string>> stored = store().getState(runTotalsKey(kind, name));
    EXPECT_TRUE(stored.ok() && stored->has_value()) << kind << " " << name;
    if (!stored.ok() || !stored->has_value()) return {};
    Result<RunTotals> parsed = RunTotals::fromJson(**stored);
    EXPECT_TRUE(parsed.ok()) << parsed.status().toString();
    return parsed.ok() ? *parsed : RunTotals{};
  }
};

TEST_P(StoreRunTotalsTest, AFinishedRunCountsOnceHoweverOftenItIsSaved) {
  ExecutionRecord r = run("e1", "Running", "2026-03-01T02:00:00.000Z", "");
  ASSERT_TRUE(store().saveExecution(r).ok());
  ASSERT_TRUE(store().saveExecution(r).ok());  // progress saves of the running row
  EXPECT_FALSE(store().getState(runTotalsKey("job", "Company Sync")).value().has_value());
  r.status = "Partial Success";
  r.endTime = "2026-03-01T02:04:00.000Z";
  ASSERT_TRUE(store().saveExecution(r).ok());
  r.message = "a follow-up save of the finished row";
  ASSERT_TRUE(store().saveExecution(r).ok());

  const RunTotals job = totals("job", "Company Sync");
  EXPECT_EQ(job.runs, (std::map<std::string, std::int64_t>{{"Partial Success", 1}}));
  EXPECT_EQ(job.records[0], 100);  // read
  EXPECT_EQ(job.records[4], 5);    // failed
  EXPECT_EQ(job.apiCalls, 7);
  EXPECT_EQ(job.lastPartialSuccess, "2026-03-01T02:04:00.000Z");
  EXPECT_EQ(job.lastSuccess, "");
  EXPECT_EQ(job.durationMillis, 240000);
  const RunTotals connection = totals("connection", "Production");
  EXPECT_EQ(connection.apiCalls, 7);
  EXPECT_EQ(connection.apiRemaining, 14000);
}

TEST_P(StoreRunTotalsTest, TotalsSurviveRetention) {
  for (int day = 1; day <= 5; ++day) {
    const std::string d = "2026-01-0" + std::to_string(day);
    ASSERT_TRUE(store()
                    .saveExecution(run("e" + std::to_string(day), day == 3 ? "Failed" : "Success",
                                       d + "T02:00:00.000Z", d + "T02:00:30.000Z"))
                    .ok());
  }
  const RunTotals before = totals("job", "Company Sync");
  ASSERT_TRUE(store().pruneExecutions("2026-02-01T00:00:00.000Z").ok());
  ASSERT_EQ(store().listExecutions({}).value().size(), 1u);  // only the newest row is left
  reopen();
  const RunTotals after = totals("job", "Company Sync");
  EXPECT_EQ(after.runs, (std::map<std::string, std::int64_t>{{"Failed", 1}, {"Success", 4}}));
  EXPECT_EQ(after.records, before.records);
  EXPECT_EQ(after.records[0], 500);
  EXPECT_EQ(after.lastSuccess, "2026-01-05T02:00:30.000Z");
  EXPECT_EQ(after.durationBuckets, before.durationBuckets);
}

TEST_P(StoreRunTotalsTest, AnInterruptedRunCountsAsFailed) {
  ASSERT_TRUE(store().saveExecution(run("e1", "Running", "2026-03-01T02:00:00.000Z", "")).ok());
  reopen();  // the process that ran it is gone
  ASSERT_EQ(store().failInterruptedExecutions("2026-03-01T03:00:00.000Z", "interrupted").value(),
            1);
  const RunTotals job = totals("job", "Company Sync");
  EXPECT_EQ(job.runs, (std::map<std::string, std::int64_t>{{"Failed", 1}}));
  EXPECT_EQ(job.durationMillis, 3600000);
  ASSERT_EQ(store().failInterruptedExecutions("2026-03-01T04:00:00.000Z", "again").value(), 0);
  EXPECT_EQ(totals("job", "Company Sync").runs.at("Failed"), 1);
}

TEST_P(StoreRunTotalsTest, ARolledBackSaveAddsNothing) {
  Status s = store().transaction([&]() -> Status {
    Status saved = store().saveExecution(
        run("e1", "Success", "2026-03-01T02:00:00.000Z", "2026-03-01T02:00:01.000Z"));
    if (!saved.ok()) return saved;
    return Status::Internal("abort");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(store().getState(runTotalsKey("job", "Company Sync")).value().has_value());
}

TEST(RunTotalsTest, DurationBucketsAreUpperInclusive) {
  RunTotals t;
  ExecutionRecord r;
  r.status = "Success";
  r.startTime = "2026-03-01T00:00:00.000Z";
  for (const char* end :
       {"2026-03-01T00:00:00.500Z", "2026-03-01T00:00:01.000Z", "2026-03-01T00:00:01.001Z",
        "2026-03-01T00:05:00.000Z", "2026-03-02T00:00:00.000Z"}) {
    r.endTime = end;
    t.addExecution(r);
  }
  r.status = "Skipped";  // no times: a run, but no duration
  r.startTime.clear();
  r.endTime.clear();
  t.addExecution(r);
  // Bounds 1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 21600, +Inf (non-cumulative per bucket).
  EXPECT_EQ(t.durationBuckets, (std::array<std::int64_t, 11>{2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(t.durationMillis, 500 + 1000 + 1001 + 300000 + 86400000);
  EXPECT_EQ(t.runs.at("Success"), 5);
  EXPECT_EQ(t.runs.at("Skipped"), 1);
  Result<RunTotals> back = RunTotals::fromJson(t.toJson());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->durationBuckets, t.durationBuckets);
  EXPECT_EQ(back->runs, t.runs);
  EXPECT_FALSE(RunTotals::fromJson("{not json").ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreRunTotalsTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
