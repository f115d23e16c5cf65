// Conformance: pruneExecutions - deletes execution and update rows older than the bound, except
// the newest execution of each (kind, name) and the job runs of such a chain execution, and
// returns the deleted runs' error and success files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

using ::testing::UnorderedElementsAre;

constexpr char kBound[] = "2026-02-01T00:00:00.000Z";

class StoreRetentionTest : public StoreTest {
 protected:
  void save(const std::string& id, const std::string& kind, const std::string& name,
            const std::string& start, const std::string& parent = "") {
    ExecutionRecord r;
    r.executionId = id;
    r.kind = kind;
    r.name = name;
    r.startTime = start;
    r.parentId = parent;
    r.status = "Success";
    r.errorFile = "/err/" + id + ".csv";
    if (id != "old-b") r.successFile = "/ok/" + id + ".csv";
    ASSERT_TRUE(store().saveExecution(r).ok());
  }

  std::vector<std::string> remainingIds() {
    Result<std::vector<ExecutionRecord>> listed = store().listExecutions({});
    EXPECT_TRUE(listed.ok());
    std::vector<std::string> out;
    if (listed.ok()) {
      for (const ExecutionRecord& r : *listed) out.push_back(r.executionId);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

TEST_P(StoreRetentionTest, KeepsTheNewestExecutionOfEachJobAndChain) {
  // Job A: every run older than the bound - the newest survives.
  save("a1", "job", "A", "2026-01-01T00:00:00.000Z");
  save("a2", "job", "A", "2026-01-03T00:00:00.000Z");
  save("a3", "job", "A", "2026-01-02T00:00:00.000Z");
  // Job B: an old run and a new one - the old one goes.
  save("old-b", "job", "B", "2026-01-05T00:00:00.000Z");
  save("new-b", "job", "B", "2026-02-05T00:00:00.000Z");
  // Chain C (same name as a job, another kind): its newest run is old; its job runs stay with it,
  // even those that are not the newest run of their job. The older chain run goes with its child.
  save("c1", "chain", "A", "2026-01-10T00:00:00.000Z");
  save("c1-b", "job", "B", "2026-01-10T00:00:01.000Z", "c1");
  save("c0", "chain", "A", "2026-01-09T00:00:00.000Z");
  save("c0-b", "job", "B", "2026-01-09T00:00:01.000Z", "c0");
  // Exactly at the bound: not older.
  save("edge", "job", "E", kBound);
  save("edge-0", "job", "E", "2026-01-31T23:59:59.999Z");

  Result<std::vector<std::string>> files = store().pruneExecutions(kBound);
  ASSERT_TRUE(files.ok()) << files.status().toString();
  EXPECT_THAT(*files,
              UnorderedElementsAre("/err/a1.csv", "/ok/a1.csv", "/err/a3.csv", "/ok/a3.csv",
                                   "/err/old-b.csv", "/err/c0.csv", "/ok/c0.csv", "/err/c0-b.csv",
                                   "/ok/c0-b.csv", "/err/edge-0.csv", "/ok/edge-0.csv"));
  EXPECT_EQ(remainingIds(), (std::vector<std::string>{"a2", "c1", "c1-b", "edge", "new-b"}));

  // Idempotent.
  files = store().pruneExecutions(kBound);
  ASSERT_TRUE(files.ok());
  EXPECT_TRUE(files->empty());
  reopen();
  EXPECT_EQ(remainingIds(), (std::vector<std::string>{"a2", "c1", "c1-b", "edge", "new-b"}));
}

TEST_P(StoreRetentionTest, PrunesUpdateRowsOlderThanTheBound) {
  for (const char* time : {"2026-01-01T00:00:00.000Z", "2026-01-31T00:00:00.000Z", kBound,
                           "2026-03-01T00:00:00.000Z"}) {
    UpdateRecord u;
    u.time = time;
    u.kind = "job";
    u.name = "A";
    u.action = "edited";
    ASSERT_TRUE(store().saveUpdate(u).ok());
  }
  ASSERT_TRUE(store().pruneExecutions(kBound).ok());
  Result<std::vector<UpdateRecord>> left = store().listUpdates(0, "");
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 2u);
  EXPECT_EQ((*left)[0].time, "2026-03-01T00:00:00.000Z");
  EXPECT_EQ((*left)[1].time, kBound);
}

TEST_P(StoreRetentionTest, InsideARolledBackTransactionNothingIsPruned) {
  save("a1", "job", "A", "2026-01-01T00:00:00.000Z");
  save("a2", "job", "A", "2026-01-02T00:00:00.000Z");
  Status s = store().transaction([&] {
    Result<std::vector<std::string>> files = store().pruneExecutions(kBound);
    EXPECT_TRUE(files.ok());
    return Status::Internal("no");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(remainingIds(), (std::vector<std::string>{"a1", "a2"}));
}

TEST_P(StoreRetentionTest, EmptyBoundIsInvalid) {
  EXPECT_EQ(store().pruneExecutions("").status().code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreRetentionTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
