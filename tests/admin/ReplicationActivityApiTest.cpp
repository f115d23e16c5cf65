// Replication fields of an execution in the admin API (issue 10): mode, api, cursor, cursorEnd,
// deleted, apiCalls, apiRemaining on /api/activity and /api/activity/{id}; the Deferred status as a
// filter value and in /metrics, with the deleted records.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "admin/AdminServerFixture.h"

namespace sfsync::admin::testing {
namespace {

using Poco::JSON::Object;

class ReplicationActivityApiTest : public AdminServerFixture {
 protected:
  store::ExecutionRecord deferredRun() {
    store::ExecutionRecord r;
    r.executionId = "0195f999-0000-7000-8000-000000000001";
    r.kind = "job";
    r.name = "Account Replica";
    r.connection = "Production";
    r.trigger = "schedule";
    r.status = store::kStatusDeferred;
    r.startTime = "2026-03-09T01:00:00.000Z";
    r.endTime = "2026-03-09T01:02:00.000Z";
    r.recordsRead = 250000;
    r.updated = 250000;
    r.apiCalls = 42;
    r.message = "API budget exhausted (90% of 15000); resumes from the checkpoint";
    r.mode = "incremental";
    r.api = "bulk";
    r.cursor = "2026-03-08T01:00:00.000Z|001000000000001AAA";
    r.cursorEnd = "2026-03-08T23:59:59.000Z|001000000000777AAA";
    r.deleted = 12;
    r.apiRemaining = 1500;
    return r;
  }
};

TEST_F(ReplicationActivityApiTest, ExecutionShowsTheReplicationFields) {
  const store::ExecutionRecord r = deferredRun();
  ASSERT_TRUE(store_->saveExecution(r).ok());
  Object::Ptr row = getJson("/api/activity/" + r.executionId)->getObject("execution");
  ASSERT_FALSE(row.isNull());
  EXPECT_EQ(row->getValue<std::string>("status"), "Deferred");
  EXPECT_EQ(row->getValue<std::string>("mode"), "incremental");
  EXPECT_EQ(row->getValue<std::string>("api"), "bulk");
  EXPECT_EQ(row->getValue<std::string>("cursor"), r.cursor);
  EXPECT_EQ(row->getValue<std::string>("cursorEnd"), r.cursorEnd);
  EXPECT_EQ(row->getValue<std::int64_t>("deleted"), 12);
  EXPECT_EQ(row->getValue<std::int64_t>("apiCalls"), 42);
  EXPECT_EQ(row->getValue<std::int64_t>("apiRemaining"), 1500);
}

TEST_F(ReplicationActivityApiTest, UnknownValuesAreNull) {
  // A run saved before the replication fields existed (or a chain): nothing known.
  Object::Ptr row =
      getJson("/api/activity/" + seeded_.newestChain.executionId)->getObject("execution");
  EXPECT_TRUE(row->isNull("mode"));
  EXPECT_TRUE(row->isNull("api"));
  EXPECT_TRUE(row->isNull("cursorEnd"));
  EXPECT_EQ(row->getValue<std::int64_t>("deleted"), 0);
  ASSERT_TRUE(row->has("apiRemaining"));
  EXPECT_TRUE(row->isNull("apiRemaining"));
}

TEST_F(ReplicationActivityApiTest, DeferredIsAStatusFilterValue) {
  const store::ExecutionRecord& r = seeded_.deferred;  // the only Deferred run
  for (const char* status : {"Deferred", "deferred"}) {
    Object::Ptr page = getJson(std::string("/api/activity?status=") + status);
    ASSERT_EQ(page->getArray("executions")->size(), 1u) << status;
    EXPECT_EQ(page->getArray("executions")->getObject(0)->getValue<std::string>("executionId"),
              r.executionId);
  }
  HttpReply bad = get("/api/activity?status=Postponed");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("Deferred"), std::string::npos) << bad.body;
}

TEST_F(ReplicationActivityApiTest, MetricsCountDeferredRuns) {
  ASSERT_TRUE(store_->saveExecution(deferredRun()).ok());  // a second one (the seeded is on day 7)
  HttpReply reply = get("/metrics");
  ASSERT_EQ(reply.status, 200);
  std::set<std::string> lines;
  std::istringstream in(reply.body);
  for (std::string line; std::getline(in, line);) lines.insert(line);
  EXPECT_EQ(
      lines.count("sfsync_runs_total{kind=\"job\",name=\"Account Replica\",status=\"Deferred\"} 2"),
      1u)
      << reply.body;
  EXPECT_EQ(lines.count("sfsync_records_total{job=\"Account Replica\",outcome=\"deleted\"} 24"), 1u)
      << reply.body;
}

}  // namespace
}  // namespace sfsync::admin::testing
