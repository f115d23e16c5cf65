// PostgreSQL store gaps of issue 12, against the test cluster (fixture `postgres`): a connection
// the server closed (pg_terminate_backend, as after a server restart) is opened again by the next
// call - PgConnection::reconnect() with the schema on the search_path again, and the PostgreSQL
// store reconnecting by itself and taking back the run lock of a running execution, so another
// store still sees that run as live; and the client-side query deadline: a statement that does not
// answer in time is cancelled (PQcancel) and the connection stays usable.
#include <gtest/gtest.h>

#include <cstdint>

#include "fakes/PgTestCluster.h"
#include "fakes/TempDir.h"
#include "store/PgConnection.h"
#include "store/PostgresRunLocks.h"

namespace sfsync::store {
namespace {

PostgresSettings settingsFor(const std::string& key) {
  PostgresSettings settings;
  settings.url = ::sfsync::testing::pgTestUrl();
  settings.schema = ::sfsync::testing::pgTestSchema(key);
  return settings;
}

std::unique_ptr<PgConnection> connect(const std::string& key) {
  Result<std::unique_ptr<PgConnection>> db = PgConnection::open(settingsFor(key));
  EXPECT_TRUE(db.ok()) << db.status().toString();
  return db.ok() ? std::move(db).value() : nullptr;
}

// Terminates the backends `sql` (a query returning pids) selects, from another connection.
void terminate(const std::string& key, const std::string& pidsSql) {
  std::unique_ptr<PgConnection> admin = connect(key + "/admin");
  ASSERT_NE(admin, nullptr);
  Result<PgResult> done = admin->query("SELECT pg_terminate_backend(pid) FROM (" + pidsSql + ") p");
  ASSERT_TRUE(done.ok()) << done.status().toString();
  ASSERT_GE(done->rows(), 1);
}

TEST(PostgresReconnectTest, ALostConnectionIsOpenedAgainWithItsSchema) {
  std::unique_ptr<PgConnection> db = connect("reconnect-conn");
  ASSERT_NE(db, nullptr);
  Result<PgResult> pid = db->query("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok());
  terminate("reconnect-conn", "SELECT " + pid->text(0, 0) + " AS pid");
  EXPECT_FALSE(db->query("SELECT 1").ok());  // the call that notices the loss fails
  EXPECT_TRUE(db->connectionLost());
  ASSERT_TRUE(db->reconnect().ok());
  Result<PgResult> schema = db->query("SELECT current_schema(), pg_backend_pid()");
  ASSERT_TRUE(schema.ok()) << schema.status().toString();
  EXPECT_EQ(schema->text(0, 0), settingsFor("reconnect-conn").schema);
  EXPECT_NE(schema->text(0, 1), pid->text(0, 0));
}

TEST(PostgresReconnectTest, AStatementOverTheClientDeadlineIsCancelled) {
  std::unique_ptr<PgConnection> db = connect("reconnect-deadline");
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->exec("SET statement_timeout = 0").ok());  // only the client's deadline applies
  db->setDeadlineForTest(std::chrono::milliseconds(300));
  Result<PgResult> slow = db->query("SELECT pg_sleep(600)");
  ASSERT_FALSE(slow.ok());
  EXPECT_NE(slow.status().message().find("client-side deadline"), std::string::npos)
      << slow.status().toString();
  EXPECT_FALSE(db->connectionLost());  // the cancel was answered: the session goes on
  Result<PgResult> next = db->query("SELECT 41 + 1");
  ASSERT_TRUE(next.ok()) << next.status().toString();
  EXPECT_EQ(next->text(0, 0), "42");
}

// The 64-bit advisory key of a run lock (PostgresRunLocks: FNV-1a over "<schema>/<id>").
std::string runLockKey(const std::string& schema, const std::string& id) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : schema + "/" + id) h = (h ^ c) * 1099511628211ULL;
  return std::to_string(static_cast<std::int64_t>(h));
}

TEST(PostgresReconnectTest, TheStoreReconnectsAndKeepsItsRunLocks) {
  ::sfsync::testing::TempDir dir;
  Result<StorePtr> store = openPostgresStore(settingsFor(dir.path()));
  ASSERT_TRUE(store.ok()) << store.status().toString();
  ExecutionRecord running;
  running.executionId = "exec-live";
  running.name = "Accounts";
  running.status = "Running";
  running.startTime = "2026-01-01T00:00:00.000Z";
  ASSERT_TRUE((*store)->saveExecution(running).ok());
  const std::string key = runLockKey(settingsFor(dir.path()).schema, "exec-live");
  // The backend holding the run's advisory lock is the store's own session.
  terminate(dir.path(),
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND "
            "((classid::bigint << 32) | objid::bigint) = (" +
                key + ")::bigint");
  Result<std::optional<std::string>> lost = (*store)->getState("k");  // notices the loss
  ASSERT_TRUE((*store)->putState("k", "v").ok());                     // connects again
  Result<std::optional<std::string>> read = (*store)->getState("k");
  ASSERT_TRUE(read.ok()) << read.status().toString();
  EXPECT_EQ(read->value_or(""), "v");
  (void)lost;

  Result<StorePtr> other = openPostgresStore(settingsFor(dir.path()));
  ASSERT_TRUE(other.ok());
  Result<int> marked = (*other)->failInterruptedExecutions("2026-01-02T00:00:00.000Z", "x");
  ASSERT_TRUE(marked.ok()) << marked.status().toString();
  EXPECT_EQ(*marked, 0);  // the run lock was taken back: the run is still live
}

// After a reconnect every run lock is tried again: one that another session took meanwhile is
// reported and dropped, and the ones after it are still taken back.
TEST(PostgresReconnectTest, ReacquireTriesEveryRunLockAndDropsTheLostOnes) {
  std::unique_ptr<PgConnection> db = connect("reconnect-reacquire");
  ASSERT_NE(db, nullptr);
  PostgresRunLocks locks(*db);
  ASSERT_TRUE(locks.hold("exec-a").ok());
  ASSERT_TRUE(locks.hold("exec-b").ok());
  Result<PgResult> pid = db->query("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok());
  terminate("reconnect-reacquire", "SELECT " + pid->text(0, 0) + " AS pid");
  EXPECT_FALSE(db->query("SELECT 1").ok());
  std::unique_ptr<PgConnection> other = connect("reconnect-reacquire");
  ASSERT_NE(other, nullptr);
  PostgresRunLocks otherLocks(*other);
  // The terminated backend drops its locks once it has exited: wait for that.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  Status taken = otherLocks.hold("exec-a");
  while (!taken.ok() && std::chrono::steady_clock::now() < deadline)
    taken = otherLocks.hold("exec-a");
  ASSERT_TRUE(taken.ok()) << taken.toString();
  ASSERT_TRUE(db->reconnect().ok());
  Status again = locks.reacquire();
  EXPECT_EQ(again.code(), StatusCode::kUnavailable);
  EXPECT_NE(again.message().find("exec-a"), std::string::npos) << again.toString();
  EXPECT_FALSE(locks.holds("exec-a"));
  EXPECT_TRUE(locks.holds("exec-b"));
  EXPECT_EQ(otherLocks.hold("exec-b").code(), StatusCode::kUnavailable);  // taken back here
}

}  // namespace
}  // namespace sfsync::store
