// SQLite only: how SqliteDb configures a connection for loads (WAL, synchronous=NORMAL, no
// secure_delete zero-filling) and the process (no memory statistics, so no global mutex around
// every allocation).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <string>

#include "fakes/TempDir.h"
#include "store/SqliteDb.h"

namespace sfsync::store {
namespace {

using ::sfsync::testing::TempDir;

std::string pragma(SqliteDb& db, const std::string& name) {
  Result<SqliteStatement> stmt = db.prepare("PRAGMA " + name);
  if (!stmt.ok()) return "error: " + stmt.status().message();
  if (stmt->step() != SQLITE_ROW) return "no row";
  return stmt->columnText(0);
}

TEST(SqliteDbTest, ConnectionIsConfiguredForLoads) {
  TempDir dir;
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::open(dir.file("data/sfsync.db"));
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(pragma(**db, "journal_mode"), "wal");
  EXPECT_EQ(pragma(**db, "synchronous"), "1");  // NORMAL
  // Debian's SQLite is built with SECURE_DELETE: every update would zero-fill the old cell.
  EXPECT_EQ(pragma(**db, "secure_delete"), "0");
}

// Memory statistics are a process-wide setting that only takes effect before SQLite initialises,
// so this runs in a fresh process (threadsafe death-test style re-executes the binary): there the
// first SqliteDb::open is the first use of SQLite. With statistics on, sqlite3_memory_used()
// counts the connection's memory; with them off it stays 0.
TEST(SqliteDbTest, MemoryStatisticsAreOffSoAllocationsTakeNoGlobalMutex) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  TempDir dir;
  const std::string path = dir.file("data/sfsync.db");
  EXPECT_EXIT(
      {
        Result<std::unique_ptr<SqliteDb>> db = SqliteDb::open(path);
        if (!db.ok()) std::_Exit(2);
        if (!(*db)->exec("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('x')").ok()) {
          std::_Exit(3);
        }
        std::_Exit(sqlite3_memory_used() == 0 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace sfsync::store
