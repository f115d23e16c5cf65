// Two PostgreSQL stores on one schema (two daemons, or two chains) writing the same key at once:
// the second writer waits for the first instead of missing its uncommitted row and inserting a
// duplicate.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "fakes/PgTestCluster.h"
#include "store/PgConnection.h"
#include "store/StoreTestHooks.h"
#include "store/StoreTestSupport.h"

namespace sfsync::store::testing {
namespace {

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
  EXPECT_EQ((*first)->count("Contact").ok() ? *(*first)->count("Contact") : -1, 1);
}

}  // namespace
}  // namespace sfsync::store::testing
