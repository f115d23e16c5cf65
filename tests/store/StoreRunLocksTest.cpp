// Liveness of unfinished execution rows: a store holds a lock for every row it saved as Running
// until it saves the row finished or is closed, and failInterruptedExecutions() marks Failed only
// the rows whose lock no live store holds - here two stores on one file stand for two processes
// (the lock is per open file, so this holds within one process as across processes; the
// cross-process case with kill -9 is tests/integration/InterruptedRunTest).
#include <gtest/gtest.h>

#include <Poco/File.h>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

class StoreRunLocksTest : public StoreTest {
 protected:
  static ExecutionRecord running(const std::string& id) {
    ExecutionRecord r;
    r.executionId = id;
    r.name = "Accounts";
    r.status = "Running";
    r.startTime = "2026-01-01T00:00:00.000Z";
    return r;
  }

  // A second store on the same data: another process, as far as the locks go.
  StorePtr other() {
    Result<StorePtr> opened = openBackend(GetParam(), dir_.path());
    EXPECT_TRUE(opened.ok()) << opened.status().toString();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  std::string status(Store& store, const std::string& id) {
    ExecutionQuery query;
    query.executionId = id;
    Result<std::vector<ExecutionRecord>> listed = store.listExecutions(query);
    EXPECT_TRUE(listed.ok() && listed->size() == 1u);
    return listed.ok() && !listed->empty() ? listed->front().status : "";
  }
};

TEST_P(StoreRunLocksTest, AnotherStoreDoesNotMarkALiveRun) {
  ASSERT_TRUE(store().saveExecution(running("live")).ok());
  StorePtr second = other();
  ASSERT_NE(second, nullptr);

  Result<int> marked = second->failInterruptedExecutions("2026-01-02T00:00:00.000Z", "interrupted");
  ASSERT_TRUE(marked.ok()) << marked.status().toString();
  EXPECT_EQ(*marked, 0);
  EXPECT_EQ(status(*second, "live"), "Running");
  // Its own store does not mark it either.
  ASSERT_TRUE(store().failInterruptedExecutions("2026-01-02T00:00:00.000Z", "x").ok());
  EXPECT_EQ(status(store(), "live"), "Running");
}

TEST_P(StoreRunLocksTest, ARunWhoseStoreClosedIsMarkedByTheNextStore) {
  ASSERT_TRUE(store().saveExecution(running("dead")).ok());
  StorePtr second = other();
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(second->saveExecution(running("alive")).ok());
  reopen();  // the first store's process is gone

  Result<int> marked = second->failInterruptedExecutions("2026-01-02T00:00:00.000Z", "interrupted");
  ASSERT_TRUE(marked.ok()) << marked.status().toString();
  EXPECT_EQ(*marked, 1);
  EXPECT_EQ(status(store(), "dead"), "Failed");
  EXPECT_EQ(status(store(), "alive"), "Running");
}

TEST_P(StoreRunLocksTest, FinishingARunReleasesItsLock) {
  ASSERT_TRUE(store().saveExecution(running("r")).ok());
  StorePtr second = other();
  ASSERT_NE(second, nullptr);
  // While it runs, nobody else may run the same execution.
  EXPECT_EQ(second->saveExecution(running("r")).code(), StatusCode::kUnavailable);

  ExecutionRecord done = running("r");
  done.status = "Success";
  done.endTime = "2026-01-01T00:01:00.000Z";
  ASSERT_TRUE(store().saveExecution(done).ok());
  EXPECT_FALSE(Poco::File(dir_.path() + "/data/sfsync.db-runs/r.lock").exists());
  // A retry of the same execution from another store may take it now.
  EXPECT_TRUE(second->saveExecution(running("r")).ok());
  Result<int> marked = store().failInterruptedExecutions("2026-01-02T00:00:00.000Z", "x");
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(*marked, 0);
}

TEST_P(StoreRunLocksTest, AWaitingRetryRowIsLiveToo) {
  ExecutionRecord waiting = running("w");
  waiting.status = "Retrying";
  ASSERT_TRUE(store().saveExecution(waiting).ok());
  StorePtr second = other();
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(second->failInterruptedExecutions("t", "interrupted").ok());
  EXPECT_EQ(status(*second, "w"), "Retrying");
  reopen();
  Result<int> marked = second->failInterruptedExecutions("t", "interrupted");
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(*marked, 1);
  EXPECT_EQ(status(*second, "w"), "Failed");
}

TEST_P(StoreRunLocksTest, IdsThatAreNoFileNamesStillGetTheirOwnLock) {
  for (const char* id : {"../x", "a/b", "a%2Fb", ".", ""}) {
    ExecutionRecord r = running(id);
    if (*id == '\0') {
      EXPECT_EQ(store().saveExecution(r).code(), StatusCode::kInvalidArgument);
      continue;
    }
    EXPECT_TRUE(store().saveExecution(r).ok()) << id;
  }
  StorePtr second = other();
  ASSERT_NE(second, nullptr);
  Result<int> marked = second->failInterruptedExecutions("t", "interrupted");
  ASSERT_TRUE(marked.ok()) << marked.status().toString();
  EXPECT_EQ(*marked, 0);
  EXPECT_FALSE(Poco::File(dir_.path() + "/x.lock").exists());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreRunLocksTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
