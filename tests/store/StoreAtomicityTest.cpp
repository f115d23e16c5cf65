// Conformance: a request is all-or-nothing. A process killed mid-transaction (SIGKILL or _exit from
// a row hook, or SIGKILL from outside at an arbitrary point) leaves either the whole request or
// none of it - and likewise the whole of a Store::transaction() over two tables or none of it; a
// store-level I/O error mid-request rolls everything back and the store stays usable; concurrent
// callers are serialised. Children are forked with the parent's store closed, and exit with
// _exit().
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

using ::testing::HasSubstr;

// Rows K = first .. first+n-1 with V = `tag` and a padding column of `padBytes` characters.
UpsertRequest bulk(const std::string& table, std::int64_t first, std::int64_t n,
                   const std::string& tag, std::size_t padBytes = 16) {
  std::vector<std::vector<Value>> rows;
  rows.reserve(static_cast<std::size_t>(n));
  const std::string pad(padBytes, 'p');
  for (std::int64_t k = first; k < first + n; ++k)
    rows.push_back({integer(k), Value{tag}, Value{pad}});
  return request(table, {"K", "V", "Pad"}, {"K"}, std::move(rows));
}

TableSpec bulkSpec(const std::string& table) {
  return tableSpec(table, {col("K", ColumnType::kInteger), col("V"), col("Pad")});
}

// Child exit codes other than the expected kill.
constexpr int kChildOpenFailed = 90;
constexpr int kChildUpsertFailed = 91;
constexpr int kChildRequestReturned = 92;
constexpr int kChildExitedOnHook = 42;

class StoreAtomicityTest : public StoreTest {
 protected:
  // Closes this test's store, then forks a child that opens it and exits with `body(store, hooks)`.
  template <class Body>
  pid_t startChild(Body body) {
    store_.reset();
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
      Result<StorePtr> opened = openBackend(GetParam(), dir_.path());
      if (!opened.ok()) _exit(kChildOpenFailed);
      StorePtr child = std::move(opened).value();
      auto* hooks = dynamic_cast<StoreTestHooks*>(child.get());
      if (hooks == nullptr) _exit(kChildOpenFailed);
      _exit(body(*child, *hooks));
    }
    EXPECT_GT(pid, 0) << "fork failed";
    return pid;
  }

  // The child's wait status.
  static int waitChild(pid_t pid) {
    int status = 0;
    if (pid > 0) {
      EXPECT_EQ(waitpid(pid, &status, 0), pid);
    }
    return status;
  }

  // Every K with V == tag, in order.
  std::vector<std::int64_t> keysTagged(const std::string& table, const std::string& tag) {
    std::vector<std::int64_t> keys;
    for (const Row& r : selectOk(table, {"K"}, {{"V", Value{tag}}})) {
      keys.push_back(std::get<std::int64_t>(r[0]));
    }
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  std::vector<std::int64_t> allKeys(const std::string& table) {
    std::vector<std::int64_t> keys;
    for (const Row& r : selectOk(table, {"K"})) keys.push_back(std::get<std::int64_t>(r[0]));
    std::sort(keys.begin(), keys.end());
    return keys;
  }
};

std::vector<std::int64_t> range(std::int64_t first, std::int64_t n) {
  std::vector<std::int64_t> v;
  for (std::int64_t k = first; k < first + n; ++k) v.push_back(k);
  return v;
}

