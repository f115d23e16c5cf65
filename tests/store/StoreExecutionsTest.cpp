// Conformance: execution activity rows - save, replace, list filters and order, keyset pages that
// stay stable while rows are inserted, and marking runs interrupted by a crash as Failed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>

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
         a.errorFile == b.errorFile && a.message == b.message && a.warnings == b.warnings &&
         a.attempts == b.attempts && a.successFile == b.successFile && a.cursor == b.cursor &&
         a.chainName == b.chainName && a.retries == b.retries && a.targets == b.targets &&
         a.mode == b.mode && a.api == b.api && a.cursorEnd == b.cursorEnd &&
         a.deleted == b.deleted && a.apiRemaining == b.apiRemaining && a.rerunOf == b.rerunOf &&
         a.warningFile == b.warningFile && a.unchanged == b.unchanged;
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
  r.warnings = 6;
  r.attempts = 3;
  r.successFile = "/var/lib/sfsync/success/e-1.csv";
  r.cursor = "2026-11-22T00:00:00.000Z";
  r.chainName = "Nightly";
  r.retries = 7;
  r.targets = {{"Person", 10, 20, 30, 40, 15}, {"Company \"Person\"", 1, 0, 0, 9000000000LL}};
  r.unchanged = 9000000002LL;
  r.mode = "incremental";
  r.api = "bulk";
  r.cursorEnd = "2026-11-23T10:29:59.000Z";
  r.deleted = 9000000001LL;
  r.apiRemaining = 0;
  ASSERT_TRUE(store().saveExecution(r).ok());

  Result<std::vector<ExecutionRecord>> listed = store().listExecutions({});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(sameRecord((*listed)[0], r));

  r.status = "Partial Success";
  r.endTime = "2026-11-23T10:31:00.000Z";
  r.failed = 40;
  r.attempts = 4;  // a retry keeps the one row
  r.warnings = 7;
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

TEST_P(StoreExecutionsTest, NewFieldsDefault) {
  ASSERT_TRUE(store().saveExecution(record("a", "j", "Success", "2026-01-01T00:00:00.000Z")).ok());
  Result<std::vector<ExecutionRecord>> listed = store().listExecutions({});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  const ExecutionRecord& r = (*listed)[0];
  EXPECT_EQ(r.warnings, 0);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.successFile, "");
  EXPECT_EQ(r.cursor, "");
  EXPECT_EQ(r.chainName, "");
  EXPECT_EQ(r.mode, "");
  EXPECT_EQ(r.api, "");
  EXPECT_EQ(r.cursorEnd, "");
  EXPECT_EQ(r.deleted, 0);
  EXPECT_EQ(r.apiRemaining, -1);
}

TEST_P(StoreExecutionsTest, FiltersByConnectionKindAndStartTimeRange) {
  struct Entry {
    const char* id;
    const char* kind;
    const char* connection;
    const char* start;
  };
  const Entry entries[] = {
      {"a", "job", "prod", "2026-01-01T00:00:00.000Z"},
      {"b", "chain", "prod", "2026-01-02T00:00:00.000Z"},
      {"c", "job", "sandbox", "2026-01-02T12:00:00.000Z"},
      {"d", "job", "prod", "2026-01-03T00:00:00.000Z"},
  };
  for (const Entry& e : entries) {
    ExecutionRecord r = record(e.id, "n", "Success", e.start);
    r.kind = e.kind;
    r.connection = e.connection;
    ASSERT_TRUE(store().saveExecution(r).ok());
  }
  using V = std::vector<std::string>;
  ExecutionQuery q;
  q.connection = "prod";
  EXPECT_EQ(ids(q), (V{"d", "b", "a"}));
  q.kind = "job";
  EXPECT_EQ(ids(q), (V{"d", "a"}));
  q = ExecutionQuery{};
  q.kind = "chain";
  EXPECT_EQ(ids(q), (V{"b"}));
  // since is inclusive, until exclusive.
  q = ExecutionQuery{};
  q.since = "2026-01-02T00:00:00.000Z";
  EXPECT_EQ(ids(q), (V{"d", "c", "b"}));
  q.until = "2026-01-03T00:00:00.000Z";
  EXPECT_EQ(ids(q), (V{"c", "b"}));
  q.connection = "sandbox";
  EXPECT_EQ(ids(q), (V{"c"}));
  q = ExecutionQuery{};
  q.until = "2026-01-01T00:00:00.000Z";
  EXPECT_EQ(ids(q), V{});
}

