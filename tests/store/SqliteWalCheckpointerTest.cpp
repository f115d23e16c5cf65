// SQLite only: the WAL is copied into the database file by SqliteWalCheckpointer's own thread and
// its own connection, the writer's commits only ask for it, and the WAL still starts over (it
// stays short) while the writer keeps committing.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "fakes/TempDir.h"
#include "store/SqliteDb.h"

namespace sfsync::store {
namespace {

using ::sfsync::testing::TempDir;

constexpr int kFrames = 64;                 // a pass is asked for at 64 pages of WAL (1 MiB)
constexpr int kCommits = 400;               // each commit below writes about 6 pages
constexpr std::int64_t kPageBytes = 16384;  // SqliteDb's page size

// One transaction of 20 rows of 4 KiB: about 5 table pages and an index page or two.
void commitRows(SqliteDb& db, int commit) {
  ASSERT_TRUE(db.begin().ok());
  Result<SqliteStatement> insert =
      db.prepare("INSERT INTO t (k, payload) VALUES (?1, randomblob(4096))");
  ASSERT_TRUE(insert.ok()) << insert.status().message();
  for (int i = 0; i < 20; ++i) {
    insert->reset();
    ASSERT_EQ(insert->bindInt64(1, static_cast<std::int64_t>(commit) * 100 + i), SQLITE_OK);
    ASSERT_EQ(insert->step(), SQLITE_DONE) << db.lastMessage();
  }
  insert->reset();
  ASSERT_TRUE(db.commit().ok());
}

std::int64_t rowCount(SqliteDb& db) {
  Result<SqliteStatement> stmt = db.prepare("SELECT count(*) FROM t");
  if (!stmt.ok() || stmt->step() != SQLITE_ROW) return -1;
  return stmt->columnInt64(0);
}

TEST(SqliteWalCheckpointerTest, ItsThreadCopiesTheWalAndTheWalStillStartsOver) {
  TempDir dir;
  const std::string path = dir.file("data/sfsync.db");
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::open(path, 8, kFrames);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_NE((*db)->checkpointer(), nullptr) << "the checkpoint thread did not start";
  ASSERT_TRUE((*db)->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, payload BLOB)").ok());
  for (int c = 0; c < kCommits; ++c) {
    commitRows(**db, c);
    if (::testing::Test::HasFatalFailure()) return;
  }
  const SqliteWalCheckpointer::Counts counts = (*db)->checkpointer()->counts();
  // Some 2,400 pages went through the WAL; its thread copied them, in passes of its own.
  EXPECT_GT(counts.backgroundPasses, 0);
  // The WAL started over again and again: never more than the cap (4 x kFrames, where a commit
  // copies the rest itself) plus one commit's pages, and the file no larger than that.
  EXPECT_GT(counts.mostFrames, kFrames);
  EXPECT_LT(counts.mostFrames, 4 * kFrames + 32);
  const std::int64_t walBytes =
      static_cast<std::int64_t>(std::filesystem::file_size(path + "-wal"));
  EXPECT_LT(walBytes, (4 * kFrames + 32) * (kPageBytes + 24) + 32);
  EXPECT_EQ(rowCount(**db), kCommits * 20);

  // Closed, the store's connection is the last one: it checkpoints and removes the WAL; every
  // row is in the database file.
  db->reset();
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  Result<std::unique_ptr<SqliteDb>> reopened = SqliteDb::open(path, 8, kFrames);
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  EXPECT_EQ(rowCount(**reopened), kCommits * 20);
}

// Without a write nothing is asked for: the thread sleeps and the writer copies nothing.
TEST(SqliteWalCheckpointerTest, AShortWalAsksForNothing) {
  TempDir dir;
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::open(dir.file("sfsync.db"), 8, kFrames);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_NE((*db)->checkpointer(), nullptr);
  ASSERT_TRUE((*db)->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, payload BLOB)").ok());
  commitRows(**db, 0);
  const SqliteWalCheckpointer::Counts counts = (*db)->checkpointer()->counts();
  EXPECT_EQ(counts.backgroundPasses, 0);
  EXPECT_EQ(counts.writerCopies, 0);
  EXPECT_GT(counts.mostFrames, 0);  // the hook saw the commits
  EXPECT_LT(counts.mostFrames, kFrames);
}

}  // namespace
}  // namespace sfsync::store