TEST_P(StoreAtomicityTest, ProcessKilledMidRequestLeavesNoneOfIt) {
  struct Mode {
    const char* name;
    bool sigkill;
    std::size_t padBytes;  // large rows push the open transaction's pages out of the page cache
  };
  const Mode modes[] = {{"sigkill", true, 64}, {"exit", false, 64}, {"sigkill-large", true, 40000}};
  for (const Mode& mode : modes) {
    SCOPED_TRACE(mode.name);
    const std::string table = std::string("Bulk ") + mode.name;
    ASSERT_TRUE(store().ensureTable(bulkSpec(table), {"K"}).ok());
    upsertOk(bulk(table, 0, 1000, "seed"));  // committed before the child runs

    const pid_t pid = startChild([&](Store& child, StoreTestHooks& hooks) {
      hooks.setAfterRowHookForTest([&](std::size_t row) {
        if (row != 1800) return;
        if (mode.sigkill) kill(getpid(), SIGKILL);
        _exit(kChildExitedOnHook);
      });
      // 500 updates of seeded rows, then 2,000 inserts; killed after row 1800.
      Result<std::vector<RowOutcome>> out =
          child.upsert(bulk(table, 500, 2500, "child", mode.padBytes));
      return out.ok() ? kChildRequestReturned : kChildUpsertFailed;
    });
    const int status = waitChild(pid);
    if (mode.sigkill) {
      ASSERT_TRUE(WIFSIGNALED(status)) << "child status " << status;
      EXPECT_EQ(WTERMSIG(status), SIGKILL);
    } else {
      ASSERT_TRUE(WIFEXITED(status)) << "child status " << status;
      EXPECT_EQ(WEXITSTATUS(status), kChildExitedOnHook);
    }

    reopen();
    EXPECT_EQ(countOf(table), 1000);
    EXPECT_EQ(keysTagged(table, "seed"), range(0, 1000));
    EXPECT_TRUE(keysTagged(table, "child").empty());
    // The store takes new writes after recovery.
    std::vector<RowOutcome> out = upsertOk(bulk(table, 999, 2, "after"));
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].action, RowAction::kUpdated);
    EXPECT_EQ(out[1].action, RowAction::kCreated);
  }
}

TEST_P(StoreAtomicityTest, ProcessKilledAtAnArbitraryPointKeepsWholeRequestsOnly) {
  constexpr std::int64_t kBatch = 300;
  constexpr std::int64_t kMaxRequests = 1000;
  // The child writes a byte to a pipe at (request, row); the parent SIGKILLs it when it reads the
  // byte, so the kill lands wherever the child has got to by then (mid-row, mid-commit, between
  // requests). Request r inserts K = r*kBatch .. r*kBatch + kBatch - 1.
  const std::pair<std::int64_t, std::size_t> signalPoints[] = {
      {0, 0}, {2, 150}, {4, 299}, {6, 299}};
  for (const auto& point : signalPoints) {
    // Plain locals, not structured bindings: C++17 lambdas cannot capture those.
    const std::int64_t signalRequest = point.first;
    const std::size_t signalRow = point.second;
    const std::string table =
        "Async" + std::to_string(signalRequest) + "_" + std::to_string(signalRow);
    SCOPED_TRACE(table);
    ASSERT_TRUE(store().ensureTable(bulkSpec(table), {"K"}).ok());
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = startChild([&](Store& child, StoreTestHooks& hooks) {
      close(fds[0]);
      std::int64_t current = 0;
      hooks.setAfterRowHookForTest([&](std::size_t row) {
        if (current == signalRequest && row == signalRow) {
          const char byte = 'k';
          if (write(fds[1], &byte, 1) != 1) _exit(kChildUpsertFailed);
        }
      });
      for (current = 0; current < kMaxRequests; ++current) {
        if (!child.upsert(bulk(table, current * kBatch, kBatch, "r")).ok()) {
          return kChildUpsertFailed;
        }
      }
      return 0;
    });
    close(fds[1]);
    char byte = 0;
    ASSERT_EQ(read(fds[0], &byte, 1), 1) << "child never reached the signal point";
    close(fds[0]);
    kill(pid, SIGKILL);
    const int status = waitChild(pid);
    ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
        << "child status " << status;

    reopen();
    const std::int64_t n = countOf(table);
    EXPECT_EQ(n % kBatch, 0) << n << " rows: a request was partly committed";
    EXPECT_GE(n, signalRequest * kBatch);
    EXPECT_EQ(allKeys(table), range(0, n));
  }
}

