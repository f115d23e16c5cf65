// Issue 16: GET /api/{jobs|chains}/{name}/history (the page's history chart) and /metrics as
// Prometheus counters that survive retention, the run-duration histogram, Success and Partial
// Success timestamps, running / paused gauges and API calls per connection; the update rows'
// line counts.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "admin/ActivityJson.h"
#include "admin/AdminServerFixture.h"

namespace sfsync::admin::testing {
namespace {

std::set<std::string> lines(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.insert(line);
  return out;
}

using HistoryApiTest = AdminServerFixture;

TEST_F(HistoryApiTest, AJobsNewestRunsWithTheSuccessRate) {
  Poco::JSON::Object::Ptr body = getJson("/api/jobs/Company%20Sync/history?limit=5");
  EXPECT_EQ(body->getValue<std::string>("kind"), "job");
  EXPECT_EQ(body->getValue<std::string>("name"), "Company Sync");
  EXPECT_EQ(body->getValue<int>("limit"), 5);
  Poco::JSON::Array::Ptr runs = body->getArray("runs");
  ASSERT_EQ(runs->size(), 5u);
  // Newest first: nights 8, 7, 6, 5, 4 - Partial, Success, Partial, Success, Partial.
  Poco::JSON::Object::Ptr newest = runs->getObject(0);
  EXPECT_EQ(newest->getValue<std::string>("executionId"), seeded_.partialWithErrors.executionId);
  EXPECT_EQ(newest->getValue<std::string>("status"), "Partial Success");
  EXPECT_EQ(newest->getValue<std::int64_t>("durationMs"), 298250);
  EXPECT_EQ(newest->getValue<std::int64_t>("recordsRead"), 500);
  EXPECT_EQ(newest->getValue<std::int64_t>("succeeded"), 497);
  EXPECT_EQ(newest->getValue<std::int64_t>("failed"), 3);
  EXPECT_EQ(runs->getObject(1)->getValue<std::string>("status"), "Success");
  EXPECT_EQ(body->getValue<int>("finished"), 5);
  EXPECT_DOUBLE_EQ(body->getValue<double>("successRate"), 0.4);

  // Default limit 30: all eight nights; night 3 failed.
  Poco::JSON::Object::Ptr all = getJson("/api/jobs/Company%20Sync/history");
  EXPECT_EQ(all->getValue<int>("limit"), 30);
  EXPECT_EQ(all->getArray("runs")->size(), 8u);
  EXPECT_DOUBLE_EQ(all->getValue<double>("successRate"), 3.0 / 8.0);
}

TEST_F(HistoryApiTest, AChainsRunsAndARunningJob) {
  Poco::JSON::Object::Ptr chain = getJson("/api/chains/Nightly/history?limit=100");
  Poco::JSON::Array::Ptr runs = chain->getArray("runs");
  ASSERT_EQ(runs->size(), 8u);  // the chain's own rows, not its job runs
  EXPECT_EQ(runs->getObject(0)->getValue<std::string>("executionId"),
            seeded_.newestChain.executionId);
  EXPECT_EQ(runs->getObject(0)->getValue<std::int64_t>("durationMs"), 570000);

  // Renewal Sync: the running row has no end and no duration and is not in the rate.
  Poco::JSON::Object::Ptr renewal = getJson("/api/jobs/Renewal%20Sync/history?limit=3");
  Poco::JSON::Object::Ptr running = renewal->getArray("runs")->getObject(0);
  EXPECT_EQ(running->getValue<std::string>("status"), "Running");
  EXPECT_TRUE(running->isNull("endTime"));
  EXPECT_TRUE(running->isNull("durationMs"));
  EXPECT_EQ(renewal->getValue<int>("finished"), 2);
  EXPECT_DOUBLE_EQ(renewal->getValue<double>("successRate"), 1.0);
}

TEST_F(HistoryApiTest, BadRequests) {
  EXPECT_EQ(get("/api/jobs/Nope/history").status, 404);
  EXPECT_EQ(get("/api/chains/Company%20Sync/history").status, 404);  // a job, not a chain
  for (const char* limit : {"0", "101", "x", "", "1000"}) {
    HttpReply reply = get(std::string("/api/jobs/Company%20Sync/history?limit=") + limit);
    EXPECT_EQ(reply.status, 400) << limit << ": " << reply.body;
  }
  EXPECT_EQ(get("/api/jobs/Company%20Sync/history?since=x").status, 400);
  EXPECT_EQ(post("/api/jobs/Company%20Sync/history").status, 405);
  EXPECT_EQ(get("/api/jobs/Company%20Sync/history", "wrong-token").status, 401);
}

using MetricsCountersTest = AdminServerFixture;

TEST_F(MetricsCountersTest, CountersHistogramAndGauges) {
  HttpReply reply = get("/metrics");
  ASSERT_EQ(reply.status, 200);
  const std::set<std::string> text = lines(reply.body);
  for (const char* expected : {
           "# TYPE sfsync_runs_total counter",
           "sfsync_runs_total{kind=\"chain\",name=\"Nightly\",status=\"Success\"} 3",
           "sfsync_runs_total{kind=\"chain\",name=\"Nightly\",status=\"Partial Success\"} 4",
           "sfsync_runs_total{kind=\"chain\",name=\"Nightly\",status=\"Failed\"} 1",
           "sfsync_runs_total{kind=\"job\",name=\"Person Sync\",status=\"Skipped\"} 1",
           // The running row of night 8 is not finished: 6 Success + 1 Failed.
           "sfsync_runs_total{kind=\"job\",name=\"Renewal Sync\",status=\"Success\"} 6",
           "sfsync_runs_total{kind=\"job\",name=\"Renewal Sync\",status=\"Failed\"} 1",
           "# TYPE sfsync_records_total counter",
           "sfsync_records_total{job=\"Company Sync\",outcome=\"read\"} 4000",
           "sfsync_records_total{job=\"Company Sync\",outcome=\"failed\"} 12",
           "sfsync_records_total{job=\"Person Sync\",outcome=\"skipped\"} 539",
           "sfsync_records_total{job=\"Account Replica\",outcome=\"deleted\"} 12",
           "# TYPE sfsync_last_success_timestamp_seconds gauge",
           "sfsync_last_success_timestamp_seconds{kind=\"chain\",name=\"Nightly\"} 1772849370.000",
           "sfsync_last_success_timestamp_seconds{kind=\"job\",name=\"Renewal Sync\"} "
           "1772877642.500",
           "# TYPE sfsync_last_partial_success_timestamp_seconds gauge",
           "sfsync_last_partial_success_timestamp_seconds{kind=\"chain\",name=\"Nightly\"} "
           "1772935770.000",
           "# TYPE sfsync_run_duration_seconds histogram",
           // Nightly runs 570 s: above 300, within 900.
           "sfsync_run_duration_seconds_bucket{kind=\"chain\",name=\"Nightly\",le=\"300\"} 0",
           "sfsync_run_duration_seconds_bucket{kind=\"chain\",name=\"Nightly\",le=\"900\"} 8",
           "sfsync_run_duration_seconds_bucket{kind=\"chain\",name=\"Nightly\",le=\"+Inf\"} 8",
           "sfsync_run_duration_seconds_sum{kind=\"chain\",name=\"Nightly\"} 4560.000",
           "sfsync_run_duration_seconds_count{kind=\"chain\",name=\"Nightly\"} 8",
           // Renewal Sync 42.5 s.
           "sfsync_run_duration_seconds_bucket{kind=\"job\",name=\"Renewal Sync\",le=\"15\"} 0",
           "sfsync_run_duration_seconds_bucket{kind=\"job\",name=\"Renewal Sync\",le=\"60\"} 7",
           "# TYPE sfsync_api_calls_total counter",
           "sfsync_api_calls_total{connection=\"Sandbox\"} 21",
           "# TYPE sfsync_running gauge",
           "sfsync_running{kind=\"job\",name=\"Renewal Sync\"} 1",
           "sfsync_running{kind=\"chain\",name=\"Nightly\"} 0",
           "# TYPE sfsync_paused gauge",
           "sfsync_paused{kind=\"job\",name=\"Company Sync\"} 0",
           "sfsync_paused{kind=\"connection\",name=\"Sandbox\"} 0",
       }) {
    EXPECT_TRUE(text.count(expected)) << "missing: " << expected << "\n" << reply.body;
  }
  // Every counter ends in _total, every sample is "name{labels} value", HELP precedes TYPE.
  for (const std::string& line : text) {
    if (line.rfind("# TYPE ", 0) == 0 && line.find(" counter") != std::string::npos) {
      EXPECT_NE(line.find("_total counter"), std::string::npos) << line;
    }
    if (line.empty() || line[0] == '#') continue;
    EXPECT_NE(line.find("} "), std::string::npos) << line;
  }
}

TEST_F(MetricsCountersTest, CountersSurviveRetentionAndPauseShows) {
  const std::string before = get("/metrics").body;
  // Retention removes every row but the newest of each job and chain.
  Result<std::vector<std::string>> pruned = store_->pruneExecutions("2026-03-09T00:00:00.000Z");
  ASSERT_TRUE(pruned.ok());
  store::ExecutionQuery all;
  all.limit = 0;
  ASSERT_LT(store_->listExecutions(all).value().size(), 10u);
  EXPECT_EQ(get("/metrics").body, before);

  ASSERT_EQ(post("/api/jobs/Company%20Sync/pause").status, 200);
  EXPECT_EQ(
      lines(get("/metrics").body).count("sfsync_paused{kind=\"job\",name=\"Company Sync\"} 1"), 1u);
  // A later run adds to the counters kept across retention.
  store::ExecutionRecord next = seeded_.newestChain;
  next.executionId = "0195f000-0000-7000-8000-999999999999";
  next.startTime = "2026-03-09T02:00:00.000Z";
  next.endTime = "2026-03-09T02:00:10.000Z";
  next.status = "Success";
  ASSERT_TRUE(store_->saveExecution(next).ok());
  const std::set<std::string> after = lines(get("/metrics").body);
  EXPECT_EQ(after.count("sfsync_runs_total{kind=\"chain\",name=\"Nightly\",status=\"Success\"} 4"),
            1u);
  EXPECT_EQ(after.count(
                "sfsync_run_duration_seconds_bucket{kind=\"chain\",name=\"Nightly\",le=\"15\"} 1"),
            1u);
}

TEST(UpdateLineCountsTest, CountsChangedLinesNotTheTrailingNewline) {
  EXPECT_EQ(diffLineCounts("-   \"target\": \"A\",\n+   \"target\": \"B\",\n"),
            (std::pair<std::int64_t, std::int64_t>{1, 1}));
  EXPECT_EQ(diffLineCounts("+ {\n+   \"name\": \"X\"\n+ }\n"),
            (std::pair<std::int64_t, std::int64_t>{0, 3}));
  EXPECT_EQ(diffLineCounts("~ file replaced: 1200 lines before, 900 lines after (too different)"),
            (std::pair<std::int64_t, std::int64_t>{1200, 900}));
  EXPECT_EQ(
      diffLineCounts("- a\n~ diff truncated: 4000 lines removed and 10 lines added in total\n"),
      (std::pair<std::int64_t, std::int64_t>{4000, 10}));
  EXPECT_EQ(diffLineCounts("job 'X' paused through the admin API"),
            (std::pair<std::int64_t, std::int64_t>{0, 0}));
}

}  // namespace
}  // namespace sfsync::admin::testing
