// Conformance: execution activity rows - save, replace, list filters and order, and marking runs
// interrupted by a crash as Failed.
#include <gtest/gtest.h>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

class StoreExecutionsTest : public StoreTest {
 protected:
  static ExecutionRecord record(std::string id, std::string name, std::string status,
                                std::string start, std::string parent = "") {
    ExecutionRecord r;
    r.executionId = std::move(id);
    r.name = std::move(name);
    r.status = std::move(status);
    r.startTime = std::move(start);
    r.parentId = std::move(parent);
    return r;
  }

  std::vector<std::string> ids(const ExecutionQuery& query) {
    Result<std::vector<ExecutionRecord>> listed = store().listExecutions(query);
    EXPECT_TRUE(listed.ok()) << listed.status().toString();
    std::vector<std::string> out;
    if (listed.ok()) {
      for (const ExecutionRecord& r : *listed) out.push_back(r.executionId);
    }
    return out;
  }
};

bool sameRecord(const ExecutionRecord& a, const ExecutionRecord& b) {
  return a.executionId == b.executionId && a.kind == b.kind && a.name == b.name &&
         a.parentId == b.parentId && a.connection == b.connection && a.trigger == b.trigger &&
         a.status == b.status && a.startTime == b.startTime && a.endTime == b.endTime &&
         a.recordsRead == b.recordsRead && a.created == b.created && a.updated == b.updated &&
         a.skipped == b.skipped && a.failed == b.failed && a.apiCalls == b.apiCalls &&
         a.errorFile == b.errorFile && a.message == b.message;
}

TEST_P(StoreExecutionsTest, EveryFieldRoundTripsAndSaveReplaces) {
  ExecutionRecord r;
  r.executionId = "e-1";
  r.kind = "chain";
  r.name = "Nightly \"Accounts\"";
  r.parentId = "p-0";
  r.connection = "prod";
  r.trigger = "schedule";
  r.status = "Running";
  r.startTime = "2026-11-23T10:30:00.000Z";
  r.recordsRead = 9000000000LL;
  r.created = 1;
  r.updated = 2;
  r.skipped = 3;
  r.failed = 4;
  r.apiCalls = 5;
  r.errorFile = "/var/lib/sfsync/errors/e-1.csv";
  r.message = "line1\nl\xC3\xAFne2";
  ASSERT_TRUE(store().saveExecution(r).ok());

  Result<std::vector<ExecutionRecord>> listed = store().listExecutions({});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(sameRecord((*listed)[0], r));

  r.status = "Partial Success";
  r.endTime = "2026-11-23T10:31:00.000Z";
  r.failed = 40;
  ASSERT_TRUE(store().saveExecution(r).ok());
  listed = store().listExecutions({});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(sameRecord((*listed)[0], r));

  reopen();
  listed = store().listExecutions({});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(sameRecord((*listed)[0], r));
}

TEST_P(StoreExecutionsTest, ListFiltersNewestFirstWithLimit) {
  ASSERT_TRUE(
      store().saveExecution(record("a", "jobA", "Success", "2026-01-01T00:00:00.000Z")).ok());
  ASSERT_TRUE(
      store().saveExecution(record("b", "jobB", "Failed", "2026-01-03T00:00:00.000Z")).ok());
  ASSERT_TRUE(
      store().saveExecution(record("c", "jobA", "Failed", "2026-01-02T00:00:00.000Z", "b")).ok());
  ASSERT_TRUE(
      store().saveExecution(record("d", "jobA", "Running", "2026-01-04T00:00:00.000Z", "b")).ok());

  using V = std::vector<std::string>;
  EXPECT_EQ(ids({}), (V{"d", "b", "c", "a"}));
  ExecutionQuery q;
  q.name = "jobA";
  EXPECT_EQ(ids(q), (V{"d", "c", "a"}));
  q.status = "Failed";
  EXPECT_EQ(ids(q), (V{"c"}));
  q = ExecutionQuery{};
  q.parentId = "b";
  EXPECT_EQ(ids(q), (V{"d", "c"}));
  q = ExecutionQuery{};
  q.executionId = "a";
  EXPECT_EQ(ids(q), (V{"a"}));
  q = ExecutionQuery{};
  q.limit = 2;
  EXPECT_EQ(ids(q), (V{"d", "b"}));
  q.name = "nobody";
  EXPECT_EQ(ids(q), V{});
}

TEST_P(StoreExecutionsTest, FailInterruptedMarksOnlyRunningRows) {
  ASSERT_TRUE(store().saveExecution(record("a", "j", "Running", "2026-01-01T00:00:00.000Z")).ok());
  ASSERT_TRUE(store().saveExecution(record("b", "j", "Success", "2026-01-02T00:00:00.000Z")).ok());
  ASSERT_TRUE(store().saveExecution(record("c", "j", "Running", "2026-01-03T00:00:00.000Z")).ok());

  Result<int> n = store().failInterruptedExecutions("2026-01-05T00:00:00.000Z", "interrupted");
  ASSERT_TRUE(n.ok()) << n.status().toString();
  EXPECT_EQ(*n, 2);

  Result<std::vector<ExecutionRecord>> listed = store().listExecutions({});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  for (const ExecutionRecord& r : *listed) {
    if (r.executionId == "b") {
      EXPECT_EQ(r.status, "Success");
      EXPECT_EQ(r.endTime, "");
    } else {
      EXPECT_EQ(r.status, "Failed");
      EXPECT_EQ(r.endTime, "2026-01-05T00:00:00.000Z");
      EXPECT_EQ(r.message, "interrupted");
    }
  }
  n = store().failInterruptedExecutions("x", "y");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
}

TEST_P(StoreExecutionsTest, RecordWithoutIdIsInvalid) {
  EXPECT_EQ(store().saveExecution(ExecutionRecord{}).code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreExecutionsTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