// One page of a job writing two target tables (Person, then Company Person) in one transaction.
TEST_P(StoreAtomicityTest, ProcessKilledMidTransactionLeavesNeitherTable) {
  struct Mode {
    const char* name;
    bool inSecondUpsert;  // else after both upserts returned, before the commit
    bool sigkill;
  };
  const Mode modes[] = {{"sigkill-in-second-upsert", true, true},
                        {"exit-in-second-upsert", true, false},
                        {"sigkill-before-commit", false, true}};
  for (const Mode& mode : modes) {
    SCOPED_TRACE(mode.name);
    const std::string person = std::string("Person ") + mode.name;
    const std::string link = std::string("Company Person ") + mode.name;
    for (const std::string& table : {person, link}) {
      ASSERT_TRUE(store().ensureTable(bulkSpec(table), {"K"}).ok());
      upsertOk(bulk(table, 0, 100, "seed"));
    }

    const pid_t pid = startChild([&](Store& child, StoreTestHooks& hooks) {
      Status s = child.transaction([&] {
        // 50 updates of seeded rows, then 450 inserts, in each table.
        if (!child.upsert(bulk(person, 50, 500, "child")).ok()) return Status::Internal("person");
        if (mode.inSecondUpsert) {
          hooks.setAfterRowHookForTest([&](std::size_t row) {
            if (row != 300) return;
            if (mode.sigkill) kill(getpid(), SIGKILL);
            _exit(kChildExitedOnHook);
          });
        }
        if (!child.upsert(bulk(link, 50, 500, "child")).ok()) return Status::Internal("link");
        if (!mode.inSecondUpsert) kill(getpid(), SIGKILL);
        return Status::OK();
      });
      return s.ok() ? kChildRequestReturned : kChildUpsertFailed;
    });
    const int status = waitChild(pid);
    if (mode.sigkill) {
      ASSERT_TRUE(WIFSIGNALED(status)) << "child status " << status;
      EXPECT_EQ(WTERMSIG(status), SIGKILL);
    } else {
      ASSERT_TRUE(WIFEXITED(status)) << "child status " << status;
      EXPECT_EQ(WEXITSTATUS(status), kChildExitedOnHook);
    }

    reopen();
    for (const std::string& table : {person, link}) {
      SCOPED_TRACE(table);
      EXPECT_EQ(countOf(table), 100);
      EXPECT_EQ(keysTagged(table, "seed"), range(0, 100));
      EXPECT_TRUE(keysTagged(table, "child").empty());
    }
  }
}

TEST_P(StoreAtomicityTest, ProcessKilledAtAnArbitraryPointKeepsWholeTransactionsOnly) {
  constexpr std::int64_t kBatch = 200;
  constexpr std::int64_t kMaxTransactions = 1000;
  struct Point {
    std::int64_t transaction;
    int table;  // 0: the first upsert of the transaction, 1: the second
    std::size_t row;
  };
  // As in ProcessKilledAtAnArbitraryPointKeepsWholeRequestsOnly, the parent SIGKILLs the child when
  // it reads the byte the child writes at the point. Transaction t upserts K = t*kBatch ..
  // t*kBatch + kBatch - 1 into both tables.
  const Point points[] = {{0, 0, 0}, {1, 1, 100}, {3, 0, 199}, {5, 1, 199}};
  for (const Point& point : points) {
    const std::string suffix = std::to_string(point.transaction) + "_" +
                               std::to_string(point.table) + "_" + std::to_string(point.row);
    const std::string person = "TxPerson" + suffix;
    const std::string link = "TxCompanyPerson" + suffix;
    SCOPED_TRACE(suffix);
    ASSERT_TRUE(store().ensureTable(bulkSpec(person), {"K"}).ok());
    ASSERT_TRUE(store().ensureTable(bulkSpec(link), {"K"}).ok());
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = startChild([&](Store& child, StoreTestHooks& hooks) {
      close(fds[0]);
      std::int64_t current = 0;
      int table = 0;
      hooks.setAfterRowHookForTest([&](std::size_t row) {
        if (current == point.transaction && table == point.table && row == point.row) {
          const char byte = 'k';
          if (write(fds[1], &byte, 1) != 1) _exit(kChildUpsertFailed);
        }
      });
      for (current = 0; current < kMaxTransactions; ++current) {
        Status s = child.transaction([&] {
          table = 0;
          Result<std::vector<RowOutcome>> out =
              child.upsert(bulk(person, current * kBatch, kBatch, "t"));
          if (!out.ok()) return out.status();
          table = 1;
          out = child.upsert(bulk(link, current * kBatch, kBatch, "t"));
          return out.ok() ? Status::OK() : out.status();
        });
        if (!s.ok()) return kChildUpsertFailed;
      }
      return 0;
    });
    close(fds[1]);
    char byte = 0;
    ASSERT_EQ(read(fds[0], &byte, 1), 1) << "child never reached the signal point";
    close(fds[0]);
    kill(pid, SIGKILL);
    const int status = waitChild(pid);
    ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
        << "child status " << status;

    reopen();
    const std::int64_t n = countOf(person);
    EXPECT_EQ(countOf(link), n) << "a transaction was committed in one table only";
    EXPECT_EQ(n % kBatch, 0) << n << " rows: a transaction was partly committed";
    EXPECT_GE(n, point.transaction * kBatch);
    EXPECT_EQ(allKeys(person), range(0, n));
    EXPECT_EQ(allKeys(link), range(0, n));
  }
}

