// Issue 18: the real-time jobs' live numbers through the admin API - GET /api/realtime (viewer
// role), the "realtime" member of a job's JSON, and /metrics (events applied, lag, state,
// reconnects, catch-ups per real-time job).
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "admin/AdminServerFixture.h"

namespace sfsync::admin::testing {
namespace {

constexpr const char* kViewerToken = "viewer-token-0123456789abcdef";

std::set<std::string> lines(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.insert(line);
  return out;
}

RealtimeStats companyStats() {
  RealtimeStats s;
  s.job = "Company Sync";
  s.connection = "Production";
  s.topic = "/data/AccountChangeEvent";
  s.state = "connected";
  s.events = 1234;
  s.records = 1300;
  s.reconnects = 2;
  s.catchUps = 1;
  s.lagP50Ms = 150;
  s.lagP99Ms = 1250;
  s.lastLagMs = 90;
  s.eventsPerSecond = 12.5;
  s.lastEventMs = 1772928000000LL;  // 2026-03-08T00:00:00Z
  s.lastReplayId = "00000000000004d2";
  s.lastReplayStoredMs = 1772928000500LL;
  s.hourExecutionId = "hour-1";
  s.hourStart = "2026-03-08T00:00:00.000Z";
  s.hourRead = 700;
  s.hourCreated = 300;
  s.hourUpdated = 390;
  s.hourDeleted = 10;
  s.hourFailed = 1;
  return s;
}

class RealtimeApiTest : public AdminServerFixture {
 protected:
  void SetUp() override {
    AdminServerFixture::SetUp();
    AdminOptions options;
    options.tokens.push_back({"viewer", hashAdminToken(kViewerToken), "viewer"});
    startServer(options);
  }
};

TEST_F(RealtimeApiTest, NoRealtimeJobsIsAnEmptyList) {
  Poco::JSON::Object::Ptr body = getJson("/api/realtime");
  EXPECT_EQ(body->getArray("jobs")->size(), 0u);
  Poco::JSON::Object::Ptr job = getJson("/api/jobs/Company%20Sync")->getObject("job");
  EXPECT_FALSE(job->has("realtime"));
}

TEST_F(RealtimeApiTest, ListsEachRealtimeJobForAViewer) {
  control_.setRealtime({companyStats()});
  HttpReply reply = get("/api/realtime", kViewerToken);
  ASSERT_EQ(reply.status, 200) << reply.body;
  Poco::JSON::Array::Ptr jobs = parseObject(reply.body)->getArray("jobs");
  ASSERT_EQ(jobs->size(), 1u);
  Poco::JSON::Object::Ptr j = jobs->getObject(0);
  EXPECT_EQ(j->getValue<std::string>("job"), "Company Sync");
  EXPECT_EQ(j->getValue<std::string>("state"), "connected");
  EXPECT_EQ(j->getValue<std::string>("topic"), "/data/AccountChangeEvent");
  EXPECT_EQ(j->getValue<std::string>("lastEventTime"), "2026-03-08T00:00:00.000Z");
  EXPECT_EQ(j->getValue<std::int64_t>("lagP50Ms"), 150);
  EXPECT_EQ(j->getValue<std::int64_t>("lagP99Ms"), 1250);
  EXPECT_DOUBLE_EQ(j->getValue<double>("eventsPerSecond"), 12.5);
  EXPECT_EQ(j->getValue<std::int64_t>("events"), 1234);
  EXPECT_EQ(j->getValue<std::string>("lastReplayId"), "00000000000004d2");
  EXPECT_EQ(j->getValue<std::string>("lastReplayStoredAt"), "2026-03-08T00:00:00.500Z");
  Poco::JSON::Object::Ptr hour = j->getObject("hour");
  EXPECT_EQ(hour->getValue<std::string>("executionId"), "hour-1");
  EXPECT_EQ(hour->getValue<std::int64_t>("created"), 300);
  EXPECT_EQ(hour->getValue<std::int64_t>("updated"), 390);
  EXPECT_EQ(hour->getValue<std::int64_t>("deleted"), 10);
  EXPECT_EQ(hour->getValue<std::int64_t>("failed"), 1);
  EXPECT_TRUE(j->isNull("lastError"));
  // Only GET.
  EXPECT_EQ(post("/api/realtime").status, 405);
  EXPECT_EQ(get("/api/realtime?x=1").status, 400);
}

TEST_F(RealtimeApiTest, AJobsJsonCarriesItsRealtimeNumbers) {
  control_.setRealtime({companyStats()});
  Poco::JSON::Object::Ptr job = getJson("/api/jobs/Company%20Sync")->getObject("job");
  ASSERT_TRUE(job->has("realtime"));
  EXPECT_EQ(job->getObject("realtime")->getValue<std::int64_t>("lagP99Ms"), 1250);
  Poco::JSON::Array::Ptr list = getJson("/api/jobs")->getArray("jobs");
  int withRealtime = 0;
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (list->getObject(i)->has("realtime")) {
      ++withRealtime;
      EXPECT_EQ(list->getObject(i)->getValue<std::string>("name"), "Company Sync");
    }
  }
  EXPECT_EQ(withRealtime, 1);
}

TEST_F(RealtimeApiTest, MetricsExportLagEventsAndState) {
  control_.setRealtime({companyStats()});
  HttpReply reply = get("/metrics", kViewerToken);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::set<std::string> got = lines(reply.body);
  for (const char* expected : {
           "# TYPE sfsync_realtime_events_total counter",
           "sfsync_realtime_events_total{job=\"Company Sync\"} 1234",
           "sfsync_realtime_records_total{job=\"Company Sync\"} 1300",
           "# TYPE sfsync_realtime_lag_seconds gauge",
           "sfsync_realtime_lag_seconds{job=\"Company Sync\",quantile=\"0.5\"} 0.150",
           "sfsync_realtime_lag_seconds{job=\"Company Sync\",quantile=\"0.99\"} 1.250",
           "sfsync_realtime_lag_seconds{job=\"Company Sync\",quantile=\"last\"} 0.090",
           "sfsync_realtime_state{job=\"Company Sync\",state=\"connected\"} 1",
           "sfsync_realtime_state{job=\"Company Sync\",state=\"reconnecting\"} 0",
           "sfsync_realtime_reconnects_total{job=\"Company Sync\"} 2",
           "sfsync_realtime_catch_ups_total{job=\"Company Sync\"} 1",
           "sfsync_realtime_last_event_timestamp_seconds{job=\"Company Sync\"} 1772928000.000",
       }) {
    EXPECT_EQ(got.count(expected), 1u) << expected << "\n" << reply.body;
  }
}

}  // namespace
}  // namespace sfsync::admin::testing