TEST_P(StoreExecutionsTest, BeforeBoundsArePairsInNewestFirstOrder) {
  const char* t1 = "2026-01-01T00:00:00.000Z";
  const char* t2 = "2026-01-02T00:00:00.000Z";
  for (const auto& [id, start] : std::vector<std::pair<const char*, const char*>>{
           {"a", t1}, {"b", t1}, {"c", t2}, {"d", t2}, {"e", t2}}) {
    ASSERT_TRUE(store().saveExecution(record(id, "j", "Success", start)).ok());
  }
  using V = std::vector<std::string>;
  EXPECT_EQ(ids({}), (V{"e", "d", "c", "b", "a"}));
  ExecutionQuery q;
  q.beforeStartTime = t2;
  q.beforeExecutionId = "d";
  EXPECT_EQ(ids(q), (V{"c", "b", "a"}));
  q.limit = 2;
  EXPECT_EQ(ids(q), (V{"c", "b"}));
  // Without an id: strictly older than the time.
  q = ExecutionQuery{};
  q.beforeStartTime = t2;
  EXPECT_EQ(ids(q), (V{"b", "a"}));
  // An id alone cannot be placed in the order.
  q = ExecutionQuery{};
  q.beforeExecutionId = "d";
  EXPECT_EQ(store().listExecutions(q).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreExecutionsTest, KeysetPagesStayStableWhileRowsAreInserted) {
  // 50 rows over 13 start times (up to 4 rows share one), ids not in start-time order.
  auto time = [](int second) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "2026-03-01T10:00:%02d.000Z", second);
    return std::string(buf);
  };
  std::vector<std::pair<std::string, std::string>> original;  // (start, id)
  for (int i = 0; i < 50; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "e%02d", (i * 37) % 50);
    original.emplace_back(time(i / 4), id);
    ExecutionRecord r = record(id, "job" + std::to_string(i % 3), "Success", original.back().first);
    ASSERT_TRUE(store().saveExecution(r).ok());
  }
  std::vector<std::string> expected;
  std::sort(original.rbegin(), original.rend());
  for (const auto& entry : original) expected.push_back(entry.second);

  std::vector<std::string> seen;
  ExecutionQuery q;
  q.limit = 7;
  for (int page = 0; page < 20; ++page) {
    Result<std::vector<ExecutionRecord>> rows = store().listExecutions(q);
    ASSERT_TRUE(rows.ok()) << rows.status().toString();
    if (rows->empty()) break;
    for (const ExecutionRecord& r : *rows) seen.push_back(r.executionId);
    q.beforeStartTime = rows->back().startTime;
    q.beforeExecutionId = rows->back().executionId;
    // New runs arrive between pages: newer ones, and one sharing the cursor's start time but
    // ordered before it - none of them belongs to the pages still to come.
    for (int k = 0; k < 3; ++k) {
      const std::string id = "new-" + std::to_string(page) + "-" + std::to_string(k);
      ASSERT_TRUE(store().saveExecution(record(id, "job0", "Running", time(40 + page))).ok());
    }
    ASSERT_TRUE(store()
                    .saveExecution(
                        record("zz-" + std::to_string(page), "job1", "Running", q.beforeStartTime))
                    .ok());
  }
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 50u) << "a row was seen twice";
}

TEST_P(StoreExecutionsTest, FailInterruptedMarksOnlyRunningRows) {
  ASSERT_TRUE(store().saveExecution(record("a", "j", "Running", "2026-01-01T00:00:00.000Z")).ok());
  ASSERT_TRUE(store().saveExecution(record("b", "j", "Success", "2026-01-02T00:00:00.000Z")).ok());
  ASSERT_TRUE(store().saveExecution(record("c", "j", "Running", "2026-01-03T00:00:00.000Z")).ok());
  reopen();  // the store that ran them is gone: they were interrupted

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

TEST_P(StoreExecutionsTest, ChainFilterListsTheChainRunsAndTheJobRunsInside) {
  ExecutionRecord chain = record("c1", "Nightly", "Success", "2026-01-01T00:00:00.000Z");
  chain.kind = "chain";
  ExecutionRecord inside =
      record("j1", "Company Sync", "Success", "2026-01-01T00:00:01.000Z", "c1");
  inside.chainName = "Nightly";
  ExecutionRecord alone = record("j2", "Company Sync", "Success", "2026-01-02T00:00:00.000Z");
  ExecutionRecord jobNamedLikeChain =
      record("j3", "Nightly", "Success", "2026-01-03T00:00:00.000Z");
  for (const auto& r : {chain, inside, alone, jobNamedLikeChain}) {
    ASSERT_TRUE(store().saveExecution(r).ok());
  }
  ExecutionQuery query;
  query.chain = "Nightly";
  EXPECT_EQ(ids(query), (std::vector<std::string>{"j1", "c1"}));
  query.kind = "job";
  EXPECT_EQ(ids(query), (std::vector<std::string>{"j1"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreExecutionsTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