TEST_P(StoreAtomicityTest, StoreLevelErrorMidRequestRollsBackTheWholeRequest) {
  ASSERT_TRUE(store().ensureTable(bulkSpec("Bulk"), {"K"}).ok());
  upsertOk(bulk("Bulk", 0, 100, "seed"));

  // Request: K 50..149 - updates of rows 0..49, inserts from row 50. Fail at various rows.
  for (std::size_t failAt :
       {std::size_t{0}, std::size_t{5}, std::size_t{49}, std::size_t{50}, std::size_t{99}}) {
    SCOPED_TRACE(failAt);
    hooks().failRowWithIoErrorForTest(failAt);
    Result<std::vector<RowOutcome>> out = store().upsert(bulk("Bulk", 50, 100, "new"));
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), StatusCode::kIoError);
    EXPECT_THAT(out.status().message(), HasSubstr("I/O"));
    EXPECT_EQ(countOf("Bulk"), 100);
    EXPECT_EQ(keysTagged("Bulk", "seed"), range(0, 100));
    EXPECT_TRUE(keysTagged("Bulk", "new").empty());
  }

  // The fault was one-shot and the store is usable: the same request now applies in full.
  std::vector<RowOutcome> out = upsertOk(bulk("Bulk", 50, 100, "new"));
  ASSERT_EQ(out.size(), 100u);
  EXPECT_EQ(out[0].action, RowAction::kUpdated);
  EXPECT_EQ(out[99].action, RowAction::kCreated);
  EXPECT_EQ(keysTagged("Bulk", "new"), range(50, 100));
  reopen();
  EXPECT_EQ(countOf("Bulk"), 150);
}

TEST_P(StoreAtomicityTest, ExceptionMidRequestBecomesAStatusAndRollsBack) {
  ASSERT_TRUE(store().ensureTable(bulkSpec("Bulk"), {"K"}).ok());
  upsertOk(bulk("Bulk", 0, 10, "seed"));
  hooks().setAfterRowHookForTest([](std::size_t row) {
    if (row == 7) throw std::runtime_error("hook exploded");
  });
  Result<std::vector<RowOutcome>> out = store().upsert(bulk("Bulk", 5, 10, "new"));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInternal);
  EXPECT_THAT(out.status().message(), HasSubstr("hook exploded"));
  hooks().setAfterRowHookForTest(nullptr);
  EXPECT_EQ(keysTagged("Bulk", "seed"), range(0, 10));
  EXPECT_EQ(upsertOk(bulk("Bulk", 5, 10, "new")).size(), 10u);
  EXPECT_EQ(countOf("Bulk"), 15);
}

TEST_P(StoreAtomicityTest, ConcurrentCallersAreSerialised) {
  ASSERT_TRUE(store().ensureTable(bulkSpec("Shared"), {"K"}).ok());
  constexpr int kThreads = 4;
  constexpr std::int64_t kRequests = 10;
  constexpr std::int64_t kBatch = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (std::int64_t r = 0; r < kRequests; ++r) {
        const std::int64_t first = (t * kRequests + r) * kBatch;
        Result<std::vector<RowOutcome>> out =
            store().upsert(bulk("Shared", first, kBatch, "t" + std::to_string(t)));
        if (!out.ok())
          ++failures;
        else
          for (const RowOutcome& o : *out)
            if (o.action != RowAction::kCreated) ++failures;
        if (!store().count("Shared").ok()) ++failures;
        ExecutionRecord e;
        e.executionId = "t" + std::to_string(t) + "-" + std::to_string(r);
        if (!store().saveExecution(e).ok()) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(allKeys("Shared"), range(0, kThreads * kRequests * kBatch));
  Result<std::vector<ExecutionRecord>> executions = store().listExecutions({});
  ASSERT_TRUE(executions.ok());
  EXPECT_EQ(executions->size(), static_cast<std::size_t>(kThreads * kRequests));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreAtomicityTest, ::testing::ValuesIn(storeBackends()),
                         backendName);

}  // namespace
}  // namespace sfsync::store::testing
