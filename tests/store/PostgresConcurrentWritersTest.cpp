// Two PostgreSQL stores on one schema (two daemons, or two chains) writing the same key at once:
// the second writer waits for the first instead of missing its uncommitted row and inserting a
// duplicate.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <thread>

#include "fakes/PgTestCluster.h"
#include "sfsync/store/RunTotals.h"
#include "store/PgConnection.h"
#include "store/StoreTestHooks.h"
#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

// True once some session waits for any lock.
bool someoneWaitsForALock(PgConnection& observer) {
  Result<PgResult> r = observer.query("SELECT count(*) FROM pg_locks WHERE NOT granted");
  return r.ok() && r->rows() == 1 && r->text(0, 0) != "0";
}

// True once some session waits for an advisory lock (the second writer queued behind the first).
bool someoneWaitsForAnAdvisoryLock(PgConnection& observer) {
  Result<PgResult> r =
      observer.query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
  return r.ok() && r->rows() == 1 && r->text(0, 0) != "0";
}

TEST(PostgresConcurrentWritersTest, SecondWriterOfAKeyWaitsInsteadOfInsertingADuplicate) {
  TempDir dir;
  Result<StorePtr> first = ::sfsync::testing::openPgTestStore(dir.path());
  ASSERT_TRUE(first.ok()) << first.status().toString();
  Result<StorePtr> second = ::sfsync::testing::openPgTestStore(dir.path());
  ASSERT_TRUE(second.ok()) << second.status().toString();
  ASSERT_TRUE((*first)->ensureTable(tableSpec("Contact", {col("Id"), col("Note")}), {"Id"}).ok());
  PostgresSettings settings;
  settings.url = ::sfsync::testing::pgTestUrl();
  Result<std::unique_ptr<PgConnection>> observer = PgConnection::open(settings);
  ASSERT_TRUE(observer.ok()) << observer.status().toString();

  // Both stores have written the table once (its key index exists), so only the key lookup races.
  for (StorePtr* store : {&*first, &*second}) {
    ASSERT_TRUE((*store)
                    ->upsert(request("Contact", {"Id", "Note"}, {"Id"}, {{text("000"), text("x")}}))
                    .ok());
  }
  auto* hooks = dynamic_cast<StoreTestHooks*>(first->get());
  ASSERT_NE(hooks, nullptr);
  std::future<Result<std::vector<RowOutcome>>> other;
  std::atomic<bool> otherQueued{false};
  hooks->setAfterRowHookForTest([&](std::size_t) {
    // The first writer has written key 001 but not committed: the second one starts now.
    other = std::async(std::launch::async, [&] {
      return (*second)->upsert(
          request("Contact", {"Id", "Note"}, {"Id"}, {{text("001"), text("b")}}));
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      if (other.wait_for(std::chrono::milliseconds(20)) == std::future_status::ready) return;
      if (someoneWaitsForAnAdvisoryLock(**observer)) {
        otherQueued = true;
        return;
      }
    }
  });
  Result<std::vector<RowOutcome>> mine =
      (*first)->upsert(request("Contact", {"Id", "Note"}, {"Id"}, {{text("001"), text("a")}}));
  hooks->setAfterRowHookForTest({});
  ASSERT_TRUE(mine.ok()) << mine.status().toString();
  ASSERT_TRUE(other.valid());
  Result<std::vector<RowOutcome>> theirs = other.get();
  ASSERT_TRUE(theirs.ok()) << theirs.status().toString();
  EXPECT_TRUE(otherQueued);
  EXPECT_EQ((*mine)[0].action, RowAction::kCreated);
  EXPECT_EQ((*theirs)[0].action, RowAction::kUpdated);
  EXPECT_EQ((*first)->count("Contact").ok() ? *(*first)->count("Contact") : -1, 2);  // 000, 001
}

TEST(PostgresConcurrentWritersTest, ARunFinishingWhileAnotherStoreChecksIsCountedOnce) {
  TempDir dir;
  Result<StorePtr> daemon = ::sfsync::testing::openPgTestStore(dir.path());
  ASSERT_TRUE(daemon.ok()) << daemon.status().toString();
  Result<StorePtr> other = ::sfsync::testing::openPgTestStore(dir.path());
  ASSERT_TRUE(other.ok()) << other.status().toString();
  PostgresSettings settings;
  settings.url = ::sfsync::testing::pgTestUrl();
  Result<std::unique_ptr<PgConnection>> observer = PgConnection::open(settings);
  ASSERT_TRUE(observer.ok()) << observer.status().toString();

  ExecutionRecord r;
  r.executionId = "e1";
  r.kind = "job";
  r.name = "Company Sync";
  r.status = "Running";
  r.startTime = "2026-03-01T02:00:00.000Z";
  ASSERT_TRUE((*daemon)->saveExecution(r).ok());
  std::future<Result<int>> check;
  Status s = (*daemon)->transaction([&]() -> Status {
    r.status = "Success";
    r.endTime = "2026-03-01T02:04:00.000Z";
    Status saved = (*daemon)->saveExecution(r);
    if (!saved.ok()) return saved;
    // Not committed yet: the other store's check must still see the run as live.
    check = std::async(std::launch::async, [&] {
      return (*other)->failInterruptedExecutions("2026-03-01T02:05:00.000Z", "interrupted");
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      if (check.wait_for(std::chrono::milliseconds(20)) == std::future_status::ready) break;
      if (someoneWaitsForALock(**observer)) break;
    }
    return Status::OK();
  });
  ASSERT_TRUE(s.ok()) << s.toString();
  ASSERT_TRUE(check.valid());
  Result<int> failed = check.get();
  ASSERT_TRUE(failed.ok()) << failed.status().toString();
  EXPECT_EQ(*failed, 0);
  Result<std::optional<std::string>> stored =
      (*daemon)->getState(runTotalsKey("job", "Company Sync"));
  ASSERT_TRUE(stored.ok() && stored->has_value());
  Result<RunTotals> totals = RunTotals::fromJson(**stored);
  ASSERT_TRUE(totals.ok());
  EXPECT_EQ(totals->runs, (std::map<std::string, std::int64_t>{{"Success", 1}}));
}

}  // namespace
}  // namespace sfsync::store::testing
